// Changing the model: validate the whole target model, plan the DDL, then apply plan and metadata in one transaction.
import type { Knex } from "knex";
import {
  canonicalObject,
  stableStringify,
  validateModel,
  validateObjectDefinition,
  validateOptionSet,
  canonicalRole,
  stableStringify as canonicalJson,
  validateGrantRule,
  validateRole,
  validateWorkflow,
  validateLayout,
  type LayoutDefinition,
  type WorkflowDefinition,
  type GrantRule,
  type ObjectDefinition,
  type OptionSetDefinition,
  type RoleDefinition,
} from "@crm/metadata";
import { assignStableIds } from "../schema/identity";
import { planSchemaChange, type SchemaPlan } from "../schema/plan";
import { applySchemaPlan } from "../schema/apply";
import { AppError } from "../errors/errors";
import type { Actor } from "../auth/actor";
import { loadStoredModel } from "./store";
import { compileModel } from "./model";
import { applyGrantRules } from "../access/auto-grants";
import { rebuildCustomerScope } from "../access/customer-scope";
import { planLayoutChange } from "./layouts";

export interface ModelChangeRequest {
  objects?: ObjectDefinition[];
  optionSets?: OptionSetDefinition[];
  /** Roles are replaced whole, by name (they carry no data, so no DDL). */
  roles?: RoleDefinition[];
  /** Automatic grant rules, replaced whole by name; applying them re-grants in the same transaction. */
  grantRules?: GrantRule[];
  /** Workflows, replaced whole by name (interpreted at run time: no DDL). */
  workflows?: WorkflowDefinition[];
  /** Layouts, replaced whole by object (no DDL); stored ones follow their object's renames and dropped fields. */
  layouts?: LayoutDefinition[];
  /**
   * replace: each given object becomes exactly what is sent (fields left out are dropped, with confirmation).
   * merge: fields are added or changed, fields not mentioned are kept (packs layer over custom fields this way).
   */
  mode: "replace" | "merge";
  dryRun?: boolean;
  confirmDestructive?: boolean;
  actor: Actor;
  source: string;
}

export interface ModelChangeResult {
  applied: boolean;
  version: number;
  plan: SchemaPlan;
  changedObjects: string[];
  changedOptionSets: string[];
  changedRoles: string[];
  changedGrantRules: string[];
  changedWorkflows: string[];
  changedLayouts: string[];
  objects: ObjectDefinition[];
}

/** Fields the incoming object does not mention are kept, after the ones it does. */
function mergeObject(current: ObjectDefinition | undefined, incoming: ObjectDefinition): ObjectDefinition {
  if (!current) return incoming;
  const mentioned = new Set(incoming.fields.flatMap((field) => [field.name, ...(field.id ? [field.id] : [])]));
  const kept = current.fields.filter((field) => !mentioned.has(field.name) && !(field.id && mentioned.has(field.id)));
  return { ...incoming, fields: [...incoming.fields, ...kept] };
}

const sameDocument = (left: unknown, right: unknown) => stableStringify(left) === stableStringify(right);

/** Shape problems first: the id assignment and merge below need well-formed documents. */
function assertWellFormed(request: ModelChangeRequest): void {
  const issues = [
    ...(request.objects ?? []).flatMap((object) => validateObjectDefinition(object, `objects/${String(object?.name)}`)),
    ...(request.optionSets ?? []).flatMap((set) => validateOptionSet(set, `option-sets/${String(set?.name)}`)),
    ...(request.roles ?? []).flatMap((role) => validateRole(role, `roles/${String(role?.name)}`)),
    ...(request.grantRules ?? []).flatMap((rule) => validateGrantRule(rule, `grant-rules/${String(rule?.name)}`)),
    ...(request.workflows ?? []).flatMap((workflow) => validateWorkflow(workflow, `workflows/${String(workflow?.name)}`)),
    ...(request.layouts ?? []).flatMap((layout) => validateLayout(layout, `layouts/${String(layout?.object)}`)),
  ];
  if (issues.length) throw new AppError("INVALID_METADATA", { details: issues });
}

