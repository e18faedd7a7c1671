// A small history-API router: the runtime UI has a handful of screens, so a routing library is not worth its bytes.
import { useSyncExternalStore } from "react";

export type Route =
  | { screen: "home" }
  | { screen: "list"; object: string }
  | { screen: "record"; object: string; id: string | null }
  | { screen: "approvals" }
  | { screen: "calendar" }
  | { screen: "reports"; report: string | null }
  | { screen: "unknown" };

const NAME = "([a-z][a-z0-9_]*)";
const LIST = new RegExp(`^/o/${NAME}/?$`);
const NEW = new RegExp(`^/o/${NAME}/new/?$`);
const RECORD = new RegExp(`^/o/${NAME}/r/([0-9a-f-]{36})/?$`);

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { screen: "home" };
  if (/^\/approvals\/?$/.test(pathname)) return { screen: "approvals" };
  if (/^\/calendar\/?$/.test(pathname)) return { screen: "calendar" };
  let match = /^\/reports(?:\/([a-z][a-z0-9_]*))?\/?$/.exec(pathname);
  if (match) return { screen: "reports", report: match[1] ?? null };
  match = LIST.exec(pathname);
  if (match) return { screen: "list", object: match[1] };
  match = NEW.exec(pathname);
  if (match) return { screen: "record", object: match[1], id: null };
  match = RECORD.exec(pathname);
  if (match) return { screen: "record", object: match[1], id: match[2] };
  return { screen: "unknown" };
}

export const paths = {
  home: () => "/",
  list: (object: string) => `/o/${object}`,
  create: (object: string) => `/o/${object}/new`,
  record: (object: string, id: string) => `/o/${object}/r/${id}`,
  approvals: () => "/approvals",
  calendar: () => "/calendar",
  reports: (report?: string) => (report ? `/reports/${report}` : "/reports"),
};

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => listeners.forEach((listener) => listener()));

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
