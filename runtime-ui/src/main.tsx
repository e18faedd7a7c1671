// Entry point: language provider, antd locale and theme, then the app (login or shell).
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { LocaleProvider } from "./i18n/locale";
import { App, prepareSignedInVisit } from "./App";
import "./styles.css";

// The first paint waits for the code of the screen it shows (a few hundred ms at most), instead of painting a
// spinner that React would then keep for at least 300 ms.
await prepareSignedInVisit();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <LocaleProvider>
      <App />
    </LocaleProvider>
  </StrictMode>,
);
