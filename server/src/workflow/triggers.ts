// Workflow triggers as jobs: record events, dates relative to a field, cron schedules; effects run once per idempotency key.
import type { Knex } from "knex";
import type { WorkflowDefinition, WorkflowPrincipal, WorkflowTrigger } from "@crm/metadata";
import type { Registry } from "../registry/store";
import type { Model } from "../registry/model";
import type { Actor } from "../auth/actor";
import { findActiveUser } from "../auth/users";
import { loadAccessContext } from "../access/context";
import { scopeQuery } from "../records/access-guard";
import { applyListConditions } from "../records/list-query";
import { fetchScopedRow, type RecordsContext } from "../records/read";
import { matches } from "../rules/engine";
import type { JobQueue } from "../jobs/queue";
import type { RecordsListener } from "../records/events";
import { expressionData, type RecordValues } from "./interpreter";
import { runEffects } from "./effects";
import { sendAll } from "./notifications";
import { today } from "./service";

export const TRIGGER_JOB = "workflow.trigger";
export const DATE_SCAN_JOB = "workflow.date_scan";
export const SCHEDULE_SCAN_JOB = "workflow.schedule_scan";
/** A date trigger missed while no worker ran still fires within this many days. */
export const CATCH_UP_DAYS = 7;

/** Who a trigger runs as: the user who caused it, or the pack's declared principal; never an implicit administrator. */
export type RunAs = { userId: string } | { principal: true };

export interface TriggerJobData {
  object: string;
  recordId: string;
  trigger: string;
  /** Idempotency key, claimed in sys.effect_runs inside the effects' transaction. */
  key: string;
  runAs: RunAs;
}

export interface WorkflowJobDeps {
  db: Knex;
  registry: Registry;
}

/** Triggers of a record event (pure): create, update, or a change of the named field; conditions are checked when the job runs. */
export function eventTriggers(workflow: WorkflowDefinition, event: { kind: "create" | "update"; before?: RecordValues; after: RecordValues }): WorkflowTrigger[] {
  return (workflow.triggers ?? []).filter((trigger) => {
    if (trigger.on === "create" || trigger.on === "update") return trigger.on === event.kind;
    if (trigger.on === "field_change") return event.kind === "update" && JSON.stringify(event.before?.[trigger.field] ?? null) !== JSON.stringify(event.after[trigger.field] ?? null);
    return false;
  });
}

