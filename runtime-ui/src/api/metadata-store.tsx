// The metadata the whole app shares: the signed-in user, the objects they may view and the option sets.
// Reloaded when a screen sees a newer model version, so objects defined at run time appear without a rebuild.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, askAhead, askedThisSession, type AskedAhead } from "./client";
import type { CurrentUser, ObjectDescribe, OptionSetDefinition } from "./types";

export interface MetadataState {
  user: CurrentUser;
  objects: ObjectDescribe[];
  objectByName: Map<string, ObjectDescribe>;
  optionSets: Map<string, OptionSetDefinition>;
  version: number;
  /** Reload when a describe carries a model version newer than ours. */
  noteModelVersion(version: number): void;
}

const MetadataContext = createContext<MetadataState | null>(null);

/** The metadata as loaded: what the provider shares, before its lookups are built. */
export interface LoadedMetadata {
  user: CurrentUser;
  objects: ObjectDescribe[];
  optionSets: OptionSetDefinition[];
  version: number;
}

async function loadMetadata(): Promise<LoadedMetadata> {
  const [user, objects, optionSets] = await Promise.all([api.me(), api.objects(), api.optionSets()]);
  return { user, objects: objects.objects, optionSets: optionSets.optionSets, version: objects.version };
}

let preloaded: AskedAhead<LoadedMetadata> | null = null;

/**
 * Starts loading the metadata before the shell's code has arrived (the entry calls it for a signed-in visit), so
 * the requests and the chunk downloads overlap; the provider's first load takes this promise instead of asking again.
 */
export function preloadMetadata(): Promise<LoadedMetadata> {
  preloaded ??= askAhead(loadMetadata());
  return preloaded.promise;
}

const preloadedForThisSession = () => askedThisSession(preloaded);

/** The preloaded metadata when it has already arrived: the provider's first render shows the app, not its fallback. */
const arrivedMetadata = (): LoadedMetadata | null => preloadedForThisSession()?.arrived ?? null;

function takePreloaded(): Promise<LoadedMetadata> {
  const promise = preloadedForThisSession()?.promise ?? loadMetadata();
  preloaded = null;
  return promise;
}

export function MetadataProvider({ children, fallback, onError }: { children: ReactNode; fallback: ReactNode; onError(error: unknown): void }) {
  const [loaded, setLoaded] = useState<LoadedMetadata | null>(arrivedMetadata);
  const reload = useCallback(() => {
    loadMetadata().then(setLoaded, onError);
  }, [onError]);
  useEffect(() => {
    // When the first render already had it, setting the same metadata again changes nothing.
    takePreloaded().then(setLoaded, onError);
  }, [onError]);
  const value = useMemo<MetadataState | null>(() => {
    if (!loaded) return null;
    return {
      ...loaded,
      objectByName: new Map(loaded.objects.map((object) => [object.name, object])),
      optionSets: new Map(loaded.optionSets.map((set) => [set.name, set])),
      noteModelVersion: (version) => {
        if (version > loaded.version) reload();
      },
    };
  }, [loaded, reload]);
  if (!value) return <>{fallback}</>;
  return <MetadataContext.Provider value={value}>{children}</MetadataContext.Provider>;
}

export function useMetadata(): MetadataState {
  const value = useContext(MetadataContext);
  if (!value) throw new Error("useMetadata outside MetadataProvider");
  return value;
}
