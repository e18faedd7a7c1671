// Names of referenced records (lookups, employees, departments), fetched in batches and remembered per object.
import { useEffect, useState } from "react";
import { api } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import { displayFieldOf } from "../layout/fields";

const BATCH = 200;
const names = new Map<string, Map<string, string>>();

function cacheOf(object: string): Map<string, string> {
  let cache = names.get(object);
  if (!cache) names.set(object, (cache = new Map()));
  return cache;
}

/** Remember names the UI already has (e.g. from a picker search) so they need no request. */
export function rememberNames(object: string, entries: Iterable<[string, string]>): void {
  const cache = cacheOf(object);
  for (const [id, name] of entries) cache.set(id, name);
}

/** The display names of ids of one object; ids the user may not see keep no name (the caller shows a placeholder). */
export function useRecordNames(object: string | undefined, ids: readonly string[]): ReadonlyMap<string, string> {
  const { objectByName } = useMetadata();
  const target = object ? objectByName.get(object) : undefined;
  const key = ids.join(",");
  const [, setVersion] = useState(0);
  useEffect(() => {
    if (!object || !target) return;
    const cache = cacheOf(object);
    const missing = [...new Set(ids)].filter((id) => !cache.has(id));
    if (missing.length === 0) return;
    const field = displayFieldOf(target);
    let cancelled = false;
    const batches: string[][] = [];
    for (let start = 0; start < missing.length; start += BATCH) batches.push(missing.slice(start, start + BATCH));
    Promise.all(batches.map((batch) => api.list(object, { filter: { in: [{ var: "id" }, batch] }, limit: BATCH })))
      .then((results) => {
        for (const result of results) for (const record of result.records) cache.set(String(record.id), String(record[field] ?? record.id));
        if (!cancelled) setVersion((version) => version + 1);
      })
      // A target the user may not view answers 403/404: those ids simply keep no name.
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
    // The joined ids stand for the array, whose identity changes on every render.
  }, [object, target, key]);
  return object ? cacheOf(object) : new Map();
}
