// The interpreter's pure core: which transitions an actor may take, approval step outcomes (会签 / 或签), what follows.
import { describe, expect, it } from "vitest";
import type { WorkflowDefinition } from "@crm/metadata";
import {
  approvalProgress,
  availableTransitions,
  currentState,
  effectValues,
  expressionData,
  hasLocalizedValues,
  isLockedState,
  stepOutcome,
  transitionRefusal,
  type ActorFacts,
  type TaskState,
} from "./interpreter";
import { eventTriggers, shiftDate } from "./triggers";

const text = (en: string) => ({ "zh-CN": en, en });

const workflow: WorkflowDefinition = {
  name: "loan_flow",
  object: "loan",
  label: text("Loan flow"),
  stateField: "status",
  states: [{ name: "draft", initial: true }, { name: "pending", locked: true }, { name: "approved" }, { name: "closed" }],
  transitions: [
    {
      name: "submit",
      label: text("Submit"),
      from: ["draft"],
      to: "pending",
      guard: { ">": [{ var: "amount" }, 0] },
      approval: {
        steps: [
          { name: "manager", label: text("Manager"), approvers: [{ type: "owner_manager" }], mode: "any" },
          { name: "finance", label: text("Finance"), approvers: [{ type: "role", role: "finance" }], mode: "all" },
        ],
        approved: { to: "approved" },
        rejected: { to: "draft", effects: [{ type: "notify", to: [{ type: "owner" }], message: text("rejected") }] },
      },
    },
    { name: "close", label: text("Close"), from: ["approved"], to: "closed", roles: ["manager"] },
  ],
  triggers: [
    { name: "created", on: "create", effects: [{ type: "notify", to: [{ type: "owner" }], message: text("new") }] },
    { name: "amount_changed", on: "field_change", field: "amount", effects: [{ type: "notify", to: [{ type: "owner" }], message: text("changed") }] },
    { name: "due", on: "date", field: "due_date", offsetDays: -3, effects: [{ type: "notify", to: [{ type: "owner" }], message: text("due") }] },
  ],
};

const actor = (overrides: Partial<ActorFacts> = {}): ActorFacts => ({ roles: [], isAdmin: false, mayEdit: true, today: "2026-11-27", employeeId: "e1", ...overrides });
const names = (list: { name: string }[]) => list.map((item) => item.name);

describe("transitions open to an actor", () => {
  const cases: Array<[string, Record<string, unknown>, Partial<ActorFacts>, boolean, string[]]> = [
    ["the owner of a draft with an amount", { status: "draft", amount: 10 }, {}, false, ["submit"]],
    ["a draft without an amount (guard)", { status: "draft", amount: 0 }, {}, false, []],
    ["a record with no state yet starts in the initial state", { amount: 10 }, {}, false, ["submit"]],
    ["someone who may not edit", { status: "draft", amount: 10 }, { mayEdit: false }, false, []],
    ["while an approval runs", { status: "draft", amount: 10 }, {}, true, []],
    ["a role-restricted transition, without the role", { status: "approved" }, {}, false, []],
    ["a role-restricted transition, with the role (edit not needed)", { status: "approved" }, { roles: ["manager"], mayEdit: false }, false, ["close"]],
    ["an administrator", { status: "approved" }, { isAdmin: true }, false, ["close"]],
  ];
  it.each(cases)("%s", (_name, record, facts, approvalPending, expected) => {
    expect(names(availableTransitions({ workflow, record, actor: actor(facts), approvalPending }))).toEqual(expected);
  });

  it("says why a transition is refused", () => {
    const [submit, close] = workflow.transitions;
    expect(transitionRefusal({ workflow, transition: submit, record: { status: "approved" }, actor: actor(), approvalPending: false })).toBe("state");
    expect(transitionRefusal({ workflow, transition: submit, record: { status: "draft", amount: 0 }, actor: actor(), approvalPending: false })).toBe("guard");
    expect(transitionRefusal({ workflow, transition: close, record: { status: "approved" }, actor: actor(), approvalPending: false })).toBe("role");
    expect(transitionRefusal({ workflow, transition: submit, record: { status: "draft", amount: 1 }, actor: actor({ mayEdit: false }), approvalPending: false })).toBe("edit");
  });

  it("knows the current and locked states", () => {
    expect(currentState(workflow, { status: "" })).toBe("draft");
    expect(isLockedState(workflow, "pending")).toBe(true);
    expect(isLockedState(workflow, "approved")).toBe(false);
  });
});

