// The shell's and the screens' code, each its own chunk; kept out of the shell's module so the entry can start
// downloading the shell and the opening screen together instead of one after the other.
import { parseRoute } from "../routing/router";
import { preloadableLazy } from "../routing/preloadable-lazy";

export const SHELL = preloadableLazy(() => import("./AppShell"));

export const SCREENS = {
  list: preloadableLazy(() => import("../screens/ListScreen")),
  record: preloadableLazy(() => import("../screens/RecordScreen")),
  approvals: preloadableLazy(() => import("../screens/approvals/ApprovalsInbox")),
  calendar: preloadableLazy(() => import("../screens/calendar/CalendarScreen")),
  reports: preloadableLazy(() => import("../screens/reports/ReportsScreen")),
};

/** Downloads the code of the screen a path opens. */
export function preloadScreenOf(pathname: string): Promise<void> {
  const screen = parseRoute(pathname).screen;
  return screen in SCREENS ? SCREENS[screen as keyof typeof SCREENS].preload() : Promise.resolve();
}
