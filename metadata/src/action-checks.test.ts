// Declared actions, duplicate rules and roll-ups: each row breaks one thing in the standard pack and names the issues.
import { beforeAll, describe, expect, it } from "vitest";
import { loadPackFolder, standardPackDir } from "./load";
import type { GenerateDocumentAction } from "./actions";
import type { MetadataIssue, ObjectDefinition, PackDocument, RoleDefinition } from "./types";
import { validateModel } from "./validate";

let standard: PackDocument;
beforeAll(async () => {
  standard = await loadPackFolder(standardPackDir);
});

interface Model {
  objects: ObjectDefinition[];
  optionSets: PackDocument["optionSets"];
  roles: RoleDefinition[];
}

const seller = (): RoleDefinition => ({
  name: "seller",
  label: { "zh-CN": "销售", en: "Seller" },
  functions: { lead: ["view", "convert"], opportunity: ["view", "edit", "generate_order", "close_lost"] },
  records: { lead: { view: "owner" }, opportunity: { view: "owner", edit: "owner" } },
});

const model = (): Model => ({ objects: structuredClone(standard.objects), optionSets: standard.optionSets, roles: [seller()] });
const object = (m: Model, name: string) => m.objects.find((o) => o.name === name)!;
const action = (m: Model, objectName: string, actionName: string) => object(m, objectName).actions!.find((a) => a.name === actionName)!;
const generateOrder = (m: Model) => action(m, "opportunity", "generate_order") as GenerateDocumentAction;
const where = (issues: MetadataIssue[]) => issues.map((issue) => `${issue.document} ${issue.path}`);

