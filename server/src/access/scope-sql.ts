// Compiles a record-scope predicate to one SQL condition (pure): the permission goes inside the query itself.
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import { compileFilter, type CompiledFilter } from "../rules/filter-sql";
import { or, type ScopePredicate } from "./record-scope";

const quote = (identifier: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(identifier)) throw new Error(`not an identifier: ${identifier}`);
  return `"${identifier}"`;
};

interface CompileInput {
  model: Model;
  /** Object whose rows the condition filters. */
  object: string;
  /** SQL alias (or table name) of those rows. */
  alias: string;
  depth?: number;
}

export function compileScope(predicate: ScopePredicate, input: CompileInput): CompiledFilter {
  const column = (name: string) => `${quote(input.alias)}.${quote(name)}`;
  switch (predicate.type) {
    case "true":
      return { sql: "TRUE", bindings: [] };
    case "false":
      return { sql: "FALSE", bindings: [] };
    case "equals":
      return { sql: `${column(predicate.column)} = ?`, bindings: [predicate.value] };
    case "contains":
      // @> with a one-element array is what a GIN index on the array column serves.
      return { sql: `${column(predicate.column)} @> ARRAY[?]::uuid[]`, bindings: [predicate.value] };
    case "in":
      return {
        sql: `${column(predicate.column)} IN (${predicate.values.map(() => "?").join(", ")})`,
        bindings: predicate.values,
      };
    case "filter": {
      const object = input.model.objects.get(input.object);
      if (!object) return { sql: "FALSE", bindings: [] };
      return compileFilter(predicate.expression, object.filterFields, { tableAlias: input.alias });
    }
    case "via": {
      const local = onCopiedCustomerKeys(predicate, input);
      if (local) return compileScope(local, input);
      const depth = (input.depth ?? 0) + 1;
      const alias = `scope_${depth}`;
      const inner = compileScope(predicate.predicate, { model: input.model, object: predicate.target, alias, depth });
      return {
        sql: `${column(predicate.column)} IN (SELECT ${quote(alias)}."id" FROM ${quote(predicate.target)} AS ${quote(alias)} WHERE ${quote(alias)}."deleted_at" IS NULL AND (${inner.sql}))`,
        bindings: inner.bindings,
      };
    }
    case "approver":
      // Served by ix_approval_tasks_inbox (approver_user_id, status, …).
      return {
        sql: `${column("id")} IN (SELECT "approval_task"."record_id" FROM "sys"."approval_tasks" AS "approval_task" WHERE "approval_task"."approver_user_id" = ? AND "approval_task"."status" = 'pending' AND "approval_task"."object" = ?)`,
        bindings: [predicate.userId, input.object],
      };
    case "and":
    case "or": {
      const parts = predicate.items.map((item) => compileScope(item, input));
      return {
        sql: `(${parts.map((part) => part.sql).join(predicate.type === "and" ? " AND " : " OR ")})`,
        bindings: parts.flatMap((part) => part.bindings),
      };
    }
  }
}

/** Adds the scope to a query over `object` (rows addressed by `alias`, the table name when not aliased). */
export function applyScope(query: Knex.QueryBuilder, predicate: ScopePredicate, input: CompileInput): Knex.QueryBuilder {
  if (predicate.type === "true") return query;
  const compiled = compileScope(predicate, input);
  return query.whereRaw(compiled.sql, compiled.bindings as Knex.RawBinding[]);
}

const COPIED_KEYS: Record<string, string> = {
  owner_id: "customer_owner_id",
  department_id: "customer_department_id",
  related_employee_ids: "customer_related_ids",
};

/** The customer's owner / department / related conditions, moved onto the record's copies of them. */
function moveToCopies(predicate: ScopePredicate): ScopePredicate | null {
  switch (predicate.type) {
    case "false":
      return predicate;
    case "equals":
    case "contains":
    case "in":
      return COPIED_KEYS[predicate.column] ? { ...predicate, column: COPIED_KEYS[predicate.column] } : null;
    case "and":
    case "or": {
      const items = predicate.items.map(moveToCopies);
      return items.every((item) => item !== null) ? { type: predicate.type, items: items as ScopePredicate[] } : null;
    }
    default:
      // "all customers", grants over customer fields, deeper hops: only the sub-select can say.
      return null;
  }
}

/**
 * The scope with every "its customer is visible" alternative that the record's copies of its customer's scope keys
 * can answer written on those copies (as compileScope writes it), flattened into one OR: each alternative then is
 * one condition on one indexed column, which a scoped list reads and a scoped count counts from its own index.
 */
export function onOwnColumns(predicate: ScopePredicate, input: { model: Model; object: string }): ScopePredicate {
  if (predicate.type === "via") return onCopiedCustomerKeys(predicate, { ...input, alias: input.object }) ?? predicate;
  if (predicate.type !== "or") return predicate;
  return or(predicate.items.map((item) => onOwnColumns(item, input)));
}

/**
 * "Its customer is visible" as a condition on the record's own indexed columns, when the record carries
 * copies of its customer's scope keys and the customer's scope only uses those keys.
 */
function onCopiedCustomerKeys(predicate: Extract<ScopePredicate, { type: "via" }>, input: CompileInput): ScopePredicate | null {
  if (predicate.column !== "customer_id" || predicate.target !== "customer") return null;
  if (!input.model.objects.get(input.object)?.columnByName.has("customer_owner_id")) return null;
  const inner = predicate.predicate;
  if (inner.type !== "or") return moveToCopies(inner);
  // The same customer satisfies (a OR b OR c) iff it satisfies one of them: move what can be moved.
  const items = inner.items.map((item) => moveToCopies(item) ?? { ...predicate, predicate: item });
  return items.some((item) => item.type !== "via") ? { type: "or", items } : null;
}
