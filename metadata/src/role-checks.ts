// Cross checks of one role against the model: the objects and fields it names, and the scopes it gives them.
import { pointer, type IssueSink } from "./issues";
import type { ModelIndex } from "./model-index";
import { declaredActionNames } from "./action-checks";
import {
  ACTIONS,
  CUSTOMER_FIELD_NAME,
  EVERY_OBJECT,
  OWNERSHIP_FIELD_NAMES,
  type ObjectDefinition,
  type RoleDefinition,
  type ScopeTerm,
} from "./types";

export interface RoleContext {
  role: RoleDefinition;
  index: ModelIndex;
  sink: IssueSink;
}

/** Terms that read owner_id / related_employee_ids / department_id, which only ownership adds. */
const OWNERSHIP_TERMS: ReadonlySet<string> = new Set(["owner", "related", "department", "department_and_below", "department_range"]);

/** Fields a role may hide or make read-only: the declared ones and those ownership / belongsToCustomer add. */
function accessibleFieldNames(object: ObjectDefinition): Set<string> {
  const names = new Set(object.fields.map((f) => f.name));
  if (object.ownership) OWNERSHIP_FIELD_NAMES.forEach((n) => names.add(n));
  if (object.belongsToCustomer) names.add(CUSTOMER_FIELD_NAME);
  return names;
}

/** Has customer_id, added by belongsToCustomer or declared (always a lookup to customer, see field-checks). */
function belongsToCustomer(object: ObjectDefinition): boolean {
  if (object.name === "customer") return false;
  return object.belongsToCustomer === true || object.fields.some((f) => f.name === CUSTOMER_FIELD_NAME);
}

function checkObjectKeys({ role, index, sink }: RoleContext): void {
  for (const section of ["functions", "records", "fields"] as const) {
    for (const key of Object.keys(role[section] ?? {})) {
      if (key === EVERY_OBJECT || index.objectNames.has(key)) continue;
      sink.add(pointer(section, key), `对象 "${key}" 不存在`, `object "${key}" does not exist`);
    }
  }
}

function checkFieldNames({ role, index, sink }: RoleContext): void {
  for (const [objectName, fields] of Object.entries(role.fields ?? {})) {
    // Missing objects are reported by checkObjectKeys, invalid ones by their schema.
    const object = index.objects.get(objectName);
    if (object === undefined) continue;
    const names = accessibleFieldNames(object);
    for (const name of Object.keys(fields)) {
      if (names.has(name)) continue;
      sink.add(pointer("fields", objectName, name), `对象 "${objectName}" 没有字段 "${name}"`, `object "${objectName}" has no field "${name}"`);
    }
  }
}

/** Every named term of a scope tree, with its pointer. */
function namedTerms(term: ScopeTerm, path: string): Array<{ term: string; path: string }> {
  if (typeof term === "string") return [{ term, path }];
  const [combinator, terms] = "any" in term ? ["any", term.any] : ["all", term.all];
  return terms.flatMap((t, i) => namedTerms(t, `${path}${pointer(combinator, i)}`));
}

function termProblem(term: string, object: ObjectDefinition): { zh: string; en: string } | undefined {
  if (OWNERSHIP_TERMS.has(term) && !object.ownership) {
    return {
      zh: `数据范围 "${term}" 需要对象启用数据权限（ownership），对象 "${object.name}" 未启用`,
      en: `scope "${term}" needs an object with ownership; "${object.name}" has none`,
    };
  }
  // The record's customer must be visible: meaningless on customers themselves.
  if (term === "customer" && !belongsToCustomer(object)) {
    return {
      zh: `数据范围 "customer" 只适用于归属客户（有 customer_id）的对象，对象 "${object.name}" 不是`,
      en: `scope "customer" applies only to objects that belong to a customer (have customer_id); "${object.name}" does not`,
    };
  }
  if (term === "customer_dimension" && object.name !== "customer" && !belongsToCustomer(object)) {
    return {
      zh: `数据范围 "customer_dimension" 只适用于客户对象和归属客户的对象，对象 "${object.name}" 两者都不是`,
      en: `scope "customer_dimension" applies only to customer and to objects that belong to a customer; "${object.name}" is neither`,
    };
  }
  return undefined;
}

/** Under "*" every term is allowed: on the objects it does not fit, it simply grants nothing. */
function checkScopeTerms({ role, index, sink }: RoleContext): void {
  for (const [objectName, rule] of Object.entries(role.records ?? {})) {
    const object = index.objects.get(objectName);
    if (objectName === EVERY_OBJECT || object === undefined) continue;
    for (const action of ["view", "edit"] as const) {
      const scope = rule[action];
      if (scope === undefined) continue;
      for (const { term, path } of namedTerms(scope, pointer("records", objectName, action))) {
        const problem = termProblem(term, object);
        if (problem) sink.add(path, problem.zh, problem.en);
      }
    }
  }
}

/**
 * An edit scope does nothing without the edit function. An object's own functions entry replaces
 * "*" (it does not add to it), and a "*" rule serves the objects without a rule of their own.
 */
function checkEditScopes({ role, index, sink }: RoleContext): void {
  const records = role.records ?? {};
  const edits = (key: string) => (role.functions[key] ?? role.functions[EVERY_OBJECT] ?? []).includes("edit");
  for (const [objectName, rule] of Object.entries(records)) {
    if (rule.edit === undefined) continue;
    const at = pointer("records", objectName, "edit");
    if (objectName === EVERY_OBJECT) {
      const served = Object.keys(role.functions).filter((key) => key === EVERY_OBJECT || records[key] === undefined);
      if (served.some(edits)) continue;
      sink.add(at, "设置了编辑范围，但角色对任何对象都没有编辑（edit）权限", "edit scope without the edit permission on any object");
    } else if (index.objectNames.has(objectName) && !edits(objectName)) {
      sink.add(
        at,
        `设置了编辑范围，但角色没有对象 "${objectName}" 的编辑（edit）权限`,
        `edit scope without the edit permission on object "${objectName}"`,
      );
    }
  }
}

/**
 * A function is one of the fixed ACTIONS or an action the object declares (its name is its permission).
 * Under "*" any action some object declares is accepted: it applies to the objects that declare it.
 */
function checkFunctionNames({ role, index, sink }: RoleContext): void {
  const everyDeclared = new Set([...index.objects.values()].flatMap((object) => [...declaredActionNames(object)]));
  for (const [objectName, actions] of Object.entries(role.functions)) {
    // Missing objects are reported by checkObjectKeys; their actions cannot be known.
    if (objectName !== EVERY_OBJECT && !index.objects.has(objectName)) continue;
    const declared = objectName === EVERY_OBJECT ? everyDeclared : declaredActionNames(index.objects.get(objectName));
    actions.forEach((action, i) => {
      if ((ACTIONS as readonly string[]).includes(action) || declared.has(action)) return;
      sink.add(
        pointer("functions", objectName, i),
        `对象 "${objectName}" 没有名为 "${action}" 的操作`,
        `"${action}" is neither a built-in permission nor an action declared by "${objectName}"`,
      );
    });
  }
}

const roleChecks = [checkObjectKeys, checkFunctionNames, checkFieldNames, checkScopeTerms, checkEditScopes];

/** Every check that needs one role (valid by schema) and the model index. */
export function checkRole(ctx: RoleContext): void {
  for (const check of roleChecks) check(ctx);
}
