// What a server needs before it serves: the standard pack applied and an administrator account.
import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { loadPackFolder, standardPackDir } from "@crm/metadata/load";
import { applyPack, packContentHash } from "./apply";
import { ensureUser } from "../auth/users";
import { SYSTEM_ACTOR } from "../auth/actor";
import { distributionOrgFile, distributionPackDir } from "@crm/seeds";
import { readFile } from "node:fs/promises";
import { compileModel } from "../registry/model";
import { loadStoredModel } from "../registry/store";
import { applyOrg, type OrgDocument } from "./org";
import { applyGrantRules } from "../access/auto-grants";
import { reconcileIndexes } from "../schema/index-reconcile-run";

export const DEMO_PASSWORD = "demo123";

/** Applies a pack folder unless exactly this content was applied before (restarts stay cheap). */
export async function ensurePackApplied(db: Knex, folder: string): Promise<boolean> {
  const pack = await loadPackFolder(folder);
  const applied = await db("packs").withSchema("sys").where({ name: pack.manifest.name }).first("content_hash");
  if (applied?.content_hash === packContentHash(pack)) return false;
  await applyPack(db, pack, { actor: SYSTEM_ACTOR });
  return true;
}

export interface PrepareOptions {
  demo: boolean;
  /** Production: the administrator's initial password (otherwise a random one is printed once). */
  adminPassword?: string;
  /**
   * Demo mode on a database without customers: generate this many customers with their whole story (the demo data
   * generator of the distribution pack). Only the server's start passes it; tests and tools start without data.
   */
  demoCustomers?: number;
  log?: (line: string) => void;
  /**
   * The running server's registry: it may have read the model before the packs were applied (the job schedules
   * do, while the app is built), and would otherwise serve that model until its next version check.
   */
  registry?: { invalidate(): void };
}

export async function prepareDatabase(db: Knex, options: PrepareOptions): Promise<void> {
  // Indexes as this version of the platform derives them, before a pack's schema change expects them to be there.
  await reconcileIndexes(db, (await loadStoredModel(db)).objects, { log: options.log });
  await ensurePackApplied(db, standardPackDir);
  await ensureAdmin(db, options);
  if (options.demo) {
    await ensurePackApplied(db, distributionPackDir);
    const org = JSON.parse(await readFile(distributionOrgFile, "utf8")) as OrgDocument;
    const model = compileModel(await loadStoredModel(db));
    const created = await applyOrg(db, model, org, { password: DEMO_PASSWORD });
    // New people may hold roles that rules grant to.
    if (created.people > 0) await db.transaction((trx) => applyGrantRules(trx, model));
    if (options.demoCustomers && !(await db("customer").first("id"))) await generateStartData(db, options.demoCustomers, options.log);
  }
  options.registry?.invalidate();
}

/** Loaded only when used: the generator and its vocabularies are not part of a server that has data. */
async function generateStartData(db: Knex, customers: number, log?: (line: string) => void): Promise<void> {
  const { generateDemoData, formatSummary } = await import("@crm/seeds/demo");
  const summary = await generateDemoData(db, { customers, log });
  log?.(formatSummary(summary));
}

async function ensureAdmin(db: Knex, options: PrepareOptions): Promise<void> {
  const existingAdmin = await db("users").withSchema("sys").where({ username: "admin" }).first("id");
  if (existingAdmin) return;
  const password = options.demo ? DEMO_PASSWORD : (options.adminPassword ?? randomBytes(9).toString("base64url"));
  await ensureUser(db, { username: "admin", displayName: "系统管理员", password, isAdmin: true });
  if (!options.demo && !options.adminPassword) options.log?.(`Created user "admin" with the initial password: ${password}`);
}
