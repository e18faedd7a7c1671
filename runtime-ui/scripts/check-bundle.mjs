// Fails when the JavaScript a browser must load before the first screen exceeds its gzip budget: the entry chunk,
// the app it always imports (src/App.tsx: antd's core, React, the login-or-shell switch; imported dynamically so
// the entry can start a signed-in visit's requests first), the sign-in screen a signed-out visit fetches alongside
// (src/screens/LoginScreen.tsx), and everything these import statically. Screens loaded with React.lazy are not
// counted there: they are the point.
// Also fails when a signed-in visit of a list (issue 6: the most common first page) needs more than its own budget:
// the above plus the shell's and the list screen's chunks. The list's filter drawer, view dialog and the record
// screen's widgets must stay out of it.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const BUDGET_KB = Number(process.env.UI_BUNDLE_BUDGET_KB ?? 350);
const LIST_VISIT_BUDGET_KB = Number(process.env.UI_LIST_VISIT_BUDGET_KB ?? 330);
const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");

let manifest;
try {
  manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
} catch {
  console.error("runtime-ui/dist/.vite/manifest.json is missing: run `npm run build -w runtime-ui` first.");
  process.exit(2);
}

/** The manifest keys of these chunks and of everything they import statically. */
function closure(keys) {
  const found = new Set();
  const visit = (key) => {
    if (found.has(key)) return;
    found.add(key);
    for (const imported of manifest[key].imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return found;
}

function gzipKb(keys) {
  let bytes = 0;
  const rows = [...keys].map((key) => {
    const file = manifest[key].file;
    const gzipped = gzipSync(readFileSync(join(dist, file))).length;
    bytes += gzipped;
    return { file, kB: (gzipped / 1024).toFixed(1) };
  });
  return { rows, kB: bytes / 1024 };
}

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
const initial = closure([...entries, ...entries.flatMap((key) => manifest[key].dynamicImports ?? []), "src/screens/LoginScreen.tsx"]);
const listVisit = closure([...entries, ...entries.flatMap((key) => manifest[key].dynamicImports ?? []), "src/shell/AppShell.tsx", "src/screens/ListScreen.tsx"]);
const stray = [...listVisit].filter((key) => /FilterDrawer|SaveViewDialog|RecordScreen/.test(key));

const first = gzipKb(initial);
console.table(first.rows);
console.log(`initial JavaScript: ${first.kB.toFixed(1)} kB gzip (budget ${BUDGET_KB} kB)`);
const list = gzipKb(listVisit);
console.log(`a signed-in list visit: ${list.rows.length} chunks, ${list.kB.toFixed(1)} kB gzip (budget ${LIST_VISIT_BUDGET_KB} kB)`);

let failed = false;
if (first.kB > BUDGET_KB) {
  console.error(`initial JavaScript over budget by ${(first.kB - BUDGET_KB).toFixed(1)} kB`);
  failed = true;
}
if (list.kB > LIST_VISIT_BUDGET_KB) {
  console.error(`a list visit's JavaScript over budget by ${(list.kB - LIST_VISIT_BUDGET_KB).toFixed(1)} kB`);
  failed = true;
}
if (stray.length) {
  console.error(`a list visit loads code it only needs later: ${stray.join(", ")}`);
  failed = true;
}
process.exit(failed ? 1 : 0);
