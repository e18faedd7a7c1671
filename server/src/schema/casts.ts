// Column type changes: the USING expression that converts existing values, and whether it can lose them.

interface ParsedType {
  base: string;
  array: boolean;
  scale: number;
}

const NUMBERS = new Set(["smallint", "integer", "bigint", "numeric"]);
const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };

function parseType(sqlType: string): ParsedType {
  const match = /^([a-z ]+?)(?:\((\d+)(?:,(\d+))?\))?(\[\])?$/.exec(sqlType);
  if (!match) throw new Error(`Unexpected SQL type: ${sqlType}`);
  return { base: match[1], array: match[4] !== undefined, scale: Number(match[3] ?? 0) };
}

/**
 * True when converting `from` → `to` can fail or lose information. Widening, by decision of the
 * design: any scalar → text or jsonb, integer → decimal, a larger decimal scale, date → timestamptz,
 * and a scalar into an array of a type it widens to. Everything else counts as narrowing.
 */
export function isNarrowing(from: string, to: string): boolean {
  if (from === to) return false;
  const source = parseType(from);
  const target = parseType(to);
  if (source.base === "jsonb") return true;
  if (target.base === "jsonb" && !target.array) return false;
  if (source.array && !target.array) return true;
  return !widensScalar(source, target);
}

function widensScalar(source: ParsedType, target: ParsedType): boolean {
  if (target.base === "text") return true;
  if (source.base === target.base) return source.base !== "numeric" || target.scale >= source.scale;
  if (source.base in INTEGER_RANK && target.base === "numeric") return true;
  if (source.base in INTEGER_RANK && target.base in INTEGER_RANK) return INTEGER_RANK[target.base] > INTEGER_RANK[source.base];
  return source.base === "date" && target.base === "timestamptz";
}

/** The USING expression for `ALTER COLUMN … TYPE to`, given the already-quoted column. */
export function castExpression(column: string, from: string, to: string): string {
  const source = parseType(from);
  const target = parseType(to);
  if (target.base === "jsonb" && !target.array) return `to_jsonb(${column})`;
  // jsonb scalars unwrap to their text; objects and arrays keep their JSON text (and usually fail to cast).
  if (source.base === "jsonb" && !source.array) return `(${column} #>> '{}')::${to}`;
  if (source.array && target.array) return `${column}::${to}`;
  if (source.array) return target.base === "text" ? `array_to_string(${column}, ',')` : `(${column})[1]::${to}`;
  if (target.array) {
    const element = scalarCast(column, source, { ...target, array: false }, target.base);
    return `CASE WHEN ${column} IS NULL THEN NULL ELSE ARRAY[${element}] END`;
  }
  return scalarCast(column, source, target, to);
}

function scalarCast(column: string, source: ParsedType, target: ParsedType, to: string): string {
  if (source.base === "boolean" && NUMBERS.has(target.base)) return `${column}::integer::${to}`;
  if (NUMBERS.has(source.base) && target.base === "boolean") return `(${column} <> 0)`;
  if (hasDirectCast(source.base, target.base)) return `${column}::${to}`;
  // No built-in cast (e.g. bigint → date): go through text, which fails loudly on values that do not parse.
  return `${column}::text::${to}`;
}

function hasDirectCast(source: string, target: string): boolean {
  if (source === target || source === "text" || target === "text") return true;
  if (NUMBERS.has(source) && NUMBERS.has(target)) return true;
  return (source === "date" || source === "timestamptz") && (target === "date" || target === "timestamptz");
}
