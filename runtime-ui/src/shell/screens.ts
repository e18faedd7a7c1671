// The shell's and the screens' code, each its own chunk; kept out of the shell's module so the entry can start
// downloading the shell and the opening screen together instead of one after the other.
import type { ResultProps } from "antd";
import { parseRoute } from "../routing/router";
import { preloadableLazy } from "../routing/preloadable-lazy";

export const SHELL = preloadableLazy(() => import("./AppShell"));
/** The sign-in screen: with antd's Form and its validator, none of which a signed-in visit's first screen uses. */
export const LOGIN = preloadableLazy(() => import("../screens/LoginScreen"));

export const SCREENS = {
  list: preloadableLazy(() => import("../screens/ListScreen")),
  record: preloadableLazy(() => import("../screens/RecordScreen")),
  approvals: preloadableLazy(() => import("../screens/approvals/ApprovalsInbox")),
  calendar: preloadableLazy(() => import("../screens/calendar/CalendarScreen")),
  reports: preloadableLazy(() => import("../screens/reports/ReportsScreen")),
};

/**
 * antd's Result (the welcome, "not found" and "could not load" pages), its own chunk: its status illustrations are
 * no part of a list's first paint.
 */
export const RESULT = preloadableLazy<ResultProps>(() => import("antd/es/result"));

/** Downloads the code of the screen a path opens. */
export function preloadScreenOf(pathname: string): Promise<void> {
  const screen = parseRoute(pathname).screen;
  if (screen === "home" || screen === "unknown") return RESULT.preload();
  return screen in SCREENS ? SCREENS[screen as keyof typeof SCREENS].preload() : Promise.resolve();
}
