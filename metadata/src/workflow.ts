// The workflow document kind: an object's states, transitions, approvals, effects and triggers (types + JSON Schema).
import type { JsonLogicExpression, LocalizedText } from "./types";

/**
 * Someone the workflow points at: an approver, a notification recipient, a new related employee.
 * - owner: the record's 负责员工; owner_manager: the manager of the owner's department (walking up
 *   the department tree when a department has none)
 * - role: every active account holding the role; employee: one named employee, by employee code
 * - field: the employee (or employees) in an employee / lookup-to-employee field of the record
 */
export type WorkflowParty =
  | { type: "owner" }
  | { type: "owner_manager" }
  | { type: "role"; role: string }
  | { type: "employee"; code: string }
  | { type: "field"; field: string };

/**
 * A value an effect writes: a literal; `{ "expression": json-logic }` over the record's fields (and `_today` …);
 * or `{ "localized": { "zh-CN": …, "en": … } }`, one literal or expression per language, written in the language of
 * the employee the record is for (a created activity's owner, else the record's owner).
 */
export type EffectValue = unknown;

export type WorkflowEffect =
  | { type: "set_fields"; values: Record<string, EffectValue> }
  | { type: "create_record"; object: string; values: Record<string, EffectValue> }
  | { type: "add_related"; employees: WorkflowParty[] }
  | { type: "notify"; to: WorkflowParty[]; message: LocalizedText; channels?: Array<"in_app" | "email" | "sms"> };

export interface ApprovalStep {
  name: string;
  label: LocalizedText;
  approvers: WorkflowParty[];
  /** all: 会签, every approver must approve; any: 或签, the first approval decides. */
  mode: "all" | "any";
}

/** An approval started by a transition; the record waits in the transition's target state. */
export interface ApprovalDefinition {
  /** Sequential steps: the next one starts when the previous one is approved. */
  steps: ApprovalStep[];
  /** Where the record goes when every step is approved, and what happens then. */
  approved: { to: string; effects?: WorkflowEffect[] };
  /** Where the record goes when any approver rejects. */
  rejected: { to: string; effects?: WorkflowEffect[] };
}

export interface WorkflowState {
  /** A value of the state field's picklist. */
  name: string;
  /** The one state new records start in. */
  initial?: boolean;
  /** Records in this state cannot be edited through the records API (e.g. while under approval). */
  locked?: boolean;
  onEnter?: WorkflowEffect[];
}

export interface WorkflowTransition {
  /** The action name: POST …/records/:id/actions/<name>. */
  name: string;
  label: LocalizedText;
  from: string[];
  to: string;
  /** json-logic over the record's fields; the transition is offered only when it is truthy. */
  guard?: JsonLogicExpression;
  /** Roles allowed to take it; when omitted, anyone who may edit the record. */
  roles?: string[];
  approval?: ApprovalDefinition;
  effects?: WorkflowEffect[];
}

/**
 * Automation: on create / update / a field's change (with a json-logic condition), at a date
 * relative to a date field (offsetDays may be negative: N days before), or on a cron schedule
 * over the records matching the condition.
 */
export type WorkflowTrigger = {
  name: string;
  label?: LocalizedText;
  condition?: JsonLogicExpression;
  effects: WorkflowEffect[];
} & (
  | { on: "create" }
  | { on: "update" }
  | { on: "field_change"; field: string }
  | { on: "date"; field: string; offsetDays: number; annual?: boolean }
  | { on: "holiday"; offsetDays: number; holidays: Holiday[] }
  | { on: "schedule"; cron: string }
);

/** A declared holiday (春节, 中秋节 …) and its dates, as pack data: lunar holidays move, so each year's date is listed. */
export interface Holiday {
  name: string;
  label: LocalizedText;
  /** YYYY-MM-DD, one per year the pack covers. */
  dates: string[];
}

/** An activity a stage plan creates when the record enters the stage (owned by the record's owner, linked to it). */
export interface PlannedActivity {
  /** The activity's type (a value of the activity object's activity_type). */
  type: string;
  subject: LocalizedText;
  /** Its start: this many days after the record enters the stage. */
  daysAfter: number;
}

export interface StagePlanStage {
  stage: string;
  activities: PlannedActivity[];
  /** When every planned activity of the stage is completed, the record moves to this stage. */
  advanceTo?: string;
}

/**
 * Stages with per-stage activity plans on a picklist the users keep editing themselves (e.g. opportunity.stage):
 * entering a stage plans its activities; completing the last of them advances the record.
 */
export interface StagePlan {
  field: string;
  /** The activity object and its lookup back to this object. */
  activityObject: string;
  linkField: string;
  stages: StagePlanStage[];
}

/** A non-administrator principal the pack declares for work no user causes (time-based triggers). */
export interface WorkflowPrincipal {
  /** Account name of the principal (created without a password: it cannot sign in). */
  username: string;
  label: LocalizedText;
  /** Its rights: ordinary roles, so its scope is declared like anyone's. */
  roles: string[];
}

export interface WorkflowDefinition {
  /** The workflow's name; one workflow per object. */
  name: string;
  object: string;
  label: LocalizedText;
  /** The picklist field holding the state; absent for an automation-only workflow (triggers, stage plans, no states). */
  stateField?: string;
  states: WorkflowState[];
  transitions: WorkflowTransition[];
  triggers?: WorkflowTrigger[];
  stagePlan?: StagePlan;
  principal?: WorkflowPrincipal;
}

