// The measured users and requests of bench/permissions: for each, the HTTP path and the SQL the records service
// runs for it, built by the service's own functions, with and without the permission predicate.
import type { Knex } from "knex";
import type { Model } from "../../server/src/registry/model";
import type { AccessContext } from "../../server/src/access/context";
import type { Actor } from "../../server/src/auth/actor";
import { loadAccessContext } from "../../server/src/access/context";
import { findActiveUserByUsername } from "../../server/src/auth/users";
import { maskOf, scopeQuery, unrestrictedAccess, visibleShape } from "../../server/src/records/access-guard";
import { parseListRequest, type ListParameters } from "../../server/src/records/read";
import { buildCountQuery, buildListQuery } from "../../server/src/records/list-query";
import { encodeCursor } from "../../server/src/records/cursor";
import { buildListSteps, buildScopedCountQuery, listPlanMode, type ListStep } from "../../server/src/records/scoped-list";
import type { PlanMode } from "../../server/src/db/native-query";
import { buildRecordScope } from "../../server/src/access/record-scope";
import { isTimeout, SKEWED_USERNAME } from "./setup";

export interface BenchUser {
  username: string;
  /** What the user stands for in the issue. */
  label: string;
  actor: Actor;
  access: AccessContext;
}

export const USERS: { username: string; label: string }[] = [
  { username: "wanglei", label: "salesperson" },
  { username: "liuyang", label: "manager" },
  { username: "zhaomin", label: "director" },
  { username: SKEWED_USERNAME, label: "skewed owner" },
  { username: "admin", label: "admin" },
];

export async function loadUsers(db: Knex, model: Model): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  for (const { username, label } of USERS) {
    const actor = await findActiveUserByUsername(db, username);
    if (!actor) throw new Error(`no user ${username}`);
    // The same context a request gets (see api/context.ts recordsContext).
    const access = actor.isAdmin ? unrestrictedAccess(actor) : await loadAccessContext(db, model, actor);
    users.push({ username, label, actor, access });
  }
  return users;
}

export interface NativeSql {
  sql: string;
  bindings: unknown[];
  /**
   * How the service runs it: a page's compiled statement, prepared and planned as records/read.ts has it planned
   * ("generic": once per connection), or a count through knex (unnamed, planned every time: undefined).
   */
  plan?: PlanMode;
}

/**
 * The scoped side as the records service runs it (records/read.ts): a page is its list steps (the union of
 * per-alternative ranges, behind a bounded walk of the plain list when the scope has many alternatives; the rows with a
 * NULL sort key after it), a count its one statement; each step compiled once, run in order by the service's own
 * readListSteps (measure.ts runPlan).
 */
export interface ScopedPlan {
  steps: ListStep<NativeSql>[];
  limit: number;
}

export type Kind = "page" | "deep" | "count";

export interface Scenario {
  user: BenchUser;
  object: string;
  kind: Kind;
  name: string;
  /** HTTP paths (taken round-robin); variants share an index with `sql`. */
  paths: string[];
  /** The service's SQL for each variant: without (base) and with (scoped) the permission predicate. */
  sql: { base: NativeSql; scoped: ScopedPlan }[];
  params: ListParameters[];
  /** Visible rows of the object for this user (exact count, taken once; NaN when the count timed out). */
  visible: number;
}

const native = (query: Knex.QueryBuilder | Knex.Raw, plan: PlanMode | undefined): NativeSql => {
  const compiled = query.toSQL().toNative();
  return { sql: compiled.sql, bindings: [...compiled.bindings], plan };
};

/** The list (or count) SQL of the records service for these parameters, without and with the user's scope. */
export function serviceSql(db: Knex, model: Model, user: BenchUser, objectName: string, params: ListParameters, kind: Kind) {
  const object = model.objects.get(objectName)!;
  const shape = visibleShape(object, maskOf(user.access, object));
  const request = parseListRequest(shape, params);
  const base = kind === "count" ? buildCountQuery(db, shape, request) : buildListQuery(db, shape, request);
  // The scoped side is built by the same functions records/read.ts calls (runList, and countRows for ?count=true).
  const predicate = buildRecordScope({ model, context: user.access, object, action: "view" });
  const input = { db, model, shape, request, predicate };
  const steps: ListStep<Knex.QueryBuilder | Knex.Raw>[] = kind === "count" ? [{ query: buildScopedCountQuery(input), rows: "replace" }] : buildListSteps(input);
  // The plain page (base) is what the service runs for an administrator: compiled, and planned the same way.
  const plan = kind === "count" ? undefined : listPlanMode(shape, request, false);
  const scoped: ScopedPlan = { steps: steps.map((step) => ({ query: native(step.query, plan), rows: step.rows })), limit: request.limit };
  return { base: native(base, plan), scoped, request, shape, object };
}

const LIST = (object: string) => `/api/objects/${object}/records`;

function pathOf(object: string, params: ListParameters): string {
  const search = new URLSearchParams();
  if (params.limit !== undefined) search.set("limit", String(params.limit));
  if (params.cursor) search.set("cursor", params.cursor);
  if (params.count) search.set("count", "true");
  const text = search.toString();
  return `${LIST(object)}${text ? `?${text}` : ""}`;
}

export interface ScenarioOptions {
  db: Knex;
  model: Model;
  users: BenchUser[];
  objects: string[];
  /** Rows in for the deep page (cursors spread ±5% around it). */
  depth: number;
  /** The skewed owner's employee id: his customers are one contiguous block in created_at order. */
  skewedEmployee: string;
  log: (line: string) => void;
}

