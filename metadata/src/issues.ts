// Building, addressing and printing MetadataIssue values (bilingual problems with JSON-pointer paths).
import type { LocalizedText, MetadataIssue } from "./types";

export type Locale = keyof LocalizedText;

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export function escapePointerToken(token: string | number): string {
  return String(token).replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Builds a JSON pointer from tokens: pointer("fields", 3, "type") → "/fields/3/type". */
export function pointer(...tokens: Array<string | number>): string {
  return tokens.map((t) => `/${escapePointerToken(t)}`).join("");
}

/** Collects issues for one document, so check functions only say where and why. */
export class IssueSink {
  constructor(
    readonly issues: MetadataIssue[] = [],
    private readonly document?: string,
  ) {}

  add(path: string, zh: string, en: string): void {
    const issue: MetadataIssue = { path, message: { "zh-CN": zh, en } };
    if (this.document !== undefined) issue.document = this.document;
    this.issues.push(issue);
  }

  /** A sink for another document that appends to the same list. */
  forDocument(document: string): IssueSink {
    return new IssueSink(this.issues, document);
  }
}

/** One readable line per issue: "objects/customer /fields/3/type: must be equal to one of the allowed values". */
export function formatIssues(issues: readonly MetadataIssue[], locale: Locale = "zh-CN"): string[] {
  return issues.map((issue) => {
    const where = [issue.document, issue.path || "/"].filter(Boolean).join(" ");
    const separator = locale === "zh-CN" ? "：" : ": ";
    return `${where}${separator}${issue.message[locale]}`;
  });
}
