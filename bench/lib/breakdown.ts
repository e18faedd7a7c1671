// Where a generic request spends its time: each stage of the pipeline timed in-process, one at a time.
import pg from "pg";
import type { BuiltApp } from "../../server/src/app";
import { parseListQuery } from "../../server/src/api/record-routes";
import { findActiveUser } from "../../server/src/auth/users";
import { issueToken, verifyToken } from "../../server/src/auth/tokens";
import { buildListQuery, parseSort } from "../../server/src/records/list-query";
import { decodeCursor } from "../../server/src/records/cursor";
import { getRecord, listRecords } from "../../server/src/records/service";
import { recordsContext } from "../../server/src/api/context";
import type { FastifyRequest } from "fastify";
import { OBJECT } from "./setup";
import type { Scenario } from "./scenarios";

const ITERATIONS = 300;
const BUDGET_MS = 2000;

/** Median of up to `ITERATIONS` sequential runs (at most about `BUDGET_MS`), in ms. */
async function median(task: () => unknown): Promise<number> {
  for (let index = 0; index < 10; index += 1) await task();
  const times: number[] = [];
  const started = performance.now();
  for (let index = 0; index < ITERATIONS && performance.now() - started < BUDGET_MS; index += 1) {
    const sent = performance.now();
    await task();
    times.push(performance.now() - sent);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

export interface BreakdownOptions {
  built: BuiltApp;
  databaseUrl: string;
  scenarios: Scenario[];
  log: (line: string) => void;
}

export async function printBreakdown(options: BreakdownOptions): Promise<void> {
  const { built, scenarios, log } = options;
  const { db, registry, tokenSecret } = built.server;
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2 });
  try {
    const adminId = (await db("users").withSchema("sys").where({ username: "admin" }).first("id")).id as string;
    const actor = (await findActiveUser(db, adminId))!;
    const signed = issueToken(adminId, tokenSecret);
    const model = await registry.current();
    const object = model.objects.get(OBJECT)!;
    // The same context a request gets (actor, model, access decision), built the way the routes build it.
    const context = await recordsContext(built.server, { actor } as FastifyRequest);
    log(`\nbreakdown of the generic pipeline, median of ≤ ${ITERATIONS} sequential calls in-process (ms)`);
    log(`  per request, any route: auth user lookup (SELECT sys.users) ${(await median(() => findActiveUser(db, actor.userId))).toFixed(3)}, ` +
      `registry.current() ${(await median(() => registry.current())).toFixed(4)}, ` +
      `recordsContext (access) ${(await median(() => recordsContext(built.server, { actor } as FastifyRequest))).toFixed(4)}, ` +
      `verifyToken ${(await median(() => verifyToken(signed, tokenSecret))).toFixed(4)}`);
    // Administrators skip the access decision; everyone else loads it on every request.
    const user = await db("users").withSchema("sys").where({ is_admin: false, active: true }).whereNotNull("employee_id").first("id", "username");
    const member = user ? await findActiveUser(db, user.id as string) : null;
    if (member) {
      const contextMs = await median(() => recordsContext(built.server, { actor: member } as FastifyRequest));
      log(`  per request for a non-admin user ("${member.username}", roles ${member.roles.join(", ")}): recordsContext (loads the access context) ${contextMs.toFixed(3)}`);
    }
    log(`  ${"scenario".padEnd(26)} build SQL  knex run  pg same SQL  service total  JSON.stringify`);
    for (const scenario of scenarios) {
      const url = new URL(scenario.generic[0], "http://x");
      if (!scenario.page) {
        const id = url.pathname.split("/").pop()!;
        const serviceMs = await median(() => getRecord(context, OBJECT, id));
        const record = await getRecord(context, OBJECT, id);
        const query = db(OBJECT).select(object.readColumns).where({ id }).whereNull("deleted_at").first();
        const native = query.toSQL().toNative();
        const knexMs = await median(() => db(OBJECT).select(object.readColumns).where({ id }).whereNull("deleted_at").first());
        const pgMs = await median(() => pool.query(native.sql, native.bindings as unknown[]));
        const jsonMs = await median(() => JSON.stringify(record));
        log(`  ${scenario.name.padEnd(26)} ${"-".padStart(9)} ${knexMs.toFixed(3).padStart(9)} ${pgMs.toFixed(3).padStart(12)} ${serviceMs.toFixed(3).padStart(14)} ${jsonMs.toFixed(3).padStart(15)}`);
        continue;
      }
      const params = parseListQuery(Object.fromEntries(url.searchParams));
      const sort = parseSort(object, params.sort);
      const build = () =>
        buildListQuery(db, object, { filter: params.filter, sort, limit: 50, after: params.cursor ? decodeCursor(sort, params.cursor) : undefined });
      const buildMs = await median(() => build().toSQL());
      const native = build().toSQL().toNative();
      const knexMs = await median(() => build());
      const pgMs = await median(() => pool.query(native.sql, native.bindings as unknown[]));
      const serviceMs = await median(() => listRecords(context, OBJECT, params));
      const result = await listRecords(context, OBJECT, params);
      const jsonMs = await median(() => JSON.stringify(result));
      log(
        `  ${scenario.name.padEnd(26)} ${buildMs.toFixed(3).padStart(9)} ${knexMs.toFixed(3).padStart(9)} ${pgMs.toFixed(3).padStart(12)} ` +
          `${serviceMs.toFixed(3).padStart(14)} ${jsonMs.toFixed(3).padStart(15)}`,
      );
      log(`    SQL: ${native.sql.replace(/\s+/g, " ").slice(0, 400)}`);
    }
  } finally {
    await pool.end();
  }
}

