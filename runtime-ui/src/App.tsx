// Chooses between the login screen and the app shell, and gives antd the chosen language.
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { onSignedOut, session } from "./api/client";
import { preloadMetadata } from "./api/metadata-store";
import { preloadableLazy } from "./routing/preloadable-lazy";
import { preloadScreenOf } from "./shell/screens";
import { useI18n } from "./i18n/locale";

const LoginScreen = lazy(() => import("./screens/LoginScreen"));
const shell = preloadableLazy(() => import("./shell/AppShell"));
const AppShell = shell.Component;

/**
 * A signed-in visit needs the user and the metadata whatever the screen: they are asked for at once, while the
 * shell's and the opening screen's code download; the entry renders when that code is here, so neither suspends.
 */
export function prepareSignedInVisit(): Promise<void> {
  if (session.token() === null) return Promise.resolve();
  preloadMetadata();
  return Promise.all([shell.preload(), preloadScreenOf(window.location.pathname)]).then(() => undefined);
}

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
    <ConfigProvider locale={locale === "en" ? enUS : zhCN} theme={{ token: { colorPrimary: "#1677ff" } }}>
      <AntApp>
        <Suspense fallback={pageSpinner}>
          {signedIn ? <AppShell onSignOut={signOut} /> : <LoginScreen onSignedIn={() => setSignedIn(true)} />}
        </Suspense>
      </AntApp>
    </ConfigProvider>
  );
}
