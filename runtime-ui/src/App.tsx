// Chooses between the login screen and the app shell, and gives antd the chosen language.
import { StrictMode, Suspense, useCallback, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
// antd's styles, built ahead: antd runs with theme.zeroRuntime and generates none in the browser (that took a third
// of a list's first render). Then the app's own, which override some of them. Both come with this chunk, fetched
// alongside the others, so that the entry (and the requests it starts) does not wait for a megabyte of CSS.
import "antd/dist/antd.css";
import "./styles.css";
import { onSignedOut, session } from "./api/client";
import { LOGIN, SHELL } from "./shell/screens";
import { LocaleProvider, useI18n } from "./i18n/locale";

const LoginScreen = LOGIN.Component;
const AppShell = SHELL.Component;

export const pageSpinner = (
  <div className="page-spinner">
    <Spin size="large" />
  </div>
);

export function App() {
  const { locale } = useI18n();
  const [signedIn, setSignedIn] = useState(() => session.token() !== null);
  useEffect(() => onSignedOut(() => setSignedIn(false)), []);
  useEffect(() => {
    dayjs.locale(locale === "en" ? "en" : "zh-cn");
  }, [locale]);
  const signOut = useCallback(() => {
    session.clear();
    setSignedIn(false);
  }, []);
  return (
    <ConfigProvider locale={locale === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#1677ff" }, zeroRuntime: true }}>
      <AntApp>
        <Suspense fallback={pageSpinner}>
          {signedIn ? <AppShell onSignOut={signOut} /> : <LoginScreen onSignedIn={() => setSignedIn(true)} />}
        </Suspense>
      </AntApp>
    </ConfigProvider>
  );
}

/** Renders the app into the page (the entry calls it once a signed-in visit's code is here). */
export function renderApp(container: HTMLElement): void {
  createRoot(container).render(
    <StrictMode>
      <LocaleProvider>
        <App />
      </LocaleProvider>
    </StrictMode>,
  );
}
