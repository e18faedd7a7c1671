// Loads an object's describe fresh for a screen (so metadata changes show at once) and its effective layout.
import { useEffect, useMemo, useRef, useState } from "react";
import { api, ApiError } from "../api/client";
import { useMetadata } from "../api/metadata-store";
import type { ObjectDescribe } from "../api/types";
import { layoutOf } from "../layout/default-layout";
import type { ObjectLayout } from "../layout/layout-types";

export type DescribeState = { status: "loading" } | { status: "failed"; error: ApiError | Error } | { status: "ready"; describe: ObjectDescribe; layout: ObjectLayout };

export function useDescribe(object: string): DescribeState {
  const { objects, noteModelVersion } = useMetadata();
  const [describe, setDescribe] = useState<ObjectDescribe | ApiError | Error | null>(null);
  // Read through a ref: the store's callback changes after each reload, which must not refetch the describe.
  const noteVersion = useRef(noteModelVersion);
  noteVersion.current = noteModelVersion;
  useEffect(() => {
    let cancelled = false;
    api.describe(object).then(
      (loaded) => {
        if (cancelled) return;
        setDescribe(loaded);
        noteVersion.current(loaded.modelVersion);
      },
      (error: Error) => !cancelled && setDescribe(error),
    );
    return () => {
      cancelled = true;
    };
  }, [object]);
  return useMemo<DescribeState>(() => {
    if (describe === null) return { status: "loading" };
    if (describe instanceof Error) return { status: "failed", error: describe };
    return { status: "ready", describe, layout: layoutOf(describe, objects) };
  }, [describe, objects]);
}
