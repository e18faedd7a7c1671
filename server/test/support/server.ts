// A test server over a fresh database (embedded or real PostgreSQL), driven with fastify's inject().
import type { LightMyRequestResponse } from "fastify";
import { buildApp, type BuiltApp } from "../../src/app";
import { prepareDatabase } from "../../src/packs/boot";
import { SYSTEM_ACTOR } from "../../src/auth/actor";
import { changeModel, type ModelChangeRequest } from "../../src/registry/change";
import { openTestDatabase, type TestDatabase } from "./database";

export interface TestResponse {
  status: number;
  body: any;
  headers: LightMyRequestResponse["headers"];
}

export interface TestClient {
  token: string | null;
  get(url: string): Promise<TestResponse>;
  post(url: string, body?: unknown): Promise<TestResponse>;
  put(url: string, body?: unknown): Promise<TestResponse>;
  patch(url: string, body?: unknown): Promise<TestResponse>;
  delete(url: string): Promise<TestResponse>;
  raw(options: { method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE"; url: string; payload?: string; headers?: Record<string, string> }): Promise<TestResponse>;
}

export interface TestServer {
  built: BuiltApp;
  database: TestDatabase;
  client(token?: string | null): TestClient;
  login(username: string, password?: string): Promise<TestClient>;
  /** A second server on the same database, as after a restart (`npm start` again: the database is prepared again). */
  restart(): Promise<void>;
  /** Merges roles, workflows … into the stored model as the system would (no HTTP), and lets the server see it at once. */
  mergeModel(change: Omit<ModelChangeRequest, "mode" | "actor" | "source">, source?: string): Promise<void>;
  close(): Promise<void>;
}

function toResponse(response: LightMyRequestResponse): TestResponse {
  const text = response.body;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.statusCode, body, headers: response.headers };
}

export async function startTestServer(): Promise<TestServer> {
  const database = await openTestDatabase();
  // Tests change users and grants directly in the database and expect the next request to see it.
  let built = await buildApp({ database, accessCacheMs: 0 });
  await prepareDatabase(database.db, { demo: true, registry: built.server.registry });

  const client = (token: string | null = null): TestClient => {
    const send = async (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, body?: unknown) =>
      toResponse(
        await built.app.inject({
          method,
          url,
          headers: token ? { authorization: `Bearer ${token}` } : {},
          ...(body === undefined ? {} : { payload: body as object }),
        }),
      );
    return {
      token,
      get: (url) => send("GET", url),
      post: (url, body) => send("POST", url, body ?? {}),
      put: (url, body) => send("PUT", url, body ?? {}),
      patch: (url, body) => send("PATCH", url, body ?? {}),
      delete: (url) => send("DELETE", url),
      raw: async ({ method, url, payload, headers }) =>
        toResponse(await built.app.inject({ method, url, payload, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } })),
    };
  };

  return {
    get built() {
      return built;
    },
    database,
    client,
    login: async (username, password = "demo123") => {
      const response = await client().post("/api/auth/login", { username, password });
      if (response.status !== 200) throw new Error(`login ${username} failed: ${response.status} ${JSON.stringify(response.body)}`);
      return client(response.body.token);
    },
    restart: async () => {
      await built.app.close();
      built = await buildApp({ database, accessCacheMs: 0 });
      await prepareDatabase(database.db, { demo: true, registry: built.server.registry });
    },
    mergeModel: async (change, source = "test") => {
      await changeModel(database.db, { objects: [], ...change, mode: "merge", actor: SYSTEM_ACTOR, source });
      built.server.registry.invalidate();
    },
    close: async () => {
      await built.close();
      await database.close();
    },
  };
}
