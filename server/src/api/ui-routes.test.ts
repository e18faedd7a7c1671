// The runtime UI's routes: hashed assets (compressed copies for browsers that take them), index.html for the
// browser's own routes, and the JSON 404 for unknown API paths and missing assets.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerUiRoutes } from "./ui-routes";

const SCRIPT = `export const greeting = "你好";\n${"// padding\n".repeat(200)}`;
let dist: string;
let app: FastifyInstance;

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), "crm-ui-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), "<!doctype html><div id=root></div>");
  writeFileSync(join(dist, "favicon.ico"), "icon");
  writeFileSync(join(dist, "assets", "app-abc123.js"), SCRIPT);
  writeFileSync(join(dist, "assets", "app-abc123.js.br"), brotliCompressSync(SCRIPT));
  writeFileSync(join(dist, "assets", "app-abc123.js.gz"), gzipSync(SCRIPT));
  app = Fastify();
  expect(await registerUiRoutes(app, dist)).toBe(true);
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  rmSync(dist, { recursive: true, force: true });
});

describe("runtime UI routes", () => {
  it("sends the brotli copy of an asset to a browser that accepts it, cached for good", async () => {
    const reply = await app.inject({ url: "/assets/app-abc123.js", headers: { "accept-encoding": "gzip, deflate, br, zstd" } });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-encoding"]).toBe("br");
    expect(reply.headers["vary"]).toMatch(/accept-encoding/i);
    expect(reply.headers["cache-control"]).toContain("immutable");
    expect(brotliDecompressSync(reply.rawPayload).toString("utf8")).toBe(SCRIPT);
  });

  it("falls back to gzip, then to the file itself", async () => {
    const gzipped = await app.inject({ url: "/assets/app-abc123.js", headers: { "accept-encoding": "gzip" } });
    expect(gzipped.headers["content-encoding"]).toBe("gzip");
    expect(gunzipSync(gzipped.rawPayload).toString("utf8")).toBe(SCRIPT);
    const plain = await app.inject({ url: "/assets/app-abc123.js", headers: { "accept-encoding": "identity" } });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it("answers the page, never cached, for the browser's own routes, and top-level files as they are", async () => {
    const page = await app.inject({ url: "/o/customer/r/123" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(page.body).toContain('<div id=root>');
    const favicon = await app.inject({ url: "/favicon.ico" });
    expect(favicon.body).toBe("icon");
    // Its name has no hash: a new one must be fetched again, unlike the assets'.
    expect(favicon.headers["cache-control"]).not.toContain("immutable");
  });

  it("answers the JSON 404 for unknown API paths and missing assets, never the page", async () => {
    for (const url of ["/api/nothing-here", "/assets/missing-0000.js"]) {
      const reply = await app.inject({ url });
      expect(reply.statusCode).toBe(404);
      expect(reply.headers["content-type"]).toContain("application/json");
    }
  });
});
