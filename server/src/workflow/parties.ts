// Resolves workflow parties (owner, owner's manager, role, named employee, employee field) to employees and accounts.
import type { Knex } from "knex";
import type { WorkflowParty } from "@crm/metadata";
import type { RecordValues } from "./interpreter";

export interface ResolvedParties {
  employeeIds: string[];
  /** Active accounts: the owners of inboxes and notifications. */
  userIds: string[];
}

/** The manager of the employee's department, walking up the tree past departments with none (or managed by the employee). */
export async function managerOf(db: Knex, employeeId: string): Promise<string | null> {
  const employee = await db("employee").where({ id: employeeId }).whereNull("deleted_at").first("department_id");
  let departmentId = (employee?.department_id as string | null) ?? null;
  const seen = new Set<string>();
  while (departmentId && !seen.has(departmentId)) {
    seen.add(departmentId);
    const department = await db("department").where({ id: departmentId }).whereNull("deleted_at").first("manager_id", "parent_department_id");
    if (!department) return null;
    if (department.manager_id && department.manager_id !== employeeId) return department.manager_id as string;
    departmentId = (department.parent_department_id as string | null) ?? null;
  }
  return null;
}

const asIds = (value: unknown): string[] => (Array.isArray(value) ? value.filter((id): id is string => typeof id === "string") : typeof value === "string" ? [value] : []);

export async function resolveParties(db: Knex, record: RecordValues, parties: readonly WorkflowParty[]): Promise<ResolvedParties> {
  const employeeIds = new Set<string>();
  const roleUserIds = new Set<string>();
  for (const party of parties) {
    if (party.type === "owner") asIds(record.owner_id).forEach((id) => employeeIds.add(id));
    else if (party.type === "field") asIds(record[party.field]).forEach((id) => employeeIds.add(id));
    else if (party.type === "owner_manager") {
      const owner = asIds(record.owner_id)[0];
      const manager = owner ? await managerOf(db, owner) : null;
      if (manager) employeeIds.add(manager);
    } else if (party.type === "employee") {
      const employee = await db("employee").where({ code: party.code }).whereNull("deleted_at").first("id");
      if (employee) employeeIds.add(employee.id as string);
    } else {
      const holders = await db("users").withSchema("sys").where({ active: true }).whereRaw("? = ANY(roles)", [party.role]).select("id", "employee_id");
      for (const holder of holders) {
        roleUserIds.add(holder.id as string);
        if (holder.employee_id) employeeIds.add(holder.employee_id as string);
      }
    }
  }
  const accounts = employeeIds.size
    ? await db("users").withSchema("sys").where({ active: true }).whereIn("employee_id", [...employeeIds]).select("id")
    : [];
  const userIds = new Set([...roleUserIds, ...accounts.map((account) => account.id as string)]);
  return { employeeIds: [...employeeIds].sort(), userIds: [...userIds].sort() };
}

/**
 * The language an employee reads in: their active account's locale (the oldest account when there are several),
 * zh-CN for an employee without one. What the workflow writes for someone (a planned activity's subject) is in it.
 */
export async function localeOfEmployee(db: Knex, employeeId: unknown): Promise<"zh-CN" | "en"> {
  if (typeof employeeId !== "string") return "zh-CN";
  const account = await db("users").withSchema("sys").where({ employee_id: employeeId, active: true }).orderBy("created_at").first("locale");
  return account?.locale === "en" ? "en" : "zh-CN";
}