// ---- JSON Schema -------------------------------------------------------------------------------

const identifier = { type: "string", pattern: "^[a-z][a-z0-9_]{0,62}$" } as const;
const localizedText = {
  type: "object",
  required: ["zh-CN", "en"],
  properties: { "zh-CN": { type: "string", minLength: 1 }, en: { type: "string", minLength: 1 } },
  additionalProperties: false,
} as const;
const jsonLogic = { type: ["object", "array", "string", "number", "boolean"] } as const;

const party = {
  type: "object",
  required: ["type"],
  properties: {
    type: { enum: ["owner", "owner_manager", "role", "employee", "field"] },
    role: identifier,
    code: { type: "string", minLength: 1, maxLength: 30 },
    field: identifier,
  },
  additionalProperties: false,
  allOf: [
    { if: { properties: { type: { const: "role" } } }, then: { required: ["role"] } },
    { if: { properties: { type: { const: "employee" } } }, then: { required: ["code"] } },
    { if: { properties: { type: { const: "field" } } }, then: { required: ["field"] } },
  ],
} as const;

const parties = { type: "array", minItems: 1, items: party } as const;

const effect = {
  type: "object",
  required: ["type"],
  properties: {
    type: { enum: ["set_fields", "create_record", "add_related", "notify"] },
    values: { type: "object", propertyNames: identifier },
    object: identifier,
    employees: parties,
    to: parties,
    message: localizedText,
    channels: { type: "array", uniqueItems: true, items: { enum: ["in_app", "email", "sms"] } },
  },
  additionalProperties: false,
  allOf: [
    { if: { properties: { type: { const: "set_fields" } } }, then: { required: ["values"] } },
    { if: { properties: { type: { const: "create_record" } } }, then: { required: ["object", "values"] } },
    { if: { properties: { type: { const: "add_related" } } }, then: { required: ["employees"] } },
    { if: { properties: { type: { const: "notify" } } }, then: { required: ["to", "message"] } },
  ],
} as const;

const effects = { type: "array", items: effect } as const;

const approval = {
  type: "object",
  required: ["steps", "approved", "rejected"],
  properties: {
    steps: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["name", "label", "approvers", "mode"],
        properties: { name: identifier, label: localizedText, approvers: parties, mode: { enum: ["all", "any"] } },
        additionalProperties: false,
      },
    },
    approved: { type: "object", required: ["to"], properties: { to: identifier, effects }, additionalProperties: false },
    rejected: { type: "object", required: ["to"], properties: { to: identifier, effects }, additionalProperties: false },
  },
  additionalProperties: false,
} as const;

export const workflowDefinitionSchema = {
  type: "object",
  required: ["name", "object", "label", "states", "transitions"],
  properties: {
    name: identifier,
    object: identifier,
    label: localizedText,
    stateField: identifier,
    states: {
      type: "array",
      items: {
        type: "object",
        required: ["name"],
        properties: { name: identifier, initial: { type: "boolean" }, locked: { type: "boolean" }, onEnter: effects },
        additionalProperties: false,
      },
    },
    transitions: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "label", "from", "to"],
        properties: {
          name: identifier,
          label: localizedText,
          from: { type: "array", minItems: 1, uniqueItems: true, items: identifier },
          to: identifier,
          guard: jsonLogic,
          roles: { type: "array", uniqueItems: true, items: identifier },
          approval,
          effects,
        },
        additionalProperties: false,
      },
    },
    triggers: {
      type: "array",
      items: {
        type: "object",
        required: ["name", "on", "effects"],
        properties: {
          name: identifier,
          label: localizedText,
          on: { enum: ["create", "update", "field_change", "date", "holiday", "schedule"] },
          field: identifier,
          offsetDays: { type: "integer", minimum: -366, maximum: 366 },
          annual: { type: "boolean" },
          holidays: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              required: ["name", "label", "dates"],
              properties: { name: identifier, label: localizedText, dates: { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" } } },
              additionalProperties: false,
            },
          },
          cron: { type: "string", pattern: "^\\S+( \\S+){4,5}$" },
          condition: jsonLogic,
          effects: { type: "array", minItems: 1, items: effect },
        },
        additionalProperties: false,
        allOf: [
          { if: { properties: { on: { const: "field_change" } } }, then: { required: ["field"] } },
          { if: { properties: { on: { const: "date" } } }, then: { required: ["field", "offsetDays"] } },
          { if: { properties: { on: { const: "holiday" } } }, then: { required: ["holidays", "offsetDays"] } },
          { if: { properties: { on: { const: "schedule" } } }, then: { required: ["cron"] } },
        ],
      },
    },
    stagePlan: {
      type: "object",
      required: ["field", "activityObject", "linkField", "stages"],
      properties: {
        field: identifier,
        activityObject: identifier,
        linkField: identifier,
        stages: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            required: ["stage", "activities"],
            properties: {
              stage: identifier,
              advanceTo: identifier,
              activities: {
                type: "array",
                items: {
                  type: "object",
                  required: ["type", "subject", "daysAfter"],
                  properties: { type: identifier, subject: localizedText, daysAfter: { type: "integer", minimum: 0, maximum: 366 } },
                  additionalProperties: false,
                },
              },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
    principal: {
      type: "object",
      required: ["username", "label", "roles"],
      properties: { username: identifier, label: localizedText, roles: { type: "array", minItems: 1, items: identifier } },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;
