// Automatic grants (自动授权, SPEC C6): rules that make people related employees of records, applied set-wise in SQL.
import type { Knex } from "knex";
import type { GrantRule } from "@crm/metadata";
import type { CompiledObject, Model } from "../registry/model";
import { compileFilter } from "../rules/filter-sql";
import { ExpressionError } from "../rules/errors";
import { propagateCustomerScope } from "./customer-scope";

/** A person who may receive a rule's grant, with the attributes its condition may read as person.<name>. */
export interface GrantCandidate {
  employee_id: string;
  department_id: string | null;
  [attribute: string]: unknown;
}

/**
 * Substitutes the person's attributes into the condition, leaving a filter over the record's fields:
 * { "in": [ { "var": "person.followsNewProductCategory" }, { "var": "record.new_product_categories" } ] }
 * becomes { "in": [ "waterborne_coating", { "var": "new_product_categories" } ] }. Missing attributes become null
 * (which grants nothing).
 */
export function bindPerson(condition: unknown, person: GrantCandidate): unknown {
  if (Array.isArray(condition)) return condition.map((item) => bindPerson(item, person));
  if (condition === null || typeof condition !== "object") return condition;
  const entries = Object.entries(condition);
  if (entries.length === 1 && entries[0][0] === "var") {
    const name = Array.isArray(entries[0][1]) ? entries[0][1][0] : entries[0][1];
    if (typeof name === "string" && name.startsWith("person.")) return person[name.slice("person.".length)] ?? null;
    if (typeof name === "string" && name.startsWith("record.")) return { var: name.slice("record.".length) };
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, bindPerson(value, person)]));
}

/** Holders of the rule's role, with their employee and grants (people without an employee cannot be related). */
export async function grantCandidates(db: Knex, role: string): Promise<GrantCandidate[]> {
  const rows = await db("users as u")
    .withSchema("sys")
    .where("u.active", true)
    .whereNotNull("u.employee_id")
    .whereRaw("? = ANY(u.roles)", [role])
    .select("u.employee_id", "u.grants");
  const employees = rows.length
    ? await db("employee").whereIn("id", rows.map((row) => row.employee_id)).select("id", "department_id")
    : [];
  const departmentOf = new Map(employees.map((row) => [row.id as string, row.department_id as string | null]));
  return rows.map((row) => ({ ...(row.grants as object), employee_id: row.employee_id, department_id: departmentOf.get(row.employee_id) ?? null }));
}

export interface GrantScope {
  /** Only these rules (by name); every rule of the model when omitted. */
  rules?: string[];
  /** Only records of this object … */
  object?: string;
  /** … and only these records. */
  recordIds?: string[];
}

export interface GrantResult {
  granted: number;
  revoked: number;
}

/**
 * The rule's condition for one person as SQL. A person lacking an attribute the rule needs (no category,
 * nobody overseen) leaves a condition that cannot compile: such a person is granted nothing.
 */
function personFilter(rule: GrantRule, object: CompiledObject, person: GrantCandidate): { sql: string; bindings: unknown[] } {
  try {
    return compileFilter(bindPerson(rule.condition, person), object.filterFields);
  } catch (error) {
    if (error instanceof ExpressionError) return { sql: "FALSE", bindings: [] };
    throw error;
  }
}

const restrictTo = (query: Knex.QueryBuilder, ids?: string[]) => (ids ? query.whereIn("id", ids) : query);

/**
 * Grants are kept per employee; several accounts of one employee (each with its own grants) grant
 * whatever any of them would, so they never take back each other's grants.
 */
