// Cross checks of an object's declared actions, duplicate rules and roll-ups against the model.
import type { ActionDefinition, FieldMapping, GenerateDocumentAction, RollupDefinition } from "./actions";
import { checkExpressionVars } from "./expression-checks";
import type { ObjectContext } from "./field-checks";
import type { IssueSink } from "./issues";
import { escapePointerToken } from "./issues";
import { knownFieldNames, type ModelIndex } from "./model-index";
import { CUSTOMER_FIELD_NAME, PARENT_FIELD_NAME, type FieldDefinition, type FieldType, type ObjectDefinition } from "./types";

/** Built-in function permissions an action may not take as its name: granting it would grant those too. */
const RESERVED_ACTION_NAMES: ReadonlySet<string> = new Set(["view", "create", "edit", "delete", "print", "export", "reassign"]);

/** The standard objects a lead conversion creates. */
const CONVERSION_TARGETS = { customerFields: "customer", contactFields: "contact", opportunityFields: "opportunity" } as const;

interface Side {
  object: ObjectDefinition;
  fields: ReadonlySet<string>;
}

function sideOf(index: ModelIndex, name: string): Side | undefined {
  const object = index.objects.get(name);
  return object ? { object, fields: knownFieldNames(object, index) } : undefined;
}

/** The declared field, or the customer lookup that belongsToCustomer adds. */
function fieldOf(object: ObjectDefinition, name: string): Pick<FieldDefinition, "type" | "target"> | undefined {
  const declared = object.fields.find((field) => field.name === name);
  if (declared) return declared;
  if (name === CUSTOMER_FIELD_NAME && object.belongsToCustomer) return { type: "lookup", target: "customer" };
  return undefined;
}

const hasType = (object: ObjectDefinition, name: string, types: readonly FieldType[]) => {
  const field = fieldOf(object, name);
  return field !== undefined && types.includes(field.type);
};

/** Every target field exists on `target`; every source (field or expression) reads fields of `source`. */
function checkMapping(input: { mapping: FieldMapping; path: string; target: Side; source: Side }, sink: IssueSink): void {
  for (const [targetField, from] of Object.entries(input.mapping)) {
    const at = `${input.path}/${escapePointerToken(targetField)}`;
    if (!input.target.fields.has(targetField)) {
      sink.add(at, `对象 "${input.target.object.name}" 没有字段 "${targetField}"`, `the object "${input.target.object.name}" has no field "${targetField}"`);
    }
    if (typeof from === "string") {
      if (!input.source.fields.has(from)) {
        sink.add(at, `对象 "${input.source.object.name}" 没有字段 "${from}"`, `the object "${input.source.object.name}" has no field "${from}"`);
      }
    } else {
      checkExpressionVars({ expression: from.expression, path: `${at}/expression`, fieldNames: input.source.fields }, sink);
    }
  }
}

function checkFieldsExist(names: readonly string[], where: { side: Side; path: (name: string, i: number) => string }, sink: IssueSink): void {
  names.forEach((name, i) => {
    if (where.side.fields.has(name)) return;
    const object = where.side.object.name;
    sink.add(where.path(name, i), `对象 "${object}" 没有字段 "${name}"`, `the object "${object}" has no field "${name}"`);
  });
}

