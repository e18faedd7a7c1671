// Reads a pack folder (pack.json, objects/*.json, option-sets/*.json, roles/*.json) from disk; Node only, hence not in index.ts.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { GrantRule, ObjectDefinition, OptionSetDefinition, PackDocument, PackManifest, RoleDefinition } from "./types";
import type { WorkflowDefinition } from "./workflow";
import type { LayoutDefinition } from "./layout";

/** The standard pack: the metadata/ folder itself. */
export const standardPackDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const PACK_MANIFEST_FILE = "pack.json";
export const OBJECTS_FOLDER = "objects";
export const OPTION_SETS_FOLDER = "option-sets";
export const ROLES_FOLDER = "roles";
export const GRANT_RULES_FOLDER = "grant-rules";
export const WORKFLOWS_FOLDER = "workflows";
export const LAYOUTS_FOLDER = "layouts";

/** Parses one JSON file; a syntax error names the file, since a pack has dozens of them. */
async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Malformed JSON in ${file}: ${reason}`, { cause: error });
  }
}

/** Every *.json in `folder`, sorted by file name so load order (and issue order) is stable; none if absent. */
async function readJsonFolder(folder: string): Promise<unknown[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files = names.filter((n) => n.endsWith(".json")).sort();
  return Promise.all(files.map((n) => readJson(path.join(folder, n))));
}

/**
 * Loads a pack as it is on disk. Documents are not validated here (see validateModel /
 * validatePackManifest): the types are what a valid pack contains.
 */
export async function loadPackFolder(dir: string): Promise<PackDocument> {
  const [manifest, objects, optionSets, roles, grantRules] = await Promise.all([
    readJson(path.join(dir, PACK_MANIFEST_FILE)),
    readJsonFolder(path.join(dir, OBJECTS_FOLDER)),
    readJsonFolder(path.join(dir, OPTION_SETS_FOLDER)),
    readJsonFolder(path.join(dir, ROLES_FOLDER)),
    readJsonFolder(path.join(dir, GRANT_RULES_FOLDER)),
  ]);
  const workflows = await readJsonFolder(path.join(dir, WORKFLOWS_FOLDER));
  const layouts = await readJsonFolder(path.join(dir, LAYOUTS_FOLDER));
  return {
    manifest: manifest as PackManifest,
    objects: objects as ObjectDefinition[],
    optionSets: optionSets as OptionSetDefinition[],
    roles: roles as RoleDefinition[],
    grantRules: grantRules as GrantRule[],
    ...(workflows.length ? { workflows: workflows as WorkflowDefinition[] } : {}),
    ...(layouts.length ? { layouts: layouts as LayoutDefinition[] } : {}),
  };
}
