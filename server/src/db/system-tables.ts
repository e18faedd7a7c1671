// The platform's own tables (schema sys): metadata with version history, users, audit, sequences, packs.
import type { Knex } from "knex";

const STATEMENTS = [
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,
  `CREATE SCHEMA IF NOT EXISTS sys`,
  // Record ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Ids made close in time sit
  // close in the primary key, so a page of a user's recent records touches a few index leaves instead of one per row
  // (measured in bench/permissions). PostgreSQL 18 has uuidv7(); 15 to 17 do not.
  `CREATE OR REPLACE FUNCTION sys.time_ordered_uuid() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
     SELECT encode(
       set_bit(set_bit(
         overlay(uuid_send(gen_random_uuid())
                 PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
                 FROM 1 FOR 6),
         52, 1), 53, 1),
       'hex')::uuid
   $$`,
  `CREATE TABLE IF NOT EXISTS sys.settings (
     key text PRIMARY KEY,
     value jsonb NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS sys.model_versions (
     version bigserial PRIMARY KEY,
     applied_at timestamptz(3) NOT NULL DEFAULT now(),
     applied_by uuid,
     source text NOT NULL,
     summary jsonb NOT NULL,
     plan jsonb NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS sys.metadata_documents (
     kind text NOT NULL,
     name text NOT NULL,
     document_id text NOT NULL,
     definition jsonb NOT NULL,
     model_version bigint NOT NULL,
     updated_at timestamptz(3) NOT NULL DEFAULT now(),
     PRIMARY KEY (kind, name)
   )`,
  `CREATE TABLE IF NOT EXISTS sys.metadata_history (
     id bigserial PRIMARY KEY,
     model_version bigint NOT NULL,
     kind text NOT NULL,
     name text NOT NULL,
     document_id text NOT NULL,
     definition jsonb,
     changed_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS ix_metadata_history_document ON sys.metadata_history (kind, document_id, model_version)`,
  `CREATE TABLE IF NOT EXISTS sys.users (
     id uuid PRIMARY KEY DEFAULT sys.time_ordered_uuid(),
     username text NOT NULL UNIQUE,
     display_name text NOT NULL,
     password_hash text NOT NULL,
     employee_id uuid,
     roles text[] NOT NULL DEFAULT '{}',
     is_admin boolean NOT NULL DEFAULT false,
     grants jsonb NOT NULL DEFAULT '{}',
     active boolean NOT NULL DEFAULT true,
     locale text NOT NULL DEFAULT 'zh-CN',
     created_at timestamptz(3) NOT NULL DEFAULT now(),
     updated_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  `ALTER TABLE sys.users ADD COLUMN IF NOT EXISTS grants jsonb NOT NULL DEFAULT '{}'`,
  `CREATE TABLE IF NOT EXISTS sys.login_failures (
     id bigserial PRIMARY KEY,
     throttle_key text NOT NULL,
     failed_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS ix_login_failures_key ON sys.login_failures (throttle_key, failed_at)`,
  `CREATE TABLE IF NOT EXISTS sys.audit_log (
     id bigserial PRIMARY KEY,
     at timestamptz(3) NOT NULL DEFAULT now(),
     user_id uuid,
     object text NOT NULL,
     record_id uuid,
     action text NOT NULL,
     changes jsonb NOT NULL DEFAULT '[]',
     context jsonb NOT NULL DEFAULT '{}'
   )`,
  `CREATE INDEX IF NOT EXISTS ix_audit_log_record ON sys.audit_log (object, record_id, id)`,
  `CREATE TABLE IF NOT EXISTS sys.sequences (
     object text NOT NULL,
     field text NOT NULL,
     period text NOT NULL,
     value bigint NOT NULL,
     PRIMARY KEY (object, field, period)
   )`,
  `CREATE TABLE IF NOT EXISTS sys.packs (
     name text PRIMARY KEY,
     version text NOT NULL,
     content_hash text NOT NULL,
     applied_at timestamptz(3) NOT NULL DEFAULT now(),
     model_version bigint
   )`,
  `CREATE TABLE IF NOT EXISTS sys.auto_grants (
     rule text NOT NULL,
     object text NOT NULL,
     record_id uuid NOT NULL,
     employee_id uuid NOT NULL,
     granted_at timestamptz(3) NOT NULL DEFAULT now(),
     PRIMARY KEY (rule, object, employee_id, record_id)
   )`,
  `CREATE TABLE IF NOT EXISTS sys.archived_values (
     id bigserial PRIMARY KEY,
     object text NOT NULL,
     field text NOT NULL,
     record_id uuid NOT NULL,
     value jsonb,
     reason text NOT NULL,
     archived_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  // Workflows (server/src/workflow): one instance per record under a workflow, its approval tasks and history.
  `CREATE TABLE IF NOT EXISTS sys.workflow_instances (
     object text NOT NULL,
     record_id uuid NOT NULL,
     workflow text NOT NULL,
     status text NOT NULL,
     transition text,
     round integer NOT NULL DEFAULT 0,
     step integer NOT NULL DEFAULT 0,
     submitted_by uuid,
     updated_at timestamptz(3) NOT NULL DEFAULT now(),
     PRIMARY KEY (object, record_id)
   )`,
  `CREATE TABLE IF NOT EXISTS sys.approval_tasks (
     id uuid PRIMARY KEY DEFAULT sys.time_ordered_uuid(),
     object text NOT NULL,
     record_id uuid NOT NULL,
     round integer NOT NULL,
     step integer NOT NULL,
     step_name text NOT NULL,
     mode text NOT NULL,
     approver_user_id uuid NOT NULL,
     status text NOT NULL DEFAULT 'pending',
     added_by uuid,
     handed_over_from uuid,
     comment text,
     created_at timestamptz(3) NOT NULL DEFAULT now(),
     decided_at timestamptz(3)
   )`,
  `CREATE INDEX IF NOT EXISTS ix_approval_tasks_inbox ON sys.approval_tasks (approver_user_id, status, created_at)`,
  `CREATE INDEX IF NOT EXISTS ix_approval_tasks_record ON sys.approval_tasks (object, record_id, round, step)`,
  `CREATE TABLE IF NOT EXISTS sys.approval_history (
     id bigserial PRIMARY KEY,
     object text NOT NULL,
     record_id uuid NOT NULL,
     round integer NOT NULL,
     step integer,
     action text NOT NULL,
     actor_user_id uuid,
     target_user_id uuid,
     from_state text,
     to_state text,
     comment text,
     at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS ix_approval_history_record ON sys.approval_history (object, record_id, id)`,
  `CREATE TABLE IF NOT EXISTS sys.notifications (
     id uuid PRIMARY KEY DEFAULT sys.time_ordered_uuid(),
     user_id uuid NOT NULL,
     object text,
     record_id uuid,
     message jsonb NOT NULL,
     created_at timestamptz(3) NOT NULL DEFAULT now(),
     read_at timestamptz(3)
   )`,
  `CREATE INDEX IF NOT EXISTS ix_notifications_user ON sys.notifications (user_id, created_at)`,
  // Idempotency of effects run by jobs: the key is claimed in the effect's own transaction, so a
  // retried or duplicated job finds it taken and creates nothing a second time.
  `CREATE TABLE IF NOT EXISTS sys.effect_runs (
     key text PRIMARY KEY,
     ran_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  // Stage plans (server/src/workflow/stage-plans.ts): the activities planned when a record entered a stage.
  `CREATE TABLE IF NOT EXISTS sys.stage_activities (
     activity_id uuid PRIMARY KEY,
     object text NOT NULL,
     record_id uuid NOT NULL,
     stage text NOT NULL,
     entry text NOT NULL,
     entered_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS ix_stage_activities_record ON sys.stage_activities (object, record_id, stage, entered_at)`,
  // Saved list views (server/src/views): a user's named filter, sort and columns of one object's list.
  `CREATE TABLE IF NOT EXISTS sys.saved_views (
     id uuid PRIMARY KEY DEFAULT sys.time_ordered_uuid(),
     owner_user_id uuid NOT NULL,
     object text NOT NULL,
     name text NOT NULL,
     filter jsonb,
     sort text,
     columns jsonb,
     created_at timestamptz(3) NOT NULL DEFAULT now(),
     updated_at timestamptz(3) NOT NULL DEFAULT now(),
     UNIQUE (owner_user_id, object, name)
   )`,
  // Uploaded files (server/src/files): the bytes live with the data, so they commit, roll back and back up with it.
  `CREATE TABLE IF NOT EXISTS sys.files (
     id uuid PRIMARY KEY DEFAULT sys.time_ordered_uuid(),
     name text NOT NULL,
     content_type text NOT NULL,
     size bigint NOT NULL,
     sha256 text NOT NULL,
     bytes bytea NOT NULL,
     uploaded_by uuid,
     created_at timestamptz(3) NOT NULL DEFAULT now()
   )`,
  // Tables made before ids were time-ordered (the platform's and the objects') get the new default; existing ids stay.
  `DO $$
   DECLARE target record;
   BEGIN
     FOR target IN
       SELECT n.nspname AS table_schema, c.relname AS table_name
         FROM pg_attrdef d
         JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
         JOIN pg_class c ON c.oid = d.adrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('sys', 'public') AND a.attname = 'id' AND pg_get_expr(d.adbin, d.adrelid) = 'gen_random_uuid()'
     LOOP
       EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN id SET DEFAULT sys.time_ordered_uuid()', target.table_schema, target.table_name);
     END LOOP;
   END $$`,
];

/** Creates what is missing; safe to run at every start and from several servers at once. */
export async function bootstrapSystemTables(db: Knex): Promise<void> {
  // PGlite has one session for the process; PostgreSQL sessions set it when the pool opens them.
  await db.raw("SET TIME ZONE 'UTC'");
  await db.transaction(async (trx) => {
    // Two servers starting together must not race on CREATE … IF NOT EXISTS.
    await trx.raw("SELECT pg_advisory_xact_lock(727001)");
    for (const statement of STATEMENTS) await trx.raw(statement);
  });
}
