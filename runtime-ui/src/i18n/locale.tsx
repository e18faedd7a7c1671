// The chosen language (zh-CN by default, en on request), persisted in localStorage, and the helpers that translate.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { LocalizedText } from "../api/types";
import { MESSAGES, type MessageKey } from "./messages";

export type Locale = "zh-CN" | "en";
export const LOCALES: readonly Locale[] = ["zh-CN", "en"];
const STORAGE_KEY = "crm.locale";

export function storedLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === "en" ? "en" : "zh-CN";
}

/** Replaces {name} placeholders; unknown placeholders stay visible so a missing value is noticed. */
export function interpolate(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

export interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  /** A UI message by key. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** A label that came from metadata. */
  text(label: LocalizedText | undefined, fallback?: string): string;
}

const I18nContext = createContext<I18n | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(storedLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLocaleState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, values) => interpolate(MESSAGES[key][locale], values),
      text: (label, fallback = "") => label?.[locale] ?? label?.["zh-CN"] ?? fallback,
    }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside LocaleProvider");
  return value;
}