describe("approval steps", () => {
  const tasks = (...statuses: TaskState["status"][]) => statuses.map((status) => ({ status }));
  const cases: Array<["all" | "any", TaskState["status"][], string]> = [
    ["any", ["pending", "pending"], "waiting"],
    ["any", ["approved", "pending"], "approved"],
    ["any", ["rejected", "approved"], "rejected"],
    ["all", ["approved", "pending"], "waiting"],
    ["all", ["approved", "approved"], "approved"],
    ["all", ["approved", "rejected"], "rejected"],
    // 转办: the handed-over task is replaced by its successor's.
    ["all", ["handed_over", "approved"], "approved"],
    ["all", ["cancelled"], "waiting"],
  ];
  it.each(cases)("%s of %j is %s", (mode, statuses, expected) => {
    expect(stepOutcome(mode, tasks(...statuses))).toBe(expected);
  });

  it("moves through the steps in order and ends in the outcome's state", () => {
    const approval = workflow.transitions[0].approval!;
    expect(approvalProgress(approval, 0, "waiting")).toEqual({ kind: "wait" });
    expect(approvalProgress(approval, 0, "approved")).toEqual({ kind: "next_step", step: 1 });
    expect(approvalProgress(approval, 1, "approved")).toEqual({ kind: "finish", result: "approved", to: "approved", effects: [] });
    expect(approvalProgress(approval, 0, "rejected")).toMatchObject({ kind: "finish", result: "rejected", to: "draft", effects: [{ type: "notify" }] });
  });
});

describe("effect values and triggers", () => {
  it("evaluates expressions over the record and the context, and keeps literals", () => {
    const data = expressionData({ amount: 5, number: "SL-1" }, { today: "2026-11-27", employeeId: "e9" });
    expect(effectValues({ note: { expression: { cat: [{ var: "number" }, "@", { var: "_today" }] } }, by: { expression: { var: "_actor_employee_id" } }, status: "x" }, data)).toEqual({
      note: "SL-1@2026-11-27",
      by: "e9",
      status: "x",
    });
  });

  it("writes localized values in the reader's language, with context variables in that language too", () => {
    const data = { ...expressionData({ name: "王经理" }, { today: "2026-02-10", employeeId: null }), _holiday: { "zh-CN": "春节", en: "Spring Festival" } };
    const values = {
      subject: { localized: { "zh-CN": { expression: { cat: [{ var: "_holiday" }, "关怀：", { var: "name" }] } }, en: { expression: { cat: [{ var: "_holiday" }, " care: ", { var: "name" }] } } } },
      plan: { localized: { "zh-CN": "节前问候", en: "Holiday greetings" } },
      holiday: { expression: { var: "_holiday" } },
      status: "not_started",
    };
    expect(hasLocalizedValues(values)).toBe(true);
    expect(hasLocalizedValues({ status: "x", note: { expression: { var: "name" } } })).toBe(false);
    expect(effectValues(values, data)).toEqual({ subject: "春节关怀：王经理", plan: "节前问候", holiday: "春节", status: "not_started" });
    // A plain expression reads variables in zh-CN whatever the language: only localized values switch.
    expect(effectValues(values, data, "en")).toEqual({ subject: "Spring Festival care: 王经理", plan: "Holiday greetings", holiday: "春节", status: "not_started" });
  });

  it("picks the triggers of a record event", () => {
    expect(names(eventTriggers(workflow, { kind: "create", after: { amount: 1 } }))).toEqual(["created"]);
    expect(names(eventTriggers(workflow, { kind: "update", before: { amount: 1 }, after: { amount: 2 } }))).toEqual(["amount_changed"]);
    expect(names(eventTriggers(workflow, { kind: "update", before: { amount: 1 }, after: { amount: 1 } }))).toEqual([]);
  });

  it("shifts dates across months and years", () => {
    expect(shiftDate("2026-03-01", -1)).toBe("2026-02-28");
    expect(shiftDate("2026-12-30", 3)).toBe("2027-01-02");
  });
});
