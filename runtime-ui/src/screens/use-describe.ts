// Loads an object's describe fresh for a screen (so metadata changes show at once) and its effective layout.
import { useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import type { ObjectDescribe } from "../api/types";
import { layoutOf } from "../layout/default-layout";
import type { ObjectLayout } from "../layout/layout-types";

export type DescribeState = { status: "loading" } | { status: "failed"; error: ApiError | Error } | { status: "ready"; describe: ObjectDescribe; layout: ObjectLayout };

export function useDescribe(object: string): DescribeState {
  const { objects, objectByName, noteModelVersion } = useMetadata();
  // The shell's metadata already holds this object's describe: the screen starts from it at once, and the fresh
  // one asked for below replaces it only when the model changed meanwhile (a field added at run time shows up).
  const shared = objectByName.get(object) ?? null;
  const [fetched, setFetched] = useState<{ object: string; value: ObjectDescribe | ApiError | Error } | null>(null);
  // Read through a ref: the store's callback changes after each reload, which must not refetch the describe.
  const noteVersion = useRef(noteModelVersion);
  noteVersion.current = noteModelVersion;
  useEffect(() => {
    let cancelled = false;
    api.describe(object).then(
      (loaded) => {
        if (cancelled) return;
        setFetched({ object, value: loaded });
        noteVersion.current(loaded.modelVersion);
      },
      (error: Error) => !cancelled && setFetched({ object, value: error }),
    );
    return () => {
      cancelled = true;
    };
  }, [object]);
  const fresh = fetched?.object === object ? fetched.value : null;
  const sameModel = shared !== null && fresh !== null && !(fresh instanceof Error) && fresh.modelVersion === shared.modelVersion;
  const describe = sameModel ? shared : (fresh ?? shared);
  return useMemo<DescribeState>(() => {
    if (describe === null) return { status: "loading" };
    if (describe instanceof Error) return { status: "failed", error: describe };
    return { status: "ready", describe, layout: layoutOf(describe, objects) };
  }, [describe, objects]);
}
