// Cross-document checks of a workflow (pure): states against the picklist, reachability, fields, roles, objects.
import { checkExpressionVars } from "./expression-checks";
import type { IssueSink } from "./issues";
import { knownFieldNames, type ModelIndex } from "./model-index";
import { optionValue } from "./options";
import { EVERY_OBJECT, type ObjectDefinition, type PicklistOption, type RoleDefinition } from "./types";
import type { ApprovalDefinition, WorkflowDefinition, WorkflowEffect, WorkflowParty } from "./workflow";

/** Actions every workflow object answers besides its declared transitions; a transition may not take these names. */
export const APPROVAL_ACTIONS = ["approve", "reject", "add_approver", "hand_over"] as const;

/** Variables an effect value or a trigger condition may read besides the record's fields (_occasion_date: the birthday or holiday
 * a date / holiday trigger fires for; _holiday: the holiday's name, in the language of the localized value reading it, else
 * zh-CN; both null elsewhere). */
export const WORKFLOW_CONTEXT_VARIABLES = ["_today", "_now", "_actor_employee_id", "_occasion_date", "_holiday"] as const;

export interface WorkflowCheckInput {
  workflow: WorkflowDefinition;
  index: ModelIndex;
  roleNames: ReadonlySet<string>;
  /** The roles' function permissions, to check that approvers named by role may read what they approve. */
  roleFunctions?: ReadonlyMap<string, RoleDefinition["functions"]>;
  sink: IssueSink;
}

/** The picklist options of the state field by value, or undefined when they cannot be known (the issue is reported). */
function stateValues(object: ObjectDefinition, fieldName: string, { index, sink }: WorkflowCheckInput, path = "/stateField"): Map<string, PicklistOption> | undefined {
  const field = object.fields.find((candidate) => candidate.name === fieldName);
  if (!field) {
    sink.add(path, `对象 "${object.name}" 没有字段 "${fieldName}"`, `the object "${object.name}" has no field "${fieldName}"`);
    return undefined;
  }
  if (field.type !== "picklist") {
    sink.add(path, `状态字段 "${field.name}" 必须是单选（picklist）`, `the state field "${field.name}" must be a picklist`);
    return undefined;
  }
  const options = field.options ?? (field.optionSet ? index.optionSetOptions.get(field.optionSet) : undefined);
  return options ? new Map(options.map((option) => [optionValue(option), option])) : undefined;
}

/** Every state reachable from the initial one through transitions and approval outcomes. */
export function reachableStates(workflow: WorkflowDefinition): Set<string> {
  const initial = workflow.states.find((state) => state.initial)?.name;
  const reached = new Set<string>(initial ? [initial] : []);
  let grew = true;
  while (grew) {
    grew = false;
    for (const transition of workflow.transitions) {
      if (!transition.from.some((state) => reached.has(state))) continue;
      const targets = [transition.to, ...(transition.approval ? [transition.approval.approved.to, transition.approval.rejected.to] : [])];
      for (const target of targets) {
        if (!reached.has(target)) {
          reached.add(target);
          grew = true;
        }
      }
    }
  }
  return reached;
}

interface Context extends WorkflowCheckInput {
  object: ObjectDefinition;
  fieldNames: Set<string>;
  expressionNames: Set<string>;
}

