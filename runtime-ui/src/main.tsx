// Entry point: kept small, so that a signed-in visit asks for its data and for all the code it needs (app, shell,
// opening screen) at once, instead of fetching the shell's code only once the app's has been downloaded and run.
import { startVisit } from "./signed-in-visit";

// The first paint waits for the code of the screen it shows (a few hundred ms at most), instead of painting a
// spinner that React would then keep for at least 300 ms.
const { renderApp } = await startVisit(window.location.pathname, () => import("./App"));
renderApp(document.getElementById("root")!);
