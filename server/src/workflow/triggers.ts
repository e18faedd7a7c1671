// Workflow triggers as jobs: record events, dates relative to a field, cron schedules; effects run once per idempotency key.
import type { Knex } from "knex";
import type { LocalizedText, WorkflowDefinition, WorkflowPrincipal, WorkflowTrigger } from "@crm/metadata";
import type { Registry } from "../registry/store";
import type { CompiledObject, Model } from "../registry/model";
import type { Actor } from "../auth/actor";
import { findActiveUser } from "../auth/users";
import { loadAccessContext } from "../access/context";
import { scopeQuery } from "../records/access-guard";
import { applyListConditions } from "../records/list-query";
import { fetchScopedRow, type RecordsContext } from "../records/read";
import { matches } from "../rules/engine";
import type { JobQueue } from "../jobs/queue";
import type { RecordsListener } from "../records/events";
import { expressionData, inLocale, type RecordValues } from "./interpreter";
import { runEffects } from "./effects";
import { sendAll } from "./notifications";
import { enqueueGrantJobs, GRANTS_JOB, runGrantJob, type GrantJobData } from "../access/grant-jobs";
import { enqueueStageJobs, runStageJob, STAGE_CHECK_JOB, STAGE_ENTER_JOB, type StageJobData } from "./stage-plans";
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
  /** Expression variables of a date or holiday trigger: _occasion_date, _holiday (the holiday's LocalizedText label). */
  variables?: Record<string, unknown>;
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
    const variables = { _occasion_date: null, _holiday: null, ...data.variables };
    if (trigger.condition !== undefined && !matches(trigger.condition, inLocale({ ...expressionData(record, { today: today(), employeeId: actor.employeeId }), ...variables }, "zh-CN"))) return { ran: false, outgoing: [] };
    const result = await runEffects({ trx, context: { ...context, db: trx }, object, record, effects: trigger.effects, today: today(), variables });
    return { ran: true, outgoing: result.outgoing };
  });
  await sendAll(outcome.outgoing);
  return outcome.ran ? "ran" : "skipped";
}

