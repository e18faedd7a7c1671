// fast-check generators for the filter property test: records shaped like database rows, and filters over them.
import fc from "fast-check";
import { CASE_COLUMNS } from "./filter-cases";

export type Row = Record<string, unknown> & { id: number };

/** A generated row plus how the database stores it (timestamps carry microseconds the reader drops). */
export interface GeneratedRow {
  row: Row;
  seenAtMicros: number;
}

const TEXTS = ["", " ", "a", "A", "b", "ab", "abc", "Acme", "acme", "a b", "Z", "0", "_", "中", "中文", "客户", "客户A", "😀", "a😀", "，", "é", "e\u0301"];
const CHARS = ["a", "b", "A", "c", " ", "_", "中", "文", "客", "😀", "，", "é", "\uE000"];
const NUMBERS = [0, -0, 1, -1, 1.5, 2, 2.5, 10, 100, 0.1, 0.2, 0.30000000000000004, 1e-7, 123456.789, -2.5, 1e21];
const DATES = ["2024-01-01", "2024-01-02", "2023-12-31", "2024-02-29", "1999-12-31", "2000-01-01"];
const TIMES = ["2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.001Z", "2023-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"];
const UUIDS = [
  "0b6a3f5e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
  "f0e1d2c3-b4a5-4968-8776-655443322110",
  "00000000-0000-4000-8000-000000000000",
  "ffffffff-ffff-4fff-bfff-ffffffffffff",
];
const TAGS = ["vip", "VIP", "", "a", "中文", "😀", "，"];

const someDate = fc.date({ min: new Date("1900-01-01T00:00:00.000Z"), max: new Date("2100-12-31T23:59:59.999Z"), noInvalidDate: true });

/** Random values per field, before NULLs: small pools so that equal values and matches are common. */
export const VALUE_ARBITRARIES: Record<string, fc.Arbitrary<unknown>> = {
  name: fc.oneof(fc.constantFrom(...TEXTS), fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 4 })),
  amount: fc.oneof(fc.constantFrom(...NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true })),
  quantity: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom(2 ** 40, -(2 ** 40))),
  version: fc.integer({ min: -3, max: 10 }),
  due: fc.oneof(fc.constantFrom(...DATES), someDate.map((date) => date.toISOString().slice(0, 10))),
  seen_at: fc.oneof(fc.constantFrom(...TIMES), someDate.map((date) => date.toISOString())),
  active: fc.boolean(),
  owner: fc.oneof(fc.constantFrom(...UUIDS), fc.uuid()),
  tags: fc.array(fc.option(fc.constantFrom(...TAGS), { nil: null, freq: 6 }), { maxLength: 4 }),
  members: fc.array(fc.option(fc.constantFrom(...UUIDS), { nil: null, freq: 6 }), { maxLength: 3 }),
};

const rowArbitrary = fc.record({
  values: fc.record(Object.fromEntries(CASE_COLUMNS.map(({ name }) => [name, fc.option(VALUE_ARBITRARIES[name]!, { nil: null, freq: 5 })]))),
  seenAtMicros: fc.integer({ min: 0, max: 999 }),
});

export const rowsArbitrary = (count: number): fc.Arbitrary<GeneratedRow[]> =>
  fc.array(rowArbitrary, { minLength: count, maxLength: count }).map((rows) =>
    rows.map(({ values, seenAtMicros }, index) => ({ row: { ...values, id: index + 1 }, seenAtMicros })),
  );

// ---- filters -----------------------------------------------------------------------------------

const ORDER_UNSAFE = /[\uD800-\uDFFF\uE000-\uFFFF]/;
const KIND_OF = new Map<string, string>(CASE_COLUMNS.map(({ name, kind }) => [name, kind]));
const SCALARS = CASE_COLUMNS.filter(({ kind }) => !kind.endsWith("_array")).map(({ name }) => name);
const ORDERED = CASE_COLUMNS.filter(({ kind }) => ["text", "number", "date", "datetime"].includes(kind)).map(({ name }) => name);
const ARRAYS = ["tags", "members"];
const v = (name: string) => ({ var: name });
const swap = (pair: [unknown, unknown], flip: boolean) => (flip ? [pair[1], pair[0]] : pair);

