// A screen that could not load: the server's message in the user's language.
import { Result } from "antd";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/locale";

export function ScreenError({ error }: { error: Error }) {
  const { t, text } = useI18n();
  const status = error instanceof ApiError && (error.status === 403 || error.status === 404) ? String(error.status) : "error";
  return <Result status={status as "403" | "404" | "error"} title={t("loadFailed")} subTitle={error instanceof ApiError ? text(error.messages) : t("networkError")} />;
}
