// Function and field permissions: the union of the user's roles, decided from metadata (pure).
import type { Action, DimensionLevel, ManagedDimension, RoleDefinition } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import { AppError, forbidden } from "../errors/errors";
import type { AccessContext } from "./context";
import { roleAllows } from "./record-scope";

/** Master-detail lines are handled through their master: its permissions are theirs. */
const permissionObject = (object: CompiledObject) => object.parent ?? object.name;

export function mayPerform(context: AccessContext, object: CompiledObject, action: Action | string): boolean {
  if (context.unrestricted) return true;
  const dimension = object.definition.dimension;
  if (dimension) {
    const level = dimensionLevel(context.roles, dimension);
    if (level === "none") return false;
    if (level === "query" && !READ_ACTIONS.has(action)) return false;
  }
  return context.roles.some((role) => roleAllows(role, permissionObject(object), action));
}

/** What a 查询 (query) level still allows on a dimension's archive. */
const READ_ACTIONS = new Set<string>(["view", "print", "export"]);

const LEVEL_RANK: Record<DimensionLevel, number> = { none: 0, query: 1, supervisor: 2 };

/**
 * A user's level for a management dimension: the highest among their roles (rights are the union of
 * roles). A role that does not mention the dimension does not restrict by it, so roles written before
 * a dimension was introduced keep working.
 */
export function dimensionLevel(roles: readonly RoleDefinition[], dimension: ManagedDimension): DimensionLevel {
  let level: DimensionLevel = "none";
  for (const role of roles) {
    const own = role.dimensions?.[dimension] ?? "supervisor";
    if (LEVEL_RANK[own] > LEVEL_RANK[level]) level = own;
  }
  return level;
}

export function assertMayPerform(context: AccessContext, object: CompiledObject, action: Action | string): void {
  if (mayPerform(context, object, action)) return;
  const label = object.definition.label;
  throw forbidden({
    "zh-CN": `没有${label["zh-CN"]}的「${ACTION_LABELS[action]?.["zh-CN"] ?? action}」权限`,
    en: `You may not ${ACTION_LABELS[action]?.en ?? action} ${label.en} records`,
  });
}

const ACTION_LABELS: Record<string, { "zh-CN": string; en: string }> = {
  view: { "zh-CN": "查看", en: "view" },
  create: { "zh-CN": "新增", en: "create" },
  edit: { "zh-CN": "修改", en: "edit" },
  delete: { "zh-CN": "删除", en: "delete" },
  print: { "zh-CN": "打印", en: "print" },
  export: { "zh-CN": "输出", en: "export" },
  approve: { "zh-CN": "审批", en: "approve" },
  convert: { "zh-CN": "转换", en: "convert" },
  reassign: { "zh-CN": "分配", en: "reassign" },
};

export interface FieldMask {
  hidden: ReadonlySet<string>;
  readOnly: ReadonlySet<string>;
}

const EMPTY_MASK: FieldMask = { hidden: new Set(), readOnly: new Set() };

/**
 * A field is hidden only when every role that may view the object hides it, and read-only only
 * when none of them may write it: rights are the union of roles.
 */
export function fieldMask(context: AccessContext, object: CompiledObject): FieldMask {
  if (context.unrestricted) return EMPTY_MASK;
  const name = object.name;
  const viewers = context.roles.filter((role) => roleAllows(role, permissionObject(object), "view"));
  if (viewers.length === 0) return EMPTY_MASK;
  const hidden = new Set<string>();
  const readOnly = new Set<string>();
  for (const column of object.columns) {
    const access = viewers.map((role) => role.fields?.[name]?.[column.name]);
    if (access.every((value) => value === "hidden")) hidden.add(column.name);
    else if (access.every((value) => value === "hidden" || value === "read_only")) readOnly.add(column.name);
    const dimension = object.fieldByName.get(column.name)?.dimension;
    if (!dimension) continue;
    // 存货 / 销售类型 / 供应商 / 仓库: 无权 hides what the field carries, 查询 shows it without letting it change.
    const level = dimensionLevel(context.roles, dimension);
    if (level === "none") {
      hidden.add(column.name);
      readOnly.delete(column.name);
    } else if (level === "query" && !hidden.has(column.name)) readOnly.add(column.name);
  }
  return { hidden, readOnly };
}

/** Writing a hidden or read-only field is refused, naming the fields. */
export function assertWritableFields(mask: FieldMask, body: Record<string, unknown>, pathPrefix = ""): void {
  const refused = Object.keys(body).filter((name) => mask.hidden.has(name) || mask.readOnly.has(name));
  if (refused.length === 0) return;
  throw new AppError("FORBIDDEN", {
    message: { "zh-CN": `没有修改字段的权限: ${refused.join(", ")}`, en: `You may not write the fields: ${refused.join(", ")}` },
    details: refused.map((name) => ({
      path: `${pathPrefix}/${name}`,
      message: { "zh-CN": `字段 "${name}" 只读或不可见`, en: `Field "${name}" is read-only or hidden for you` },
    })),
  });
}
