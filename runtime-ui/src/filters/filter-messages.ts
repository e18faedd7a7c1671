// The filter builder's and saved views' labels in both languages (kept here so the screens' shared table stays small).
import type { LocalizedText } from "../api/types";
import type { OperatorId } from "./filter-model";

export const OPERATOR_LABELS: Record<OperatorId, LocalizedText> = {
  eq: { "zh-CN": "等于", en: "is" },
  ne: { "zh-CN": "不等于", en: "is not" },
  contains: { "zh-CN": "包含", en: "contains" },
  not_contains: { "zh-CN": "不包含", en: "does not contain" },
  gt: { "zh-CN": "大于", en: "greater than" },
  gte: { "zh-CN": "大于等于", en: "at least" },
  lt: { "zh-CN": "小于", en: "less than" },
  lte: { "zh-CN": "小于等于", en: "at most" },
  between: { "zh-CN": "介于", en: "between" },
  in: { "zh-CN": "属于", en: "is any of" },
  not_in: { "zh-CN": "不属于", en: "is none of" },
  is_true: { "zh-CN": "是", en: "is yes" },
  is_false: { "zh-CN": "否", en: "is no" },
  empty: { "zh-CN": "为空", en: "is empty" },
  not_empty: { "zh-CN": "不为空", en: "is not empty" },
  has: { "zh-CN": "含有", en: "includes" },
  not_has: { "zh-CN": "不含有", en: "does not include" },
};

export const FILTER_TEXT = {
  advancedFilter: { "zh-CN": "高级筛选", en: "Advanced filter" },
  matchAll: { "zh-CN": "满足全部条件", en: "Match all" },
  matchAny: { "zh-CN": "满足任一条件", en: "Match any" },
  addCondition: { "zh-CN": "添加条件", en: "Add condition" },
  addGroup: { "zh-CN": "添加条件组", en: "Add group" },
  removeCondition: { "zh-CN": "删除条件", en: "Remove condition" },
  removeGroup: { "zh-CN": "删除条件组", en: "Remove group" },
  apply: { "zh-CN": "应用", en: "Apply" },
  clear: { "zh-CN": "清空", en: "Clear" },
  field: { "zh-CN": "字段", en: "Field" },
  operator: { "zh-CN": "运算符", en: "Operator" },
  value: { "zh-CN": "值", en: "Value" },
  from: { "zh-CN": "从", en: "From" },
  to: { "zh-CN": "到", en: "To" },
  unsupported: {
    "zh-CN": "该视图的筛选条件无法在筛选器中编辑，仍按原样生效。",
    en: "This view's filter cannot be edited in the builder; it still applies as it is.",
  },
  noConditions: { "zh-CN": "尚未添加条件", en: "No conditions yet" },
  view: { "zh-CN": "视图", en: "View" },
  allRecords: { "zh-CN": "全部记录", en: "All records" },
  saveView: { "zh-CN": "保存视图", en: "Save view" },
  saveAsNew: { "zh-CN": "另存为新视图", en: "Save as new view" },
  updateView: { "zh-CN": "更新当前视图", en: "Update this view" },
  deleteView: { "zh-CN": "删除视图", en: "Delete view" },
  deleteViewConfirm: { "zh-CN": "删除视图“{name}”？", en: "Delete the view \"{name}\"?" },
  viewName: { "zh-CN": "视图名称", en: "View name" },
  viewNameRequired: { "zh-CN": "请输入视图名称", en: "Enter a name for the view" },
  viewSaved: { "zh-CN": "视图已保存", en: "View saved" },
  viewDeleted: { "zh-CN": "视图已删除", en: "View deleted" },
} satisfies Record<string, LocalizedText>;

export type FilterTextKey = keyof typeof FILTER_TEXT;
