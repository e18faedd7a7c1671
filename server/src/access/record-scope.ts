// The record permission of a user on an object, as one predicate tree: (model, access context) → predicate.
import type { RecordRule, RoleDefinition, ScopeTerm } from "@crm/metadata";
import type { CompiledObject, Model } from "../registry/model";
import type { AccessContext } from "./context";

/** Which role and which dimension produced a leaf: explanations point back at the rule. */
export interface Origin {
  role: string;
  term: string;
}

export type ScopePredicate =
  | { type: "true"; origin?: Origin }
  | { type: "false" }
  | { type: "equals"; column: string; value: string; origin: Origin }
  | { type: "contains"; column: string; value: string; origin: Origin }
  | { type: "in"; column: string; values: string[]; origin: Origin }
  | { type: "filter"; expression: unknown; origin: Origin }
  /** The record's `column` points at a record of `target` that satisfies `predicate`. */
  | { type: "via"; column: string; target: string; predicate: ScopePredicate; origin?: Origin }
  /** The record is under approval and this user holds a pending task of it (approvers read what they approve). */
  | { type: "approver"; userId: string }
  | { type: "and"; items: ScopePredicate[] }
  | { type: "or"; items: ScopePredicate[] };

export type ScopeAction = "view" | "edit";

export const TRUE: ScopePredicate = { type: "true" };
export const FALSE: ScopePredicate = { type: "false" };

/** Folds constants so that "nothing granted" is a plain FALSE and "everything" a plain TRUE. */
export function and(items: ScopePredicate[]): ScopePredicate {
  const kept = items.flatMap((item) => (item.type === "and" ? item.items : [item])).filter((item) => item.type !== "true");
  if (kept.some((item) => item.type === "false")) return FALSE;
  if (kept.length === 0) return items.find((item) => item.type === "true") ?? TRUE;
  return kept.length === 1 ? kept[0] : { type: "and", items: kept };
}

export function or(items: ScopePredicate[]): ScopePredicate {
  const flat = items.flatMap((item) => (item.type === "or" ? item.items : [item])).filter((item) => item.type !== "false");
  const always = flat.find((item) => item.type === "true");
  if (always) return always;
  const kept = absorb(flat);
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0] : { type: "or", items: kept };
}

/** The predicate's meaning as a string: equal keys select the same rows (origins only explain). */
export function predicateKey(predicate: ScopePredicate): string {
  return JSON.stringify(predicate, (key, value) => (key === "origin" ? undefined : value));
}

/**
 * Drops alternatives that add no rows: repeats, and `X AND D` next to `D` (absorption). Several roles
 * often grant the same dimension, alone in one role and narrowed in another; every alternative left
 * in an OR costs an index scan, so fewer of them is a faster list and count.
 */
function absorb(items: ScopePredicate[]): ScopePredicate[] {
  const keys = items.map(predicateKey);
  const present = new Set(keys);
  return items.filter((item, index) => {
    if (keys.indexOf(keys[index]) !== index) return false;
    return !(item.type === "and" && item.items.some((part) => present.has(predicateKey(part))));
  });
}

export interface TermInput {
  model: Model;
  context: AccessContext;
  object: CompiledObject;
  role: RoleDefinition;
  /** Objects whose view scope is being built, to stop a customer term from recursing. */
  visiting: ReadonlySet<string>;
}

const belongsToCustomer = (object: CompiledObject) => object.columnByName.has("customer_id") && object.name !== "customer";

