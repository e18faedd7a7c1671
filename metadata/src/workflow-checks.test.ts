// The workflow validator (pure): a valid workflow passes; each broken copy is rejected at the exact path.
import { describe, expect, it } from "vitest";
import { field, label } from "./test-fixtures";
import { validateModel } from "./validate";
import { reachableStates } from "./workflow-checks";
import type { ObjectDefinition, RoleDefinition } from "./types";
import type { WorkflowDefinition } from "./workflow";

const loan: ObjectDefinition = {
  name: "loan",
  label: label("Loan"),
  ownership: true,
  fields: [
    field("status", "picklist", { options: ["draft", "pending", "approved", "rejected", "closed", "archived"].map((value) => ({ value, label: label(value) })) }),
    field("due_date", "date"),
    field("amount", "amount"),
    field("note", "text"),
    field("reviewer_id", "employee"),
  ],
};
const activity: ObjectDefinition = { name: "activity", label: label("Activity"), ownership: true, fields: [field("subject", "text")] };
const employee: ObjectDefinition = { name: "employee", label: label("Employee"), fields: [field("code", "text"), field("department_id", "department")] };
const department: ObjectDefinition = { name: "department", label: label("Department"), fields: [field("name", "text"), field("manager_id", "employee")] };
const manager: RoleDefinition = { name: "manager", label: label("Manager"), functions: { loan: ["view", "approve"] } };

function validWorkflow(): WorkflowDefinition {
  return {
    name: "loan_flow",
    object: "loan",
    label: label("Loan flow"),
    stateField: "status",
    states: [
      { name: "draft", initial: true },
      { name: "pending", locked: true },
      { name: "approved", onEnter: [{ type: "notify", to: [{ type: "owner" }], message: label("approved") }] },
      { name: "rejected" },
      { name: "closed" },
    ],
    transitions: [
      {
        name: "submit",
        label: label("Submit"),
        from: ["draft", "rejected"],
        to: "pending",
        guard: { ">": [{ var: "amount" }, 0] },
        approval: {
          steps: [{ name: "manager", label: label("Manager"), approvers: [{ type: "owner_manager" }], mode: "any" }],
          approved: { to: "approved", effects: [{ type: "set_fields", values: { note: { expression: { cat: ["ok ", { var: "_today" }] } } } }] },
          rejected: { to: "rejected" },
        },
      },
      { name: "close", label: label("Close"), from: ["approved"], to: "closed", roles: ["manager"] },
    ],
    triggers: [
      { name: "overdue", on: "date", field: "due_date", offsetDays: 1, effects: [{ type: "create_record", object: "activity", values: { subject: "逾期" } }] },
      { name: "note_changed", on: "field_change", field: "note", condition: { "!!": [{ var: "note" }] }, effects: [{ type: "add_related", employees: [{ type: "field", field: "reviewer_id" }] }] },
    ],
    principal: { username: "loan_bot", label: label("Loan bot"), roles: ["manager"] },
  };
}

const issuesOf = (workflow: unknown) =>
  validateModel({ objects: [loan, activity, employee, department], optionSets: [], roles: [manager], workflows: [workflow as WorkflowDefinition] });

