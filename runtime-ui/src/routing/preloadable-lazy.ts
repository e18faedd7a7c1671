// React.lazy with a preload: a screen whose code has already arrived renders at once instead of suspending.
//
// A lazy component that suspends shows its Suspense fallback, and React 19 then holds the reveal of the real
// content until 300 ms after that fallback appeared (its fallback throttle). The shell and the opening screen are
// fetched early (alongside the metadata), so by the time they render their modules are usually here: handing
// React.lazy an already-settled thenable lets it read the module synchronously, with no fallback and no wait.
import { lazy, type ComponentType } from "react";

export interface PreloadableLazy<Props> {
  Component: ComponentType<Props>;
  /** Starts the download (once); resolves when the module is ready. */
  preload(): Promise<void>;
}

export function preloadableLazy<Props>(load: () => Promise<{ default: ComponentType<Props> }>): PreloadableLazy<Props> {
  let loaded: { default: ComponentType<Props> } | undefined;
  let pending: Promise<{ default: ComponentType<Props> }> | undefined;
  const start = () =>
    (pending ??= load().then((module) => {
      loaded = module;
      return module;
    }));
  const Component = lazy(() =>
    loaded
      ? // React reads a thenable's result as soon as its then() has called back: synchronously here.
        ({ then: (resolve: (module: { default: ComponentType<Props> }) => void) => resolve(loaded!) } as unknown as Promise<{ default: ComponentType<Props> }>)
      : start(),
  );
  return {
    Component: Component as unknown as ComponentType<Props>,
    preload: () =>
      start().then(
        () => undefined,
        () => undefined,
      ),
  };
}

/**
 * Runs the preloads when the browser is next idle (at the latest after a second), for code a screen may want soon
 * but not for its first paint; returns the cancel, for an effect's cleanup.
 */
export function preloadWhenIdle(...preloads: (() => Promise<void>)[]): () => void {
  const run = () => preloads.forEach((preload) => void preload());
  if (typeof requestIdleCallback === "function") {
    const id = requestIdleCallback(run, { timeout: 1000 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(run, 200);
  return () => clearTimeout(id);
}