/** One management dimension → predicate; a missing input (no employee, no department, no grant) grants nothing. */
export function termPredicate(term: ScopeTerm, input: TermInput): ScopePredicate {
  if (typeof term === "object") {
    if ("any" in term) return or(term.any.map((item) => termPredicate(item, input)));
    return and(term.all.map((item) => termPredicate(item, input)));
  }
  const { context, object, role } = input;
  const origin = { role: role.name, term };
  const owned = object.definition.ownership === true;
  switch (term) {
    case "all":
      return { type: "true", origin };
    case "none":
      return FALSE;
    case "owner":
      return owned && context.employeeId ? { type: "equals", column: "owner_id", value: context.employeeId, origin } : FALSE;
    case "related":
      return owned && context.employeeId ? { type: "contains", column: "related_employee_ids", value: context.employeeId, origin } : FALSE;
    case "department":
      return owned && context.departmentId ? { type: "in", column: "department_id", values: [context.departmentId], origin } : FALSE;
    case "department_and_below":
      return owned && context.departmentAndBelow.length ? { type: "in", column: "department_id", values: context.departmentAndBelow, origin } : FALSE;
    case "department_range":
      return owned && context.departmentRange.length ? { type: "in", column: "department_id", values: context.departmentRange, origin } : FALSE;
    case "customer": {
      const customer = input.model.objects.get("customer");
      if (!customer || !belongsToCustomer(object) || input.visiting.has("customer")) return FALSE;
      const predicate = buildRecordScope({ model: input.model, context, object: customer, action: "view", visiting: new Set([...input.visiting, object.name]) });
      if (predicate.type === "false") return FALSE;
      return { type: "via", column: "customer_id", target: "customer", predicate, origin };
    }
    case "customer_dimension":
      return customerDimension(input, origin);
  }
}

/** 客户权限维度: "all" in the role, or the person's customer grant (on the customer, or through the record's customer). */
function customerDimension(input: TermInput, origin: Origin): ScopePredicate {
  const { role, context, object, model } = input;
  const applies = object.name === "customer" || belongsToCustomer(object);
  if (!applies) return FALSE;
  if (role.dimensions?.customer === "all") return { type: "true", origin };
  if (context.customerGrant === null || context.customerGrant === undefined) return FALSE;
  const grant: ScopePredicate = { type: "filter", expression: context.customerGrant, origin };
  if (object.name === "customer") return grant;
  return model.objects.has("customer") ? { type: "via", column: "customer_id", target: "customer", predicate: grant, origin } : FALSE;
}

export function ruleFor(role: RoleDefinition, object: CompiledObject): RecordRule | undefined {
  return role.records?.[object.name] ?? role.records?.["*"];
}

export function roleAllows(role: RoleDefinition, objectName: string, action: string): boolean {
  const actions = role.functions[objectName] ?? role.functions["*"] ?? [];
  return (actions as string[]).includes(action);
}

/** One role's scope for an action; edit is always within the role's view. */
export function roleScope(input: Omit<TermInput, "visiting"> & { action: ScopeAction; visiting?: ReadonlySet<string> }): ScopePredicate {
  const { role, object, action } = input;
  const rule = ruleFor(role, object);
  const visiting = input.visiting ?? new Set<string>();
  if (!rule || !roleAllows(role, object.name, "view")) return FALSE;
  const view = rule.view ? termPredicate(rule.view, { ...input, visiting }) : FALSE;
  if (action === "view") return view;
  if (!roleAllows(role, object.name, "edit") || !rule.edit) return FALSE;
  return and([view, termPredicate(rule.edit, { ...input, visiting })]);
}

export interface RecordScopeInput {
  model: Model;
  context: AccessContext;
  object: CompiledObject;
  action: ScopeAction;
  visiting?: ReadonlySet<string>;
}

/**
 * The records of `object` the user may view or edit: the union over their roles.
 * Master-detail lines have no scope of their own: they are visible and editable with their master.
 */
export function buildRecordScope(input: RecordScopeInput): ScopePredicate {
  if (input.context.unrestricted && !input.object.parent) return TRUE;
  if (input.object.parent) {
    const master = input.model.objects.get(input.object.parent);
    if (!master) return FALSE;
    const predicate = buildRecordScope({ ...input, object: master });
    // Even with every master visible, a line is only visible while its master is live (not soft-deleted).
    return predicate.type === "false" ? FALSE : { type: "via", column: "parent_id", target: master.name, predicate };
  }
  const scope = or(input.context.roles.map((role) => roleScope({ ...input, role })));
  // An approver may view (never edit) a record while its approval waits on them, wherever their scope ends.
  const approvals = input.model.workflows.get(input.object.name)?.stateField !== undefined;
  return approvals && input.action === "view" ? or([scope, { type: "approver", userId: input.context.actor.userId }]) : scope;
}