export async function changeModel(db: Knex, request: ModelChangeRequest): Promise<ModelChangeResult> {
  assertWellFormed(request);
  return db.transaction(async (trx) => {
    // One model change at a time, across servers: plans are computed against the model they apply to.
    await trx.raw("SELECT pg_advisory_xact_lock(727002)");
    const stored = await loadStoredModel(trx);
    const currentByName = new Map(stored.objects.map((object) => [object.name, object]));
    const currentById = new Map(stored.objects.map((object) => [object.id, object]));
    const incoming = (request.objects ?? []).map((object) => {
      const current = (object.id && currentById.get(object.id)) || currentByName.get(object.name);
      return request.mode === "merge" ? mergeObject(current, object) : object;
    });
    const withIds = assignStableIds(stored.objects, incoming).map((object) => canonicalObject(object));
    const replacedIds = new Set(withIds.map((object) => object.id));
    const targetObjects = [...stored.objects.filter((object) => !replacedIds.has(object.id)), ...withIds];
    const optionSetsByName = new Map(stored.optionSets.map((set) => [set.name, set]));
    for (const set of request.optionSets ?? []) optionSetsByName.set(set.name, set);
    const targetOptionSets = [...optionSetsByName.values()];
    const rolesByName = new Map(stored.roles.map((role) => [role.name, role]));
    const incomingRoles = (request.roles ?? []).map((role) => canonicalRole(role));
    for (const role of incomingRoles) rolesByName.set(role.name, role);
    const rulesByName = new Map(stored.grantRules.map((rule) => [rule.name, rule]));
    for (const rule of request.grantRules ?? []) rulesByName.set(rule.name, rule);
    const workflowsByName = new Map(stored.workflows.map((workflow) => [workflow.name, workflow]));
    for (const workflow of request.workflows ?? []) workflowsByName.set(workflow.name, workflow);
    const layouts = planLayoutChange({
      stored: stored.layouts,
      incoming: request.layouts ?? [],
      storedObjects: stored.objects,
      targetObjects,
      changedObjects: withIds,
    });

    // The whole set of documents after the change: validated together, then compiled into the new model.
    const targetDocuments = {
      objects: targetObjects,
      optionSets: targetOptionSets,
      roles: [...rolesByName.values()],
      grantRules: [...rulesByName.values()],
      workflows: [...workflowsByName.values()],
      layouts: layouts.target,
    };
    const issues = validateModel(targetDocuments);
    if (issues.length) throw new AppError("INVALID_METADATA", { details: issues });

    const plan = planSchemaChange({ from: stored.objects, to: targetObjects });
    const changedObjects = withIds.filter((object) => !sameDocument(object, currentById.get(object.id)));
    const changedOptionSets = (request.optionSets ?? []).filter((set) => !sameDocument(set, stored.optionSets.find((old) => old.name === set.name)));
    const changedRoles = incomingRoles.filter((role) => !sameDocument(role, stored.roles.find((old) => old.name === role.name)));
    const changedGrantRules = (request.grantRules ?? []).filter((rule) => !sameDocument(rule, stored.grantRules.find((old) => old.name === rule.name)));
    const changedWorkflows = (request.workflows ?? []).filter((workflow) => !sameDocument(workflow, stored.workflows.find((old) => old.name === workflow.name)));
    const result: ModelChangeResult = {
      applied: false,
      version: stored.version,
      plan,
      changedObjects: changedObjects.map((object) => object.name),
      changedOptionSets: changedOptionSets.map((set) => set.name),
      changedRoles: changedRoles.map((role) => role.name),
      changedGrantRules: changedGrantRules.map((rule) => rule.name),
      changedWorkflows: changedWorkflows.map((workflow) => workflow.name),
      changedLayouts: layouts.changed.map((layout) => layout.object),
      objects: withIds,
    };
    const nothingChanged =
      changedObjects.length + changedOptionSets.length + changedRoles.length + changedGrantRules.length + changedWorkflows.length + layouts.changed.length === 0 &&
      plan.steps.length === 0;
    if (request.dryRun || nothingChanged) return result;

    await applySchemaPlan(trx, plan, { confirmDestructive: request.confirmDestructive === true });
    const [{ version }] = await trx("model_versions")
      .withSchema("sys")
      .insert({
        applied_by: request.actor.userId,
        source: request.source,
        summary: canonicalJson({
          objects: result.changedObjects,
          optionSets: result.changedOptionSets,
          roles: result.changedRoles,
          grantRules: result.changedGrantRules,
          ...(result.changedWorkflows.length ? { workflows: result.changedWorkflows } : {}),
          ...(result.changedLayouts.length ? { layouts: result.changedLayouts } : {}),
        }),
        plan: JSON.stringify(plan),
      })
      .returning("version");
    const documents = [
      ...changedObjects.map((object) => ({ kind: "object", name: object.name, document_id: object.id!, definition: object })),
      ...changedOptionSets.map((set) => ({ kind: "option_set", name: set.name, document_id: set.name, definition: set })),
      ...changedRoles.map((role) => ({ kind: "role", name: role.name, document_id: role.name, definition: role })),
      ...changedGrantRules.map((rule) => ({ kind: "grant_rule", name: rule.name, document_id: rule.name, definition: rule })),
      ...changedWorkflows.map((workflow) => ({ kind: "workflow", name: workflow.name, document_id: workflow.name, definition: workflow })),
      ...layouts.changed.map((layout) => ({ kind: "layout", name: layout.object, document_id: layout.object, definition: layout })),
    ];
    for (const name of layouts.removed) await trx("metadata_documents").withSchema("sys").where({ kind: "layout", name }).delete();
    for (const document of documents) {
      const renamedFrom = document.kind === "object" ? currentById.get(document.document_id)?.name : undefined;
      if (renamedFrom && renamedFrom !== document.name) await trx("metadata_documents").withSchema("sys").where({ kind: "object", name: renamedFrom }).delete();
      const row = { ...document, definition: JSON.stringify(document.definition), model_version: version };
      await trx("metadata_documents").withSchema("sys").insert(row).onConflict(["kind", "name"]).merge();
      await trx("metadata_history").withSchema("sys").insert({
        model_version: version,
        kind: document.kind,
        name: document.name,
        document_id: document.document_id,
        definition: row.definition,
      });
    }
    // Records that gained copies of their customer's scope keys start empty: fill them from their customers.
    const gainedCopies = plan.steps.filter((step) => step.type === "add_column" && step.column === "customer_owner_id").map((step) => (step as { table: string }).table);
    // The model just written, compiled from what is already in hand rather than read back.
    const model = compileModel({ version: Number(version), ...targetDocuments });
    if (gainedCopies.length) await rebuildCustomerScope(trx, model, gainedCopies.map((table) => model.objects.get(table)!).filter(Boolean));
    // A changed rule, or a changed object a rule reads, is re-applied to every record it covers.
    const changedNames = new Set(changedObjects.map((object) => object.name));
    const rulesToApply = [...rulesByName.values()]
      .filter((rule) => changedGrantRules.some((changed) => changed.name === rule.name) || rule.objects.some((name) => changedNames.has(name)))
      .map((rule) => rule.name);
    if (rulesToApply.length) await applyGrantRules(trx, model, { rules: rulesToApply });
    return { ...result, applied: true, version: Number(version) };
  });
}
