// Shallow checks of json-logic expressions: every {"var": …} must name a field of the same object.
import { escapePointerToken, type IssueSink } from "./issues";

export interface VarReference {
  /** The field the reference starts from: "amount" for "amount" and for "customer_id.name". */
  field: string;
  /** JSON pointer to the name inside the expression's document. */
  path: string;
}

/**
 * Collects static var references under `node`, whose own pointer is `path`. `var` takes a name,
 * or [name, default]; a name computed by another operation cannot be checked, but its operands can.
 * "" means the whole record and is always fine.
 */
export function collectVarReferences(node: unknown, path: string): VarReference[] {
  const found: VarReference[] = [];
  const walk = (current: unknown, at: string): void => {
    if (Array.isArray(current)) {
      current.forEach((item, i) => walk(item, `${at}/${i}`));
      return;
    }
    if (current === null || typeof current !== "object") return;
    for (const [key, value] of Object.entries(current)) {
      const childPath = `${at}/${escapePointerToken(key)}`;
      if (key !== "var") {
        walk(value, childPath);
        continue;
      }
      const [name, namePath] = Array.isArray(value) ? [value[0], `${childPath}/0`] : [value, childPath];
      if (typeof name === "string") {
        if (name !== "") found.push({ field: name.split(".")[0], path: namePath });
      } else {
        walk(value, childPath);
      }
    }
  };
  walk(node, path);
  return found;
}

/** Reports each var of `expression` (found at `path`) that names no field in `fieldNames`. */
export interface ExpressionToCheck {
  expression: unknown;
  /** Pointer of the expression inside its document. */
  path: string;
  /** Fields the expression may read. */
  fieldNames: ReadonlySet<string>;
}

export function checkExpressionVars({ expression, path, fieldNames }: ExpressionToCheck, sink: IssueSink): void {
  for (const ref of collectVarReferences(expression, path)) {
    if (fieldNames.has(ref.field)) continue;
    sink.add(ref.path, `表达式引用的字段 "${ref.field}" 不存在`, `expression refers to unknown field "${ref.field}"`);
  }
}
