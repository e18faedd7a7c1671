// The zh-CN / en switch shown on the login screen and in the shell header.
import { Segmented } from "antd";
import { LOCALES, useI18n, type Locale } from "./locale";

const LANGUAGE_NAMES: Record<Locale, string> = { "zh-CN": "中文", en: "EN" };

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  return (
    <Segmented
      size="small"
      aria-label={t("language")}
      value={locale}
      options={LOCALES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }))}
      onChange={(value) => setLocale(value as Locale)}
    />
  );
}
