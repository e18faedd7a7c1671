// How many approvals wait for me, shared by the menu badge and the inbox screen; refreshed on demand and every minute.
import { useEffect, useSyncExternalStore } from "react";
import { services } from "../../api/record-services";

const REFRESH_MS = 60_000;
let count = 0;
const listeners = new Set<() => void>();

function publish(next: number) {
  count = next;
  listeners.forEach((listener) => listener());
}

/** Re-reads the inbox; a failure keeps the last count (the inbox screen shows its own error). */
export function refreshInboxCount(): void {
  services.inbox().then((inbox) => publish(inbox.tasks.length), () => undefined);
}

/** The inbox screen tells the badge what it just loaded, so no second request is needed. */
export function setInboxCount(next: number): void {
  publish(next);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The pending-approval count; the first user starts the refresh timer. */
export function useInboxCount(): number {
  useEffect(() => {
    refreshInboxCount();
    const timer = setInterval(refreshInboxCount, REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  return useSyncExternalStore(subscribe, () => count);
}
