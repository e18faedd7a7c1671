import type { Writable } from "node:stream";

export function freePort(): Promise<number>;
export interface StartedServer {
  baseUrl: string;
  /** The temporary embedded-database folder, or null with DATABASE_URL. */
  dataDir: string | null;
  stop(): Promise<void>;
}
export function startServer(options: { root: string; env?: Record<string, string>; output?: Writable; timeoutMs?: number }): Promise<StartedServer>;