/** The day a date trigger fires for a field value: field + offsetDays (pure; dates as YYYY-MM-DD). */
export function shiftDate(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/** The principal's account: created without a password and inactive, so nobody can sign in as it. */
async function principalActor(db: Knex, principal: WorkflowPrincipal): Promise<Actor> {
  await db("users")
    .withSchema("sys")
    .insert({ username: principal.username, display_name: principal.label["zh-CN"], password_hash: "!", roles: principal.roles, active: false })
    .onConflict("username")
    .merge(["roles", "display_name"]);
  const row = await db("users").withSchema("sys").where({ username: principal.username }).first("id");
  return { userId: row.id, username: principal.username, displayName: principal.label["zh-CN"], employeeId: null, roles: principal.roles, isAdmin: false, locale: "zh-CN" };
}

async function actorFor(db: Knex, workflow: WorkflowDefinition, runAs: RunAs): Promise<Actor | null> {
  if ("principal" in runAs) return workflow.principal ? principalActor(db, workflow.principal) : null;
  return findActiveUser(db, runAs.userId);
}

async function contextFor(deps: WorkflowJobDeps, model: Model, actor: Actor): Promise<RecordsContext> {
  return { db: deps.db, model, actor, access: await loadAccessContext(deps.db, model, actor) };
}

/** Runs one trigger's effects on one record, at most once per key, as the trigger's principal or causing user. */
export async function runTriggerJob(deps: WorkflowJobDeps, data: TriggerJobData): Promise<"ran" | "skipped"> {
  const model = await deps.registry.current();
  const workflow = model.workflows.get(data.object);
  const trigger = workflow?.triggers?.find((candidate) => candidate.name === data.trigger);
  const object = model.objects.get(data.object);
  if (!workflow || !trigger || !object) return "skipped";
  const actor = await actorFor(deps.db, workflow, data.runAs);
  if (!actor) return "skipped";
  const context = await contextFor(deps, model, actor);
  const outcome = await deps.db.transaction(async (trx) => {
    const claimed = await trx("effect_runs").withSchema("sys").insert({ key: data.key }).onConflict("key").ignore().returning("key");
    if (claimed.length === 0) return { ran: false, outgoing: [] };
    // The record as the trigger's actor sees it: a trigger reaches no further than its actor's scope.
    const record = await fetchScopedRow(context, { db: trx, object, id: data.recordId, action: "view", forUpdate: true, columns: object.readColumns });
    if (!record) return { ran: false, outgoing: [] };
    if (trigger.condition !== undefined && !matches(trigger.condition, expressionData(record, { today: today(), employeeId: actor.employeeId }))) return { ran: false, outgoing: [] };
    const result = await runEffects({ trx, context: { ...context, db: trx }, object, record, effects: trigger.effects, today: today() });
    return { ran: true, outgoing: result.outgoing };
  });
  await sendAll(outcome.outgoing);
  return outcome.ran ? "ran" : "skipped";
}

/** Enqueues the record-event triggers of committed writes, run as the user who made them; one job per trigger and record version. */
export function workflowRecordsListener(jobs: JobQueue): RecordsListener {
  return async ({ context, object, kind, rows }) => {
    const workflow = context.model.workflows.get(object);
    if (!workflow?.triggers?.length) return;
    for (const row of rows) {
      for (const trigger of eventTriggers(workflow, { kind, before: row.before, after: row.after })) {
        const key = `${object}:${trigger.name}:${row.after.id}:v${row.after.version}`;
        const data: TriggerJobData = { object, recordId: row.after.id as string, trigger: trigger.name, key, runAs: { userId: context.actor.userId } };
        await jobs.enqueue(TRIGGER_JOB, data, { jobId: key });
      }
    }
  };
}

/** Finds records whose date trigger is due (within the principal's scope) and enqueues one keyed job per record and date. */
export async function scanDateTriggers(deps: WorkflowJobDeps, jobs: JobQueue, day = today()): Promise<number> {
  const model = await deps.registry.current();
  let enqueued = 0;
  for (const workflow of model.workflows.values()) {
    const object = model.objects.get(workflow.object);
    const dateTriggers = (workflow.triggers ?? []).filter((trigger): trigger is Extract<WorkflowTrigger, { on: "date" }> => trigger.on === "date");
    if (!object || !workflow.principal || dateTriggers.length === 0) continue;
    const context = await contextFor(deps, model, await principalActor(deps.db, workflow.principal));
    for (const trigger of dateTriggers) {
      const latest = shiftDate(day, -trigger.offsetDays);
      const query = deps.db(object.name).whereNull("deleted_at").where(trigger.field, "<=", latest).where(trigger.field, ">", shiftDate(latest, -CATCH_UP_DAYS)).select("id", trigger.field);
      const rows = await scopeQuery({ model, access: context.access, object, query, action: "view" });
      for (const row of rows) {
        const value = row[trigger.field] instanceof Date ? (row[trigger.field] as Date).toISOString().slice(0, 10) : String(row[trigger.field]);
        const key = `${workflow.object}:${trigger.name}:${row.id}:${value}`;
        await jobs.enqueue(TRIGGER_JOB, { object: workflow.object, recordId: row.id, trigger: trigger.name, key, runAs: { principal: true } } satisfies TriggerJobData, { jobId: key });
        enqueued += 1;
      }
    }
  }
  return enqueued;
}

/** A cron trigger's tick: every record in the principal's scope matching the condition, once per record and tick. */
export async function scanScheduledTrigger(deps: WorkflowJobDeps, jobs: JobQueue, data: { object: string; trigger: string; tick: string }): Promise<number> {
  const model = await deps.registry.current();
  const workflow = model.workflows.get(data.object);
  const object = model.objects.get(data.object);
  const trigger = workflow?.triggers?.find((candidate) => candidate.name === data.trigger);
  if (!workflow?.principal || !object || trigger?.on !== "schedule") return 0;
  const context = await contextFor(deps, model, await principalActor(deps.db, workflow.principal));
  const query = applyListConditions(deps.db(object.name).select("id"), object, { filter: trigger.condition });
  const rows = await scopeQuery({ model, access: context.access, object, query, action: "view" });
  for (const row of rows) {
    const key = `${data.object}:${trigger.name}:${row.id}:${data.tick}`;
    await jobs.enqueue(TRIGGER_JOB, { object: data.object, recordId: row.id, trigger: trigger.name, key, runAs: { principal: true } } satisfies TriggerJobData, { jobId: key });
  }
  return rows.length;
}

/** The workflow's job handlers and schedules on a queue (the worker process, or the server in embedded mode). */
export async function registerWorkflowJobs(jobs: JobQueue, deps: WorkflowJobDeps): Promise<void> {
  jobs.handle(TRIGGER_JOB, async (data) => void (await runTriggerJob(deps, data as TriggerJobData)));
  jobs.handle(DATE_SCAN_JOB, async () => void (await scanDateTriggers(deps, jobs)));
  jobs.handle(SCHEDULE_SCAN_JOB, async (data, job) => void (await scanScheduledTrigger(deps, jobs, { ...(data as { object: string; trigger: string }), tick: job.id })));
  // Hourly, so a date that comes due is handled within the hour; keys make repeated scans harmless.
  await jobs.schedule("workflow-date-scan", { cron: "5 * * * *", name: DATE_SCAN_JOB });
  const model = await deps.registry.current();
  for (const workflow of model.workflows.values()) {
    for (const trigger of workflow.triggers ?? []) {
      if (trigger.on === "schedule") await jobs.schedule(`workflow:${workflow.object}:${trigger.name}`, { cron: trigger.cron, name: SCHEDULE_SCAN_JOB, data: { object: workflow.object, trigger: trigger.name } });
    }
  }
}
