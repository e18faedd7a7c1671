// Industry packs shipped with the platform: where their folders are.
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The 商贸流通 (distribution) pack: roles, permission rules, demo organisation. */
export const distributionPackDir = path.join(root, "distribution");
export const distributionOrgFile = path.join(distributionPackDir, "org.json");
