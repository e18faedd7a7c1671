// Serves the built runtime UI (runtime-ui/dist) at "/": hashed assets with long caching, and index.html for every
// other non-API path so that the browser's own routes (/o/customer/r/…) survive a reload.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";

export const DEFAULT_UI_DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../../../runtime-ui/dist");

/** Files at the top of dist/ other than index.html (favicon, robots.txt) are served as they are. */
function topLevelFile(dist: string, path: string): string | null {
  const name = path.slice(1);
  if (!/^[\w.-]+$/.test(name) || name.startsWith(".")) return null;
  const file = join(dist, name);
  return existsSync(file) && statSync(file).isFile() ? name : null;
}

/** Registers the UI routes when the UI has been built; API-only runs (tests) need no build. Returns whether it did. */
export async function registerUiRoutes(app: FastifyInstance, dist = DEFAULT_UI_DIST): Promise<boolean> {
  if (!existsSync(join(dist, "index.html"))) return false;
  // preCompressed: the build writes .br and .gz copies of the scripts and stylesheets (runtime-ui/vite.config.ts).
  await app.register(fastifyStatic, { root: join(dist, "assets"), prefix: "/assets/", immutable: true, maxAge: "365d", index: false, preCompressed: true });
  app.get("/*", async (request, reply) => {
    const path = request.url.split("?")[0];
    // Unknown API paths and missing assets answer the JSON 404, never the page.
    if (path.startsWith("/api/") || path === "/api" || path.startsWith("/assets/")) return reply.callNotFound();
    const file = topLevelFile(dist, path);
    if (file && file !== "index.html") return reply.sendFile(file, dist, { immutable: false, maxAge: 0 });
    // Never the assets' year-long, immutable caching: after an upgrade the page must name the new assets.
    return reply.header("cache-control", "no-cache").sendFile("index.html", dist, { cacheControl: false });
  });
  return true;
}