describe("workflow validation", () => {
  it("accepts a complete workflow", () => {
    expect(issuesOf(validWorkflow())).toEqual([]);
  });

  const cases: Array<[string, (workflow: any) => void, string]> = [
    ["unknown object", (w) => (w.object = "nothing"), "/object"],
    ["state field missing", (w) => (w.stateField = "nope"), "/stateField"],
    ["state field not a picklist", (w) => (w.stateField = "note"), "/stateField"],
    ["state not among the options", (w) => w.states.push({ name: "lost" }), "/states/5/name"],
    ["two initial states", (w) => (w.states[1].initial = true), "/states"],
    ["transition to an unknown state", (w) => (w.transitions[1].to = "archived"), "/transitions/1/to"],
    ["transition from an unknown state", (w) => (w.transitions[1].from = ["gone"]), "/transitions/1/from/0"],
    ["unreachable state", (w) => (w.transitions[1].from = ["rejected"], w.transitions[0].approval.rejected.to = "draft"), "/states/3"],
    ["guard on an unknown field", (w) => (w.transitions[0].guard = { ">": [{ var: "total" }, 0] }), "/transitions/0/guard/>/0/var"],
    ["unknown role on a transition", (w) => (w.transitions[1].roles = ["boss"]), "/transitions/1/roles/0"],
    ["unknown approver role", (w) => (w.transitions[0].approval.steps[0].approvers = [{ type: "role", role: "boss" }]), "/transitions/0/approval/steps/0/approvers/0/role"],
    ["approval outcome to an unknown state", (w) => (w.transitions[0].approval.approved.to = "done"), "/transitions/0/approval/approved/to"],
    ["effect on an unknown field", (w) => (w.transitions[0].approval.approved.effects[0].values = { total: 1 }), "/transitions/0/approval/approved/effects/0/values/total"],
    ["effect expression on an unknown field", (w) => (w.transitions[0].approval.approved.effects[0].values = { note: { expression: { var: "total" } } }), "/transitions/0/approval/approved/effects/0/values/note/expression/var"],
    ["create of an unknown object", (w) => (w.triggers[0].effects[0].object = "memo"), "/triggers/0/effects/0/object"],
    ["field party that is not an employee", (w) => (w.triggers[1].effects[0].employees[0].field = "note"), "/triggers/1/effects/0/employees/0/field"],
    ["date trigger on a text field", (w) => (w.triggers[0].field = "note"), "/triggers/0/field"],
    ["time trigger without a principal", (w) => delete w.principal, "/triggers/0/on"],
    ["reserved transition name", (w) => (w.transitions[1].name = "approve"), "/transitions/1/name"],
    ["structural: a transition without a label", (w) => delete w.transitions[1].label, "/transitions/1/label"],
    ["structural: mode other than all / any", (w) => (w.transitions[0].approval.steps[0].mode = "most"), "/transitions/0/approval/steps/0/mode"],
    ["structural: an approval step without a label", (w) => delete w.transitions[0].approval.steps[0].label, "/transitions/0/approval/steps/0/label"],
    ["a localized value without en", (w) => (w.triggers[0].effects[0].values.subject = { localized: { "zh-CN": "逾期" } }), "/triggers/0/effects/0/values/subject/localized"],
    [
      "a localized expression on an unknown field",
      (w) => (w.triggers[0].effects[0].values.subject = { localized: { "zh-CN": "逾期", en: { expression: { var: "total" } } } }),
      "/triggers/0/effects/0/values/subject/localized/en/expression/var",
    ],
  ];

  it.each(cases)("rejects %s", (_name, breakIt, path) => {
    const workflow = structuredClone(validWorkflow());
    breakIt(workflow);
    const issues = issuesOf(workflow);
    expect(issues.map((issue) => issue.path)).toContain(path);
    expect(issues.every((issue) => issue.document === "workflows/loan_flow" && issue.message["zh-CN"] && issue.message.en)).toBe(true);
  });

  it("accepts localized effect values, one literal or expression per language", () => {
    const workflow = validWorkflow();
    workflow.triggers![0].effects = [
      { type: "create_record", object: "activity", values: { subject: { localized: { "zh-CN": { expression: { cat: ["逾期：", { var: "note" }] } }, en: "Overdue" } } } },
    ];
    expect(issuesOf(workflow)).toEqual([]);
  });

  it("requires a label on every state's option: users read states by it", () => {
    const bare: ObjectDefinition = { ...loan, fields: loan.fields.map((candidate) => (candidate.name === "status" ? { ...candidate, options: ["draft", "pending", "approved", "rejected", "closed"] } : candidate)) };
    const issues = validateModel({ objects: [bare, activity, employee, department], optionSets: [], roles: [manager], workflows: [validWorkflow()] });
    expect(issues.map((issue) => issue.path)).toEqual(["/states/0/name", "/states/1/name", "/states/2/name", "/states/3/name", "/states/4/name"]);
    expect(issues[0].message.en).toContain("needs a label");
    // Through an option set, too.
    const viaSet: ObjectDefinition = { ...loan, fields: loan.fields.map((candidate) => (candidate.name === "status" ? { ...candidate, options: undefined, optionSet: "loan_status" } : candidate)) };
    const optionSet = { name: "loan_status", label: label("Loan status"), options: ["draft", "pending", "approved", "rejected", { value: "closed", label: label("Closed") }] };
    const viaSetIssues = validateModel({ objects: [viaSet, activity, employee, department], optionSets: [optionSet], roles: [manager], workflows: [validWorkflow()] });
    expect(viaSetIssues.map((issue) => issue.path)).toEqual(["/states/0/name", "/states/1/name", "/states/2/name", "/states/3/name"]);
  });

  it("requires approver roles to be able to view the object", () => {
    const clerk: RoleDefinition = { name: "clerk", label: label("Clerk"), functions: { loan: ["create"] } };
    const auditor: RoleDefinition = { name: "auditor", label: label("Auditor"), functions: { "*": ["view"] } };
    const workflow = validWorkflow();
    const steps = workflow.transitions.find((transition) => transition.approval)!.approval!.steps;
    steps[0].approvers = [{ type: "role", role: "manager" }, { type: "role", role: "clerk" }, { type: "role", role: "auditor" }];
    const issues = validateModel({ objects: [loan, activity, employee, department], optionSets: [], roles: [manager, clerk, auditor], workflows: [workflow] });
    const transition = workflow.transitions.findIndex((candidate) => candidate.approval);
    expect(issues.map((issue) => issue.path)).toEqual([`/transitions/${transition}/approval/steps/0/approvers/1/role`]);
    expect(issues[0].message.en).toContain('"clerk" may not view "loan"');
  });

  it("allows one workflow per object", () => {
    const second = { ...validWorkflow(), name: "loan_flow_2" };
    const issues = validateModel({ objects: [loan, activity, employee, department], optionSets: [], roles: [manager], workflows: [validWorkflow(), second] });
    expect(issues).toEqual([expect.objectContaining({ document: "workflows/loan_flow_2", path: "/object" })]);
  });

  it("reaches states through approval outcomes", () => {
    expect([...reachableStates(validWorkflow())].sort()).toEqual(["approved", "closed", "draft", "pending", "rejected"]);
  });
});

