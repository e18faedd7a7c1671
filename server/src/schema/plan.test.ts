// Pure tests of the schema planner: model pairs in, exact typed steps and SQL out; no database.
import { describe, expect, it } from "vitest";
import type { FieldDefinition, FieldType, ObjectDefinition } from "@crm/metadata";
import { planSchemaChange, type SchemaPlan, type SchemaStep } from "./plan";
import { derivedName } from "./sql";

const label = { "zh-CN": "标签", en: "Label" };

function field(id: string, name: string, type: FieldType, extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { id, name, type, label, ...extra };
}

function object(id: string, name: string, fields: FieldDefinition[], extra: Partial<ObjectDefinition> = {}): ObjectDefinition {
  return { id, name, label, fields, ...extra };
}

const typesOf = (plan: SchemaPlan) => plan.steps.map((step) => step.type);
const sqlOf = (plan: SchemaPlan) => plan.steps.map((step) => step.sql);
const stepsOfType = <T extends SchemaStep["type"]>(plan: SchemaPlan, type: T) =>
  plan.steps.filter((step): step is Extract<SchemaStep, { type: T }> => step.type === type);

/** Every field type once; a Record so that a new FieldType fails to compile until it is listed here. */
const EVERY_TYPE: Record<FieldType, { extra?: Partial<FieldDefinition>; sqlType?: string }> = {
  text: { sqlType: "text" },
  textarea: { sqlType: "text" },
  integer: { sqlType: "bigint" },
  decimal: { extra: { scale: 4 }, sqlType: "numeric(18,4)" },
  amount: { sqlType: "numeric(18,2)" },
  percent: { sqlType: "numeric(18,2)" },
  date: { sqlType: "date" },
  datetime: { sqlType: "timestamptz" },
  boolean: { sqlType: "boolean" },
  picklist: { extra: { options: ["a", "b"] }, sqlType: "text" },
  multi_picklist: { extra: { options: ["a", "b"] }, sqlType: "text[]" },
  lookup: { extra: { target: "customer" }, sqlType: "uuid" },
  master_detail: { extra: { target: "showcase_line" } },
  employee: { sqlType: "uuid" },
  department: { sqlType: "uuid" },
  auto_number: { extra: { format: "SC-{SEQ:6}" }, sqlType: "text" },
  formula: { extra: { expression: { "+": [1, 2] }, resultType: "decimal" }, sqlType: "numeric(18,2)" },
  email: { sqlType: "text" },
  phone: { sqlType: "text" },
  address: { sqlType: "jsonb" },
  attachment: { sqlType: "jsonb" },
};

const customer = object("obj_customer", "customer", [
  field("fld_name", "name", "text", { searchable: true, indexed: true }),
  field("fld_code", "code", "text", { unique: true }),
]);
const employee = object("obj_employee", "employee", [field("fld_emp_name", "name", "text")]);
const department = object("obj_department", "department", [field("fld_dept_name", "name", "text")]);
const showcase = object(
  "obj_showcase",
  "showcase",
  Object.entries(EVERY_TYPE).map(([type, spec]) => field(`fld_${type}`, `f_${type}`, type as FieldType, spec.extra)),
  { ownership: true, belongsToCustomer: true },
);
const showcaseLine = object("obj_showcase_line", "showcase_line", [field("fld_qty", "qty", "integer")]);
const fullModel = [employee, department, customer, showcase, showcaseLine];

