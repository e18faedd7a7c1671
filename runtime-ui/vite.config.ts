// Vite build of the runtime UI; the server serves dist/ at "/" and the dev server proxies /api to it.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, constants as zlibConstants, gzip } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

const source = (path: string) => fileURLToPath(new URL(`src/${path}`, import.meta.url));
const thirdParty = (id: string) => id.includes("/node_modules/");

/** The names a module imports (or re-exports) from each specifier; null for a namespace or side-effect import. */
function importedNames(code: string): Map<string, Set<string> | null> {
  const found = new Map<string, Set<string> | null>();
  const add = (specifier: string, names: string[] | null) => {
    const known = found.get(specifier);
    if (known === null) return;
    if (names === null) found.set(specifier, null);
    else found.set(specifier, new Set([...(known ?? []), ...names]));
  };
  for (const [, clause, specifier] of code.matchAll(/(?:import|export)\s*([\w$\s{},*]*?)\s*from\s*["']([^"']+)["']/g)) {
    const braces = /\{([^}]*)\}/.exec(clause);
    if (clause.includes("*") || !braces) add(specifier, null);
    else add(specifier, braces[1].split(",").map((part) => part.trim().split(/\s+as\s+/)[0]).filter(Boolean));
  }
  return found;
}

/** A package barrel's re-exports: name → specifier, and the specifiers re-exported whole (export * from). */
function reexports(code: string): { named: Map<string, string>; star: string[] } {
  const named = new Map<string, string>();
  for (const [, names, specifier] of code.matchAll(/export\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']/g)) {
    for (const part of names.split(",")) {
      const exported = part.trim().split(/\s+as\s+/).pop();
      if (exported) named.set(exported, specifier);
    }
  }
  const star = [...code.matchAll(/export\s*\*\s*from\s*["']([^"']+)["']/g)].map((match) => match[1]);
  return { named, star };
}

/**
 * The chunks of a signed-in list visit, the most common first visit (issue 6: a list usable within 1 s). Left to
 * itself the bundler cuts what the app, the shell and the list screen share into some sixty small chunks (one per
 * combination of screens using it): each costs the browser a request (six at a time per host over HTTP/1.1) and its
 * own bookkeeping before the first render. Here the code comes in layers, one chunk each: the entry's modules
 * ("boot"), the app's (src/App.tsx and what it imports: React, antd's core), the shell's ("shell") and the list
 * screen's ("list"), each without what an earlier layer has. Screens loaded later (record, reports, calendar, the
 * filter drawer …) keep their own chunks, with only what they add; so does the sign-in screen (antd's Form and its
 * validator), which the entry then fetches alongside the app's chunk.
 * Package barrels ("antd", "@ant-design/icons") are followed only for the names imported from them: the rest of
 * antd is not the list's.
 */
function signedInVisitChunks(): { plugin: Plugin; groups: { name: string; test(id: string): boolean; priority: number }[] } {
  const layers = [
    { name: "boot", roots: ["main.tsx"], modules: new Set<string>() },
    { name: "app", roots: ["App.tsx"], modules: new Set<string>() },
    { name: "shell", roots: ["shell/AppShell.tsx"], modules: new Set<string>() },
    { name: "list", roots: ["screens/ListScreen.tsx"], modules: new Set<string>() },
  ];
  const plugin: Plugin = {
    name: "crm:signed-in-visit-chunks",
    apply: "build",
    buildStart() {
      for (const layer of layers) layer.modules.clear();
    },
    async buildEnd() {
      const resolved = new Map<string, string | null>();
      const resolve = async (specifier: string, importer: string) => {
        const key = `${importer}\0${specifier}`;
        if (!resolved.has(key)) resolved.set(key, (await this.resolve(specifier, importer))?.id ?? null);
        return resolved.get(key)!;
      };
      const isBarrel = (id: string) => reexports(this.getModuleInfo(id)?.code ?? "").named.size > 0;
      /** Adds to `into` the modules the roots import, statically and transitively, except those of earlier layers. */
      const walk = async (roots: string[], into: Set<string>, earlier: (id: string) => boolean) => {
        const pending: { id: string; names: Set<string> | null }[] = roots.map((id) => ({ id, names: null }));
        const followed = new Map<string, Set<string>>();
        while (pending.length > 0) {
          const { id, names } = pending.pop()!;
          if (into.has(id) || earlier(id)) continue;
          const info = this.getModuleInfo(id);
          if (!info) continue;
          if (names !== null) {
            // A barrel asked for some names: follow those re-exports only.
            const done = followed.get(id) ?? new Set<string>();
            followed.set(id, done);
            const fresh = [...names].filter((name) => !done.has(name));
            fresh.forEach((name) => done.add(name));
            const { named, star } = reexports(info.code ?? "");
            for (const name of fresh) {
              const specifier = named.get(name);
              for (const target of specifier ? [specifier] : star) {
                const targetId = await resolve(target, id);
                if (targetId) pending.push({ id: targetId, names: specifier ? null : new Set([name]) });
              }
            }
            continue;
          }
          into.add(id);
          // Our own modules import packages by name; what they name is what they use of a barrel.
          const imports = thirdParty(id) ? new Map<string, Set<string> | null>() : importedNames(info.code ?? "");
          const named = new Map<string, Set<string>>();
          for (const [specifier, specifierNames] of imports) {
            if (!specifierNames || specifier.startsWith(".")) continue;
            const target = await resolve(specifier, id);
            if (target && thirdParty(target) && isBarrel(target)) named.set(target, specifierNames);
          }
          for (const imported of info.importedIds) pending.push({ id: imported, names: named.get(imported) ?? null });
        }
      };
      for (const [index, layer] of layers.entries()) {
        await walk(
          layer.roots.map(source),
          layer.modules,
          (id) => layers.slice(0, index).some((earlier) => earlier.modules.has(id)),
        );
      }
      // Not the entry module itself: it awaits the app's chunk, which imports the boot layer (a cycle through the
      // entry would deadlock).
      layers[0].modules.delete(source("main.tsx"));
    },
  };
  return {
    plugin,
    groups: layers.map((layer, index) => ({ name: layer.name, test: (id: string) => layer.modules.has(id), priority: layers.length - index })),
  };
}

const visitChunks = signedInVisitChunks();

/**
 * Writes a brotli (.br) and a gzip (.gz) copy next to every script and stylesheet of dist/assets, which the server
 * sends instead of the file to browsers that accept them (@fastify/static's preCompressed, server/src/api/ui-routes.ts).
 * A first visit downloads a fifth of the bytes: on a busy 2-core server a megabyte of CSS took 250 ms to stream
 * out while the API answered the same visit's requests, and the browser cannot parse a script before it has it all.
 */
function precompressedAssets(): Plugin {
  const compressBrotli = promisify(brotliCompress);
  const compressGzip = promisify(gzip);
  let outDir = "dist";
  return {
    name: "crm:precompressed-assets",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const assets = fileURLToPath(new URL(`${outDir}/assets/`, import.meta.url));
      const files = (await readdir(assets)).filter((name) => /\.(js|css)$/.test(name));
      await Promise.all(
        files.map(async (name) => {
          const content = await readFile(join(assets, name));
          if (content.length < 1024) return;
          const [brotli, gzipped] = await Promise.all([
            compressBrotli(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
            compressGzip(content, { level: 9 }),
          ]);
          await Promise.all([writeFile(join(assets, `${name}.br`), brotli), writeFile(join(assets, `${name}.gz`), gzipped)]);
        }),
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), visitChunks.plugin, precompressedAssets()],
  server: { proxy: { "/api": `http://localhost:${process.env.API_PORT ?? 3000}` } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // scripts/check-bundle.mjs reads the entry's static import graph from the manifest.
    manifest: true,
    // The bundle budget is enforced by scripts/check-bundle.mjs on the real entry graph, not by this warning.
    chunkSizeWarningLimit: 2000,
    rolldownOptions: { output: { codeSplitting: { groups: visitChunks.groups } } },
  },
});