/**
 * The cursor of the page that crosses the skewed owner's import for a user who does not see it: the user's last
 * visible customer just newer than the block, so the next page has to get past its rows in created_at order.
 */
async function crossingCursor(options: ScenarioOptions, user: BenchUser): Promise<string | null> {
  const { db, model } = options;
  const newest = await db("customer")
    .where({ owner_id: options.skewedEmployee })
    .whereNull("deleted_at")
    .orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }])
    .first("created_at", "id");
  if (!newest) return null;
  const { request, object } = serviceSql(db, model, user, "customer", { limit: 50 }, "page");
  const query = db("customer")
    .select("created_at", "id")
    .whereNull("deleted_at")
    .whereRaw(`("created_at", "id") > (?, ?)`, [newest.created_at, newest.id])
    .orderBy([{ column: "created_at", order: "asc" }, { column: "id", order: "asc" }])
    .limit(1);
  const [row] = await setupQuery(db, (trx) => scopeQuery({ model, access: user.access, object, query: query.transacting(trx), action: "view" }));
  return row ? encodeCursor(request.sort, row) : null;
}

/**
 * Setup queries (visible counts, deep-page cursors) are the scoped SQL too, which can be pathologically slow: they
 * run with enough work_mem for PostgreSQL to hash a large `IN (SELECT …)` and a longer timeout. Only setup: the
 * measured queries run with the server's settings.
 */
function setupQuery<T>(db: Knex, run: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw("SET LOCAL work_mem = '256MB'");
    await trx.raw("SET LOCAL statement_timeout = '180s'");
    return run(trx);
  });
}

/** Cursor values at given depths of the user's own list (taken once with OFFSET on the scoped query). */
async function cursorsAt(options: ScenarioOptions, user: BenchUser, object: string, offsets: number[]): Promise<string[]> {
  const cursors: string[] = [];
  for (const offset of offsets) {
    const { request, shape, object: compiled } = serviceSql(options.db, options.model, user, object, { limit: 50 }, "page");
    const [row] = await setupQuery(options.db, (trx) =>
      scopeQuery({
        model: options.model,
        access: user.access,
        object: compiled,
        query: buildListQuery(trx, shape, request).limit(1).offset(offset),
        action: "view",
      }),
    );
    if (row) cursors.push(encodeCursor(request.sort, row));
  }
  return cursors;
}

export async function buildScenarios(options: ScenarioOptions): Promise<Scenario[]> {
  const { db, model, users, objects, depth } = options;
  const scenarios: Scenario[] = [];
  for (const user of users) {
    for (const object of objects) {
      const { request, shape, object: compiled } = serviceSql(db, model, user, object, { limit: 50 }, "count");
      const started = performance.now();
      let visible = Number.NaN;
      try {
        const [{ total }] = await setupQuery(db, (trx) =>
          scopeQuery({ model, access: user.access, object: compiled, query: buildCountQuery(trx, shape, request), action: "view" }),
        );
        visible = Number(total);
      } catch (error) {
        if (!isTimeout(error)) throw error;
      }
      const counted = Number.isNaN(visible) ? "count timed out" : visible.toLocaleString("en");
      options.log(`  ${user.username.padEnd(13)} ${object.padEnd(9)} ${counted.padStart(10)} visible (counted in ${(performance.now() - started).toFixed(0)} ms)`);
      const make = (kind: Kind, name: string, paramsList: ListParameters[]): Scenario => ({
        user,
        object,
        kind,
        name,
        paths: paramsList.map((params) => pathOf(object, params)),
        sql: paramsList.map((params) => {
          const { base, scoped } = serviceSql(db, model, user, object, params, kind);
          return { base, scoped };
        }),
        params: paramsList,
        visible,
      });
      scenarios.push(make("page", `${object} page`, [{ limit: 50 }]));
      // The count is asked for with a page of one (?count=true&limit=1); the SQL side times the count query alone.
      scenarios.push(make("count", `${object} count`, [{ limit: 1, count: true }]));
      const spread = Math.max(1, Math.round(depth * 0.05));
      const offsets = [-2, -1, 0, 1, 2].map((step) => depth + step * spread);
      if (Number.isNaN(visible) || visible > offsets[offsets.length - 1] + 50) {
        const started = performance.now();
        try {
          const cursors = await cursorsAt(options, user, object, offsets);
          if (cursors.length) scenarios.push(make("deep", `${object} deep page`, cursors.map((cursor) => ({ limit: 50, cursor }))));
        } catch (error) {
          if (!isTimeout(error)) throw error;
          options.log(`  ${user.username} ${object}: the deep-page cursor (OFFSET ${offsets[0]} on the scoped list) timed out after ${((performance.now() - started) / 1000).toFixed(0)} s: no deep page`);
        }
      } else {
        options.log(`  ${user.username} ${object}: fewer than ${depth.toLocaleString("en")} visible rows, no deep page`);
      }
      // Only for users who do not see the skewed owner's customers (for the others the block is just more rows).
      if (object === "customer" && !user.access.unrestricted && user.access.employeeId !== options.skewedEmployee) {
        const cursor = await crossingCursor(options, user).catch((error) => {
          if (isTimeout(error)) return null;
          throw error;
        });
        if (cursor) scenarios.push(make("deep", "customer page across skewed import", [{ limit: 50, cursor }]));
      }
    }
  }
  return scenarios;
}
