// Cross checks of one object definition: its name, field names, and the fields it refers to by name.
import { checkExpressionVars } from "./expression-checks";
import { checkFields, type ObjectContext } from "./field-checks";
import { isReservedWord, RESERVED_OBJECT_PREFIXES } from "./reserved";
import type { ObjectDefinition } from "./types";

function checkObjectName({ object, sink }: ObjectContext): void {
  const { name } = object;
  if (isReservedWord(name)) {
    sink.add("/name", `对象名 "${name}" 是 SQL 保留字，请换一个名称`, `object name "${name}" is an SQL reserved word`);
  }
  const prefix = RESERVED_OBJECT_PREFIXES.find((p) => name.startsWith(p));
  if (prefix !== undefined) {
    sink.add("/name", `对象名不能以 "${prefix}" 开头，该前缀保留给平台使用`, `object names starting with "${prefix}" are reserved for the platform`);
  }
}

/** Ownership adds employee / department references, belongsToCustomer a customer reference. */
function checkImplicitReferences({ object, index, sink }: ObjectContext): void {
  if (object.ownership && !(index.objectNames.has("employee") && index.objectNames.has("department"))) {
    sink.add(
      "/ownership",
      '启用数据权限需要模型中存在 "employee" 和 "department" 对象',
      'ownership needs the objects "employee" and "department" in the model',
    );
  }
  if (object.belongsToCustomer && !index.objectNames.has("customer")) {
    sink.add("/belongsToCustomer", '归属客户需要模型中存在 "customer" 对象', 'belongsToCustomer needs an object named "customer"');
  }
}

/** Column names are case-insensitive in practice (quoted or not, people will type them both ways). */
function checkDuplicateFieldNames({ object, sink }: ObjectContext): void {
  const seen = new Set<string>();
  object.fields.forEach((field, i) => {
    const key = field.name.toLowerCase();
    if (seen.has(key)) sink.add(`/fields/${i}/name`, `字段名 "${field.name}" 重复`, `duplicate field name "${field.name}"`);
    seen.add(key);
  });
}

function declaredField(object: ObjectDefinition, name: string) {
  return object.fields.find((f) => f.name === name);
}

function checkDisplayAndNumberFields({ object, sink }: ObjectContext): void {
  if (object.displayField !== undefined && !declaredField(object, object.displayField)) {
    sink.add("/displayField", `显示字段 "${object.displayField}" 不是该对象的字段`, `display field "${object.displayField}" is not a field of this object`);
  }
  if (object.numberField === undefined) return;
  const numberField = declaredField(object, object.numberField);
  if (!numberField) {
    sink.add("/numberField", `编号字段 "${object.numberField}" 不是该对象的字段`, `number field "${object.numberField}" is not a field of this object`);
  } else if (numberField.type !== "auto_number") {
    sink.add(
      "/numberField",
      `编号字段 "${object.numberField}" 必须是自动编号（auto_number）字段`,
      `number field "${object.numberField}" must be an auto_number field`,
    );
  }
}

function checkDefaultSort({ object, sink, fieldNames }: ObjectContext): void {
  if (object.defaultSort === undefined) return;
  for (const term of object.defaultSort.split(",")) {
    const name = term.replace(/^-/, "");
    if (!fieldNames.has(name)) sink.add("/defaultSort", `默认排序中的字段 "${name}" 不存在`, `sort field "${name}" does not exist`);
  }
}

function checkIndexes({ object, sink, fieldNames }: ObjectContext): void {
  const names = new Set<string>();
  (object.indexes ?? []).forEach((index, i) => {
    index.fields.forEach((name, j) => {
      if (!fieldNames.has(name)) sink.add(`/indexes/${i}/fields/${j}`, `索引字段 "${name}" 不存在`, `index field "${name}" does not exist`);
    });
    if (index.name === undefined) return;
    if (names.has(index.name)) sink.add(`/indexes/${i}/name`, `索引名 "${index.name}" 重复`, `duplicate index name "${index.name}"`);
    names.add(index.name);
  });
}

function checkValidationRules({ object, sink, fieldNames }: ObjectContext): void {
  const names = new Set<string>();
  (object.validationRules ?? []).forEach((rule, i) => {
    const base = `/validationRules/${i}`;
    if (names.has(rule.name)) sink.add(`${base}/name`, `校验规则名 "${rule.name}" 重复`, `duplicate validation rule name "${rule.name}"`);
    names.add(rule.name);
    if (rule.field !== undefined && !fieldNames.has(rule.field)) {
      sink.add(`${base}/field`, `校验规则的字段 "${rule.field}" 不存在`, `validation rule field "${rule.field}" does not exist`);
    }
    checkExpressionVars({ expression: rule.expression, path: `${base}/expression`, fieldNames }, sink);
  });
}

const objectChecks = [
  checkObjectName,
  checkImplicitReferences,
  checkDuplicateFieldNames,
  checkDisplayAndNumberFields,
  checkDefaultSort,
  checkIndexes,
  checkValidationRules,
  checkFields,
];

/** Every check that needs one object (valid by schema) and the model index. */
export function checkObject(ctx: ObjectContext): void {
  for (const check of objectChecks) check(ctx);
}
