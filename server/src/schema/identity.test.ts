// Pure tests of stable id assignment: kept, reused by name, or minted.
import { describe, expect, it } from "vitest";
import type { ObjectDefinition } from "@crm/metadata";
import { assignStableIds, randomStableId, type IdGenerator } from "./identity";

const label = { "zh-CN": "标签", en: "Label" };

function counter(): IdGenerator {
  let n = 0;
  return (kind) => `${kind}_new${++n}`;
}

const current: ObjectDefinition[] = [
  {
    id: "obj_customer",
    name: "customer",
    label,
    fields: [
      { id: "fld_name", name: "name", type: "text", label },
      { id: "fld_code", name: "code", type: "text", label },
    ],
  },
];

describe("assignStableIds", () => {
  it("reuses the ids of current objects and fields with the same name and mints the rest", () => {
    const incoming: ObjectDefinition[] = [
      { name: "customer", label, fields: [{ name: "name", type: "text", label }, { name: "phone", type: "phone", label }] },
      { name: "visit", label, fields: [{ name: "notes", type: "textarea", label }] },
    ];
    const [customer, visit] = assignStableIds(current, incoming, counter());
    expect(customer.id).toBe("obj_customer");
    expect(customer.fields.map((field) => field.id)).toEqual(["fld_name", "fld_new2"]);
    expect(visit.id).toBe("obj_new1");
    expect(visit.fields[0].id).toBe("fld_new3");
  });

  it("keeps a given id under a new name (a rename), and gives a new field that takes the old name a new id", () => {
    const incoming: ObjectDefinition[] = [
      {
        id: "obj_customer",
        name: "client",
        label,
        fields: [
          { id: "fld_name", name: "full_name", type: "text", label },
          { name: "name", type: "text", label },
        ],
      },
    ];
    const [client] = assignStableIds(current, incoming, counter());
    expect(client.id).toBe("obj_customer");
    expect(client.fields.map((field) => [field.id, field.name])).toEqual([
      ["fld_name", "full_name"],
      ["fld_new1", "name"],
    ]);
  });

  it("does not change its input and puts the id first", () => {
    const incoming: ObjectDefinition[] = [{ name: "customer", label, fields: [] }];
    const [result] = assignStableIds(current, incoming, counter());
    expect(incoming[0].id).toBeUndefined();
    expect(Object.keys(result)[0]).toBe("id");
  });

  it("mints prefixed random ids by default", () => {
    expect(randomStableId("fld")).toMatch(/^fld_[0-9a-f]{32}$/);
    expect(randomStableId("obj")).not.toBe(randomStableId("obj"));
  });
});