async function applyForEmployee(trx: Knex.Transaction, rule: GrantRule, object: CompiledObject, accounts: GrantCandidate[], recordIds?: string[]): Promise<GrantResult> {
  const parts = accounts.map((account) => personFilter(rule, object, account));
  // Parenthesised as a whole: knex's whereRaw does not, and an OR between two accounts' conditions would
  // otherwise escape the record ids, deleted_at and "not yet granted" terms around it.
  const filter = { sql: `(${parts.map((part) => `(${part.sql})`).join(" OR ")})`, bindings: parts.flatMap((part) => part.bindings) };
  const employee = accounts[0].employee_id;
  const granted: { id: string }[] = await restrictTo(trx(object.name), recordIds)
    .whereNull("deleted_at")
    .whereRaw(filter.sql, filter.bindings as Knex.RawBinding[])
    .whereRaw("NOT (related_employee_ids @> ARRAY[?]::uuid[])", [employee])
    .update({ related_employee_ids: trx.raw("array_append(related_employee_ids, ?::uuid)", [employee]) })
    .returning("id");
  if (granted.length) {
    const rows = granted.map((row) => ({ rule: rule.name, object: object.name, record_id: row.id, employee_id: employee }));
    for (let start = 0; start < rows.length; start += 1000) {
      await trx("auto_grants").withSchema("sys").insert(rows.slice(start, start + 1000)).onConflict().ignore();
    }
  }
  // Only what this rule granted is taken back; a manual 相关员工 entry is never touched.
  const ownGrants = trx("auto_grants").withSchema("sys").where({ rule: rule.name, object: object.name, employee_id: employee }).select("record_id");
  if (recordIds) ownGrants.whereIn("record_id", recordIds);
  const revoked: { id: string }[] = await trx(object.name)
    .whereIn("id", ownGrants)
    .whereRaw(`NOT (${filter.sql})`, filter.bindings as Knex.RawBinding[])
    .update({ related_employee_ids: trx.raw("array_remove(related_employee_ids, ?::uuid)", [employee]) })
    .returning("id");
  if (revoked.length) {
    await trx("auto_grants").withSchema("sys").where({ rule: rule.name, object: object.name, employee_id: employee }).whereIn("record_id", revoked.map((row) => row.id)).delete();
  }
  if (object.name === "customer") await propagateCustomerScope(trx, object.model, [...granted, ...revoked].map((row) => row.id));
  return { granted: granted.length, revoked: revoked.length };
}

/** Takes back a rule's grants from people who no longer hold its role (or grants of rules that are gone). */
async function revokeFromOthers(trx: Knex.Transaction, ruleName: string, object: string, keep: string[], recordIds?: string[], model?: Model): Promise<number> {
  const stale = trx("auto_grants").withSchema("sys").where({ rule: ruleName, object });
  if (keep.length) stale.whereNotIn("employee_id", keep);
  if (recordIds) stale.whereIn("record_id", recordIds);
  const rows: { record_id: string; employee_id: string }[] = await stale.clone().select("record_id", "employee_id");
  for (const row of rows) {
    await trx(object).where({ id: row.record_id }).update({ related_employee_ids: trx.raw("array_remove(related_employee_ids, ?::uuid)", [row.employee_id]) });
  }
  if (object === "customer" && rows.length && model) await propagateCustomerScope(trx, model, rows.map((row) => row.record_id));
  await stale.delete();
  return rows.length;
}

/**
 * Brings the automatic grants of the given scope up to date: after a record is written, after a rule
 * changes, after a person's roles or grants change. Runs inside the caller's transaction.
 */
export async function applyGrantRules(trx: Knex.Transaction, model: Model, scope: GrantScope = {}): Promise<GrantResult> {
  const total: GrantResult = { granted: 0, revoked: 0 };
  const rules = model.grantRules.filter((rule) => !scope.rules || scope.rules.includes(rule.name));
  for (const rule of rules) {
    const candidates = await grantCandidates(trx, rule.role);
    for (const objectName of rule.objects) {
      if (scope.object && scope.object !== objectName) continue;
      const object = model.objects.get(objectName);
      if (!object?.definition.ownership) continue;
      const byEmployee = new Map<string, GrantCandidate[]>();
      for (const person of candidates) byEmployee.set(person.employee_id, [...(byEmployee.get(person.employee_id) ?? []), person]);
      for (const accounts of byEmployee.values()) {
        const result = await applyForEmployee(trx, rule, object, accounts, scope.recordIds);
        total.granted += result.granted;
        total.revoked += result.revoked;
      }
      total.revoked += await revokeFromOthers(trx, rule.name, objectName, candidates.map((person) => person.employee_id), scope.recordIds, model);
    }
  }
  if (!scope.rules && !scope.object) {
    const known = model.grantRules.map((rule) => rule.name);
    const orphans = await trx("auto_grants").withSchema("sys").modify((query) => (known.length ? query.whereNotIn("rule", known) : query)).distinct("rule", "object");
    for (const orphan of orphans) total.revoked += await revokeFromOthers(trx, orphan.rule, orphan.object, [], undefined, model);
  }
  return total;
}

/** Whether any rule grants on this object (so writes know to re-apply). */
export const hasGrantRules = (model: Model, object: string) => model.grantRules.some((rule) => rule.objects.includes(object));
