// The automatic grant rules applied to generated records as they are made, the way applyGrantRules
// (server/src/access/auto-grants.ts) would apply them to the loaded rows: the same candidates, the same conditions
// bound to each person (evaluated with the rules engine, which the SQL compiler agrees with), the same order of
// grants, and a sys.auto_grants row for each. Applying them in SQL after the load rewrote every granted row and,
// for customers, every record of the customer; here they cost a cached lookup per record.
import type { Knex } from "knex";
import type { GrantRule } from "@crm/metadata";
import type { CompiledObject, Model } from "../../../server/src/registry/model";
import type { RecordValues } from "../../../server/src/records/computed-values";
import { CUSTOMER_SCOPE_COLUMNS } from "../../../server/src/registry/columns";
import { bindPerson, grantCandidates, type GrantCandidate } from "../../../server/src/access/auto-grants";
import { compileFilter } from "../../../server/src/rules/filter-sql";
import { matches } from "../../../server/src/rules/engine";
import { ExpressionError } from "../../../server/src/rules/errors";
import type { BulkColumn } from "../../../server/src/db/bulk-load";

/** The columns of sys.auto_grants the loader writes (granted_at takes its default, the transaction's time). */
export const AUTO_GRANT_COLUMNS: BulkColumn[] = [
  { name: "rule", sqlType: "text", kind: "text" },
  { name: "object", sqlType: "text", kind: "text" },
  { name: "record_id", sqlType: "uuid", kind: "uuid" },
  { name: "employee_id", sqlType: "uuid", kind: "uuid" },
];
export const AUTO_GRANTS_TABLE = "sys.auto_grants";

/** One employee's grant under one rule on one object: the conditions of their accounts, any of which grants. */
interface EmployeeGrant {
  rule: string;
  employeeId: string;
  conditions: unknown[];
  /** Fields the conditions read: the answer is cached per combination of their values. */
  fields: string[];
  answers: Map<string, boolean>;
}

/** The field names a bound condition reads (the first segment of each var). */
function fieldsOf(condition: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(condition)) for (const item of condition) fieldsOf(item, into);
  else if (condition !== null && typeof condition === "object") {
    for (const [key, value] of Object.entries(condition)) {
      const name = Array.isArray(value) ? value[0] : value;
      if (key === "var" && typeof name === "string") into.add(name.split(".")[0]);
      else fieldsOf(value, into);
    }
  }
  return into;
}

const keyPart = (value: unknown): string => (value === null || value === undefined ? "\u0000" : typeof value === "object" ? JSON.stringify(value) : `${typeof value}:${String(value)}`);

/**
 * The person's condition, when it applies to the object at all: a person lacking an attribute the rule needs leaves a
 * condition that does not compile, and applyGrantRules grants them nothing (personFilter's FALSE).
 */
function boundCondition(rule: GrantRule, object: CompiledObject, person: GrantCandidate): unknown | null {
  const condition = bindPerson(rule.condition, person);
  try {
    compileFilter(condition, object.filterFields);
    return condition;
  } catch (error) {
    if (error instanceof ExpressionError) return null;
    throw error;
  }
}

export class GeneratedGrants {
  private readonly byObject = new Map<string, EmployeeGrant[]>();
  /** sys.auto_grants rows made so far: [rule, object, record_id, employee_id]. */
  granted = 0;

  private constructor(model: Model, candidatesByRole: Map<string, GrantCandidate[]>) {
    for (const rule of model.grantRules) {
      for (const objectName of rule.objects) {
        const object = model.objects.get(objectName);
        if (!object?.definition.ownership) continue;
        // Accounts grouped by employee, in the order the candidates come (as applyGrantRules groups them).
        const byEmployee = new Map<string, GrantCandidate[]>();
        for (const person of candidatesByRole.get(rule.role) ?? []) byEmployee.set(person.employee_id, [...(byEmployee.get(person.employee_id) ?? []), person]);
        const grants = this.byObject.get(objectName) ?? [];
        for (const [employeeId, accounts] of byEmployee) {
          const conditions = accounts.map((account) => boundCondition(rule, object, account)).filter((condition) => condition !== null);
          if (conditions.length === 0) continue;
          const fields = new Set<string>();
          for (const condition of conditions) fieldsOf(condition, fields);
          grants.push({ rule: rule.name, employeeId, conditions, fields: [...fields], answers: new Map() });
        }
        if (grants.length) this.byObject.set(objectName, grants);
      }
    }
  }

  /** The rules' candidates as they are now (read inside the generator's transaction). */
  static async load(trx: Knex.Transaction, model: Model): Promise<GeneratedGrants> {
    const candidatesByRole = new Map<string, GrantCandidate[]>();
    for (const rule of model.grantRules) if (!candidatesByRole.has(rule.role)) candidatesByRole.set(rule.role, await grantCandidates(trx, rule.role));
    return new GeneratedGrants(model, candidatesByRole);
  }

  /** Whether any rule grants on this object. */
  appliesTo(objectName: string): boolean {
    return this.byObject.has(objectName);
  }

  /**
   * Makes the employees whose rule matches the record related employees of it (after those already there, in rule
   * order), and hands each new grant to `record` as a sys.auto_grants row.
   */
  apply(objectName: string, values: RecordValues, record: (row: unknown[]) => void): void {
    const grants = this.byObject.get(objectName);
    if (!grants) return;
    for (const grant of grants) {
      const related = (values.related_employee_ids as string[] | undefined) ?? [];
      if (related.includes(grant.employeeId) || !this.matches(grant, values)) continue;
      // A new array: the one there may be shared (a customer's related employees are copied onto its records).
      values.related_employee_ids = [...related, grant.employeeId];
      record([grant.rule, objectName, values.id, grant.employeeId]);
      this.granted += 1;
    }
  }

  private matches(grant: EmployeeGrant, values: RecordValues): boolean {
    let key = "";
    for (const field of grant.fields) key += `${keyPart(values[field])}\u0001`;
    let answer = grant.answers.get(key);
    if (answer === undefined) {
      // A loaded row has every column: a field the generator left out is null, as the SQL condition would see it.
      const row: RecordValues = {};
      for (const field of grant.fields) row[field] = values[field] ?? null;
      answer = grant.conditions.some((condition) => matches(condition, row));
      grant.answers.set(key, answer);
    }
    return answer;
  }
}

/**
 * Copies a customer's scope keys onto records of it made before the customer itself (the customer's grants are known
 * only once its record is complete), as syncCustomerScope would after the write.
 */
export function copyCustomerScope(customer: RecordValues, values: RecordValues): void {
  for (const column of CUSTOMER_SCOPE_COLUMNS) values[column.name] = customer[column.source] ?? (column.kind === "uuid_array" ? [] : null);
}
