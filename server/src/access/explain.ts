// Explains access: which role and which dimension lets a user view or edit a record, or why nothing does.
import type { Knex } from "knex";
import type { LocalizedText, RoleDefinition, ScopeTerm } from "@crm/metadata";
import type { CompiledObject, Model } from "../registry/model";
import type { AccessContext } from "./context";
import { buildRecordScope, roleAllows, ruleFor, termPredicate, type ScopeAction } from "./record-scope";
import { compileScope } from "./scope-sql";
import { fieldMask } from "./permissions";

const TERM_LABELS: Record<string, LocalizedText> = {
  all: { "zh-CN": "全部", en: "everything" },
  none: { "zh-CN": "无", en: "nothing" },
  owner: { "zh-CN": "负责员工是本人", en: "you are the owner (负责员工)" },
  related: { "zh-CN": "本人是相关员工", en: "you are a related employee (相关员工)" },
  department: { "zh-CN": "部门为本级", en: "the record is in your department (本级)" },
  department_and_below: { "zh-CN": "部门为本级及下级", en: "the record is in your department or below (本级及下级)" },
  department_range: { "zh-CN": "部门在您的部门范围内", en: "the record is in your chosen departments (部门范围)" },
  customer: { "zh-CN": "所属客户对您可见", en: "its customer is visible to you (所属客户)" },
  customer_dimension: { "zh-CN": "客户权限维度", en: "your customer grants (客户权限维度)" },
};

export interface TermVerdict {
  term: string;
  label: LocalizedText;
  holds: boolean;
  /** Why a term could not grant anything for this user, whatever the record. */
  missingInput?: LocalizedText;
}

export interface RoleVerdict {
  role: string;
  label: LocalizedText;
  functionAllowed: boolean;
  rule: ScopeTerm | null;
  allowed: boolean;
  terms: TermVerdict[];
}

export interface ActionVerdict {
  allowed: boolean;
  roles: RoleVerdict[];
  reason: LocalizedText;
}

function leafTerms(term: ScopeTerm | undefined): string[] {
  if (term === undefined) return [];
  if (typeof term === "string") return [term];
  return ("any" in term ? term.any : term.all).flatMap(leafTerms);
}

function missingInput(term: string, context: AccessContext): LocalizedText | undefined {
  if (["owner", "related"].includes(term) && !context.employeeId) return { "zh-CN": "账号未关联人员档案", en: "your account is not linked to an employee" };
  if (term === "department" || term === "department_and_below") {
    if (!context.departmentId) return { "zh-CN": "您没有所属部门", en: "you have no department" };
  }
  if (term === "department_range" && context.departmentRange.length === 0) return { "zh-CN": "您的账号没有设置部门范围", en: "no department range is set on your account" };
  return undefined;
}

/** Evaluates SQL conditions on one row in a single query. */
async function evaluateOnRow(db: Knex, model: Model, object: CompiledObject, id: string, conditions: Map<string, ReturnType<typeof compileScope>>): Promise<Record<string, boolean>> {
  if (conditions.size === 0) return {};
  const keys = [...conditions.keys()];
  const selects = keys.map((key, index) => `(${conditions.get(key)!.sql}) AS "c${index}"`).join(", ");
  const bindings = keys.flatMap((key) => conditions.get(key)!.bindings);
  const result = await db.raw(`SELECT ${selects} FROM "${object.name}" WHERE "${object.name}"."id" = ?`, [...bindings, id] as Knex.RawBinding[]);
  const row = result.rows[0] ?? {};
  return Object.fromEntries(keys.map((key, index) => [key, row[`c${index}`] === true]));
}

async function explainAction(db: Knex, model: Model, context: AccessContext, object: CompiledObject, id: string, action: ScopeAction): Promise<ActionVerdict> {
  const input = { model, object, alias: object.name };
  const conditions = new Map<string, ReturnType<typeof compileScope>>();
  const plans: { role: RoleDefinition; rule: ScopeTerm | null; terms: string[]; functionAllowed: boolean }[] = [];
  for (const role of context.roles) {
    const rule = ruleFor(role, input.object);
    const scopeTerm = rule?.[action] ?? null;
    const functionAllowed = roleAllows(role, input.object.name, "view") && (action === "view" || roleAllows(role, input.object.name, "edit"));
    const terms = [...new Set(leafTerms(scopeTerm ?? undefined))];
    plans.push({ role, rule: scopeTerm, terms, functionAllowed });
    const full = buildRecordScope({ model, context: { ...context, roles: [role] }, object, action });
    conditions.set(`role:${role.name}`, compileScope(full, { model, object: object.name, alias: object.name }));
    for (const term of terms) {
      const predicate = termPredicate(term as ScopeTerm, { model, context, object: input.object, role, visiting: new Set() });
      conditions.set(`term:${role.name}:${term}`, compileScope(predicate, { model, object: input.object.name, alias: object.name }));
    }
  }
  const results = await evaluateOnRow(db, model, object, id, conditions);
  const roles: RoleVerdict[] = plans.map(({ role, rule, terms, functionAllowed }) => ({
    role: role.name,
    label: role.label,
    functionAllowed,
    rule,
    allowed: results[`role:${role.name}`] === true,
    terms: terms.map((term) => ({
      term,
      label: TERM_LABELS[term] ?? { "zh-CN": term, en: term },
      holds: results[`term:${role.name}:${term}`] === true,
      missingInput: missingInput(term, context),
    })),
  }));
  const allowed = context.unrestricted || roles.some((role) => role.allowed);
  const granting = roles.find((role) => role.allowed);
  const holding = granting?.terms.find((term) => term.holds);
  const reason: LocalizedText = context.unrestricted
    ? { "zh-CN": "系统管理员不受数据权限限制", en: "administrators are not limited by data permissions" }
    : granting
      ? {
          "zh-CN": `角色「${granting.label["zh-CN"]}」授权：${holding?.label["zh-CN"] ?? "规则成立"}`,
          en: `granted by role "${granting.label.en}": ${holding?.label.en ?? "its rule holds"}`,
        }
      : roles.length === 0
        ? { "zh-CN": "您没有任何角色", en: "you have no role" }
        : { "zh-CN": "没有任何角色的规则对该记录成立", en: "no rule of your roles holds for this record" };
  return { allowed, roles, reason };
}

export async function explainAccess(db: Knex, model: Model, context: AccessContext, object: CompiledObject, id: string) {
  const mask = fieldMask(context, object);
  return {
    user: context.actor.username,
    object: object.name,
    record: id,
    view: await explainAction(db, model, context, object, id, "view"),
    edit: await explainAction(db, model, context, object, id, "edit"),
    fields: { hidden: [...mask.hidden].sort(), readOnly: [...mask.readOnly].sort() },
  };
}
