// Open activities follow their record to its new owner: reassigning an opportunity (分配, or an edit of 负责员工) hands
// the previous owner's unfinished activities of it to the new one, as Salesforce's owner transfer does; done ones stay.
import type { Knex } from "knex";
import type { Actor } from "../auth/actor";
import type { CompiledObject, Model } from "../registry/model";
import { applyGrantRules, hasGrantRules } from "../access/auto-grants";
import { writeAsSystem } from "../actions/system-writes";
import { MESSAGE_ACTIVITY } from "./message-log";
import { PLANNED_ACTIVITY_FIELDS } from "./stage-plans";

export interface OwnerChange {
  actor: Actor;
  model: Model;
  /** The reassigned record's object and id. */
  object: CompiledObject;
  recordId: string;
  from: unknown;
  to: unknown;
}

/** The activity objects: those stage plans plan into, and the standard one messages are recorded in; owned, with a status. */
function activityObjects(model: Model): CompiledObject[] {
  const names = new Set([MESSAGE_ACTIVITY.object, ...[...model.workflows.values()].flatMap((workflow) => (workflow.stagePlan ? [workflow.stagePlan.activityObject] : []))]);
  return [...names].flatMap((name) => {
    const object = model.objects.get(name);
    return object?.definition.ownership && object.columnByName.has(PLANNED_ACTIVITY_FIELDS.status) ? [object] : [];
  });
}

/** The activity's lookups to the reassigned object, and (for a customer) those to the customer's own records. */
function linksOf(activity: CompiledObject, object: CompiledObject): { links: string[]; narrower: string[] } {
  const lookups = activity.definition.fields.filter((field) => field.type === "lookup");
  const links = lookups.filter((field) => field.target === object.name).map((field) => field.name);
  // An activity of the customer's opportunity (or contact …) also names the customer; it follows that record, not the customer.
  const narrower = object.definition.belongsToCustomer
    ? []
    : lookups.filter((field) => field.target !== object.name && object.model.objects.get(field.target!)?.definition.belongsToCustomer).map((field) => field.name);
  return { links, narrower };
}

/**
 * In the reassignment's transaction: the record's open activities owned by the previous owner get the new owner and
 * the new owner's department (their scope keys; the customer keys copy the customer's and stay), versioned and
 * audited as the reassigning user's system write. Answers how many moved.
 */
export async function transferOpenActivities(trx: Knex.Transaction, change: OwnerChange): Promise<number> {
  const { from, to, object, model } = change;
  if (typeof from !== "string" || typeof to !== "string" || from === to) return 0;
  let moved = 0;
  for (const activity of activityObjects(model)) {
    const { links, narrower } = linksOf(activity, object);
    if (links.length === 0) continue;
    const { status, done } = PLANNED_ACTIVITY_FIELDS;
    const ids: string[] = await trx(activity.name)
      .whereNull("deleted_at")
      .where("owner_id", from)
      .where((query) => links.forEach((link) => query.orWhere(link, change.recordId)))
      .where((query) => query.whereNull(status).orWhereNot(status, done))
      .modify((query) => narrower.forEach((link) => query.whereNull(link)))
      .orderBy("id")
      .forUpdate()
      .pluck("id");
    if (ids.length === 0) continue;
    const owner = activity.columnByName.has("department_id") ? await trx("employee").where({ id: to }).first("department_id") : undefined;
    const values = { owner_id: to, ...(owner ? { department_id: (owner.department_id as string | null) ?? null } : {}) };
    moved += await writeAsSystem(trx, {
      actor: change.actor,
      object: activity,
      writes: ids.map((id) => ({ id, values })),
      reason: { ownerTransfer: { object: object.name, recordId: change.recordId } },
    });
    if (hasGrantRules(model, activity.name)) await applyGrantRules(trx, model, { object: activity.name, recordIds: ids });
  }
  return moved;
}
