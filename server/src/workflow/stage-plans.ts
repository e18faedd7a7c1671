// Stage plans: entering a stage plans its activities for the record's owner; completing the last of them advances the stage.
import type { Knex } from "knex";
import type { StagePlan, WorkflowDefinition } from "@crm/metadata";
import type { CompiledObject, Model } from "../registry/model";
import type { RecordsContext } from "../records/read";
import type { RecordsWritten } from "../records/events";
import type { JobQueue } from "../jobs/queue";
import { fetchScopedRow } from "../records/read";
import { createRecords } from "../records/service";
import { writeFields } from "./effects";
import type { RecordValues } from "./interpreter";
import { localeOfEmployee } from "./parties";

export const STAGE_ENTER_JOB = "workflow.stage_enter";
export const STAGE_CHECK_JOB = "workflow.stage_check";

/**
 * The fields of the activity object a plan writes and reads: the standard activity's names
 * (activity_type, subject, status with 已完成 = completed, start_at) plus the plan's linkField.
 */
export const PLANNED_ACTIVITY_FIELDS = { type: "activity_type", subject: "subject", status: "status", done: "completed", start: "start_at" } as const;

export interface StageJobData {
  object: string;
  recordId: string;
  /** enter: the stage the record entered (the job does nothing when it has moved on since). */
  stage?: string;
  /** Idempotency key, claimed in sys.effect_runs inside the job's transaction. */
  key: string;
}

/** What a stage job needs: the principal's records context over the job's transaction. */
export interface StageRun {
  trx: Knex.Transaction;
  context: RecordsContext;
  object: CompiledObject;
  workflow: WorkflowDefinition & { stagePlan: StagePlan };
  today: string;
}

const shift = (date: string, days: number) => {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
};

export const enterKey = (object: string, record: RecordValues) => `${object}:stage:${record.id as string}:v${record.version as number}`;

async function claim(trx: Knex.Transaction, key: string): Promise<boolean> {
  const claimed = await trx("effect_runs").withSchema("sys").insert({ key }).onConflict("key").ignore().returning("key");
  return claimed.length > 0;
}

/** Plans the activities of the record's current stage for its owner, in the owner's language (once per entry key); answers how many were created. */
export async function planStage(run: StageRun, record: RecordValues, entry: string): Promise<number> {
  const { trx, context, object, workflow } = run;
  const plan = workflow.stagePlan;
  const stage = record[plan.field] as string | null;
  const planned = plan.stages.find((candidate) => candidate.stage === stage);
  if (!planned || planned.activities.length === 0 || !(await claim(trx, `${entry}:plan`))) return 0;
  const fields = PLANNED_ACTIVITY_FIELDS;
  // The owner reads the subject: in their language.
  const locale = await localeOfEmployee(trx, record.owner_id);
  const bodies = planned.activities.map((activity) => ({
    [fields.type]: activity.type,
    [fields.subject]: activity.subject[locale],
    [fields.status]: "not_started",
    [fields.start]: `${shift(run.today, activity.daysAfter)}T09:00:00+08:00`,
    owner_id: record.owner_id,
    ...(record.customer_id ? { customer_id: record.customer_id } : {}),
    [plan.linkField]: record.id,
  }));
  const created = await createRecords({ ...context, db: trx }, plan.activityObject, bodies, (index) => `/stagePlan/${stage}/activities/${index}`);
  await trx("stage_activities")
    .withSchema("sys")
    .insert(created.map((activity) => ({ activity_id: activity.id, object: object.name, record_id: record.id, stage, entry })));
  return created.length;
}

/** Advances the record when every activity planned at its latest entry into the current stage is completed. */
export async function advanceIfComplete(run: StageRun, record: RecordValues): Promise<RecordValues | null> {
  const { trx, context, object, workflow } = run;
  const plan = workflow.stagePlan;
  const stage = record[plan.field] as string | null;
  const advanceTo = plan.stages.find((candidate) => candidate.stage === stage)?.advanceTo;
  if (!advanceTo) return null;
  const latest = await trx("stage_activities").withSchema("sys").where({ object: object.name, record_id: record.id, stage }).orderBy("entered_at", "desc").first("entry");
  if (!latest) return null;
  const planned = trx("stage_activities").withSchema("sys").where({ entry: latest.entry }).select("activity_id");
  const open = await trx(plan.activityObject)
    .whereIn("id", planned)
    .whereNull("deleted_at")
    .where((query) => query.whereNull(PLANNED_ACTIVITY_FIELDS.status).orWhereNot(PLANNED_ACTIVITY_FIELDS.status, PLANNED_ACTIVITY_FIELDS.done))
    .first("id");
  if (open) return null;
  const advanced = await writeFields({ trx, context: { ...context, db: trx }, object, record, values: { [plan.field]: advanceTo } });
  await planStage(run, advanced, enterKey(object.name, advanced));
  return advanced;
}

/** Runs an enter or check job as the principal: the record is read within its scope and locked for the job. */
export async function runStageJob(input: { db: Knex; context: RecordsContext; kind: "enter" | "check"; data: StageJobData; today: string }): Promise<"ran" | "skipped"> {
  const { context, data } = input;
  const workflow = context.model.workflows.get(data.object);
  const object = context.model.objects.get(data.object);
  if (!workflow?.stagePlan || !object) return "skipped";
  const plan = workflow.stagePlan;
  return input.db.transaction(async (trx) => {
    if (!(await claim(trx, data.key))) return "skipped";
    const record = await fetchScopedRow(context, { db: trx, object, id: data.recordId, action: "view", forUpdate: true, columns: object.readColumns });
    if (!record) return "skipped";
    const run: StageRun = { trx, context: { ...context, db: trx }, object, workflow: { ...workflow, stagePlan: plan }, today: input.today };
    if (input.kind === "enter") {
      if (record[plan.field] !== data.stage) return "skipped";
      return (await planStage(run, record, data.key)) > 0 ? "ran" : "skipped";
    }
    return (await advanceIfComplete(run, record)) ? "ran" : "skipped";
  });
}

/** Stage jobs of committed writes: a record entering a planned stage, or a planned activity being completed (pure). */
export function stageJobs(model: Model, event: Pick<RecordsWritten, "object" | "kind" | "rows">): Array<{ name: string; data: StageJobData }> {
  const jobs: Array<{ name: string; data: StageJobData }> = [];
  for (const workflow of model.workflows.values()) {
    const plan = workflow.stagePlan;
    if (!plan) continue;
    for (const { before, after } of event.rows) {
      if (event.object === workflow.object && after[plan.field] && (event.kind === "create" || before?.[plan.field] !== after[plan.field])) {
        jobs.push({ name: STAGE_ENTER_JOB, data: { object: workflow.object, recordId: after.id as string, stage: after[plan.field] as string, key: enterKey(workflow.object, after) } });
      }
      const done = PLANNED_ACTIVITY_FIELDS;
      if (event.object === plan.activityObject && after[plan.linkField] && after[done.status] === done.done && before?.[done.status] !== done.done) {
        jobs.push({ name: STAGE_CHECK_JOB, data: { object: workflow.object, recordId: after[plan.linkField] as string, key: `${plan.activityObject}:done:${after.id as string}:v${after.version as number}` } });
      }
    }
  }
  return jobs;
}

export async function enqueueStageJobs(jobs: JobQueue, model: Model, event: RecordsWritten): Promise<void> {
  for (const job of stageJobs(model, event)) await jobs.enqueue(job.name, job.data, { jobId: job.data.key });
}
