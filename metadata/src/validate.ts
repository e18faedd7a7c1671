// Validation entry points: single documents (structural) and whole models (structural + cross-document).
import { IssueSink } from "./issues";
import { buildModelIndex, knownFieldNames, nameOf } from "./model-index";
import { checkObject } from "./object-checks";
import { checkObjectBehaviour } from "./action-checks";
import { duplicateOptionIndexes } from "./options";
import { checkRole } from "./role-checks";
import { validateGrantRule, validateObjectDefinition, validateOptionSet, validateRole, validateWorkflow } from "./structural";
import { checkWorkflow } from "./workflow-checks";
import type { WorkflowDefinition } from "./workflow";
import { checkLayouts } from "./layout-checks";
import type { GrantRule, MetadataIssue, ObjectDefinition, OptionSetDefinition, RoleDefinition } from "./types";

export { formatIssues, type Locale } from "./issues";
export { isValidIdentifier, RESERVED_WORDS, RESERVED_OBJECT_PREFIXES } from "./reserved";
export { autoNumberFormatProblem } from "./field-checks";
export { collectVarReferences, type VarReference } from "./expression-checks";
export { validateGrantRule, validateObjectDefinition, validateOptionSet, validatePackManifest, validateRole, validateWorkflow } from "./structural";

export interface ModelInput {
  objects: readonly ObjectDefinition[];
  optionSets: readonly OptionSetDefinition[];
  /** Roles, checked against the objects; a model need not define any. */
  roles?: readonly RoleDefinition[];
  /** Automatic grant rules (自动授权), checked against objects and roles. */
  grantRules?: readonly GrantRule[];
  /** Workflows, one per object, checked against objects, option sets and roles. */
  workflows?: readonly WorkflowDefinition[];
  /** Layouts, one per object (documents not yet known to be valid), checked against the objects. */
  layouts?: readonly unknown[];
}

/** A document as validated: its content (unknown until the schema accepted it) and its name in issues. */
interface Doc<T> {
  doc: T;
  document: string;
}

/** "objects/customer"; "objects/#3" when the document has no usable name. */
function documentName(folder: string, doc: unknown, position: number): string {
  const name = nameOf(doc);
  return name ? `${folder}/${name}` : `${folder}/#${position}`;
}

/** Runs the schema on each document; returns the ones that passed, typed. */
function structurallyValid<T>(
  { docs, folder, validate }: { docs: readonly unknown[]; folder: string; validate: typeof validateOptionSet },
  issues: MetadataIssue[],
): Array<Doc<T>> {
  const valid: Array<Doc<T>> = [];
  docs.forEach((doc, i) => {
    const document = documentName(folder, doc, i);
    const found = validate(doc, document);
    issues.push(...found);
    if (found.length === 0) valid.push({ doc: doc as T, document });
  });
  return valid;
}

/** Over all documents, valid or not: a broken duplicate is still a duplicate. */
function checkDuplicateNames({ docs, folder }: { docs: readonly unknown[]; folder: string }, sink: IssueSink): void {
  const seen = new Set<string>();
  docs.forEach((doc, i) => {
    const name = nameOf(doc);
    if (name === undefined) return;
    if (seen.has(name)) {
      const document = documentName(folder, doc, i);
      sink.forDocument(document).add("/name", `名称 "${name}" 重复，已有同名文档`, `name "${name}" is defined more than once`);
    }
    seen.add(name);
  });
}

/** Stable ids identify objects and fields across renames, so each may appear once in the whole model. */
function checkDuplicateIds(objects: ReadonlyArray<Doc<ObjectDefinition>>, sink: IssueSink): void {
  const owners = new Map<string, string>();
  const claim = (id: string | undefined, where: { document: string; path: string }) => {
    if (id === undefined) return;
    const owner = owners.get(id);
    if (owner !== undefined) {
      sink.forDocument(where.document).add(where.path, `id "${id}" 重复，已被 ${owner} 使用`, `id "${id}" is already used by ${owner}`);
    } else {
      owners.set(id, `${where.document}${where.path}`);
    }
  };
  for (const { doc, document } of objects) {
    claim(doc.id, { document, path: "/id" });
    doc.fields.forEach((field, i) => claim(field.id, { document, path: `/fields/${i}/id` }));
  }
}

function checkOptionSetValues(optionSets: ReadonlyArray<Doc<OptionSetDefinition>>, sink: IssueSink): void {
  for (const { doc, document } of optionSets) {
    for (const i of duplicateOptionIndexes(doc.options)) {
      sink.forDocument(document).add(`/options/${i}`, "选项值重复", "duplicate option value");
    }
  }
}

/**
 * Validates a whole model: each document against its schema, then the checks that need several
 * documents (references, names, options, the objects and fields roles name). Cross checks run
 * only on structurally valid documents, so one typo yields one issue rather than a cascade; names
 * of invalid documents still count as existing for the same reason.
 */
