// The skewed bulk load of bench/permissions, all in SQL: generated staff, then customers, contacts and activities
// with INSERT … SELECT generate_series in chunks (secondary indexes and foreign keys dropped during the load and
// rebuilt from their own definitions afterwards), the server's automatic grant rules, VACUUM ANALYZE.
//
// Every value is a function of the row number (hashint8extended(g, salt) as a repeatable hash), so a run at a
// given scale always loads the same data. Ids are UUIDv7 as the server makes them (sys.time_ordered_uuid): the row's
// created_at in milliseconds, then md5-derived bits in place of random ones.
import pg from "pg";
import type { Knex } from "knex";
import type { Model } from "../../server/src/registry/model";
import { applyGrantRules } from "../../server/src/access/auto-grants";
import { rebuildCustomerScope } from "../../server/src/access/customer-scope";
import { restoreConstraints, suspendConstraints } from "../../server/src/db/bulk-load";
import { reconcileIndexes } from "../../server/src/schema/index-reconcile-run";
import { RELATED_KEYS_SCHEMA } from "../../server/src/schema/related-keys";
import { SKEWED_DEPARTMENT, SKEWED_USERNAME, STAFF_WEIGHTS, type Plan } from "./setup";

const TABLES = ["customer", "contact", "activity"] as const;
const CHUNK = 250_000;
/** Six years of history; rows are created in order of their number (customers, contacts and activities alike). */
const HISTORY_START = "2019-07-01 00:00:00+08";
const HISTORY_SECONDS = 6 * 365 * 86_400;
/** The skewed owner's customers: one contiguous import starting 1% of the table before the newest rows. */
const SKEW_BLOCK_END = 0.99;

export interface Loaded {
  seconds: number;
  rows: number;
  /** Customer number (g) of the very large customer (owned by wanglei; its contacts by anyone). */
  megaCustomer: string;
  skewedEmployee: string;
}

/** A fixed department per generated employee, following the weights; the skewed owner last. */
function staffDepartments(plan: Plan): string[] {
  const codes: string[] = [];
  const total = Object.values(STAFF_WEIGHTS).reduce((sum, weight) => sum + weight, 0);
  for (const [code, weight] of Object.entries(STAFF_WEIGHTS)) {
    for (let index = 0; index < Math.round((weight * (plan.staff - 1)) / total); index += 1) codes.push(code);
  }
  while (codes.length < plan.staff - 1) codes.push("0101");
  codes.length = plan.staff - 1;
  return [...codes, SKEWED_DEPARTMENT];
}

