// Chooses between the login screen and the app shell, and gives antd the chosen language.
import { lazy, Suspense, useCallback, useEffect, useState } from "react";
import { App as AntApp, ConfigProvider, Spin } from "antd";
import zhCN from "antd/locale/zh_CN";
import enUS from "antd/locale/en_US";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn";
import { onSignedOut, session } from "./api/client";
import { preloadMetadata } from "./api/metadata-store";
import { useI18n } from "./i18n/locale";

const LoginScreen = lazy(() => import("./screens/LoginScreen"));
const AppShell = lazy(() => import("./shell/AppShell"));

// A signed-in visit needs the user and the metadata whatever the screen: ask for them while the code downloads.
if (session.token() !== null) preloadMetadata();

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