/** Enqueues the record-event triggers of committed writes, run as the user who made them; one job per trigger and record version. */
export function workflowRecordsListener(jobs: JobQueue): RecordsListener {
  return async (event) => {
    const { context, object, kind, rows } = event;
    // Stage plans react to their record's stage and to their activities' completion (server/src/workflow/stage-plans.ts);
    // automatic grants are re-applied after commit (server/src/access/grant-jobs.ts).
    await enqueueStageJobs(jobs, context.model, event);
    await enqueueGrantJobs(jobs, event);
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

/** The days whose work a scan on `day` does: the day itself and the CATCH_UP_DAYS - 1 before it (pure). */
export function dueDays(day: string): string[] {
  return Array.from({ length: CATCH_UP_DAYS }, (_, back) => shiftDate(day, -back));
}

/** One due occurrence of a time-based trigger: the record, the date it is for, and its variables. */
interface Occurrence {
  id: string;
  date: string;
  holiday?: { name: string; label: LocalizedText };
}

type TimeTrigger = Extract<WorkflowTrigger, { on: "date" } | { on: "holiday" }>;

const isoDate = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/**
 * Records whose occurrence is due on one of the due days: a date field (once, or every year on its month and day:
 * a birthday), or a declared holiday date, each shifted by offsetDays. Only records in the principal's view scope.
 */
async function dueOccurrences(input: { deps: WorkflowJobDeps; model: Model; context: RecordsContext; object: CompiledObject; trigger: TimeTrigger; day: string }): Promise<Occurrence[]> {
  const { deps, model, context, object, trigger } = input;
  // An occurrence on date D fires on D + offsetDays: the occurrences due now fall on the due days - offsetDays.
  const dates = dueDays(input.day).map((due) => shiftDate(due, -trigger.offsetDays));
  const scoped = (query: Knex.QueryBuilder) => scopeQuery({ model, access: context.access, object, query: query.whereNull("deleted_at"), action: "view" });
  if (trigger.on === "holiday") {
    const occurrences: Occurrence[] = [];
    for (const holiday of trigger.holidays) {
      for (const date of holiday.dates.filter((candidate) => dates.includes(candidate))) {
        const rows = await scoped(deps.db(object.name).select("id"));
        occurrences.push(...rows.map((row: { id: string }) => ({ id: row.id, date, holiday: { name: holiday.name, label: holiday.label } })));
      }
    }
    return occurrences;
  }
  if (trigger.annual) {
    // Every year on the field's month and day (a 29 February comes round in leap years only).
    const byMonthDay = new Map(dates.map((date) => [date.slice(5), date]));
    const query = deps.db(object.name).select("id").select(deps.db.raw("to_char(??, 'MM-DD') as month_day", [trigger.field])).whereRaw("to_char(??, 'MM-DD') = ANY(?)", [trigger.field, [...byMonthDay.keys()]]);
    const rows = await scoped(query);
    return rows.map((row: { id: string; month_day: string }) => ({ id: row.id, date: byMonthDay.get(row.month_day)! }));
  }
  const query = deps.db(object.name).select("id", trigger.field).where(trigger.field, "<=", dates[0]).where(trigger.field, ">", shiftDate(dates[0], -CATCH_UP_DAYS));
  const rows = await scoped(query);
  return rows.map((row: Record<string, unknown>) => ({ id: row.id as string, date: isoDate(row[trigger.field]) }));
}

/** Finds records whose date or holiday trigger is due (within the principal's scope) and enqueues one keyed job per record and occurrence. */
export async function scanDateTriggers(deps: WorkflowJobDeps, jobs: JobQueue, day = today()): Promise<number> {
  const model = await deps.registry.current();
  let enqueued = 0;
  for (const workflow of model.workflows.values()) {
    const object = model.objects.get(workflow.object);
    const timeTriggers = (workflow.triggers ?? []).filter((trigger): trigger is TimeTrigger => trigger.on === "date" || trigger.on === "holiday");
    if (!object || !workflow.principal || timeTriggers.length === 0) continue;
    const context = await contextFor(deps, model, await principalActor(deps.db, workflow.principal));
    for (const trigger of timeTriggers) {
      for (const occurrence of await dueOccurrences({ deps, model, context, object, trigger, day })) {
        // One key per record and occurrence (a birthday once a year, a holiday once per date): scans and retries never repeat it.
        const key = `${workflow.object}:${trigger.name}:${occurrence.id}:${occurrence.holiday ? `${occurrence.holiday.name}:` : ""}${occurrence.date}`;
        const variables = { _occasion_date: occurrence.date, _holiday: occurrence.holiday?.label ?? null };
        await jobs.enqueue(TRIGGER_JOB, { object: workflow.object, recordId: occurrence.id, trigger: trigger.name, key, runAs: { principal: true }, variables } satisfies TriggerJobData, { jobId: key });
        enqueued += 1;
      }
    }
  }
  return enqueued;
}

/** A stage plan's job, run as the plan's workflow principal (never as the user whose write caused it: planning needs no rights of theirs). */
export async function runStagePlanJob(deps: WorkflowJobDeps, kind: "enter" | "check", data: StageJobData): Promise<"ran" | "skipped"> {
  const model = await deps.registry.current();
  const principal = model.workflows.get(data.object)?.principal;
  if (!principal) return "skipped";
  const context = await contextFor(deps, model, await principalActor(deps.db, principal));
  return runStageJob({ db: deps.db, context, kind, data, today: today() });
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
  for (const [name, kind] of [[STAGE_ENTER_JOB, "enter"], [STAGE_CHECK_JOB, "check"]] as const) {
    jobs.handle(name, async (data) => void (await runStagePlanJob(deps, kind, data as StageJobData)));
  }
  jobs.handle(GRANTS_JOB, async (data) => void (await runGrantJob(deps, data as GrantJobData)));
  jobs.handle(SCHEDULE_SCAN_JOB, async (data, job) => void (await scanScheduledTrigger(deps, jobs, { ...(data as { object: string; trigger: string }), tick: job.id })));
  // Hourly, so a date that comes due is handled within the hour; keys make repeated scans harmless.
  await jobs.schedule("workflow-date-scan", { cron: "5 * * * *", name: DATE_SCAN_JOB });
  jobs.handle(SCHEDULE_SYNC_JOB, async () => void (await syncScheduledTriggers(jobs, await deps.registry.current())));
  // A pack or the studio may add, change or drop a cron trigger while the worker runs: the schedules follow the
  // model within a minute (and at once here), without a restart.
  await jobs.schedule("workflow-schedule-sync", { cron: "* * * * *", name: SCHEDULE_SYNC_JOB });
  await syncScheduledTriggers(jobs, await deps.registry.current());
}

export const SCHEDULE_SYNC_JOB = "workflow.schedule_sync";
const TRIGGER_SCHEDULE_PREFIX = "workflow:";

/** Makes the queue's trigger schedules those of the model: adds new ones, re-times changed ones, drops removed ones. */
export async function syncScheduledTriggers(jobs: JobQueue, model: Model): Promise<{ scheduled: string[]; removed: string[] }> {
  const wanted = new Map<string, { cron: string; data: { object: string; trigger: string } }>();
  for (const workflow of model.workflows.values()) {
    for (const trigger of workflow.triggers ?? []) {
      if (trigger.on === "schedule") wanted.set(`${TRIGGER_SCHEDULE_PREFIX}${workflow.object}:${trigger.name}`, { cron: trigger.cron, data: { object: workflow.object, trigger: trigger.name } });
    }
  }
  const removed = (await jobs.scheduleIds()).filter((id) => id.startsWith(TRIGGER_SCHEDULE_PREFIX) && !wanted.has(id));
  for (const id of removed) await jobs.unschedule(id);
  // Upserting an unchanged schedule keeps its next tick, so re-running this every minute costs nothing else.
  for (const [id, schedule] of wanted) await jobs.schedule(id, { cron: schedule.cron, name: SCHEDULE_SCAN_JOB, data: schedule.data });
  return { scheduled: [...wanted.keys()], removed };
}
