// Structural validation of single metadata documents with ajv, turning ajv errors into bilingual issues.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import localizeZh from "ajv-i18n/localize/zh/index.js";
import { IssueSink, escapePointerToken } from "./issues";
import { grantRuleSchema, objectDefinitionSchema, optionSetSchema, packManifestSchema, roleDefinitionSchema } from "./schemas";
import type { MetadataIssue } from "./types";
import { workflowDefinitionSchema } from "./workflow";

// Compiled once per process: validation then runs as plain generated functions.
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const objectValidator = ajv.compile(objectDefinitionSchema);
const optionSetValidator = ajv.compile(optionSetSchema);
const packManifestValidator = ajv.compile(packManifestSchema);
const roleValidator = ajv.compile(roleDefinitionSchema);
const grantRuleValidator = ajv.compile(grantRuleSchema);
const workflowValidator = ajv.compile(workflowDefinitionSchema);

/** Points at the offending property itself, not at the object that lacks or carries it. */
function errorPath(error: ErrorObject): string {
  const { params } = error;
  // An error of a key (propertyNames) rather than of its value.
  if (error.propertyName !== undefined) return `${error.instancePath}/${escapePointerToken(error.propertyName)}`;
  if (error.keyword === "additionalProperties") {
    return `${error.instancePath}/${escapePointerToken(params.additionalProperty as string)}`;
  }
  if (error.keyword === "required") {
    return `${error.instancePath}/${escapePointerToken(params.missingProperty as string)}`;
  }
  return error.instancePath;
}

/**
 * Our schemas use `false` only to forbid a property in a context (per field type, or optionSet
 * next to options); ajv's generic "boolean schema is false" says nothing useful, so say why.
 */
function falseSchemaMessage(error: ErrorObject): { zh: string; en: string } {
  const property = error.instancePath.split("/").pop() ?? "";
  if (error.schemaPath.startsWith("#/properties/actions/")) {
    return { zh: `该操作类型（kind）不接受 "${property}"`, en: `"${property}" is not an option of this action kind` };
  }
  if (error.schemaPath.startsWith("#/properties/duplicateRules/")) {
    return { zh: `只有 onDuplicate 为 "flag" 时才能设置 "${property}"`, en: `"${property}" is only allowed when onDuplicate is "flag"` };
  }
  if (error.schemaPath.includes("/then/then/")) {
    return { zh: `不能同时设置 "${property}" 和 "options"，二者只能选其一`, en: `must not be set together with "options"` };
  }
  return { zh: `该字段类型不允许设置 "${property}"`, en: `"${property}" is not allowed for this field type` };
}

/**
 * min/maxProperties appear in scope terms, where they mean "exactly one of any / all" (and in an
 * action's `set`, where ajv's own message fits);
 * ajv's "must NOT have more than 1 properties" does not say that.
 */
const scopeCombinatorMessage = {
  zh: '组合范围必须是 { "any": [...] } 或 { "all": [...] } 二者之一',
  en: 'must be exactly one of { "any": [...] } or { "all": [...] }',
};

/**
 * `if` errors only repeat that a `then` failed; the `then` errors carry the detail. Likewise
 * `propertyNames` only repeats that the key's own error (pattern) failed.
 */
function isNoise(error: ErrorObject): boolean {
  return error.keyword === "if" || error.keyword === "propertyNames";
}

/** Converts ajv errors into issues: English from ajv, Chinese from ajv-i18n's zh localiser. */
export function ajvErrorsToIssues(errors: readonly ErrorObject[], sink: IssueSink): void {
  const relevant = errors.filter((e) => !isNoise(e));
  // The localiser rewrites `message` in place, so it gets its own copies.
  const zhErrors = relevant.map((e) => ({ ...e }));
  localizeZh(zhErrors);
  relevant.forEach((error, i) => {
    if (error.keyword === "false schema") {
      const { zh, en } = falseSchemaMessage(error);
      sink.add(errorPath(error), zh, en);
      return;
    }
    if ((error.keyword === "minProperties" || error.keyword === "maxProperties") && !error.schemaPath.startsWith("#/properties/actions/")) {
      const { zh, en } = scopeCombinatorMessage;
      sink.add(errorPath(error), zh, en);
      return;
    }
    sink.add(errorPath(error), zhErrors[i].message ?? "", error.message ?? "");
  });
}

function validateWith(validator: ValidateFunction, doc: unknown, document?: string): MetadataIssue[] {
  if (validator(doc)) return [];
  const sink = new IssueSink([], document);
  ajvErrorsToIssues(validator.errors ?? [], sink);
  return sink.issues;
}

/** Structural problems of one object definition (schema only; see validateModel for cross checks). */
export function validateObjectDefinition(doc: unknown, document?: string): MetadataIssue[] {
  return validateWith(objectValidator, doc, document);
}

export function validateOptionSet(doc: unknown, document?: string): MetadataIssue[] {
  return validateWith(optionSetValidator, doc, document);
}

export function validatePackManifest(doc: unknown, document?: string): MetadataIssue[] {
  return validateWith(packManifestValidator, doc, document);
}

/** Structural problems of one role (schema only; see validateModel for the objects and fields it names). */
export function validateRole(doc: unknown, document?: string): MetadataIssue[] {
  return validateWith(roleValidator, doc, document);
}

/** Structural problems of one automatic grant rule. */
export function validateGrantRule(doc: unknown, document?: string): MetadataIssue[] {
  return validateWith(grantRuleValidator, doc, document);
}

/** Structural problems of one workflow (schema only; see validateModel for states, fields and roles). */
export function validateWorkflow(doc: unknown, document?: string): MetadataIssue[] {
  return validateWith(workflowValidator, doc, document);
}
