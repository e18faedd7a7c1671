// Cross checks of one field against its object and the model: names, references, options, formats, defaults.
import { defaultValueProblem } from "./default-checks";
import { checkExpressionVars } from "./expression-checks";
import type { IssueSink } from "./issues";
import { describeClaim, type ModelIndex } from "./model-index";
import { duplicateOptionIndexes, optionValue } from "./options";
import { isReservedWord } from "./reserved";
import {
  CUSTOMER_FIELD_NAME,
  OWNERSHIP_FIELD_NAMES,
  PARENT_FIELD_NAME,
  SYSTEM_FIELD_NAMES,
  type FieldDefinition,
  type ObjectDefinition,
} from "./types";

export interface ObjectContext {
  object: ObjectDefinition;
  index: ModelIndex;
  sink: IssueSink;
  /** Declared and platform-added field names of the object. */
  fieldNames: ReadonlySet<string>;
}

/** A field and its pointer ("/fields/3") inside the object document. */
export interface FieldAt {
  field: FieldDefinition;
  base: string;
}

const systemNames = new Set<string>(SYSTEM_FIELD_NAMES);
const ownershipNames = new Set<string>(OWNERSHIP_FIELD_NAMES);

function checkFieldName({ object, sink }: ObjectContext, { field, base }: FieldAt): void {
  const { name } = field;
  const at = `${base}/name`;
  if (isReservedWord(name)) {
    sink.add(at, `字段名 "${name}" 是 SQL 保留字，请换一个名称`, `field name "${name}" is an SQL reserved word`);
  } else if (systemNames.has(name)) {
    sink.add(at, `"${name}" 是系统字段，由平台自动维护，不能声明`, `"${name}" is a system field managed by the platform`);
  } else if (object.ownership && ownershipNames.has(name)) {
    sink.add(
      at,
      `"${name}" 由平台在启用数据权限（ownership）时自动添加，不能声明`,
      `"${name}" is added by the platform on objects with ownership and cannot be declared`,
    );
  } else if (name === PARENT_FIELD_NAME) {
    sink.add(at, `"${name}" 保留给明细对象指向主对象的字段，不能声明`, `"${name}" is reserved for the master of a detail object`);
  } else if (name === CUSTOMER_FIELD_NAME) {
    checkCustomerField(sink, { field, base });
  }
}

/** customer_id means "belongs to this customer" everywhere (permissions rely on it), so its shape is fixed. */
function checkCustomerField(sink: IssueSink, { field, base }: FieldAt): void {
  if (field.type === "lookup" && field.target === "customer") return;
  const at = field.type === "lookup" ? `${base}/target` : `${base}/type`;
  sink.add(
    at,
    `"${CUSTOMER_FIELD_NAME}" 只能声明为指向 customer 的查找字段（lookup）`,
    `"${CUSTOMER_FIELD_NAME}" may only be declared as a lookup to customer`,
  );
}

/** employee / department fields reference the standard objects of those names. */
function checkOrgReference({ index, sink }: ObjectContext, { field, base }: FieldAt): void {
  if (field.type !== "employee" && field.type !== "department") return;
  if (index.objectNames.has(field.type)) return;
  const zhType = field.type === "employee" ? "员工" : "部门";
  sink.add(
    `${base}/type`,
    `${zhType}字段需要模型中存在名为 "${field.type}" 的对象`,
    `a ${field.type} field needs an object named "${field.type}" in the model`,
  );
}

function checkReference(ctx: ObjectContext, at: FieldAt): void {
  const { field, base } = at;
  checkOrgReference(ctx, at);
  if ((field.type !== "lookup" && field.type !== "master_detail") || field.target === undefined) return;
  const { object, index, sink } = ctx;
  const target = field.target;
  if (!index.objectNames.has(target)) {
    const zh = field.type === "lookup" ? `查找字段的目标对象 "${target}" 不存在` : `主从明细的子对象 "${target}" 不存在`;
    sink.add(`${base}/target`, zh, `${field.type} target object "${target}" does not exist`);
    return;
  }
  if (field.type !== "master_detail") return;
  if (target === object.name) {
    sink.add(`${base}/target`, "主从明细的子对象不能是对象自身", "a master_detail child cannot be the object itself");
    return;
  }
  const claim = index.masters.get(target);
  if (claim && (claim.object !== object.name || `/fields/${claim.fieldIndex}` !== base)) {
    sink.add(
      `${base}/target`,
      `对象 "${target}" 已是 ${describeClaim(claim)} 的明细对象，一个明细对象只能有一个主对象`,
      `object "${target}" already has a master (${describeClaim(claim)}); a detail object has only one master`,
    );
  }
}