function checkGenerateDocument(action: GenerateDocumentAction, base: string, self: Side, ctx: ObjectContext): void {
  const { index, sink } = ctx;
  const target = sideOf(index, action.target);
  if (!target) {
    if (!index.objectNames.has(action.target)) sink.add(`${base}/target`, `对象 "${action.target}" 不存在`, `the object "${action.target}" does not exist`);
    return;
  }
  checkMapping({ mapping: action.fields, path: `${base}/fields`, target, source: self }, sink);
  for (const rollup of target.object.rollups ?? []) {
    if (!(rollup.field in action.fields)) continue;
    sink.add(`${base}/fields/${escapePointerToken(rollup.field)}`, `"${rollup.field}" 是汇总字段，由系统计算`, `"${rollup.field}" is a roll-up computed by the server`);
  }
  const targetName = action.target;
  if (action.sourceField !== undefined) {
    const field = fieldOf(target.object, action.sourceField);
    if (field?.type !== "lookup" || field.target !== self.object.name) {
      sink.add(`${base}/sourceField`, `"${action.sourceField}" 必须是对象 "${targetName}" 中指向 "${self.object.name}" 的查找字段`, `"${action.sourceField}" must be a lookup of "${targetName}" to "${self.object.name}"`);
    }
  }
  if (action.dateField !== undefined && !hasType(target.object, action.dateField, ["date"])) {
    sink.add(`${base}/dateField`, `"${action.dateField}" 必须是对象 "${targetName}" 的日期字段`, `"${action.dateField}" must be a date field of "${targetName}"`);
  }
  if (action.makeCustomerFormal && !target.fields.has(CUSTOMER_FIELD_NAME)) {
    sink.add(`${base}/makeCustomerFormal`, `对象 "${targetName}" 没有客户字段`, `the object "${targetName}" has no customer field`);
  }
  if (!action.lines) return;
  const lineSide = (side: Side, name: string | undefined, at: string): Side | undefined => {
    if (name === undefined) return undefined;
    const field = fieldOf(side.object, name);
    if (field?.type !== "master_detail" || field.target === undefined) {
      sink.add(at, `"${name}" 必须是对象 "${side.object.name}" 的明细（master_detail）字段`, `"${name}" must be a master_detail field of "${side.object.name}"`);
      return undefined;
    }
    return sideOf(index, field.target);
  };
  const toLines = lineSide(target, action.lines.to, `${base}/lines/to`);
  const fromLines = lineSide(self, action.lines.from, `${base}/lines/from`);
  if (toLines && action.lines.fields) {
    if (action.lines.from === undefined) {
      sink.add(`${base}/lines/fields`, "没有来源明细（lines.from）时不能映射明细字段", "line fields can only be mapped from source lines (lines.from)");
    } else if (fromLines) {
      checkMapping({ mapping: action.lines.fields, path: `${base}/lines/fields`, target: toLines, source: fromLines }, sink);
    }
  }
}

function checkAction(action: ActionDefinition, base: string, self: Side, ctx: ObjectContext): void {
  const { index, sink } = ctx;
  if (action.availableWhen !== undefined) {
    checkExpressionVars({ expression: action.availableWhen, path: `${base}/availableWhen`, fieldNames: self.fields }, sink);
  }
  switch (action.kind) {
    case "convert_lead":
      for (const [key, objectName] of Object.entries(CONVERSION_TARGETS) as [keyof typeof CONVERSION_TARGETS, string][]) {
        const target = sideOf(index, objectName);
        if (!target) {
          // An object that exists but is invalid has its own issues: no cascade here.
          if (!index.objectNames.has(objectName)) {
            sink.add(`${base}/${key}`, `线索转换需要模型中存在对象 "${objectName}"`, `lead conversion needs the object "${objectName}" in the model`);
          }
          continue;
        }
        checkMapping({ mapping: action[key], path: `${base}/${key}`, target, source: self }, sink);
      }
      return;
    case "generate_document":
      return checkGenerateDocument(action, base, self, ctx);
    case "close_lost":
      checkFieldsExist([action.reasonField], { side: self, path: () => `${base}/reasonField` }, sink);
      checkFieldsExist(Object.keys(action.set), { side: self, path: (name) => `${base}/set/${escapePointerToken(name)}` }, sink);
      return;
    case "make_formal":
      checkFieldsExist(Object.keys(action.set), { side: self, path: (name) => `${base}/set/${escapePointerToken(name)}` }, sink);
      return;
    case "assign":
      if (!self.object.ownership) sink.add(`${base}/kind`, "分配操作需要对象启用数据权限（ownership）", "an assign action needs an object with ownership");
  }
}

function checkActions(ctx: ObjectContext, self: Side): void {
  const seen = new Set<string>();
  (ctx.object.actions ?? []).forEach((action, i) => {
    const base = `/actions/${i}`;
    if (seen.has(action.name)) ctx.sink.add(`${base}/name`, `操作名 "${action.name}" 重复`, `duplicate action name "${action.name}"`);
    if (RESERVED_ACTION_NAMES.has(action.name)) {
      ctx.sink.add(`${base}/name`, `"${action.name}" 是内置权限名，不能作为操作名`, `"${action.name}" is a built-in permission and cannot name an action`);
    }
    seen.add(action.name);
    checkAction(action, base, self, ctx);
  });
}

