// Applies an organisation document (departments, people, accounts, grants) — a pack's demo org — idempotently.
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import { SYSTEM_ACTOR } from "../auth/actor";
import { hashPassword } from "../auth/passwords";
import { createRecord, type RecordsContext } from "../records/service";
import { unrestrictedAccess } from "../records/access-guard";
import { AppError } from "../errors/errors";

export interface OrgDocument {
  departments: { code: string; name: string; parent: string | null; virtual?: boolean }[];
  new_product_categories?: string[];
  people: {
    username: string;
    name: string;
    department: string;
    roles: string[];
    department_range?: string[];
    follows_new_product_category?: string;
    oversees?: string[];
    /** Codes of the departments this person manages (department.manager_id: approvals by the owner's manager). */
    manages?: string[];
  }[];
}

/** The label that makes an account an administrator rather than a role holder. */
const ADMIN_ROLE_LABELS = new Set(["系统管理员", "System administrator"]);

function roleNameByLabel(model: Model, label: string): string {
  for (const role of model.roles.values()) {
    if (role.name === label || role.label["zh-CN"] === label || role.label.en === label) return role.name;
  }
  throw new AppError("INVALID_METADATA", {
    details: [{ path: "/people/roles", message: { "zh-CN": `角色 "${label}" 不存在`, en: `The role "${label}" does not exist` } }],
  });
}

async function idsByCode(db: Knex, table: string): Promise<Map<string, string>> {
  const rows = await db(table).whereNull("deleted_at").select("id", "code");
  return new Map(rows.map((row) => [row.code as string, row.id as string]));
}

/** Creates what is missing; people and departments already there (by code / username) are left as they are. */
export async function applyOrg(db: Knex, model: Model, org: OrgDocument, options: { password: string }): Promise<{ departments: number; people: number }> {
  const context: RecordsContext = { db, model, actor: SYSTEM_ACTOR, access: unrestrictedAccess(SYSTEM_ACTOR) };
  const departments = await idsByCode(db, "department");
  let createdDepartments = 0;
  for (const department of org.departments) {
    if (departments.has(department.code)) continue;
    const parent = department.parent ? departments.get(department.parent) : undefined;
    const record = await createRecord(context, "department", {
      code: department.code,
      name: department.name,
      parent_department_id: parent ?? null,
      is_virtual: department.virtual === true,
    });
    departments.set(department.code, record.id as string);
    createdDepartments += 1;
  }

  const employees = await idsByCode(db, "employee");
  const passwordHash = await hashPassword(options.password);
  const employeeOf = new Map<string, string>();
  for (const [index, person] of org.people.entries()) {
    const code = `E${String(index + 1).padStart(4, "0")}`;
    let employeeId = employees.get(code);
    if (!employeeId) {
      const record = await createRecord(context, "employee", {
        code,
        name: person.name,
        department_id: departments.get(person.department),
        is_salesperson: person.roles.some((role) => ["销售负责", "跟单"].includes(role)),
        crm_login_enabled: true,
      });
      employeeId = record.id as string;
    }
    employeeOf.set(person.username, employeeId);
  }
  // Managers are set only where none is chosen yet, so an implementer's later choice survives re-application.
  for (const person of org.people) {
    for (const code of person.manages ?? []) {
      const departmentId = departments.get(code);
      if (departmentId) await db("department").where({ id: departmentId }).whereNull("manager_id").update({ manager_id: employeeOf.get(person.username) });
    }
  }
  let createdPeople = 0;
  for (const person of org.people) {
    const employeeId = employeeOf.get(person.username)!;
    const exists = await db("users").withSchema("sys").where({ username: person.username }).first("id");
    if (exists) {
      await db("users").withSchema("sys").where({ username: person.username }).whereNull("employee_id").update({ employee_id: employeeId });
      continue;
    }
    const isAdmin = person.roles.some((role) => ADMIN_ROLE_LABELS.has(role));
    await db("users").withSchema("sys").insert({
      username: person.username,
      display_name: person.name,
      password_hash: passwordHash,
      employee_id: employeeId,
      is_admin: isAdmin,
      roles: person.roles.filter((role) => !ADMIN_ROLE_LABELS.has(role)).map((role) => roleNameByLabel(model, role)),
      grants: JSON.stringify(personGrants(model, person, { departments, employeeOf })),
    });
    createdPeople += 1;
  }
  return { departments: createdDepartments, people: createdPeople };
}

/** Codes and names in the org document become the ids and option values the rules compare. */
function personGrants(model: Model, person: OrgDocument["people"][number], ids: { departments: Map<string, string>; employeeOf: Map<string, string> }) {
  const category = person.follows_new_product_category;
  return {
    departmentRange: (person.department_range ?? []).map((code) => ids.departments.get(code)).filter(Boolean),
    ...(category ? { followsNewProductCategory: optionValueByLabel(model, "new_product_category", category) } : {}),
    ...(person.oversees ? { oversees: person.oversees.map((username) => ids.employeeOf.get(username)).filter(Boolean) } : {}),
  };
}

function optionValueByLabel(model: Model, optionSet: string, label: string): string {
  for (const option of model.optionSets.get(optionSet)?.options ?? []) {
    if (typeof option === "string") {
      if (option === label) return option;
    } else if (option.value === label || option.label?.["zh-CN"] === label || option.label?.en === label) return option.value;
  }
  return label;
}
