// Fails when the JavaScript a browser must load before the first screen (the entry chunk and everything it
// imports statically) exceeds the gzip budget. Screens loaded with React.lazy are not counted: they are the point.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const BUDGET_KB = Number(process.env.UI_BUNDLE_BUDGET_KB ?? 350);
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
} catch {
  console.error("runtime-ui/dist/.vite/manifest.json is missing: run `npm run build -w runtime-ui` first.");
  process.exit(2);
}

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
const initial = new Set();
const visit = (key) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
for (const [key] of entries) visit(key);

let totalBytes = 0;
const rows = [...initial].map((key) => {
  const file = manifest[key].file;
  const gzipped = gzipSync(readFileSync(join(dist, file))).length;
  totalBytes += gzipped;
  return { file, kB: (gzipped / 1024).toFixed(1) };
});
console.table(rows);
const totalKb = totalBytes / 1024;
console.log(`initial JavaScript: ${totalKb.toFixed(1)} kB gzip (budget ${BUDGET_KB} kB)`);
if (totalKb > BUDGET_KB) {
  console.error(`over budget by ${(totalKb - BUDGET_KB).toFixed(1)} kB`);
  process.exit(1);
}
