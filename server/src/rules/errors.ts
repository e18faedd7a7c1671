// The error raised for a rejected json-logic expression, with a JSON pointer to the offending part.

export interface ExpressionMessages {
  "zh-CN": string;
  en: string;
}

/** A json-logic expression that is unsafe, malformed or outside the supported subset (HTTP 400). */
export class ExpressionError extends Error {
  readonly code = "VALIDATION_FAILED";
  /** JSON pointer inside the expression, e.g. `/and/1/==/0`; "" is the whole expression. */
  readonly path: string;
  readonly messages: ExpressionMessages;

  constructor(path: string, messages: ExpressionMessages) {
    super(`${messages.en} (at ${path === "" ? "the expression root" : path})`);
    this.name = "ExpressionError";
    this.path = path;
    this.messages = messages;
  }
}

/** Appends one segment to a JSON pointer, escaping `~` and `/` as RFC 6901 requires (operators like "/" exist). */
export function childPath(path: string, segment: string | number): string {
  return `${path}/${String(segment).replace(/~/g, "~0").replace(/\//g, "~1")}`;
}

/** Shorthand for throwing: `fail(path, "中文", "English")`. */
export function fail(path: string, zh: string, en: string): never {
  throw new ExpressionError(path, { "zh-CN": zh, en });
}
