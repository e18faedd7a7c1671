// Loads the stored metadata and keeps the compiled model current, without a restart, on every server.
import type { Knex } from "knex";
import type { GrantRule, LayoutDefinition, ObjectDefinition, OptionSetDefinition, RoleDefinition, WorkflowDefinition } from "@crm/metadata";
import { compileModel, type Model } from "./model";

export interface StoredModel {
  version: number;
  objects: ObjectDefinition[];
  optionSets: OptionSetDefinition[];
  roles: RoleDefinition[];
  grantRules: GrantRule[];
  workflows: WorkflowDefinition[];
  layouts: LayoutDefinition[];
}

export async function currentModelVersion(db: Knex): Promise<number> {
  const row = await db("model_versions").withSchema("sys").max({ version: "version" }).first();
  return Number(row?.version ?? 0);
}

/** Reads every stored document; objects in name order so the compiled model is deterministic. */
export async function loadStoredModel(db: Knex): Promise<StoredModel> {
  const rows = await db("metadata_documents").withSchema("sys").select("kind", "definition").orderBy(["kind", "name"]);
  return {
    version: await currentModelVersion(db),
    objects: rows.filter((row) => row.kind === "object").map((row) => row.definition as ObjectDefinition),
    optionSets: rows.filter((row) => row.kind === "option_set").map((row) => row.definition as OptionSetDefinition),
    roles: rows.filter((row) => row.kind === "role").map((row) => row.definition as RoleDefinition),
    grantRules: rows.filter((row) => row.kind === "grant_rule").map((row) => row.definition as GrantRule),
    workflows: rows.filter((row) => row.kind === "workflow").map((row) => row.definition as WorkflowDefinition),
    layouts: rows.filter((row) => row.kind === "layout").map((row) => row.definition as LayoutDefinition),
  };
}

/** How long another server's metadata change may take to show up here. */
export const VERSION_CHECK_INTERVAL_MS = 1000;

export class Registry {
  private model: Model | null = null;
  private loading: Promise<Model> | null = null;
  private checkedAt = 0;

  constructor(private readonly db: Knex) {}

  /** The compiled model; changes made through this server are visible at once, others' within a second. */
  /** The model when it was checked within the interval, without waiting (undefined: call current()). */
  peek(): Model | undefined {
    return this.model && Date.now() - this.checkedAt < VERSION_CHECK_INTERVAL_MS ? this.model : undefined;
  }

  async current(): Promise<Model> {
    const fresh = this.peek();
    if (fresh) return fresh;
    this.loading ??= this.refresh().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  invalidate(): void {
    this.checkedAt = 0;
    this.model = null;
  }

  private async refresh(): Promise<Model> {
    const version = await currentModelVersion(this.db);
    if (!this.model || this.model.version !== version) {
      const stored = await loadStoredModel(this.db);
      this.model = compileModel(stored);
    }
    this.checkedAt = Date.now();
    return this.model;
  }
}
