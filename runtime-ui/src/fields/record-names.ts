// Names of referenced records (lookups, employees, departments), fetched in batches and remembered per object.
// A list page asks for the names of every cell at once: the requests of one render are gathered into one query
// per object (ids already known or on their way are not asked for again), and every cell showing one of those
// objects re-renders when the answer comes.
import { useEffect, useSyncExternalStore } from "react";
import { api } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import { displayFieldOf } from "../layout/fields";

const BATCH = 200;
const names = new Map<string, Map<string, string>>();
/** Ids asked for (answered or not): asked once per page load; an id the user may not see stays nameless. */
const asked = new Map<string, Set<string>>();
const queued = new Map<string, { field: string; ids: Set<string> }>();
const listeners = new Set<() => void>();
let version = 0;
let flushScheduled = false;

function cacheOf(object: string): Map<string, string> {
  let cache = names.get(object);
  if (!cache) names.set(object, (cache = new Map()));
  return cache;
}

function changed(): void {
  version += 1;
  for (const listener of listeners) listener();
}

/** Remember names the UI already has (e.g. from a picker search) so they need no request. */
export function rememberNames(object: string, entries: Iterable<[string, string]>): void {
  const cache = cacheOf(object);
  for (const [id, name] of entries) cache.set(id, name);
  changed();
}

/** One request per object and batch of ids; `fetchPage` is the records API (a parameter so tests can count calls). */
export async function flushNameRequests(fetchPage: typeof api.list = api.list): Promise<void> {
  flushScheduled = false;
  const work = [...queued];
  queued.clear();
  await Promise.all(
    work.map(async ([object, { field, ids }]) => {
      const wanted = [...ids];
      const cache = cacheOf(object);
      for (let start = 0; start < wanted.length; start += BATCH) {
        const batch = wanted.slice(start, start + BATCH);
        try {
          const page = await fetchPage(object, { filter: { in: [{ var: "id" }, batch] }, limit: BATCH });
          for (const record of page.records) cache.set(String(record.id), String(record[field] ?? record.id));
        } catch {
          // A target the user may not view answers 403/404: those ids simply keep no name.
        }
      }
    }),
  );
  if (work.length) changed();
}

/** Queues the ids of `object` not yet known or asked for; they are fetched together once the render is done. */
export function requestNames(object: string, displayField: string, ids: readonly string[]): void {
  const cache = cacheOf(object);
  let seen = asked.get(object);
  if (!seen) asked.set(object, (seen = new Set()));
  for (const id of ids) {
    if (cache.has(id) || seen.has(id)) continue;
    seen.add(id);
    let entry = queued.get(object);
    if (!entry) queued.set(object, (entry = { field: displayField, ids: new Set() }));
    entry.ids.add(id);
  }
  if (queued.size && !flushScheduled) {
    flushScheduled = true;
    // After every cell of this render has queued its ids.
    setTimeout(() => void flushNameRequests(), 0);
  }
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The display names of ids of one object; ids the user may not see keep no name (the caller shows a placeholder). */
export function useRecordNames(object: string | undefined, ids: readonly string[]): ReadonlyMap<string, string> {
  const { objectByName } = useMetadata();
  const target = object ? objectByName.get(object) : undefined;
  useSyncExternalStore(subscribe, () => version);
  const key = ids.join(",");
  useEffect(() => {
    if (object && target) requestNames(object, displayFieldOf(target), ids);
    // The joined ids stand for the array, whose identity changes on every render.
  }, [object, target, key]);
  return object ? cacheOf(object) : new Map();
}
