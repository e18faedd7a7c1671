// A screen that could not load: the server's message in the user's language.
import { Suspense } from "react";
import { ApiError } from "../api/client";
import { useI18n } from "../i18n/locale";
import { RESULT } from "../shell/screens";

const Result = RESULT.Component;

export function ScreenError({ error }: { error: Error }) {
  const { t, text } = useI18n();
  const status = error instanceof ApiError && (error.status === 403 || error.status === 404) ? String(error.status) : "error";
  // antd's Result is a chunk of its own (shell/screens.ts), seldom needed: nothing shows for the moment it takes.
  return (
    <Suspense fallback={null}>
      <Result status={status as "403" | "404" | "error"} title={t("loadFailed")} subTitle={error instanceof ApiError ? text(error.messages) : t("networkError")} />
    </Suspense>
  );
}