export function validateModel(input: ModelInput): MetadataIssue[] {
  const issues: MetadataIssue[] = [];
  const sink = new IssueSink(issues);
  const objects = structurallyValid<ObjectDefinition>(
    { docs: input.objects, folder: "objects", validate: validateObjectDefinition },
    issues,
  );
  const optionSets = structurallyValid<OptionSetDefinition>(
    { docs: input.optionSets, folder: "option-sets", validate: validateOptionSet },
    issues,
  );
  const roleDocs = input.roles ?? [];
  const roles = structurallyValid<RoleDefinition>({ docs: roleDocs, folder: "roles", validate: validateRole }, issues);
  const index = buildModelIndex({
    validObjects: objects.map((o) => o.doc),
    allObjects: input.objects,
    validOptionSets: optionSets.map((o) => o.doc),
    allOptionSets: input.optionSets,
  });
  checkDuplicateNames({ docs: input.objects, folder: "objects" }, sink);
  checkDuplicateNames({ docs: input.optionSets, folder: "option-sets" }, sink);
  checkDuplicateNames({ docs: roleDocs, folder: "roles" }, sink);
  checkDuplicateIds(objects, sink);
  checkOptionSetValues(optionSets, sink);
  for (const { doc, document } of objects) {
    checkObject({ object: doc, index, sink: sink.forDocument(document), fieldNames: knownFieldNames(doc, index) });
    checkObjectBehaviour({ object: doc, index, sink: sink.forDocument(document), fieldNames: knownFieldNames(doc, index) });
  }
  for (const { doc, document } of roles) checkRole({ role: doc, index, sink: sink.forDocument(document) });
  const ruleDocs = input.grantRules ?? [];
  checkDuplicateNames({ docs: ruleDocs, folder: "grant-rules" }, sink);
  const rules = structurallyValid<GrantRule>({ docs: ruleDocs, folder: "grant-rules", validate: validateGrantRule }, issues);
  const roleNames = new Set(roles.map((role) => role.doc.name));
  for (const { doc, document } of rules) checkGrantRule({ rule: doc, index, roleNames, sink: sink.forDocument(document) });
  const roleFunctions = new Map(roles.map((role) => [role.doc.name, role.doc.functions]));
  checkWorkflows(input.workflows ?? [], { index, roleNames, roleFunctions, issues, sink });
  checkLayouts(input.layouts ?? [], index, issues);
  return issues;
}

/** A grant rule names objects with ownership, an existing role, and only record fields that exist. */
function checkGrantRule(input: { rule: GrantRule; index: ReturnType<typeof buildModelIndex>; roleNames: ReadonlySet<string>; sink: IssueSink }): void {
  const { rule, index, roleNames, sink } = input;
  if (!roleNames.has(rule.role)) sink.add("/role", `角色 "${rule.role}" 不存在`, `the role "${rule.role}" does not exist`);
  rule.objects.forEach((name, position) => {
    const object = index.objects.get(name);
    if (!object) {
      if (!index.objectNames.has(name)) sink.add(`/objects/${position}`, `对象 "${name}" 不存在`, `the object "${name}" does not exist`);
      return;
    }
    if (!object.ownership) {
      sink.add(`/objects/${position}`, `对象 "${name}" 没有相关员工（未启用数据权限）`, `the object "${name}" has no related employees (ownership is off)`);
      return;
    }
    const fields = new Set([...knownFieldNames(object, index), "id", "owner_id", "department_id", "related_employee_ids", "customer_id", "created_by", "updated_by"]);
    for (const reference of variablesOf(rule.condition, "/condition")) {
      const [scope, field] = reference.name.split(".");
      if (scope === "person") continue;
      if (scope !== "record" || !field) {
        sink.add(reference.path, `变量 "${reference.name}" 必须以 record. 或 person. 开头`, `the variable "${reference.name}" must start with record. or person.`);
      } else if (!fields.has(field)) {
        sink.add(reference.path, `对象 "${name}" 没有字段 "${field}"`, `the object "${name}" has no field "${field}"`);
      }
    }
  });
}

/** Every json-logic variable with its full dotted name ("record.owner_id", "person.oversees"). */
function variablesOf(node: unknown, path: string): { name: string; path: string }[] {
  if (Array.isArray(node)) return node.flatMap((item, position) => variablesOf(item, `${path}/${position}`));
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([key, value]) => {
    if (key !== "var") return variablesOf(value, `${path}/${key}`);
    const name = Array.isArray(value) ? value[0] : value;
    return typeof name === "string" ? [{ name, path: `${path}/var` }] : [];
  });
}

/** Workflows: schema, one per object, then the cross checks of workflow-checks.ts. */
function checkWorkflows(
  docs: readonly WorkflowDefinition[],
  input: {
    index: ReturnType<typeof buildModelIndex>;
    roleNames: ReadonlySet<string>;
    roleFunctions: ReadonlyMap<string, RoleDefinition["functions"]>;
    issues: MetadataIssue[];
    sink: IssueSink;
  },
): void {
  checkDuplicateNames({ docs, folder: "workflows" }, input.sink);
  const workflows = structurallyValid<WorkflowDefinition>({ docs, folder: "workflows", validate: validateWorkflow }, input.issues);
  const objects = new Set<string>();
  for (const { doc, document } of workflows) {
    const sink = input.sink.forDocument(document);
    if (objects.has(doc.object)) sink.add("/object", `对象 "${doc.object}" 已有工作流`, `the object "${doc.object}" already has a workflow`);
    objects.add(doc.object);
    checkWorkflow({ workflow: doc, index: input.index, roleNames: input.roleNames, roleFunctions: input.roleFunctions, sink });
  }
}
