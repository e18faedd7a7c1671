// Applying a metadata pack: validated as a whole, merged over what exists, idempotent (same content = no-op).
import { createHash } from "node:crypto";
import type { Knex } from "knex";
import { stableStringify, validatePackManifest, type PackDocument } from "@crm/metadata";
import { changeModel, type ModelChangeResult } from "../registry/change";
import { AppError } from "../errors/errors";
import type { Actor } from "../auth/actor";

export interface PackApplyResult {
  pack: string;
  version: string;
  /** false when the same content was applied before, or it changed nothing. */
  changed: boolean;
  modelVersion: number;
  changedObjects: string[];
  changedOptionSets: string[];
  changedRoles: string[];
  changedLayouts: string[];
  plan: ModelChangeResult["plan"];
}

export const packContentHash = (pack: PackDocument) => createHash("sha256").update(stableStringify(pack)).digest("hex");

export async function applyPack(db: Knex, pack: PackDocument, options: { actor: Actor; dryRun?: boolean }): Promise<PackApplyResult> {
  const manifestIssues = validatePackManifest(pack?.manifest, "pack.json");
  if (manifestIssues.length) throw new AppError("INVALID_METADATA", { details: manifestIssues });
  if (!Array.isArray(pack.objects) || !Array.isArray(pack.optionSets ?? [])) {
    throw new AppError("INVALID_METADATA", {
      details: [{ path: "/objects", message: { "zh-CN": "objects 必须是数组", en: "objects must be an array" } }],
    });
  }
  const applied = new Set((await db("packs").withSchema("sys").select("name")).map((row) => row.name as string));
  const missing = (pack.manifest.requires ?? []).filter((name) => !applied.has(name));
  if (missing.length) {
    throw new AppError("INVALID_METADATA", {
      details: missing.map((name) => ({
        path: "/requires",
        document: "pack.json",
        message: { "zh-CN": `需要先应用元数据包 "${name}"`, en: `Apply the pack "${name}" first` },
      })),
    });
  }
  const hash = packContentHash(pack);
  const result = await changeModel(db, {
    objects: pack.objects,
    optionSets: pack.optionSets ?? [],
    roles: pack.roles ?? [],
    grantRules: pack.grantRules ?? [],
    workflows: pack.workflows ?? [],
    layouts: pack.layouts ?? [],
    mode: "merge",
    dryRun: options.dryRun,
    actor: options.actor,
    source: `pack:${pack.manifest.name}@${pack.manifest.version}`,
  });
  if (!options.dryRun) {
    await db("packs")
      .withSchema("sys")
      .insert({ name: pack.manifest.name, version: pack.manifest.version, content_hash: hash, model_version: result.version, applied_at: db.fn.now() })
      .onConflict("name")
      .merge();
  }
  return {
    pack: pack.manifest.name,
    version: pack.manifest.version,
    changed: result.applied,
    modelVersion: result.version,
    changedObjects: result.changedObjects,
    changedOptionSets: result.changedOptionSets,
    changedRoles: result.changedRoles,
    changedLayouts: result.changedLayouts,
    plan: result.plan,
  };
}

/** Export of the current model as a pack document (objects and option sets). */
export async function exportPack(db: Knex, manifest: PackDocument["manifest"]): Promise<PackDocument> {
  const rows = await db("metadata_documents").withSchema("sys").select("kind", "definition").orderBy(["kind", "name"]);
  return {
    manifest,
    objects: rows.filter((row) => row.kind === "object").map((row) => row.definition),
    optionSets: rows.filter((row) => row.kind === "option_set").map((row) => row.definition),
    roles: rows.filter((row) => row.kind === "role").map((row) => row.definition),
    grantRules: rows.filter((row) => row.kind === "grant_rule").map((row) => row.definition),
    workflows: rows.filter((row) => row.kind === "workflow").map((row) => row.definition),
    layouts: rows.filter((row) => row.kind === "layout").map((row) => row.definition),
  };
}
