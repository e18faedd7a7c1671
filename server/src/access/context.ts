// The access context of a user: who they are in the organisation, their roles and their grants.
import type { Knex } from "knex";
import type { RoleDefinition } from "@crm/metadata";
import type { Actor } from "../auth/actor";
import type { Model } from "../registry/model";

/** Grants chosen per person (not per role): stored on the login account. */
export interface PersonGrants {
  /** 部门范围: department ids chosen for this person (each includes its sub-departments). */
  departmentRange?: string[];
  /** 客户权限维度: json-logic over customer fields selecting the customers granted to this person. */
  customers?: unknown;
}

export interface AccessContext {
  actor: Actor;
  /** Administrators bypass function, record and field permissions. */
  unrestricted: boolean;
  employeeId: string | null;
  departmentId: string | null;
  /** 本级及下级: the person's department and every department below it. */
  departmentAndBelow: string[];
  /** 部门范围 with every department below the chosen ones. */
  departmentRange: string[];
  customerGrant: unknown;
  roles: RoleDefinition[];
}

interface DepartmentRow {
  id: string;
  parent_department_id: string | null;
}

/** Every department at or below the given ones (the tree is small: a few hundred rows at most). */
export function expandSubtrees(departments: DepartmentRow[], roots: readonly string[]): string[] {
  const children = new Map<string, string[]>();
  for (const department of departments) {
    if (!department.parent_department_id) continue;
    const list = children.get(department.parent_department_id) ?? [];
    list.push(department.id);
    children.set(department.parent_department_id, list);
  }
  const known = new Set(departments.map((department) => department.id));
  const result = new Set<string>();
  const pending = roots.filter((root) => known.has(root));
  while (pending.length) {
    const next = pending.pop()!;
    if (result.has(next)) continue;
    result.add(next);
    pending.push(...(children.get(next) ?? []));
  }
  return [...result].sort();
}

export function rolesOf(model: Model, names: readonly string[]): RoleDefinition[] {
  return names.map((name) => model.roles.get(name)).filter((role): role is RoleDefinition => role !== undefined);
}

/** Reads what the access decision needs; the decision itself stays pure (see record-scope.ts). */
export async function loadAccessContext(db: Knex, model: Model, actor: Actor): Promise<AccessContext> {
  const account = await db("users").withSchema("sys").where({ id: actor.userId }).first("grants");
  const grants: PersonGrants = (account?.grants as PersonGrants | undefined) ?? {};
  let departmentId: string | null = null;
  let departments: DepartmentRow[] = [];
  if (model.objects.get("department")?.columnByName.has("parent_department_id")) {
    departments = await db("department").whereNull("deleted_at").select("id", "parent_department_id");
  }
  if (actor.employeeId && model.objects.get("employee")?.columnByName.has("department_id")) {
    const employee = await db("employee").where({ id: actor.employeeId }).whereNull("deleted_at").first("department_id");
    departmentId = (employee?.department_id as string | null) ?? null;
  }
  return {
    actor,
    unrestricted: actor.isAdmin,
    employeeId: actor.employeeId,
    departmentId,
    departmentAndBelow: departmentId ? expandSubtrees(departments, [departmentId]) : [],
    departmentRange: expandSubtrees(departments, grants.departmentRange ?? []),
    customerGrant: grants.customers ?? null,
    roles: rolesOf(model, actor.roles),
  };
}
