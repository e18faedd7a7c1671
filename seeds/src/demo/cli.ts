// npm run demo:generate -- --customers N [--seed S]: demo data for the demo org on DATABASE_URL or the embedded
// database in DATA_DIR (default ./data); the standard and distribution packs and the demo org are applied first.
import { parseArgs } from "node:util";
import { openDatabase } from "../../../server/src/db/connect";
import { prepareDatabase } from "../../../server/src/packs/boot";
import { AppError } from "../../../server/src/errors/errors";
import { formatSummary, generateDemoData } from "./generate";

const USAGE = "usage: npm run demo:generate -- --customers N [--seed S]";

function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.replaceAll("_", ""))) {
    console.error(`--${name} must be a whole number (${value})\n${USAGE}`);
    process.exit(2);
  }
  return Number(value.replaceAll("_", ""));
}

const { values } = parseArgs({ options: { customers: { type: "string" }, seed: { type: "string" }, help: { type: "boolean" } } });
if (values.help || values.customers === undefined) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}
const customers = integerOption(values.customers, "customers")!;
const seed = integerOption(values.seed, "seed");

const databaseUrl = process.env.DATABASE_URL || undefined;
const database = await openDatabase({ databaseUrl, dataDir: process.env.DATA_DIR ?? "./data" });
const log = (line: string) => process.stderr.write(`${line}\n`);
try {
  log(`database: ${database.mode === "postgres" ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${process.env.DATA_DIR ?? "./data"}`}`);
  await prepareDatabase(database.db, { demo: true, log });
  const summary = await generateDemoData(database.db, { customers, seed, progress: process.stderr, log });
  console.log(formatSummary(summary));
} catch (error) {
  if (!(error instanceof AppError)) throw error;
  console.error(`${error.code}: ${error.localized["zh-CN"]} / ${error.localized.en}`);
  for (const detail of error.details) console.error(`  ${detail.path}: ${detail.message["zh-CN"]} / ${detail.message.en}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