export async function loadData(input: { databaseUrl: string; db: Knex; model: Model; plan: Plan; log: (line: string) => void }): Promise<Loaded> {
  const { plan, log } = input;
  const client = new pg.Client({ connectionString: input.databaseUrl });
  await client.connect();
  const q = (sql: string, params: unknown[] = []) => client.query(sql, params);
  const started = performance.now();
  try {
    await q("SET statement_timeout = 0");
    await q("SET maintenance_work_mem = '1GB'");
    await q("SET synchronous_commit = off");
    await q("DROP SCHEMA IF EXISTS bench CASCADE");
    await q("CREATE SCHEMA bench");
    await q("CREATE TABLE bench.meta (key text PRIMARY KEY, value jsonb NOT NULL)");
    // A UUIDv7 for row n of a kind made at t: t's Unix milliseconds, version 7, variant 10, the rest from md5.
    await q(`CREATE FUNCTION bench.time_id(kind text, n bigint, t timestamptz) RETURNS uuid STABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT encode(
        set_bit(set_bit(set_bit(set_bit(set_bit(set_bit(
          overlay(decode(md5(kind || ':' || n), 'hex') PLACING substring(int8send((extract(epoch FROM t) * 1000)::bigint) FROM 3) FROM 1 FOR 6),
          52, 1), 53, 1), 54, 1), 55, 0), 70, 0), 71, 1),
        'hex')::uuid $$`);

    // Staff: every demo person but the administrator, then the generated employees (the skewed owner last).
    const generated = staffDepartments(plan);
    await q(
      `INSERT INTO employee (id, code, name, department_id, is_salesperson, crm_login_enabled, created_at, updated_at)
       SELECT bench.time_id('employee', n, now()), 'G' || lpad(n::text, 4, '0'), '员工' || lpad(n::text, 4, '0'), d.id, true, true, now(), now()
         FROM unnest($1::text[]) WITH ORDINALITY AS s(code, n) JOIN department d ON d.code = s.code AND d.deleted_at IS NULL`,
      [generated],
    );
    await q(`CREATE TABLE bench.staff (idx int PRIMARY KEY, id uuid NOT NULL, department_id uuid NOT NULL, code text NOT NULL)`);
    await q(
      `INSERT INTO bench.staff (idx, id, department_id, code)
       SELECT row_number() OVER (ORDER BY e.code) - 1, e.id, e.department_id, e.code
         FROM employee e
        WHERE e.deleted_at IS NULL AND e.code <> $1
          AND NOT EXISTS (SELECT 1 FROM sys.users u WHERE u.employee_id = e.id AND u.is_admin)`,
      [`G${String(plan.staff).padStart(4, "0")}`],
    );
    const rotation = Number((await q("SELECT count(*) AS n FROM bench.staff")).rows[0].n);
    const skewedEmployee = (await q(
      `INSERT INTO bench.staff (idx, id, department_id, code) SELECT $1, id, department_id, code FROM employee WHERE code = $2 RETURNING id`,
      [rotation, `G${String(plan.staff).padStart(4, "0")}`],
    )).rows[0].id as string;
    const wanglei = (await q(`SELECT s.idx, s.id FROM bench.staff s JOIN sys.users u ON u.employee_id = s.id WHERE u.username = 'wanglei'`)).rows[0];
    log(`staff: ${rotation + 1} employees (${plan.staff} generated over ${new Set(generated).size} departments, the skewed owner in ${SKEWED_DEPARTMENT})`);

    // Owner of customer g: the skewed owner for one contiguous block of recent customers, else a hash over the rotation.
    const blockEnd = Math.floor(plan.customers * SKEW_BLOCK_END);
    const blockStart = Math.max(0, blockEnd - plan.skewedOwnerCustomers);
    await q(`CREATE FUNCTION bench.customer_owner(g bigint) RETURNS int IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT CASE WHEN g > ${blockStart} AND g <= ${blockEnd} THEN ${rotation} ELSE (abs(hashint8extended(g, 1)) % ${rotation})::int END $$`);
    await q(`CREATE FUNCTION bench.h(g bigint, salt bigint, modulo bigint) RETURNS bigint IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT abs(hashint8extended(g, salt)) % modulo $$`);
    // When customer g was created, and its id (contacts and activities refer to it by number).
    await q(`CREATE FUNCTION bench.customer_created(g bigint) RETURNS timestamptz IMMUTABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT timestamptz '${HISTORY_START}' + g * ${HISTORY_SECONDS / plan.customers} * interval '1 second' + bench.h(g, 2, 1000) * interval '1 ms' $$`);
    await q(`CREATE FUNCTION bench.customer_id(g bigint) RETURNS uuid STABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT bench.time_id('customer', g, bench.customer_created(g)) $$`);
    // Related employees of customer g: wanglei on every customerStep-th customer (the skewed related employee),
    // else one hashed employee on one customer in ten.
    const customerStep = Math.max(1, Math.floor(plan.customers / plan.relatedCustomers));
    await q(`CREATE FUNCTION bench.customer_related(g bigint) RETURNS uuid[] STABLE PARALLEL SAFE LANGUAGE sql AS $$
      SELECT CASE WHEN g % ${customerStep} = 0 AND g / ${customerStep} <= ${plan.relatedCustomers} THEN ARRAY['${wanglei.id}'::uuid]
                  WHEN bench.h(g, 3, 10) = 0 THEN ARRAY[(SELECT r.id FROM bench.staff r WHERE r.idx = bench.h(g, 4, ${rotation}))]
                  ELSE '{}'::uuid[] END $$`);
    // Records that belong to a customer may carry copies of its scope keys (server: access/customer-scope.ts):
    // the load writes them as the server would, and the server's rebuild checks them afterwards.
    const copies = (await q(`SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'contact' AND column_name = 'customer_owner_id'`)).rowCount! > 0;
    const copyColumns = copies ? ", customer_owner_id, customer_department_id, customer_related_ids" : "";
    const copyValues = copies ? ", cs.id, cs.department_id, bench.customer_related(cg)" : "";
    const copyJoin = copies ? ", LATERAL (SELECT r.id, r.department_id FROM bench.staff r WHERE r.idx = bench.customer_owner(k.cg)) AS cs" : "";
    // The very large customer: wanglei's newest customer before the import block.
    const megaCustomer = String(
      (await q(
        `SELECT g FROM generate_series(${blockStart}, 1, -1) AS g WHERE bench.customer_owner(g) = $1 LIMIT 1`,
        [wanglei.idx],
      )).rows[0].g,
    );

    // Secondary indexes and foreign keys off for the load (the primary keys stay: other tables do not need them during
    // it), with the bulk-load module the demo data generator uses too.
    const suspended = await suspendConstraints(input.db, TABLES, { indexes: true });

    const span = (count: number) => HISTORY_SECONDS / count;
    const timed = async (label: string, rows: number, insert: (from: number, to: number) => Promise<unknown>) => {
      const start = performance.now();
      for (let from = 1; from <= rows; from += CHUNK) await insert(from, Math.min(rows, from + CHUNK - 1));
      const seconds = (performance.now() - start) / 1000;
      log(`  ${label}: ${rows.toLocaleString("en")} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString("en")} rows/s)`);
    };
    const relatedStep = (rows: number, related: number) => Math.max(1, Math.floor(rows / related));

    await timed("customers", plan.customers, (from, to) =>
      q(
        `INSERT INTO customer (id, created_at, updated_at, owner_id, department_id, related_employee_ids, code, name, status, category, industry, credit_limit)
         SELECT bench.customer_id(g), t, t, s.id, s.department_id,
                bench.customer_related(g),
                'C' || lpad(g::text, 8, '0'),
                '客户' || lpad(bench.h(g, 5, 1000000000)::text, 9, '0'),
                CASE WHEN bench.h(g, 6, 3) = 0 THEN 'potential' ELSE 'formal' END,
                (ARRAY['key', 'major', 'normal', 'minor'])[1 + bench.h(g, 7, 4)],
                (ARRAY['automotive', 'construction', 'appliance', 'electronics', 'packaging', 'furniture', 'textile', 'chemical', 'other'])[1 + bench.h(g, 8, 9)],
                bench.h(g, 9, 1000000)
           FROM generate_series($1::bigint, $2::bigint) AS g
           JOIN bench.staff s ON s.idx = bench.customer_owner(g),
                LATERAL (SELECT bench.customer_created(g) AS t) AS ts`,
        [from, to],
      ),
    );

    const contactStep = relatedStep(plan.contacts, plan.relatedContacts);
    // Contact c belongs to the very large customer for c ≤ megaCustomerContacts (owned by anyone), else to a hashed
    // customer, and is owned by that customer's owner 4 times in 5.
    await timed("contacts", plan.contacts, (from, to) =>
      q(
        `INSERT INTO contact (id, created_at, updated_at, owner_id, department_id, related_employee_ids, customer_id, name, title, gender, is_primary${copyColumns})
         SELECT bench.time_id('contact', c, t), t, t, s.id, s.department_id,
                CASE WHEN c % ${contactStep} = 0 AND c / ${contactStep} <= ${plan.relatedContacts} THEN ARRAY[$3::uuid]
                     WHEN bench.h(c, 13, 20) = 0 THEN ARRAY[(SELECT r.id FROM bench.staff r WHERE r.idx = bench.h(c, 14, ${rotation}))]
                     ELSE '{}'::uuid[] END,
                bench.customer_id(cg),
                '联系人' || lpad(bench.h(c, 15, 1000000000)::text, 9, '0'),
                (ARRAY['经理', '采购', '财务', '技术', '总经理'])[1 + bench.h(c, 16, 5)],
                (ARRAY['male', 'female'])[1 + bench.h(c, 17, 2)],
                bench.h(c, 18, 3) = 0${copyValues}
           FROM generate_series($1::bigint, $2::bigint) AS c,
                LATERAL (SELECT CASE WHEN c <= ${plan.megaCustomerContacts} THEN ${megaCustomer} ELSE 1 + bench.h(c, 11, ${plan.customers}) END AS cg) AS k,
                LATERAL (SELECT CASE WHEN c > ${plan.megaCustomerContacts} AND bench.h(c, 12, 5) < 4 THEN bench.customer_owner(cg)
                                     ELSE bench.h(c, 19, ${rotation})::int END AS o) AS oo
           JOIN bench.staff s ON s.idx = oo.o
           ${copyJoin},
                LATERAL (SELECT timestamptz '${HISTORY_START}' + c * ${span(plan.contacts)} * interval '1 second' + bench.h(c, 10, 1000) * interval '1 ms' AS t) AS ts`,
        [from, to, wanglei.id],
      ),
    );

    // Activities: a hashed customer, its owner 4 times in 5; start_at within a month of created_at (default sort -start_at).
    await timed("activities", plan.activities, (from, to) =>
      q(
        `INSERT INTO activity (id, created_at, updated_at, owner_id, department_id, related_employee_ids, customer_id, subject, activity_type, status, start_at, end_at${copyColumns})
         SELECT bench.time_id('activity', a, t), t, t, s.id, s.department_id,
                CASE WHEN bench.h(a, 23, 30) = 0 THEN ARRAY[(SELECT r.id FROM bench.staff r WHERE r.idx = bench.h(a, 24, ${rotation}))] ELSE '{}'::uuid[] END,
                bench.customer_id(cg),
                '拜访 ' || lpad(bench.h(a, 25, 100000)::text, 5, '0'),
                (ARRAY['marketing', 'prospecting', 'schedule', 'opportunity', 'care'])[1 + bench.h(a, 26, 5)],
                (ARRAY['not_started', 'in_progress', 'completed'])[1 + bench.h(a, 27, 3)],
                t + (bench.h(a, 28, 61 * 86400) - 30 * 86400) * interval '1 second',
                t + (bench.h(a, 28, 61 * 86400) - 30 * 86400 + 3600) * interval '1 second'${copyValues}
           FROM generate_series($1::bigint, $2::bigint) AS a,
                LATERAL (SELECT 1 + bench.h(a, 21, ${plan.customers}) AS cg) AS k,
                LATERAL (SELECT CASE WHEN bench.h(a, 22, 5) < 4 THEN bench.customer_owner(cg) ELSE bench.h(a, 29, ${rotation})::int END AS o) AS oo
           JOIN bench.staff s ON s.idx = oo.o
           ${copyJoin},
                LATERAL (SELECT timestamptz '${HISTORY_START}' + a * ${span(plan.activities)} * interval '1 second' + bench.h(a, 20, 1000) * interval '1 ms' AS t) AS ts`,
        [from, to],
      ),
    );
    const inserted = performance.now();

    await input.db.transaction(async (trx) => {
      await trx.raw("SET LOCAL statement_timeout = 0");
      await trx.raw("SET LOCAL maintenance_work_mem = '1GB'");
      await restoreConstraints(trx, suspended, (line) => log(`  ${line}`));
    });

    // The server keeps automatic grants (常务经理 over the people they oversee …) up to date on every write; apply them once.
    let step = performance.now();
    const grants = await input.db.transaction(async (trx) => {
      await trx.raw("SET LOCAL statement_timeout = 0");
      return applyGrantRules(trx, input.model);
    });
    log(`  automatic grant rules: ${grants.granted.toLocaleString("en")} grants in ${((performance.now() - step) / 1000).toFixed(1)} s`);
    if (copies) {
      step = performance.now();
      const corrected = await input.db.transaction(async (trx) => {
        await trx.raw("SET LOCAL statement_timeout = 0");
        return rebuildCustomerScope(trx, input.model);
      });
      log(`  customer scope copies checked by the server's rebuildCustomerScope: ${corrected} rows corrected, in ${((performance.now() - step) / 1000).toFixed(1)} s`);
    }

    step = performance.now();
    for (const table of [...TABLES, "employee"]) await q(`VACUUM (ANALYZE) "${table}"`);
    // The personal keys were filled by the tables' triggers: without a visibility map their index-only scans
    // fetch every row from the heap, and without statistics PostgreSQL guesses their size (autovacuum, in a live
    // database, would have done both long before a user pages through the lists).
    for (const table of TABLES) await q(`VACUUM (ANALYZE) "${RELATED_KEYS_SCHEMA}"."${table}"`);
    await q("CHECKPOINT");
    log(`  VACUUM ANALYZE + CHECKPOINT in ${((performance.now() - step) / 1000).toFixed(1)} s`);

    const rows = plan.customers + plan.contacts + plan.activities;
    const seconds = (performance.now() - started) / 1000;
    await q(`INSERT INTO bench.meta (key, value) VALUES ('load', $1)`, [
      JSON.stringify({ scale: plan.scale, megaCustomer, skewedEmployee, rows, seconds }),
    ]);
    log(
      `loaded ${rows.toLocaleString("en")} rows in ${seconds.toFixed(1)} s (${Math.round(rows / seconds).toLocaleString("en")} rows/s overall; ` +
        `insert ${((inserted - started) / 1000).toFixed(1)} s = ${Math.round(rows / ((inserted - started) / 1000)).toLocaleString("en")} rows/s)`,
    );
    return { seconds, rows, megaCustomer, skewedEmployee };
  } finally {
    await client.end();
  }
}

