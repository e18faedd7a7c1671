// Shared filter cases: json-logic → exact SQL, and records with the match json-logic says they have.
import type { FilterField, FilterFieldKind } from "./filter-sql";

/** A record as the database layer returns it, keyed by field name (missing fields are NULL). */
export type CaseRecord = Partial<Record<string, unknown>>;

export type FilterCase = [
  description: string,
  expression: unknown,
  records?: ReadonlyArray<readonly [CaseRecord, boolean]>,
  expectedSql?: string,
  expectedBindings?: unknown[],
];

const field = (name: string, kind: FilterFieldKind, sqlType: string, column = name) => ({ name, column, kind, sqlType });

/**
 * The test table: one column per kind (two integer widths, since bindings differ for them). The text
 * column uses a linguistic collation, as production databases do, so that ordering must use "C".
 */
export const CASE_COLUMNS = [
  field("name", "text", 'text COLLATE "und-x-icu"'),
  field("amount", "number", "numeric"),
  field("quantity", "number", "bigint"),
  field("version", "number", "integer"),
  field("due", "date", "date"),
  field("seen_at", "datetime", "timestamptz"),
  field("active", "boolean", "boolean"),
  field("owner", "uuid", "uuid", "owner_id"),
  field("tags", "text_array", "text[]"),
  field("members", "uuid_array", "uuid[]"),
] as const;

export const CASE_FIELDS: ReadonlyMap<string, FilterField> = new Map(
  CASE_COLUMNS.map(({ name, column, kind }) => [name, { name, column, kind }]),
);

/** A full row: every field present, NULL (null) unless the case sets it, as the database returns it. */
export const fullRecord = (record: CaseRecord): Record<string, unknown> =>
  Object.fromEntries(CASE_COLUMNS.map(({ name }) => [name, record[name] ?? null]));

const U1 = "0b6a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const U2 = "f0e1d2c3-b4a5-4968-8776-655443322110";
const T = "2024-03-01T08:00:00.000Z";
const T_NEXT = "2024-03-01T08:00:00.001Z";

const eq = (name: string, value: unknown) => ({ "==": [{ var: name }, value] });