function checkDuplicateRules({ object, sink }: ObjectContext, self: Side): void {
  const seen = new Set<string>();
  (object.duplicateRules ?? []).forEach((rule, i) => {
    const base = `/duplicateRules/${i}`;
    if (seen.has(rule.name)) sink.add(`${base}/name`, `重复检查规则名 "${rule.name}" 重复`, `duplicate rule name "${rule.name}" is used twice`);
    seen.add(rule.name);
    checkFieldsExist(rule.fields, { side: self, path: (_name, j) => `${base}/fields/${j}` }, sink);
    if (rule.condition !== undefined) checkExpressionVars({ expression: rule.condition, path: `${base}/condition`, fieldNames: self.fields }, sink);
    if (rule.flagField !== undefined && !hasType(object, rule.flagField, ["boolean"])) {
      sink.add(`${base}/flagField`, `"${rule.flagField}" 必须是该对象的布尔字段`, `"${rule.flagField}" must be a boolean field of this object`);
    }
  });
}

const AGGREGATABLE: Record<RollupDefinition["aggregate"], readonly FieldType[]> = {
  max: ["date", "datetime", "integer", "decimal", "amount", "percent"],
  min: ["date", "datetime", "integer", "decimal", "amount", "percent"],
  sum: ["integer", "decimal", "amount"],
  count: [],
};

/** A field of one of these types, or a formula (a line's amount) whose result is one. */
function aggregatable(object: ObjectDefinition, name: string, types: readonly FieldType[]): boolean {
  const field = object.fields.find((candidate) => candidate.name === name);
  if (field?.type !== "formula") return hasType(object, name, types);
  return (types as readonly string[]).includes(field.resultType ?? "text");
}

function checkRollups({ object, index, sink }: ObjectContext): void {
  const seen = new Set<string>();
  (object.rollups ?? []).forEach((rollup, i) => {
    const base = `/rollups/${i}`;
    const field = object.fields.find((candidate) => candidate.name === rollup.field);
    if (!field) sink.add(`${base}/field`, `汇总字段 "${rollup.field}" 不是该对象的字段`, `roll-up field "${rollup.field}" is not a field of this object`);
    if (seen.has(rollup.field)) sink.add(`${base}/field`, `字段 "${rollup.field}" 已有汇总定义`, `the field "${rollup.field}" already has a roll-up`);
    seen.add(rollup.field);
    rollup.sources.forEach((source, j) => {
      const at = `${base}/sources/${j}`;
      const child = sideOf(index, source.object);
      if (!child) {
        if (!index.objectNames.has(source.object)) sink.add(`${at}/object`, `对象 "${source.object}" 不存在`, `the object "${source.object}" does not exist`);
        return;
      }
      const via = fieldOf(child.object, source.via);
      const ownLines = source.via === PARENT_FIELD_NAME && index.masters.get(source.object)?.object === object.name;
      if (!ownLines && (via?.type !== "lookup" || via.target !== object.name)) {
        sink.add(
          `${at}/via`,
          `"${source.via}" 必须是对象 "${source.object}" 中指向 "${object.name}" 的查找字段（明细行用 parent_id）`,
          `"${source.via}" must be a lookup of "${source.object}" to "${object.name}" (parent_id for its lines)`,
        );
      }
      if (rollup.aggregate !== "count") {
        if (source.field === undefined) {
          sink.add(`${at}/field`, `汇总方式 "${rollup.aggregate}" 需要来源字段`, `the aggregate "${rollup.aggregate}" needs a source field`);
        } else if (!aggregatable(child.object, source.field, AGGREGATABLE[rollup.aggregate])) {
          sink.add(`${at}/field`, `"${source.field}" 不是对象 "${source.object}" 中可按 ${rollup.aggregate} 汇总的字段`, `"${source.field}" is not a field of "${source.object}" that ${rollup.aggregate} can aggregate`);
        }
      }
      if (source.where !== undefined) checkExpressionVars({ expression: source.where, path: `${at}/where`, fieldNames: child.fields }, sink);
    });
  });
}

/** Every check of an object's actions, duplicate rules and roll-ups (the object is valid by schema). */
export function checkObjectBehaviour(ctx: ObjectContext): void {
  const self: Side = { object: ctx.object, fields: ctx.fieldNames };
  checkActions(ctx, self);
  checkDuplicateRules(ctx, self);
  checkRollups(ctx);
}

/** The action names roles may grant on an object besides the fixed ACTIONS. */
export function declaredActionNames(object: ObjectDefinition | undefined): Set<string> {
  return new Set((object?.actions ?? []).map((action) => action.name));
}