function checkParties(parties: readonly WorkflowParty[], path: string, context: Context): void {
  parties.forEach((party, position) => {
    const at = `${path}/${position}`;
    if (party.type === "role" && !context.roleNames.has(party.role)) {
      context.sink.add(`${at}/role`, `角色 "${party.role}" 不存在`, `the role "${party.role}" does not exist`);
    }
    if ((party.type === "owner" || party.type === "owner_manager") && !context.object.ownership) {
      context.sink.add(`${at}/type`, `对象 "${context.object.name}" 没有负责员工（未启用数据权限）`, `the object "${context.object.name}" has no owner (ownership is off)`);
    }
    if (party.type === "field") {
      const field = context.object.fields.find((candidate) => candidate.name === party.field);
      const isEmployee = field && (field.type === "employee" || (field.type === "lookup" && field.target === "employee"));
      if (!isEmployee && !(party.field === "owner_id" && context.object.ownership)) {
        context.sink.add(`${at}/field`, `字段 "${party.field}" 不存在或不是人员字段`, `the field "${party.field}" does not exist or is not an employee field`);
      }
    }
  });
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/** `{ "expression": … }` is json-logic over the source record; `{ "localized": … }` one such value per language; anything else a literal. */
function checkValue(value: unknown, at: string, context: Context): void {
  if (isObject(value) && "expression" in value) {
    checkExpressionVars({ expression: value.expression, path: `${at}/expression`, fieldNames: context.expressionNames }, context.sink);
  } else if (isObject(value) && "localized" in value) {
    const branches = value.localized;
    const languages = isObject(branches) ? Object.keys(branches).sort() : [];
    if (!isObject(branches) || languages.join(",") !== "en,zh-CN") {
      context.sink.add(`${at}/localized`, "多语言值必须且只能有 zh-CN 和 en 两项", "a localized value needs exactly zh-CN and en");
      return;
    }
    for (const language of languages) {
      const branch = branches[language];
      if (isObject(branch) && "localized" in branch) context.sink.add(`${at}/localized/${language}`, "多语言值不能嵌套", "localized values do not nest");
      else checkValue(branch, `${at}/localized/${language}`, context);
    }
  }
}

function checkValues(values: Record<string, unknown>, input: { path: string; target: ObjectDefinition; writable: Set<string> }, context: Context): void {
  for (const [name, value] of Object.entries(values)) {
    const at = `${input.path}/${name}`;
    if (!input.writable.has(name)) {
      context.sink.add(at, `对象 "${input.target.name}" 没有可写字段 "${name}"`, `the object "${input.target.name}" has no writable field "${name}"`);
    }
    checkValue(value, at, context);
  }
}

/** Fields an effect may write: declared ones (not formulas or numbers) plus the assignment columns. */
function writableFields(object: ObjectDefinition): Set<string> {
  const names = new Set(object.fields.filter((field) => !["formula", "auto_number", "master_detail"].includes(field.type)).map((field) => field.name));
  if (object.ownership) ["owner_id", "department_id"].forEach((name) => names.add(name));
  if (object.belongsToCustomer) names.add("customer_id");
  return names;
}

function checkEffects(effects: readonly WorkflowEffect[] | undefined, path: string, context: Context): void {
  (effects ?? []).forEach((effect, position) => {
    const at = `${path}/${position}`;
    if (effect.type === "set_fields") {
      const writable = writableFields(context.object);
      if (context.workflow.stateField) writable.delete(context.workflow.stateField);
      checkValues(effect.values, { path: `${at}/values`, target: context.object, writable }, context);
    } else if (effect.type === "create_record") {
      const target = context.index.objects.get(effect.object);
      if (!target) {
        if (!context.index.objectNames.has(effect.object)) context.sink.add(`${at}/object`, `对象 "${effect.object}" 不存在`, `the object "${effect.object}" does not exist`);
        return;
      }
      checkValues(effect.values, { path: `${at}/values`, target, writable: writableFields(target) }, context);
    } else if (effect.type === "add_related") {
      if (!context.object.ownership) context.sink.add(`${at}/type`, `对象 "${context.object.name}" 没有相关员工`, `the object "${context.object.name}" has no related employees`);
      checkParties(effect.employees, `${at}/employees`, context);
    } else {
      checkParties(effect.to, `${at}/to`, context);
    }
  });
}

function checkStateName(name: string, path: string, declared: ReadonlySet<string>, sink: IssueSink): void {
  if (!declared.has(name)) sink.add(path, `状态 "${name}" 未在 states 中声明`, `the state "${name}" is not declared in states`);
}

function checkApproval(approval: ApprovalDefinition, path: string, declared: ReadonlySet<string>, context: Context): void {
  const stepNames = new Set<string>();
  approval.steps.forEach((step, position) => {
    if (stepNames.has(step.name)) context.sink.add(`${path}/steps/${position}/name`, `审批步骤 "${step.name}" 重复`, `the approval step "${step.name}" is defined twice`);
    stepNames.add(step.name);
    checkParties(step.approvers, `${path}/steps/${position}/approvers`, context);
    // Holders of an approver role get the task whatever their department; without the right to view the object they
    // could neither open the record nor decide on it.
    step.approvers.forEach((party, index) => {
      if (party.type !== "role") return;
      const functions = context.roleFunctions?.get(party.role);
      if (!functions) return;
      const actions = [...(functions[context.object.name] ?? []), ...(functions[EVERY_OBJECT] ?? [])];
      if (!actions.includes("view")) {
        context.sink.add(
          `${path}/steps/${position}/approvers/${index}/role`,
          `审批角色 "${party.role}" 没有查看 "${context.object.name}" 的权限，无法审批`,
          `the approver role "${party.role}" may not view "${context.object.name}" records, so it could not approve them`,
        );
      }
    });
  });
  checkStateName(approval.approved.to, `${path}/approved/to`, declared, context.sink);
  checkStateName(approval.rejected.to, `${path}/rejected/to`, declared, context.sink);
  checkEffects(approval.approved.effects, `${path}/approved/effects`, context);
  checkEffects(approval.rejected.effects, `${path}/rejected/effects`, context);
}

function checkStates(context: Context, options: Map<string, PicklistOption> | undefined): Set<string> {
  const { workflow, sink } = context;
  const declared = new Set<string>();
  workflow.states.forEach((state, position) => {
    if (declared.has(state.name)) sink.add(`/states/${position}/name`, `状态 "${state.name}" 重复`, `the state "${state.name}" is declared twice`);
    declared.add(state.name);
    const option = options?.get(state.name);
    if (options && !option) {
      sink.add(`/states/${position}/name`, `"${state.name}" 不是状态字段 "${workflow.stateField}" 的选项`, `"${state.name}" is not an option of the state field "${workflow.stateField}"`);
    }
    // Users read a state by its option's label (inbox, approval history, lock messages), like every field by its label.
    if (option !== undefined && (typeof option === "string" || !option.label)) {
      sink.add(`/states/${position}/name`, `状态 "${state.name}" 的选项需要中英文名称 label`, `the option of the state "${state.name}" needs a label (zh-CN and en)`);
    }
    checkEffects(state.onEnter, `/states/${position}/onEnter`, context);
  });
  const initials = workflow.states.filter((state) => state.initial).length;
  if (!workflow.stateField) {
    // Automation only: triggers and stage plans, no states to move between.
    if (workflow.states.length || workflow.transitions.length) sink.add("/stateField", "声明状态或转换的工作流需要状态字段 stateField", "a workflow with states or transitions needs a stateField");
    return declared;
  }
  if (initials !== 1) sink.add("/states", `必须恰好有一个初始状态（当前 ${initials} 个）`, `exactly one state must be initial (found ${initials})`);
  return declared;
}

function checkTransitions(context: Context, declared: Set<string>): void {
  const { workflow, sink } = context;
  const names = new Set<string>();
  workflow.transitions.forEach((transition, position) => {
    const at = `/transitions/${position}`;
    if (names.has(transition.name)) sink.add(`${at}/name`, `转换 "${transition.name}" 重复`, `the transition "${transition.name}" is defined twice`);
    if ((APPROVAL_ACTIONS as readonly string[]).includes(transition.name)) {
      sink.add(`${at}/name`, `"${transition.name}" 是审批操作的保留名称`, `"${transition.name}" is reserved for approval actions`);
    }
    names.add(transition.name);
    transition.from.forEach((state, index) => checkStateName(state, `${at}/from/${index}`, declared, sink));
    checkStateName(transition.to, `${at}/to`, declared, sink);
    if (transition.guard !== undefined) checkExpressionVars({ expression: transition.guard, path: `${at}/guard`, fieldNames: context.expressionNames }, sink);
    (transition.roles ?? []).forEach((role, index) => {
      if (!context.roleNames.has(role)) sink.add(`${at}/roles/${index}`, `角色 "${role}" 不存在`, `the role "${role}" does not exist`);
    });
    if (transition.approval) checkApproval(transition.approval, `${at}/approval`, declared, context);
    checkEffects(transition.effects, `${at}/effects`, context);
  });
}

function checkTriggers(context: Context): void {
  const { workflow, sink, object } = context;
  const names = new Set<string>();
  (workflow.triggers ?? []).forEach((trigger, position) => {
    const at = `/triggers/${position}`;
    if (names.has(trigger.name)) sink.add(`${at}/name`, `触发器 "${trigger.name}" 重复`, `the trigger "${trigger.name}" is defined twice`);
    names.add(trigger.name);
    if (trigger.on === "field_change" && !context.fieldNames.has(trigger.field)) {
      sink.add(`${at}/field`, `对象 "${object.name}" 没有字段 "${trigger.field}"`, `the object "${object.name}" has no field "${trigger.field}"`);
    }
    if (trigger.on === "date") {
      const field = object.fields.find((candidate) => candidate.name === trigger.field);
      if (!field || !["date", "datetime"].includes(field.type)) {
        sink.add(`${at}/field`, `字段 "${trigger.field}" 不存在或不是日期字段`, `the field "${trigger.field}" does not exist or is not a date field`);
      }
    }
    if (trigger.on === "holiday") {
      trigger.holidays.forEach((holiday, index) =>
        holiday.dates.forEach((date, position) => {
          if (Number.isNaN(Date.parse(`${date}T00:00:00Z`)) || new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) {
            sink.add(`${at}/holidays/${index}/dates/${position}`, `"${date}" 不是有效日期`, `"${date}" is not a valid date`);
          }
        }),
      );
    }
    // Nobody causes time-based work, so it needs a declared principal rather than falling back to admin.
    if ((trigger.on === "date" || trigger.on === "holiday" || trigger.on === "schedule") && !workflow.principal) {
      sink.add(`${at}/on`, "定时触发器需要声明执行主体 principal", "time-based triggers need a declared principal to run as");
    }
    if (trigger.condition !== undefined) checkExpressionVars({ expression: trigger.condition, path: `${at}/condition`, fieldNames: context.expressionNames }, sink);
    checkEffects(trigger.effects, `${at}/effects`, context);
  });
  workflow.principal?.roles.forEach((role, index) => {
    if (!context.roleNames.has(role)) sink.add(`/principal/roles/${index}`, `角色 "${role}" 不存在`, `the role "${role}" does not exist`);
  });
}

/** A stage plan: its field is a picklist, its stages and targets are options, its activity object links back to this one. */
function checkStagePlan(context: Context): void {
  const plan = context.workflow.stagePlan;
  if (!plan) return;
  const { sink, object, index } = context;
  const options = stateValues(object, plan.field, context, "/stagePlan/field");
  const seen = new Set<string>();
  plan.stages.forEach((stage, position) => {
    const at = `/stagePlan/stages/${position}`;
    if (seen.has(stage.stage)) sink.add(`${at}/stage`, `阶段 "${stage.stage}" 重复`, `the stage "${stage.stage}" is planned twice`);
    seen.add(stage.stage);
    for (const [key, value] of [["stage", stage.stage], ["advanceTo", stage.advanceTo]] as const) {
      if (value !== undefined && options && !options.has(value)) sink.add(`${at}/${key}`, `"${value}" 不是字段 "${plan.field}" 的选项`, `"${value}" is not an option of the field "${plan.field}"`);
    }
    if (stage.advanceTo !== undefined && stage.activities.length === 0) sink.add(`${at}/advanceTo`, "没有计划行动的阶段不能自动推进", "a stage without planned activities cannot advance on their completion");
  });
  const activities = index.objects.get(plan.activityObject);
  if (!activities) {
    sink.add("/stagePlan/activityObject", `对象 "${plan.activityObject}" 不存在`, `the object "${plan.activityObject}" does not exist`);
    return;
  }
  const link = activities.fields.find((field) => field.name === plan.linkField);
  if (!link || link.type !== "lookup" || link.target !== object.name) {
    sink.add("/stagePlan/linkField", `"${plan.linkField}" 不是 "${plan.activityObject}" 指向 "${object.name}" 的查找字段`, `"${plan.linkField}" is not a lookup from "${plan.activityObject}" to "${object.name}"`);
  }
  if (!context.workflow.principal) sink.add("/stagePlan", "阶段计划需要声明执行主体 principal", "a stage plan needs a declared principal to run as");
}

/** Checks one structurally valid workflow against the model; problems go to the sink with their JSON paths. */
export function checkWorkflow(input: WorkflowCheckInput): void {
  const { workflow, index, sink } = input;
  const object = index.objects.get(workflow.object);
  if (!object) {
    if (!index.objectNames.has(workflow.object)) sink.add("/object", `对象 "${workflow.object}" 不存在`, `the object "${workflow.object}" does not exist`);
    return;
  }
  const fieldNames = knownFieldNames(object, index);
  const context: Context = { ...input, object, fieldNames, expressionNames: new Set([...fieldNames, ...WORKFLOW_CONTEXT_VARIABLES]) };
  const declared = checkStates(context, workflow.stateField ? stateValues(object, workflow.stateField, input) : undefined);
  checkTransitions(context, declared);
  checkTriggers(context);
  checkStagePlan(context);
  const reachable = reachableStates(workflow);
  workflow.states.forEach((state, position) => {
    if (declared.has(state.name) && !reachable.has(state.name) && workflow.states.some((candidate) => candidate.initial)) {
      sink.add(`/states/${position}`, `状态 "${state.name}" 从初始状态不可达`, `the state "${state.name}" cannot be reached from the initial state`);
    }
  });
}