export const FILTER_CASES: FilterCase[] = [
  ["== text", eq("name", "Acme"), [[{ name: "Acme" }, true], [{ name: "acme" }, false], [{}, false]],
    '("name" IS NOT NULL AND "name" = ?)', ["Acme"]],
  ["== with the literal first", { "==": ["Acme", { var: "name" }] }, [[{ name: "Acme" }, true]],
    '("name" IS NOT NULL AND "name" = ?)', ["Acme"]],
  ["== Chinese text", eq("name", "客户"), [[{ name: "客户" }, true], [{ name: "客户 " }, false]],
    '("name" IS NOT NULL AND "name" = ?)', ["客户"]],
  ["== null", eq("name", null), [[{}, true], [{ name: "" }, false]], '"name" IS NULL', []],
  ["=== null on an array field", { "===": [{ var: "tags" }, null] }, [[{}, true], [{ tags: [] }, false]], '"tags" IS NULL', []],
  ["!= null", { "!=": [{ var: "name" }, null] }, [[{}, false], [{ name: "" }, true]], '"name" IS NOT NULL', []],
  ["!= keeps NULLs (null != 5)", { "!=": [{ var: "amount" }, 5] }, [[{ amount: 5 }, false], [{}, true], [{ amount: 6 }, true]],
    '"amount" IS DISTINCT FROM ?', [5]],
  ["=== 0", { "===": [{ var: "amount" }, 0] }, [[{ amount: 0 }, true], [{}, false]],
    '("amount" IS NOT NULL AND "amount" = ?)', [0]],
  ["== false is not == null", eq("active", false), [[{ active: false }, true], [{}, false], [{ active: true }, false]],
    '("active" IS NOT NULL AND "active" = ?)', [false]],
  ["== uuid through the column name", eq("owner", U1), [[{ owner: U1 }, true], [{ owner: U2 }, false], [{}, false]],
    '("owner_id" IS NOT NULL AND "owner_id" = ?)', [U1]],
  ["== date", eq("due", "2024-02-29"), [[{ due: "2024-02-29" }, true], [{ due: "2024-03-01" }, false]],
    '("due" IS NOT NULL AND "due" = ?)', ["2024-02-29"]],
  ["< on NULL is false", { "<": [{ var: "amount" }, 5] }, [[{}, false], [{ amount: 4.5 }, true], [{ amount: 5 }, false]],
    '("amount" IS NOT NULL AND "amount" < ?)', [5]],
  ["! (< on NULL) is true", { "!": { "<": [{ var: "amount" }, 5] } }, [[{}, true], [{ amount: 4 }, false]],
    'NOT (("amount" IS NOT NULL AND "amount" < ?))', [5]],
  ["> with the literal first flips", { ">": [5, { var: "amount" }] }, [[{ amount: 4 }, true], [{ amount: 5 }, false]],
    '("amount" IS NOT NULL AND "amount" < ?)', [5]],
  ["fractional literal against bigint goes through numeric", { "<": [{ var: "quantity" }, 1.5] },
    [[{ quantity: 1 }, true], [{ quantity: 2 }, false], [{}, false]],
    '("quantity" IS NOT NULL AND "quantity" < CAST(? AS numeric))', [1.5]],
  ["large literal against integer goes through numeric", { "<=": [{ var: "version" }, 3e9] }, [[{ version: 7 }, true]],
    '("version" IS NOT NULL AND "version" <= CAST(? AS numeric))', [3e9]],
  ["between <=", { "<=": [1, { var: "amount" }, 10] },
    [[{ amount: 1 }, true], [{ amount: 10 }, true], [{ amount: 0 }, false], [{}, false]],
    '("amount" IS NOT NULL AND "amount" >= ? AND "amount" <= ?)', [1, 10]],
  ["between <", { "<": [1, { var: "amount" }, 10] }, [[{ amount: 1 }, false], [{ amount: 9.99 }, true]],
    '("amount" IS NOT NULL AND "amount" > ? AND "amount" < ?)', [1, 10]],
  ["text order is code-unit order", { "<": [{ var: "name" }, "b"] },
    [[{ name: "B" }, true], [{ name: "a" }, true], [{ name: "" }, true], [{ name: "中" }, false], [{ name: "😀" }, false]],
    '("name" IS NOT NULL AND "name" COLLATE "C" < ?)', ["b"]],
  ["date order", { ">=": [{ var: "due" }, "2024-03-01"] }, [[{ due: "2024-03-01" }, true], [{ due: "2023-12-31" }, false]],
    '("due" IS NOT NULL AND "due" >= ?)', ["2024-03-01"]],
  ["datetime == covers its millisecond", eq("seen_at", T), [[{ seen_at: T }, true], [{ seen_at: T_NEXT }, false]],
    '("seen_at" IS NOT NULL AND "seen_at" >= ? AND "seen_at" < ?)', [T, T_NEXT]],
  ["datetime <= is < the next millisecond", { "<=": [{ var: "seen_at" }, T] }, [[{ seen_at: T }, true], [{ seen_at: T_NEXT }, false]],
    '("seen_at" IS NOT NULL AND "seen_at" < ?)', [T_NEXT]],
  ["datetime > is >= the next millisecond", { ">": [{ var: "seen_at" }, T] }, [[{ seen_at: T }, false], [{ seen_at: T_NEXT }, true]],
    '("seen_at" IS NOT NULL AND "seen_at" >= ?)', [T_NEXT]],
  ["datetime !=", { "!=": [{ var: "seen_at" }, T] }, [[{ seen_at: T }, false], [{}, true]],
    'NOT ("seen_at" IS NOT NULL AND "seen_at" >= ? AND "seen_at" < ?)', [T, T_NEXT]],
  ["bare boolean var", { var: "active" }, [[{ active: true }, true], [{ active: false }, false], [{}, false]], '("active" IS TRUE)', []],
  ["negated boolean var", { "!": { var: "active" } }, [[{}, true], [{ active: true }, false]], 'NOT (("active" IS TRUE))', []],
  ["!! text: empty is false", { "!!": { var: "name" } }, [[{ name: "" }, false], [{}, false], [{ name: "0" }, true]],
    '("name" IS NOT NULL AND "name" <> \'\')', []],
  ["!! number: 0 is false", { "!!": [{ var: "amount" }] }, [[{ amount: 0 }, false], [{ amount: -1 }, true]],
    '("amount" IS NOT NULL AND "amount" <> 0)', []],
  ["!! array: empty is false", { "!!": { var: "tags" } }, [[{ tags: [] }, false], [{ tags: [""] }, true], [{}, false]],
    '("tags" IS NOT NULL AND cardinality("tags") > 0)', []],
  ["in a list", { in: [{ var: "name" }, ["a", "b"]] }, [[{ name: "b" }, true], [{ name: "ab" }, false], [{}, false]],
    '("name" IS NOT NULL AND "name" IN (?, ?))', ["a", "b"]],
  ["in a list with null", { in: [{ var: "amount" }, [1, null]] }, [[{}, true], [{ amount: 1 }, true], [{ amount: 2 }, false]],
    '("amount" IS NULL OR ("amount" IS NOT NULL AND "amount" IN (?)))', [1]],
  ["in a list of datetimes", { in: [{ var: "seen_at" }, [T]] }, [[{ seen_at: T }, true], [{}, false]],
    '("seen_at" IS NOT NULL AND (("seen_at" >= ? AND "seen_at" < ?)))', [T, T_NEXT]],
  ["substring is case-sensitive", { in: ["cm", { var: "name" }] }, [[{ name: "Acme" }, true], [{ name: "ACME" }, false], [{}, false]],
    '("name" IS NOT NULL AND strpos("name", ?) > 0)', ["cm"]],
  ["empty substring: json-logic says false for an empty text", { in: ["", { var: "name" }] },
    [[{ name: "" }, false], [{ name: "x" }, true], [{}, false]], '("name" IS NOT NULL AND "name" <> \'\')', []],
  ["array contains", { in: ["vip", { var: "tags" }] },
    [[{ tags: ["vip"] }, true], [{ tags: [] }, false], [{}, false], [{ tags: [null, "x"] }, false], [{ tags: ["VIP"] }, false]],
    'COALESCE(? = ANY("tags"), FALSE)', ["vip"]],
  ["uuid array contains", { in: [U2, { var: "members" }] }, [[{ members: [U1, U2] }, true], [{ members: [U1] }, false]],
    'COALESCE(? = ANY("members"), FALSE)', [U2]],
  ["and / or / ! nest", { and: [{ or: [eq("name", "a"), { var: "active" }] }, { "!": { "<": [{ var: "amount" }, 0] } }] },
    [[{ name: "a" }, true], [{ active: true, amount: -1 }, false], [{}, false]],
    '((("name" IS NOT NULL AND "name" = ?) OR ("active" IS TRUE)) AND NOT (("amount" IS NOT NULL AND "amount" < ?)))', ["a", 0]],
  ["true matches everything", true, [[{}, true]], "TRUE", []],
  ["or of false", { or: [false] }, [[{}, false]], "(FALSE)", []],
];
