// Applies the access decision to the records service's queries and shapes (hidden fields, scopes).
import type { Knex } from "knex";
import type { CompiledObject, Model } from "../registry/model";
import type { AccessContext } from "../access/context";
import type { Actor } from "../auth/actor";
import { buildRecordScope, type ScopeAction } from "../access/record-scope";
import { applyScope, compileScope } from "../access/scope-sql";
import { fieldMask, type FieldMask } from "../access/permissions";

/** Full access, for the platform's own work (boot, pack application) and administrators. */
export function unrestrictedAccess(actor: Actor): AccessContext {
  return {
    actor,
    unrestricted: true,
    employeeId: actor.employeeId,
    departmentId: null,
    departmentAndBelow: [],
    departmentRange: [],
    customerGrant: null,
    roles: [],
  };
}

const shapes = new WeakMap<CompiledObject, Map<string, CompiledObject>>();

/**
 * The object as this user sees it: hidden fields are not read, cannot be filtered, sorted or searched on.
 * Cached per object and mask, since masks repeat across users of the same roles.
 */
export function visibleShape(object: CompiledObject, mask: FieldMask): CompiledObject {
  if (mask.hidden.size === 0) return object;
  const key = [...mask.hidden].sort().join(",");
  let byMask = shapes.get(object);
  if (!byMask) shapes.set(object, (byMask = new Map()));
  const cached = byMask.get(key);
  if (cached) return cached;
  const shape: CompiledObject = {
    ...object,
    readColumns: object.readColumns.filter((name) => !mask.hidden.has(name)),
    filterFields: new Map([...object.filterFields].filter(([name]) => !mask.hidden.has(name))),
    searchColumns: object.searchColumns.filter((name) => !mask.hidden.has(name)),
    defaultSort: mask.hidden.has(object.defaultSort.replace(/^-/, "").split(",")[0]) ? "-created_at" : object.defaultSort,
  };
  byMask.set(key, shape);
  return shape;
}

export function maskOf(access: AccessContext, object: CompiledObject): FieldMask {
  return fieldMask(access, object);
}

export function scopeQuery(input: {
  model: Model;
  access: AccessContext;
  object: CompiledObject;
  query: Knex.QueryBuilder;
  action: ScopeAction;
  alias?: string;
}): Knex.QueryBuilder {
  const predicate = buildRecordScope({ model: input.model, context: input.access, object: input.object, action: input.action });
  return applyScope(input.query, predicate, { model: input.model, object: input.object.name, alias: input.alias ?? input.object.name });
}

/** Which of the given ids are within the user's scope for the action (one query). */
export async function idsWithinScope(input: {
  db: Knex;
  model: Model;
  access: AccessContext;
  object: CompiledObject;
  ids: string[];
  action: ScopeAction;
}): Promise<Set<string>> {
  if (input.ids.length === 0) return new Set();
  const predicate = buildRecordScope({ model: input.model, context: input.access, object: input.object, action: input.action });
  if (predicate.type === "false") return new Set();
  const query = input.db(input.object.name).whereIn("id", input.ids).whereNull("deleted_at").select("id");
  if (predicate.type !== "true") {
    const compiled = compileScope(predicate, { model: input.model, object: input.object.name, alias: input.object.name });
    query.whereRaw(compiled.sql, compiled.bindings as Knex.RawBinding[]);
  }
  return new Set((await query).map((row: { id: string }) => row.id));
}
