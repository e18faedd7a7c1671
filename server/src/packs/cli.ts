// npm run pack:apply -- <folder> [--dry-run]: applies a pack folder to DATABASE_URL or the embedded DATA_DIR.
import path from "node:path";
import { loadPackFolder } from "@crm/metadata/load";
import { openDatabase } from "../db/connect";
import { applyPack } from "./apply";
import { SYSTEM_ACTOR } from "../auth/actor";
import { AppError } from "../errors/errors";

const args = process.argv.slice(2);
const folder = args.find((arg) => !arg.startsWith("--"));
if (!folder) {
  console.error("usage: npm run pack:apply -- <pack folder> [--dry-run]");
  process.exit(2);
}
const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? "./data" });
try {
  const pack = await loadPackFolder(path.resolve(folder));
  const result = await applyPack(database.db, pack, { actor: SYSTEM_ACTOR, dryRun: args.includes("--dry-run") });
  console.log(
    result.changed
      ? `Applied ${result.pack}@${result.version}: model version ${result.modelVersion}, objects changed: ${result.changedObjects.join(", ") || "none"}, ${result.plan.steps.length} schema steps`
      : `${result.pack}@${result.version}: nothing to change${args.includes("--dry-run") ? " (dry run)" : ""}`,
  );
  if (args.includes("--dry-run")) for (const step of result.plan.steps) console.log(`  ${step.sql}`);
} catch (error) {
  if (error instanceof AppError) {
    console.error(`${error.code}: ${error.localized["zh-CN"]} / ${error.localized.en}`);
    for (const detail of error.details) console.error(`  ${detail.document ?? ""}${detail.path}: ${detail.message["zh-CN"]} / ${detail.message.en}`);
    process.exitCode = 1;
  } else throw error;
} finally {
  await database.close();
}