/** Positions in the standard JSON: opportunity actions 0 generate_quote, 1 generate_order, 2 generate_contract, 3 close_lost, 4 assign. */
const cases: [string, (m: Model) => void, string[]][] = [
  ["an unknown kind (schema)", (m) => ((generateOrder(m) as { kind: string }).kind = "teleport"), ["objects/opportunity /actions/1/kind"]],
  ["an option of another kind (schema)", (m) => Object.assign(generateOrder(m), { reasonField: "remark" }), ["objects/opportunity /actions/1/reasonField"]],
  ["a generate_document without target (schema)", (m) => delete (generateOrder(m) as Partial<GenerateDocumentAction>).target, ["objects/opportunity /actions/1/target"]],
  ["a target that does not exist", (m) => (generateOrder(m).target = "invoice"), ["objects/opportunity /actions/1/target"]],
  ["a mapped target field that does not exist", (m) => (generateOrder(m).fields.colour = "name"), ["objects/opportunity /actions/1/fields/colour"]],
  ["a mapped source field that does not exist", (m) => (generateOrder(m).fields.remark = "colour"), ["objects/opportunity /actions/1/fields/remark"]],
  ["an expression over an unknown field", (m) => (generateOrder(m).fields.remark = { expression: { var: "colour" } }), ["objects/opportunity /actions/1/fields/remark/expression/var"]],
  ["a source field that is no lookup back to the source", (m) => (generateOrder(m).sourceField = "quote_id"), ["objects/opportunity /actions/1/sourceField"]],
  ["a date field that is no date", (m) => (generateOrder(m).dateField = "remark"), ["objects/opportunity /actions/1/dateField"]],
  ["lines into a field that is no master_detail", (m) => (generateOrder(m).lines = { to: "remark" }), ["objects/opportunity /actions/1/lines/to"]],
  ["an availableWhen over an unknown field", (m) => (generateOrder(m).availableWhen = { "==": [{ var: "phase" }, 1] }), ["objects/opportunity /actions/1/availableWhen/==/0/var"]],
  ["a duplicate action name", (m) => object(m, "opportunity").actions!.push(structuredClone(generateOrder(m))), ["objects/opportunity /actions/5/name"]],
  ["an action named like a built-in permission", (m) => (action(m, "opportunity", "generate_contract").name = "edit"), ["objects/opportunity /actions/2/name"]],
  ["a make_formal that sets nothing (schema)", (m) => Object.assign(action(m, "customer", "make_formal"), { set: {} }), ["objects/customer /actions/0/set"]],
  ["a close_lost reason field that does not exist", (m) => Object.assign(action(m, "opportunity", "close_lost"), { reasonField: "why" }), ["objects/opportunity /actions/3/reasonField"]],
  ["a lead conversion mapping onto an unknown contact field", (m) => Object.assign(action(m, "lead", "convert"), { contactFields: { wechat: "mobile" } }), ["objects/lead /actions/0/contactFields/wechat"]],
  ["a duplicate rule over an unknown field", (m) => (object(m, "opportunity").duplicateRules![0].fields[1] = "region"), ["objects/opportunity /duplicateRules/0/fields/1"]],
  ["a flag rule without its flag field (schema)", (m) => (object(m, "opportunity").duplicateRules![0].onDuplicate = "flag"), ["objects/opportunity /duplicateRules/0/flagField"]],
  ["a flag field that is no boolean", (m) => Object.assign(object(m, "opportunity").duplicateRules![0], { onDuplicate: "flag", flagField: "remark" }), ["objects/opportunity /duplicateRules/0/flagField"]],
  ["a roll-up from an unknown object", (m) => (object(m, "customer").rollups![0].sources[0].object = "invoice"), ["objects/customer /rollups/0/sources/0/object"]],
  ["a roll-up through a lookup to another object", (m) => (object(m, "customer").rollups![0].sources[0].via = "quote_id"), ["objects/customer /rollups/0/sources/0/via"]],
  ["a max over a text field", (m) => (object(m, "customer").rollups![0].sources[0].field = "remark"), ["objects/customer /rollups/0/sources/0/field"]],
  ["a mapping into the target's roll-up total", (m) => (generateOrder(m).fields.total_amount = "amount"), ["objects/opportunity /actions/1/fields/total_amount"]],
  ["a roll-up over another object's lines", (m) => (object(m, "sales_order").rollups![0].sources[0].object = "quote_line"), ["objects/sales_order /rollups/0/sources/0/via"]],
  ["an assign action on an object without ownership", (m) => object(m, "inventory").actions = [{ name: "assign", label: { "zh-CN": "分配", en: "Assign" }, kind: "assign" }], ["objects/inventory /actions/0/kind"]],
  ["an assign action with another kind's option (schema)", (m) => Object.assign(action(m, "lead", "assign"), { set: { status: "new" } }), ["objects/lead /actions/1/set"]],
  ["a roll-up into a field that does not exist", (m) => (object(m, "customer").rollups![0].field = "last_order"), ["objects/customer /rollups/0/field"]],
  ["a role granting an action the object does not declare", (m) => m.roles[0].functions.lead.push("teleport"), ["roles/seller /functions/lead/2"]],
  ["a role granting another object's action", (m) => m.roles[0].functions.lead.push("close_lost"), ["roles/seller /functions/lead/2"]],
];

describe("actions, duplicate rules and roll-ups in validateModel", () => {
  it("accepts the standard pack's declarations and roles granting declared actions", () => {
    expect(validateModel(model())).toEqual([]);
  });

  it.each(cases)("reports %s at its path, in both languages", (_case, breakIt, expected) => {
    const broken = model();
    breakIt(broken);
    const issues = validateModel(broken);
    expect(where(issues)).toEqual(expected);
    for (const issue of issues) {
      expect(issue.message["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
      expect(issue.message.en).not.toBe(issue.message["zh-CN"]);
    }
  });

  it('accepts under "*" an action any object declares, and nothing else', () => {
    const m = model();
    m.roles[0].functions["*"] = ["view", "make_formal"];
    expect(validateModel(m)).toEqual([]);
    m.roles[0].functions["*"].push("teleport");
    expect(where(validateModel(m))).toEqual(["roles/seller /functions/*/2"]);
  });
});
