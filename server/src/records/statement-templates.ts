// Compiled read statements reused by every request of the same shape (pure, apart from the cache itself).
//
// A page of a list differs from the previous request's page of the same list only in its cursor values, and a record
// read by id from the previous one only in its id. The statement is compiled once with a unique mark standing for
// each such value; the marks are then found among the compiled bindings, and a later request only puts its own
// values in their places. Everything else that decides the text (object, the user's scope and field mask, sort,
// filter, search, limit, which cursor values are NULL) is part of the key the compiled statement is kept under.
import { randomBytes } from "node:crypto";
import type { Knex } from "knex";

export interface CompiledStatement {
  /** PostgreSQL text, `$n` placeholders. */
  sql: string;
  /** Bindings as compiled: the marks' places hold the marks until bindingsFor fills them. */
  bindings: readonly unknown[];
  /** Which binding takes which of the request's values. */
  slots: readonly { binding: number; value: number }[];
}

const markPrefix = `\u0000slot:${randomBytes(6).toString("hex")}:`;

/** `count` values no request can send (a NUL byte is refused by PostgreSQL in text and never decoded from a cursor). */
export function slotMarks(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${markPrefix}${index}`);
}

const containsMark = (value: unknown): boolean =>
  typeof value === "string" ? value.includes(markPrefix) : Array.isArray(value) && value.some(containsMark);

/**
 * The query compiled with its marks located, or undefined when a mark did not end up as a whole binding (it was
 * written into the text, or transformed): such a statement cannot be reused with other values.
 */
export function compileWithSlots(query: Knex.QueryBuilder | Knex.Raw, marks: readonly string[]): CompiledStatement | undefined {
  const native = query.toSQL().toNative();
  if (native.sql.includes(markPrefix)) return undefined;
  const slots: { binding: number; value: number }[] = [];
  for (const [index, binding] of native.bindings.entries()) {
    const value = typeof binding === "string" ? marks.indexOf(binding) : -1;
    if (value !== -1) slots.push({ binding: index, value });
    else if (containsMark(binding)) return undefined;
  }
  return { sql: native.sql, bindings: native.bindings, slots };
}

/** The statement's bindings with this request's values in the marks' places. */
export function bindingsFor(statement: CompiledStatement, values: readonly unknown[]): readonly unknown[] {
  if (statement.slots.length === 0) return statement.bindings;
  const bindings = statement.bindings.slice();
  for (const slot of statement.slots) bindings[slot.binding] = values[slot.value];
  return bindings;
}

/**
 * Compiled statements kept per owner (the user's access context, which lives for a second in the server's cache, or
 * the model for administrators) and key, so that they go when their owner does; at most `maxPerOwner` per owner.
 */
export class TemplateCache<Template> {
  private readonly byOwner = new WeakMap<object, Map<string, Template>>();

  constructor(private readonly maxPerOwner = 256) {}

  get(owner: object, key: string, build: () => Template): Template {
    let entries = this.byOwner.get(owner);
    if (!entries) this.byOwner.set(owner, (entries = new Map()));
    if (entries.has(key)) return entries.get(key)!;
    const template = build();
    if (entries.size >= this.maxPerOwner) entries.delete(entries.keys().next().value!);
    entries.set(key, template);
    return template;
  }
}