/** The load of an earlier run kept with --keep, if it was made at this scale. */
export async function previousLoad(databaseUrl: string, scale: number): Promise<Loaded | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT value FROM bench.meta WHERE key = 'load'`).catch(() => ({ rows: [] as { value: any }[] }));
    const value = rows[0]?.value;
    return value && value.scale === scale ? (value as Loaded) : null;
  } finally {
    await client.end();
  }
}

/** Columns the current model expects on the loaded tables but the database lacks (a load made by older code). */
export async function missingColumns(db: Knex, model: Model): Promise<string[]> {
  const rows: { table_name: string; column_name: string }[] = await db("information_schema.columns")
    .where({ table_schema: "public" })
    .whereIn("table_name", [...TABLES])
    .select("table_name", "column_name");
  const present = new Set(rows.map((row) => `${row.table_name}.${row.column_name}`));
  return TABLES.flatMap((table) => [...(model.objects.get(table)?.columnByName.keys() ?? [])].map((column) => `${table}.${column}`)).filter((name) => !present.has(name));
}

/** A login for the skewed owner: a salesperson (sales_rep) with the demo password (the administrator's hash). */
export async function ensureSkewedLogin(db: Knex, employeeId: string): Promise<void> {
  const exists = await db("users").withSchema("sys").where({ username: SKEWED_USERNAME }).first("id");
  if (exists) return;
  const admin = await db("users").withSchema("sys").where({ username: "admin" }).first("password_hash");
  await db("users").withSchema("sys").insert({
    username: SKEWED_USERNAME,
    display_name: "大户业务员",
    password_hash: admin.password_hash,
    employee_id: employeeId,
    is_admin: false,
    roles: ["sales_rep"],
    grants: JSON.stringify({ departmentRange: [] }),
  });
}

/**
 * The loaded tables' indexes as the current code derives them, so that a database kept from an earlier run has the
 * indexes the service now relies on without loading it again. The server's boot (prepareDatabase) already reconciles
 * every object table with this same runner: here it only retries, with the memory a bulk-loaded table's build wants,
 * what that could not do, and gives the tables it rebuilt fresh statistics.
 */
export async function alignIndexes(db: Knex, model: Model, log: (line: string) => void): Promise<void> {
  const objects = [...model.objects.values()].map((object) => object.definition);
  const result = await reconcileIndexes(db, objects, { tables: TABLES, maintenanceWorkMem: "1GB", log: (line) => log(`  ${line}`) });
  for (const table of new Set(result.applied.map((step) => step.table))) await db.raw(`ANALYZE ??`, [table]);
}