function checkPicklist({ index, sink }: ObjectContext, { field, base }: FieldAt): void {
  if (field.optionSet !== undefined && !index.optionSets.has(field.optionSet)) {
    sink.add(`${base}/optionSet`, `选项集 "${field.optionSet}" 不存在`, `option set "${field.optionSet}" does not exist`);
  }
  for (const i of duplicateOptionIndexes(field.options ?? [])) {
    sink.add(`${base}/options/${i}`, "选项值重复", "duplicate option value");
  }
}

const KNOWN_TOKENS = new Set(["{YYYY}", "{YY}", "{MM}", "{DD}"]);
const SEQ_TOKEN = /^\{SEQ:([1-9]|1[0-2])\}$/;
const TOKENS_HELP = "{YYYY}, {YY}, {MM}, {DD}, {SEQ:n}";

/** Why an auto-number format is unusable, or undefined: known tokens only, exactly one {SEQ:n} (n 1..12). */
export function autoNumberFormatProblem(format: string): { zh: string; en: string } | undefined {
  const tokens = format.match(/\{[^{}]*\}/g) ?? [];
  const unknown = tokens.find((t) => !KNOWN_TOKENS.has(t) && !SEQ_TOKEN.test(t));
  if (unknown !== undefined) {
    return {
      zh: `自动编号格式中的 "${unknown}" 无法识别，可用：${TOKENS_HELP}`,
      en: `unknown token "${unknown}" in auto-number format; known tokens: ${TOKENS_HELP}`,
    };
  }
  if (/[{}]/.test(format.replace(/\{[^{}]*\}/g, ""))) {
    return { zh: "自动编号格式中的花括号不成对", en: "unbalanced braces in auto-number format" };
  }
  const sequences = tokens.filter((t) => SEQ_TOKEN.test(t)).length;
  if (sequences !== 1) {
    return {
      zh: "自动编号格式必须包含且只包含一个 {SEQ:n}（n 为 1 到 12）",
      en: "auto-number format must contain exactly one {SEQ:n} with n from 1 to 12",
    };
  }
  return undefined;
}

function checkAutoNumber({ sink }: ObjectContext, { field, base }: FieldAt): void {
  if (field.type !== "auto_number" || field.format === undefined) return;
  const problem = autoNumberFormatProblem(field.format);
  if (problem) sink.add(`${base}/format`, problem.zh, problem.en);
}

function checkBounds({ sink }: ObjectContext, { field, base }: FieldAt): void {
  if (field.min === undefined || field.max === undefined || field.min <= field.max) return;
  sink.add(
    `${base}/max`,
    `最大值（${field.max}）不能小于最小值（${field.min}）`,
    `max (${field.max}) must not be less than min (${field.min})`,
  );
}

function checkDefault(ctx: ObjectContext, { field, base }: FieldAt): void {
  if (field.default === undefined) return;
  const value = field.default;
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const expression = (value as { expression?: unknown }).expression;
    checkExpressionVars({ expression, path: `${base}/default/expression`, fieldNames: ctx.fieldNames }, ctx.sink);
    return;
  }
  const optionValues = field.optionSet !== undefined ? ctx.index.optionSets.get(field.optionSet) : undefined;
  const inlineValues = field.options?.map(optionValue);
  const problem = defaultValueProblem(field, inlineValues ?? optionValues);
  if (problem) ctx.sink.add(`${base}/default`, problem.zh, problem.en);
}

function checkFormula(ctx: ObjectContext, { field, base }: FieldAt): void {
  if (field.type !== "formula") return;
  checkExpressionVars({ expression: field.expression, path: `${base}/expression`, fieldNames: ctx.fieldNames }, ctx.sink);
}

const fieldChecks = [checkFieldName, checkReference, checkPicklist, checkAutoNumber, checkBounds, checkDefault, checkFormula];

/** Runs every per-field check on every field of the object. */
export function checkFields(ctx: ObjectContext): void {
  ctx.object.fields.forEach((field, i) => {
    const at: FieldAt = { field, base: `/fields/${i}` };
    for (const check of fieldChecks) check(ctx, at);
  });
}