describe("automation-only workflows: stage plans, yearly dates and holidays", () => {
  const task: ObjectDefinition = { name: "activity", label: label("Activity"), ownership: true, fields: [field("subject", "text"), field("loan_id", "lookup", { target: "loan" })] };
  const automation = (): WorkflowDefinition => ({
    name: "loan_automation",
    object: "loan",
    label: label("Loan automation"),
    states: [],
    transitions: [],
    stagePlan: {
      field: "status",
      activityObject: "activity",
      linkField: "loan_id",
      stages: [
        { stage: "draft", advanceTo: "pending", activities: [{ type: "care", subject: label("Call"), daysAfter: 1 }] },
        { stage: "pending", activities: [] },
      ],
    },
    triggers: [
      { name: "anniversary", on: "date", field: "due_date", offsetDays: -3, annual: true, effects: [{ type: "create_record", object: "activity", values: { subject: { expression: { cat: ["周年 ", { var: "_occasion_date" }] } } } }] },
      { name: "festival", on: "holiday", offsetDays: -7, holidays: [{ name: "spring_festival", label: label("Spring Festival"), dates: ["2027-02-06"] }], effects: [{ type: "create_record", object: "activity", values: { subject: { expression: { var: "_holiday" } } } }] },
    ],
    principal: { username: "loan_bot", label: label("Loan bot"), roles: ["manager"] },
  });
  const issuesOfAutomation = (workflow: unknown) => validateModel({ objects: [loan, task, employee, department], optionSets: [], roles: [manager], workflows: [workflow as WorkflowDefinition] });

  it("accepts a workflow without a state field", () => {
    expect(issuesOfAutomation(automation())).toEqual([]);
  });

  const cases: Array<[string, (workflow: any) => void, string]> = [
    ["states without a state field", (w) => w.states.push({ name: "draft", initial: true }), "/stateField"],
    ["a stage that is not an option", (w) => (w.stagePlan.stages[1].stage = "lost"), "/stagePlan/stages/1/stage"],
    ["advancing to an unknown stage", (w) => (w.stagePlan.stages[0].advanceTo = "won"), "/stagePlan/stages/0/advanceTo"],
    ["a stage planned twice", (w) => (w.stagePlan.stages[1].stage = "draft"), "/stagePlan/stages/1/stage"],
    ["advancing without planned activities", (w) => (w.stagePlan.stages[1].advanceTo = "approved"), "/stagePlan/stages/1/advanceTo"],
    ["a stage field that is not a picklist", (w) => (w.stagePlan.field = "note"), "/stagePlan/field"],
    ["a link that is not a lookup to the object", (w) => (w.stagePlan.linkField = "subject"), "/stagePlan/linkField"],
    ["an unknown activity object", (w) => (w.stagePlan.activityObject = "memo"), "/stagePlan/activityObject"],
    ["a stage plan without a principal", (w) => ((w.triggers = []), delete w.principal), "/stagePlan"],
    ["a holiday date that does not exist", (w) => (w.triggers[1].holidays[0].dates = ["2027-02-30"]), "/triggers/1/holidays/0/dates/0"],
    ["structural: a holiday date in another format", (w) => (w.triggers[1].holidays[0].dates = ["6.2.2027"]), "/triggers/1/holidays/0/dates/0"],
    ["a holiday trigger without a principal", (w) => ((w.stagePlan = undefined), delete w.principal), "/triggers/1/on"],
  ];

  it.each(cases)("rejects %s", (_name, breakIt, path) => {
    const workflow = structuredClone(automation());
    breakIt(workflow);
    if (workflow.stagePlan === undefined) delete workflow.stagePlan;
    expect(issuesOfAutomation(workflow).map((issue) => issue.path)).toContain(path);
  });
});
