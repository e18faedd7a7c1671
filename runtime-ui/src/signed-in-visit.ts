// What a signed-in visit needs before its first render, all asked for at once by the entry (which holds little more
// than this module): the user and the metadata, the first page of the list it opens, and the code of the app, the
// shell and the opening screen. Nothing waits for something it does not depend on.
import { session } from "./api/client";
import { preloadMetadata } from "./api/metadata-store";
import { parseRoute } from "./routing/router";
import { prefetchFirstPage } from "./screens/list-first-page";
import { LOGIN, preloadScreenOf, SHELL } from "./shell/screens";

/**
 * Starts a visit: asks, when signed in, for the metadata and then the opening list's first page, before any code is
 * requested (a browser fetches at most six things at once from the server, in the order asked); then the app's code
 * (`loadApp`: its stylesheet must come before the shell's and the screens'), then the shell's and the screen's.
 * Resolves with the app's module once the shell's and the screen's code are here too, so none suspends on the first
 * render; the screens take the data whenever it arrives (usually before: the first render then shows it).
 */
export async function startVisit<App>(pathname: string, loadApp: () => Promise<App>): Promise<App> {
  if (session.token() === null) {
    // Signed out: the sign-in screen's code comes alongside the app's, not after it.
    const [app] = await Promise.all([loadApp(), LOGIN.preload()]);
    return app;
  }
  const metadata = preloadMetadata();
  const route = parseRoute(pathname);
  if (route.screen === "list") prefetchFirstPage(route.object, metadata);
  const [app] = await Promise.all([loadApp(), SHELL.preload(), preloadScreenOf(pathname)]);
  return app;
}