// Fractions and out-of-range numbers against integer columns exercise the numeric cast.
const EXTRA_LITERALS: Record<string, fc.Arbitrary<unknown>> = {
  quantity: fc.constantFrom(0.5, -1.5, 2.999, 1e20, 3e9, 2 ** 40),
  version: fc.constantFrom(0.5, 3.25, 3e9, -3e9),
};

/** A literal for a field: often a value some record has, else a random one of the field's kind. */
function literalFor(rows: Row[], name: string, ordering = false): fc.Arbitrary<unknown> {
  const seen = [...new Set(rows.map((row) => row[name]).filter((value) => value !== null))];
  const options = [VALUE_ARBITRARIES[name]!, ...(EXTRA_LITERALS[name] ? [EXTRA_LITERALS[name]] : [])];
  if (seen.length > 0) options.push(fc.constantFrom(...seen), fc.constantFrom(...seen));
  const literal = fc.oneof(...options);
  return ordering && KIND_OF.get(name) === "text" ? literal.filter((text) => !ORDER_UNSAFE.test(text as string)) : literal;
}

function elementFor(rows: Row[], name: string): fc.Arbitrary<unknown> {
  const seen = [...new Set(rows.flatMap((row) => (row[name] as unknown[] | null) ?? []).filter((item) => item !== null))];
  const pool = name === "tags" ? fc.constantFrom(...TAGS) : fc.oneof(fc.constantFrom(...UUIDS), fc.uuid());
  return seen.length > 0 ? fc.oneof(pool, fc.constantFrom(...seen)) : pool;
}

function leafArbitrary(rows: Row[]): fc.Arbitrary<unknown> {
  const field = (names: string[]) => fc.constantFrom(...names);
  const equality = fc.tuple(fc.constantFrom("==", "===", "!=", "!=="), field(SCALARS), fc.boolean()).chain(([op, name, flip]) =>
    fc.option(literalFor(rows, name), { nil: null, freq: 6 }).map((literal) => ({ [op]: swap([v(name), literal], flip) })),
  );
  const arrayNull = fc.tuple(fc.constantFrom("==", "===", "!=", "!=="), field(ARRAYS)).map(([op, name]) => ({ [op]: [v(name), null] }));
  const ordering = fc.tuple(fc.constantFrom("<", "<=", ">", ">="), field(ORDERED), fc.boolean()).chain(([op, name, flip]) =>
    literalFor(rows, name, true).map((literal) => ({ [op]: swap([v(name), literal], flip) })),
  );
  const between = fc.tuple(fc.constantFrom("<", "<="), field(ORDERED)).chain(([op, name]) =>
    fc.tuple(literalFor(rows, name, true), literalFor(rows, name, true)).map(([low, high]) => ({ [op]: [low, v(name), high] })),
  );
  const inList = field(SCALARS).chain((name) =>
    fc.array(fc.option(literalFor(rows, name), { nil: null, freq: 8 }), { minLength: 1, maxLength: 5 }).map((list) => ({ in: [v(name), list] })),
  );
  const substring = literalFor(rows, "name").chain((text) =>
    fc.tuple(fc.nat(4), fc.nat(4)).map(([start, length]) => ({ in: [[...String(text)].slice(start, start + length).join(""), v("name")] })),
  );
  const contains = field(ARRAYS).chain((name) => elementFor(rows, name).map((item) => ({ in: [item, v(name)] })));
  const truthiness = fc.tuple(fc.constantFrom("var", "!!", "!"), field([...SCALARS, ...ARRAYS])).map(([op, name]) =>
    op === "var" ? v(name) : { [op]: v(name) },
  );
  return fc.oneof(equality, arrayNull, ordering, between, inList, substring, contains, truthiness, fc.boolean());
}

/** Random filters over the given rows: nested and / or / ! / !! over every supported leaf shape. */
export function filterArbitrary(rows: Row[]): fc.Arbitrary<unknown> {
  const leaf = leafArbitrary(rows);
  const { filter } = fc.letrec<{ filter: unknown }>((tie) => ({
    filter: fc.oneof(
      { maxDepth: 4, depthSize: "small" },
      leaf,
      leaf,
      fc.array(tie("filter"), { minLength: 1, maxLength: 3 }).map((items) => ({ and: items })),
      fc.array(tie("filter"), { minLength: 1, maxLength: 3 }).map((items) => ({ or: items })),
      tie("filter").map((item) => ({ "!": item })),
      tie("filter").map((item) => ({ "!!": [item] })),
    ),
  }));
  return filter;
}
