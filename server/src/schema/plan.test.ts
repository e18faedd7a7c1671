// Pure tests of the schema planner on new models, type changes and names: exact typed steps and SQL, no database.
import { describe, expect, it } from "vitest";
import type { FieldDefinition, FieldType } from "@crm/metadata";
import { planSchemaChange } from "./plan";
import { derivedName } from "./sql";
import { customer, field, object, sqlOf, stepsOfType, typesOf } from "./testing";

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
    expect(create.sql).toMatch(/^CREATE TABLE "public"\."showcase" \("id" uuid NOT NULL DEFAULT sys\.time_ordered_uuid\(\), /);
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
      expect.arrayContaining(["gx_showcase_f_multi_picklist", "gx_showcase_related_employee_ids", "ix_showcase_f_lookup", "sx_showcase_owner_id_created_at"]),
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

describe("planSchemaChange: type changes", () => {
  // Every pair of SQL types is covered in casts.test.ts; here the cast reaches the step and the destructive list.
  const retype = (fromType: FieldType, toType: FieldType) =>
    planSchemaChange({ from: [object("obj_t", "t", [field("fld_v", "v", fromType)])], to: [object("obj_t", "t", [field("fld_v", "v", toType)])] });

  it("widens integer → decimal without a destructive change", () => {
    const plan = retype("integer", "decimal");
    expect(plan.steps).toMatchObject([{ type: "alter_column_type", table: "t", column: "v", from: "bigint", to: "numeric(18,2)", narrowing: false }]);
    expect(sqlOf(plan)).toEqual([`ALTER TABLE "public"."t" ALTER COLUMN "v" TYPE numeric(18,2) USING "v"::numeric(18,2)`]);
    expect(plan.destructive).toEqual([]);
  });

  it("narrows text → integer as a destructive change", () => {
    const plan = retype("text", "integer");
    expect(sqlOf(plan)).toEqual([`ALTER TABLE "public"."t" ALTER COLUMN "v" TYPE bigint USING "v"::bigint`]);
    expect(plan.destructive).toMatchObject([{ path: "/objects/t/fields/v", kind: "narrow_type", object: "t", field: "v" }]);
    expect(plan.destructive[0].reason.en).toContain("from text to bigint");
  });

  it.each([
    ["datetime", "date"],
    ["multi_picklist", "picklist"],
    ["address", "text"],
    ["text", "lookup"],
  ] as const)("narrows %s → %s", (fromType, toType) => {
    expect(retype(fromType, toType).destructive.map((change) => change.kind)).toEqual(["narrow_type"]);
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
