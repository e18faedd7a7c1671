// Which related lists an overview shows and what they are called (pure, over a small compiled model).
import { describe, expect, it } from "vitest";
import type { ObjectDefinition } from "@crm/metadata";
import { compileModel } from "../registry/model";
import { distinctRelations, relationLabel } from "./overview";

const label = (zh: string, en: string) => ({ "zh-CN": zh, en });
const objects: ObjectDefinition[] = [
  { name: "customer", label: label("客户", "Customer"), fields: [{ name: "name", type: "text", label: label("名称", "Name") }] },
  {
    name: "visit",
    label: label("拜访", "Visit"),
    pluralLabel: label("拜访记录", "Visits"),
    fields: [{ name: "customer_id", type: "lookup", target: "customer", label: label("客户", "Customer") }],
  },
  {
    name: "transfer",
    label: label("转移", "Transfer"),
    fields: [
      { name: "from_customer_id", type: "lookup", target: "customer", label: label("转出客户", "From customer") },
      { name: "to_customer_id", type: "lookup", target: "customer", label: label("转入客户", "To customer") },
      { name: "items", type: "master_detail", target: "transfer_item", label: label("转移明细", "Items") },
    ],
  },
  { name: "transfer_item", label: label("转移明细行", "Transfer item"), fields: [{ name: "note", type: "text", label: label("备注", "Note") }] },
];
const model = compileModel({ version: 1, objects, optionSets: [] });

describe("overview relations", () => {
  it("lists each related list once, under its shorter name", () => {
    expect(distinctRelations(model.objects.get("customer")!).map((relation) => relation.name)).toEqual([
      "transfer.from_customer_id",
      "transfer.to_customer_id",
      "visit",
    ]);
    expect(distinctRelations(model.objects.get("transfer")!).map((relation) => [relation.name, relation.kind])).toEqual([["items", "children"]]);
  });

  it("names a list by the related object, by the field when one object points here twice, and a child list by its field", () => {
    const customer = model.objects.get("customer")!;
    const [from, , visit] = distinctRelations(customer);
    expect(relationLabel(customer, visit)).toEqual(label("拜访记录", "Visits"));
    expect(relationLabel(customer, from)).toEqual(label("转移（转出客户）", "Transfer (From customer)"));
    const transfer = model.objects.get("transfer")!;
    expect(relationLabel(transfer, distinctRelations(transfer)[0])).toEqual(label("转移明细", "Items"));
  });
});