describe("planSchemaChange: new objects", () => {
  const plan = planSchemaChange({ from: [], to: fullModel });

  it("creates every table with a column of the registry's type for each field type", () => {
    const create = stepsOfType(plan, "create_table").find((step) => step.table === "showcase")!;
    for (const [type, spec] of Object.entries(EVERY_TYPE)) {
      if (spec.sqlType) expect(create.sql).toContain(`"f_${type}" ${spec.sqlType}`);
      else expect(create.columns).not.toContain(`f_${type}`);
    }
    expect(create.sql).toMatch(/^CREATE TABLE "public"\."showcase" \("id" uuid NOT NULL DEFAULT gen_random_uuid\(\), /);
    expect(create.sql).toContain(`CONSTRAINT "pk_showcase" PRIMARY KEY ("id"))`);
    expect(create.columns).toEqual(expect.arrayContaining(["owner_id", "department_id", "related_employee_ids", "customer_id"]));
    expect(plan.destructive).toEqual([]);
  });

  it("adds the foreign keys after all tables, each to an object of the model", () => {
    const fks = stepsOfType(plan, "add_foreign_key").map((step) => `${step.table}.${step.column}->${step.references}`);
    expect(fks.sort()).toEqual(
      [
        "showcase.owner_id->employee",
        "showcase.department_id->department",
        "showcase.customer_id->customer",
        "showcase.f_lookup->customer",
        "showcase.f_employee->employee",
        "showcase.f_department->department",
        "showcase_line.parent_id->showcase",
      ].sort(),
    );
    const lastCreate = typesOf(plan).lastIndexOf("create_table");
    expect(typesOf(plan).indexOf("add_foreign_key")).toBeGreaterThan(lastCreate);
  });

  it("makes the master_detail child carry a NOT NULL parent_id with a cascading foreign key", () => {
    const line = stepsOfType(plan, "create_table").find((step) => step.table === "showcase_line")!;
    expect(line.sql).toContain(`"parent_id" uuid NOT NULL`);
    const fk = stepsOfType(plan, "add_foreign_key").find((step) => step.table === "showcase_line")!;
    expect(fk.sql).toBe(
      `ALTER TABLE "public"."showcase_line" ADD CONSTRAINT "fk_showcase_line_parent_id" FOREIGN KEY ("parent_id") REFERENCES "public"."showcase" ("id") ON DELETE CASCADE`,
    );
  });

  it("indexes system, indexed, unique, array and searchable columns", () => {
    const indexes = stepsOfType(plan, "create_index").filter((step) => step.table === "customer");
    expect(indexes.map((step) => step.sql)).toEqual([
      `CREATE INDEX "ix_customer_created_at" ON "public"."customer" ("created_at", "id") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "ix_customer_updated_at" ON "public"."customer" ("updated_at", "id") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "ix_customer_name" ON "public"."customer" ("name", "id") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "tx_customer_name" ON "public"."customer" USING gin ("name" gin_trgm_ops)`,
      `CREATE UNIQUE INDEX "ux_customer_code" ON "public"."customer" ("code") WHERE "deleted_at" IS NULL`,
    ]);
    const showcaseIndexes = stepsOfType(plan, "create_index").filter((step) => step.table === "showcase").map((step) => step.name);
    expect(showcaseIndexes).toEqual(
      expect.arrayContaining(["gx_showcase_f_multi_picklist", "gx_showcase_related_employee_ids", "ix_showcase_f_lookup", "ix_showcase_owner_id"]),
    );
  });

  it("is idempotent: planning a model against itself gives an empty plan", () => {
    expect(planSchemaChange({ from: fullModel, to: fullModel })).toEqual({ steps: [], destructive: [] });
  });

  it("creates a table before the foreign key of an earlier table that points at it", () => {
    const order = object("obj_order", "sales_order", [field("fld_order_customer", "buyer_id", "lookup", { target: "buyer" })]);
    const buyer = object("obj_buyer", "buyer", [field("fld_buyer_name", "name", "text")]);
    const steps = planSchemaChange({ from: [], to: [order, buyer] }).steps;
    const createBuyer = steps.findIndex((step) => step.type === "create_table" && step.table === "buyer");
    const fk = steps.findIndex((step) => step.type === "add_foreign_key" && step.references === "buyer");
    expect(createBuyer).toBeGreaterThan(0);
    expect(fk).toBeGreaterThan(createBuyer);
  });
});

describe("planSchemaChange: changing fields", () => {
  const withFields = (...fields: FieldDefinition[]) => ({ ...customer, fields: [...customer.fields, ...fields] });

  it("adds a field as one add_column", () => {
    const plan = planSchemaChange({ from: [customer], to: [withFields(field("fld_phone", "phone", "phone"))] });
    expect(sqlOf(plan)).toEqual([`ALTER TABLE "public"."customer" ADD COLUMN "phone" text`]);
    expect(plan.destructive).toEqual([]);
  });

  it("renames a field with the same id, and the indexes on it", () => {
    const renamed = { ...customer, fields: [field("fld_name", "full_name", "text", { searchable: true, indexed: true }), customer.fields[1]] };
    const plan = planSchemaChange({ from: [customer], to: [renamed] });
    expect(sqlOf(plan)).toEqual([
      `ALTER TABLE "public"."customer" RENAME COLUMN "name" TO "full_name"`,
      `ALTER INDEX "public"."ix_customer_name" RENAME TO "ix_customer_full_name"`,
      `ALTER INDEX "public"."tx_customer_name" RENAME TO "tx_customer_full_name"`,
    ]);
  });

  it("swaps two field names through a temporary name", () => {
    const from = object("obj_t", "t", [field("fa", "a", "text"), field("fb", "b", "text")]);
    const to = object("obj_t", "t", [field("fa", "b", "text"), field("fb", "a", "text")]);
    const renames = planSchemaChange({ from: [from], to: [to] }).steps.map((step) => step.type === "rename_column" && `${step.from}->${step.to}`);
    expect(renames).toEqual(["a->_rename_tmp_0", "b->a", "_rename_tmp_0->b"]);
  });

  it("drops a field: a drop_column step and a destructive change", () => {
    const plan = planSchemaChange({ from: [withFields(field("fld_fax", "fax", "text"))], to: [customer] });
    expect(sqlOf(plan)).toEqual([`ALTER TABLE "public"."customer" DROP COLUMN "fax"`]);
    expect(plan.destructive).toMatchObject([{ path: "/objects/customer/fields/fax", kind: "drop_field", object: "customer", field: "fax" }]);
    expect(plan.destructive[0].reason["zh-CN"]).toContain("customer.fax");
  });

  it("drops a field's index before the column and reuses its name for a new field", () => {
    const from = withFields(field("fld_old", "ref", "text", { indexed: true }));
    const to = withFields(field("fld_new", "ref", "integer"));
    expect(typesOf(planSchemaChange({ from: [from], to: [to] }))).toEqual(["drop_index", "drop_column", "add_column"]);
  });

  it("adds and removes unique and indexed", () => {
    const plan = planSchemaChange({
      from: [withFields(field("fld_a", "a", "text"), field("fld_b", "b", "date", { unique: true }))],
      to: [withFields(field("fld_a", "a", "text", { unique: true }), field("fld_b", "b", "date", { indexed: true }))],
    });
    expect(sqlOf(plan)).toEqual([
      `DROP INDEX "public"."ux_customer_b"`,
      `CREATE UNIQUE INDEX "ux_customer_a" ON "public"."customer" ("a") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "ix_customer_b" ON "public"."customer" ("b", "id") WHERE "deleted_at" IS NULL`,
    ]);
    expect(plan.destructive).toEqual([]);
  });
});

describe("planSchemaChange: declared composite indexes", () => {
  const indexed = { ...customer, indexes: [{ fields: ["name", "code"], unique: true }, { fields: ["code", "name"] }] };

  it("creates them live-only, unique ones on the fields alone, others with id for keyset order", () => {
    const plan = planSchemaChange({ from: [customer], to: [indexed] });
    expect(sqlOf(plan)).toEqual([
      `CREATE UNIQUE INDEX "cu_customer_name_code" ON "public"."customer" ("name", "code") WHERE "deleted_at" IS NULL`,
      `CREATE INDEX "ci_customer_code_name" ON "public"."customer" ("code", "name", "id") WHERE "deleted_at" IS NULL`,
    ]);
  });

  it("renames them with their fields and refuses unknown fields", () => {
    const renamed = { ...indexed, fields: [customer.fields[0], { ...customer.fields[1], name: "ref" }] };
    const withRef = { ...renamed, indexes: [{ fields: ["name", "ref"], unique: true }, { fields: ["ref", "name"] }] };
    expect(typesOf(planSchemaChange({ from: [indexed], to: [withRef] }))).toEqual(["rename_column", "rename_index", "rename_index", "rename_index"]);
    expect(() => planSchemaChange({ from: [indexed], to: [renamed] })).toThrow(expect.objectContaining({ code: "INVALID_METADATA" }));
  });
});

describe("planSchemaChange: type changes", () => {
  const cases: [FieldType, Partial<FieldDefinition>, FieldType, Partial<FieldDefinition>, string, boolean][] = [
    ["integer", {}, "decimal", {}, `"v"::numeric(18,2)`, false],
    ["decimal", {}, "integer", {}, `"v"::bigint`, true],
    ["decimal", { scale: 2 }, "decimal", { scale: 4 }, `"v"::numeric(18,4)`, false],
    ["amount", { scale: 4 }, "amount", { scale: 2 }, `"v"::numeric(18,2)`, true],
    ["date", {}, "datetime", {}, `"v"::timestamptz`, false],
    ["datetime", {}, "date", {}, `"v"::date`, true],
    ["text", {}, "integer", {}, `"v"::bigint`, true],
    ["integer", {}, "text", {}, `"v"::text`, false],
    ["boolean", {}, "text", {}, `"v"::text`, false],
    ["picklist", {}, "multi_picklist", {}, `CASE WHEN "v" IS NULL THEN NULL ELSE ARRAY["v"::text] END`, false],
    ["multi_picklist", {}, "picklist", {}, `array_to_string("v", ',')`, true],
    ["address", {}, "text", {}, `("v" #>> '{}')::text`, true],
    ["text", {}, "address", {}, `to_jsonb("v")`, false],
    ["text", {}, "employee", {}, `"v"::uuid`, true],
    ["integer", {}, "date", {}, `"v"::text::date`, true],
    ["integer", {}, "boolean", {}, `("v" <> 0)`, true],
  ];

  it.each(cases)("%s %o → %s %o uses %s (narrowing: %s)", (fromType, fromExtra, toType, toExtra, using, narrowing) => {
    const from = object("obj_t", "t", [field("fld_v", "v", fromType, fromExtra)]);
    const to = object("obj_t", "t", [field("fld_v", "v", toType, toExtra)]);
    const plan = planSchemaChange({ from: [from], to: [to] });
    const [alter] = stepsOfType(plan, "alter_column_type");
    expect(alter).toMatchObject({ table: "t", column: "v", using, narrowing });
    expect(alter.sql).toBe(`ALTER TABLE "public"."t" ALTER COLUMN "v" TYPE ${alter.to} USING ${using}`);
    expect(plan.destructive.map((change) => change.kind)).toEqual(narrowing ? ["narrow_type"] : []);
  });

  it("makes no step when only the field type name changes, not the storage (text → email)", () => {
    const from = object("obj_t", "t", [field("fld_v", "v", "text")]);
    const to = object("obj_t", "t", [field("fld_v", "v", "email")]);
    expect(planSchemaChange({ from: [from], to: [to] }).steps).toEqual([]);
  });

  it("drops the trigram index before a searchable text field becomes a number", () => {
    const from = object("obj_t", "t", [field("fld_v", "v", "text", { searchable: true })]);
    const to = object("obj_t", "t", [field("fld_v", "v", "integer", { searchable: true })]);
    expect(typesOf(planSchemaChange({ from: [from], to: [to] }))).toEqual(["drop_index", "alter_column_type"]);
  });
});

describe("planSchemaChange: objects and relations", () => {
  const order = object("obj_order", "sales_order", [
    field("fld_order_customer", "buyer_id", "lookup", { target: "customer" }),
    field("fld_order_lines", "lines", "master_detail", { target: "order_line" }),
  ]);
  const line = object("obj_line", "order_line", [field("fld_line_qty", "qty", "integer")]);

  it("renames an object: table, primary key, indexes and its own foreign keys; keys pointing at it stay", () => {
    const from = [customer, order, line];
    // Relations name their target: renaming the child means the master's master_detail field names the new name.
    const header = { ...order, name: "order_header", fields: [order.fields[0], { ...order.fields[1], target: "order_item" }] };
    const to = [customer, header, { ...line, name: "order_item" }];
    const plan = planSchemaChange({ from, to });
    expect(typesOf(plan).every((type) => type.startsWith("rename_"))).toBe(true);
    expect(sqlOf(plan)).toEqual(
      expect.arrayContaining([
        `ALTER TABLE "public"."sales_order" RENAME TO "order_header"`,
        `ALTER TABLE "public"."order_item" RENAME CONSTRAINT "fk_order_line_parent_id" TO "fk_order_item_parent_id"`,
        `ALTER TABLE "public"."order_header" RENAME CONSTRAINT "fk_sales_order_buyer_id" TO "fk_order_header_buyer_id"`,
        `ALTER INDEX "public"."pk_sales_order" RENAME TO "pk_order_header"`,
      ]),
    );
    expect(typesOf(plan).indexOf("rename_index")).toBeGreaterThan(typesOf(plan).lastIndexOf("rename_table"));
  });

  it("turns an existing object into a child: nullable parent_id, then NOT NULL, foreign key and index", () => {
    const parentless = object("obj_order", "sales_order", [order.fields[0]]);
    const plan = planSchemaChange({ from: [customer, parentless, line], to: [customer, order, line] });
    // Other implicit detail columns (e.g. a line number) may come along; parent_id's steps are these, in this order.
    expect(sqlOf(plan).filter((sql) => sql.includes("parent_id"))).toEqual([
      `ALTER TABLE "public"."order_line" ADD COLUMN "parent_id" uuid`,
      `ALTER TABLE "public"."order_line" ALTER COLUMN "parent_id" SET NOT NULL`,
      `ALTER TABLE "public"."order_line" ADD CONSTRAINT "fk_order_line_parent_id" FOREIGN KEY ("parent_id") REFERENCES "public"."sales_order" ("id") ON DELETE CASCADE`,
      `CREATE INDEX "ix_order_line_parent_id" ON "public"."order_line" ("parent_id", "id") WHERE "deleted_at" IS NULL`,
    ]);
  });

  it("master_detail → lookup: the master gains a column, the child loses parent_id (destructive)", () => {
    const asLookup = { ...order, fields: [order.fields[0], field("fld_order_lines", "lines", "lookup", { target: "order_line" })] };
    const plan = planSchemaChange({ from: [customer, order, line], to: [customer, asLookup, line] });
    expect([...new Set(typesOf(plan))]).toEqual(["drop_foreign_key", "drop_index", "drop_column", "add_column", "add_foreign_key", "create_index"]);
    expect(stepsOfType(plan, "drop_column")).toContainEqual(expect.objectContaining({ table: "order_line", column: "parent_id" }));
    expect(stepsOfType(plan, "add_column")).toMatchObject([{ table: "sales_order", column: "lines", sqlType: "uuid" }]);
    const parentDrop = plan.destructive.find((change) => change.field === "parent_id");
    expect(parentDrop).toMatchObject({ path: "/objects/order_line/fields/parent_id", kind: "drop_field" });
    expect(parentDrop?.reason.en).toContain("no longer a detail of sales_order");
    expect(plan.destructive.map((change) => change.object)).toEqual(plan.destructive.map(() => "order_line"));
  });

  it("keeps the column when an implicit customer_id becomes a declared field", () => {
    const implicit = object("obj_t", "t", [], { belongsToCustomer: true });
    const declared = object("obj_t", "t", [field("fld_cust", "customer_id", "lookup", { target: "customer" })], { belongsToCustomer: true });
    // Only the ON DELETE rule changes (declared lookups restrict): the constraint is replaced, the column kept.
    expect(typesOf(planSchemaChange({ from: [customer, implicit], to: [customer, declared] }))).toEqual(["drop_foreign_key", "add_foreign_key"]);
  });

  it("leaves objects missing from the target model alone", () => {
    expect(planSchemaChange({ from: [customer, line], to: [customer] })).toEqual({ steps: [], destructive: [] });
  });

  it("orders a mixed change in phases: drops, renames, creates, columns, types, keys, indexes", () => {
    const from = [customer, order, line];
    const to = [
      { ...customer, name: "client", fields: [field("fld_name", "title", "text", { indexed: true }), field("fld_code", "code", "integer")] },
      { ...order, fields: [{ ...order.fields[0], target: "client" }, order.fields[1], field("fld_order_ref", "ref", "text", { unique: true })] },
      line,
      object("obj_new", "visit", [field("fld_visit_client", "client_id", "lookup", { target: "client" })]),
    ];
    const phases = ["drop_index", "rename_table", "rename_column", "rename_index", "create_table", "add_column", "alter_column_type", "add_foreign_key", "create_index"];
    const ranks = typesOf(planSchemaChange({ from, to })).map((type) => phases.indexOf(type === "rename_foreign_key" ? "rename_index" : type));
    expect(ranks).not.toContain(-1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});

describe("planSchemaChange: names and identifiers", () => {
  it("keeps every index and constraint name within 63 characters, deterministic and distinct", () => {
    const longTable = "t".repeat(40) + "_object";
    const longFields = ["a", "b"].map((letter) => field(`fld_${letter}`, `${"x".repeat(50)}_${letter}`, "lookup", { target: longTable, unique: true }));
    const model = [object("obj_long", longTable, longFields, { ownership: true })];
    const names = planSchemaChange({ from: [], to: model }).steps.flatMap((step) => ("name" in step ? [step.name] : []));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(63);
    expect(new Set(names).size).toBe(names.length);
    expect(derivedName("ix", longTable, longFields[0].name)).toBe(derivedName("ix", longTable, longFields[0].name));
  });

  it("refuses names that are not lower-case SQL identifiers", () => {
    const bad = object("obj_t", "t", [field("fld_v", 'v"; drop table t; --', "text")]);
    expect(() => planSchemaChange({ from: [], to: [bad] })).toThrow(expect.objectContaining({ code: "INVALID_METADATA" }));
  });

  it("refuses a model without ids, since renames could not be told from drop + add", () => {
    const { id: _id, ...noId } = customer;
    expect(() => planSchemaChange({ from: [], to: [noId] })).toThrow(expect.objectContaining({ code: "INVALID_METADATA" }));
  });
});
