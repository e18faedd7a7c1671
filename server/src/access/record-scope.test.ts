// Property tests of the predicate builder (pure): for random roles, people and records, the predicate tree of
// buildRecordScope, evaluated on the record, agrees with a plain reference implementation of the rules.
// (The SQL the tree compiles to is checked against the same kind of reference through the API, in
// server/test/scenarios/permission-property.test.ts.)
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ObjectDefinition, RoleDefinition, ScopeTerm } from "@crm/metadata";
import { compileModel } from "../registry/model";
import { expandSubtrees, type AccessContext } from "./context";
import { and, buildRecordScope, or, type ScopePredicate } from "./record-scope";
import { mayPerform } from "./permissions";
import { onOwnColumns } from "./scope-sql";

const label = { "zh-CN": "对象", en: "Object" };
const objects: ObjectDefinition[] = [
  { name: "department", label, fields: [{ name: "code", type: "text", label }, { name: "parent_department_id", type: "lookup", target: "department", label }] },
  { name: "employee", label, fields: [{ name: "code", type: "text", label }, { name: "department_id", type: "department", label }] },
  { name: "customer", label, ownership: true, fields: [{ name: "name", type: "text", label }, { name: "category", type: "text", label }] },
  { name: "contact", label, ownership: true, belongsToCustomer: true, fields: [{ name: "name", type: "text", label }] },
  { name: "activity", label, ownership: true, fields: [{ name: "customer_id", type: "lookup", target: "customer", label }] },
  { name: "sales_order", label, ownership: true, belongsToCustomer: true, fields: [{ name: "lines", type: "master_detail", target: "order_line", label }] },
  { name: "order_line", label, fields: [{ name: "item", type: "text", label }] },
  { name: "product", label, fields: [{ name: "name", type: "text", label }] },
];
const model = compileModel({ version: 1, objects, optionSets: [], roles: [] });

type ObjectName = "customer" | "contact" | "activity" | "sales_order" | "order_line" | "product";
const SCOPED: ObjectName[] = ["customer", "contact", "activity", "sales_order", "order_line", "product"];
const OWNED = new Set<ObjectName>(["customer", "contact", "activity", "sales_order"]);
const BELONGS_TO_CUSTOMER = new Set<ObjectName>(["contact", "activity", "sales_order"]);
const MASTER: Partial<Record<ObjectName, ObjectName>> = { order_line: "sales_order" };

// Departments: 01 > 0101 > 010101, 01 > 0102, 02 > 0201.
const DEPARTMENTS = [
  { id: "01", parent_department_id: null },
  { id: "0101", parent_department_id: "01" },
  { id: "010101", parent_department_id: "0101" },
  { id: "0102", parent_department_id: "01" },
  { id: "02", parent_department_id: null },
  { id: "0201", parent_department_id: "02" },
];
const subtree = (id: string): string[] => (DEPARTMENTS.some((d) => d.id === id) ? [id, ...DEPARTMENTS.filter((d) => d.parent_department_id === id).flatMap((d) => subtree(d.id))] : []);
const EMPLOYEES = ["e1", "e2", "e3"];
const CATEGORIES = ["A", "B"];

// ---------------------------------------------------------------------------------------------------------
// Reference.

interface Row {
  id: string;
  owner_id: string | null;
  department_id: string | null;
  related_employee_ids: string[];
  customer_id: string | null;
  parent_id: string | null;
  category: string | null;
  deleted: boolean;
}
type Database = Record<ObjectName, Row[]>;
interface Person {
  employeeId: string | null;
  departmentId: string | null;
  range: string[];
  /** The customer grant: customers of this category (json-logic {"==": [{var: "category"}, …]}). */
  grantCategory: string | null;
  roles: RoleDefinition[];
}

const actionsOf = (role: RoleDefinition, object: string) => (role.functions[object] ?? role.functions["*"] ?? []) as string[];
const live = (rows: Row[], id: string | null) => (id === null ? undefined : rows.find((row) => row.id === id && !row.deleted));

function holds(term: ScopeTerm, person: Person, role: RoleDefinition, object: ObjectName, row: Row, db: Database): boolean {
  if (typeof term === "object") {
    return "any" in term ? term.any.some((t) => holds(t, person, role, object, row, db)) : term.all.every((t) => holds(t, person, role, object, row, db));
  }
  const owned = OWNED.has(object);
  switch (term) {
    case "all":
      return true;
    case "none":
      return false;
    case "owner":
      return owned && person.employeeId !== null && row.owner_id === person.employeeId;
    case "related":
      return owned && person.employeeId !== null && row.related_employee_ids.includes(person.employeeId);
    case "department":
      return owned && person.departmentId !== null && row.department_id === person.departmentId;
    case "department_and_below":
      return owned && person.departmentId !== null && row.department_id !== null && subtree(person.departmentId).includes(row.department_id);
    case "department_range":
      return owned && row.department_id !== null && person.range.flatMap(subtree).includes(row.department_id);
    case "customer": {
      if (!BELONGS_TO_CUSTOMER.has(object)) return false;
      const customer = live(db.customer, row.customer_id);
      return customer !== undefined && visible(person, "customer", customer, "view", db);
    }
    case "customer_dimension": {
      if (object !== "customer" && !BELONGS_TO_CUSTOMER.has(object)) return false;
      if (role.dimensions?.customer === "all") return true;
      if (person.grantCategory === null) return false;
      const customer = object === "customer" ? row : live(db.customer, row.customer_id);
      return customer !== undefined && customer.category === person.grantCategory;
    }
  }
  throw new Error(`unknown term ${JSON.stringify(term)}`);
}

/** The record (live) is within the person's scope: a line follows its master, otherwise the union over roles. */
function visible(person: Person, object: ObjectName, row: Row, action: "view" | "edit", db: Database): boolean {
  const master = MASTER[object];
  if (master) {
    const parent = live(db[master], row.parent_id);
    return parent !== undefined && visible(person, master, parent, action, db);
  }
  return person.roles.some((role) => {
    const rule = role.records?.[object] ?? role.records?.["*"];
    const actions = actionsOf(role, object);
    if (!rule || !actions.includes("view") || rule.view === undefined || !holds(rule.view, person, role, object, row, db)) return false;
    return action === "view" || (actions.includes("edit") && rule.edit !== undefined && holds(rule.edit, person, role, object, row, db));
  });
}

// ---------------------------------------------------------------------------------------------------------
// The engine's predicate, evaluated on in-memory rows the way the SQL would.

function evaluate(predicate: ScopePredicate, object: ObjectName, row: Row, db: Database): boolean {
  switch (predicate.type) {
    case "true":
      return true;
    case "false":
      return false;
    case "equals":
      return row[predicate.column as keyof Row] === predicate.value;
    case "contains":
      return (row[predicate.column as keyof Row] as string[]).includes(predicate.value);
    case "in":
      return predicate.values.includes(row[predicate.column as keyof Row] as string);
    case "filter": {
      // Only the grants generated below: {"==": [{"var": "category"}, value]}, NULL never equal.
      const [left, value] = (predicate.expression as { "==": [{ var: string }, string] })["=="];
      return row[left.var as keyof Row] !== null && row[left.var as keyof Row] === value;
    }
    case "via": {
      const target = predicate.target as ObjectName;
      const referenced = live(db[target], row[predicate.column as keyof Row] as string | null);
      return referenced !== undefined && evaluate(predicate.predicate, target, referenced, db);
    }
    case "approver":
      // The generated models declare no workflows, so nobody holds an approval task.
      return false;
    case "and":
      return predicate.items.every((item) => evaluate(item, object, row, db));
    case "or":
      return predicate.items.some((item) => evaluate(item, object, row, db));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Generators.

const LEAVES: ScopeTerm[] = ["all", "none", "owner", "related", "department", "department_and_below", "department_range", "customer", "customer_dimension"];
const termArb: fc.Arbitrary<ScopeTerm> = fc.letrec<{ term: ScopeTerm }>((tie) => ({
  term: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(...LEAVES),
    fc.array(tie("term"), { minLength: 1, maxLength: 3 }).map((any) => ({ any })),
    fc.array(tie("term"), { minLength: 1, maxLength: 3 }).map((all) => ({ all })),
  ),
})).term;

const ACTION_SETS = [undefined, [], ["view"], ["view", "edit"], ["edit"], ["view", "create"]] as const;
const KEYS = [...SCOPED, "*"] as const;
const roleArb: fc.Arbitrary<RoleDefinition> = fc
  .record({
    functions: fc.tuple(...KEYS.map(() => fc.constantFrom(...ACTION_SETS))),
    records: fc.tuple(...KEYS.map(() => fc.option(fc.record({ view: fc.option(termArb, { nil: undefined, freq: 6 }), edit: fc.option(termArb, { nil: undefined, freq: 3 }) }), { nil: undefined, freq: 4 }))),
    customer: fc.constantFrom<"all" | "granted" | undefined>("all", "granted", undefined),
  })
  .map(({ functions, records, customer }) => ({
    name: "role",
    label,
    functions: Object.fromEntries(KEYS.flatMap((key, at) => (functions[at] ? [[key, [...functions[at]!]]] : []))) as RoleDefinition["functions"],
    records: Object.fromEntries(KEYS.flatMap((key, at) => (records[at] ? [[key, records[at]!]] : []))),
    ...(customer ? { dimensions: { customer } } : {}),
  }));

const personArb: fc.Arbitrary<Person> = fc.record({
  employeeId: fc.option(fc.constantFrom(...EMPLOYEES), { nil: null, freq: 5 }),
  departmentId: fc.option(fc.constantFrom(...DEPARTMENTS.map((d) => d.id)), { nil: null, freq: 5 }),
  range: fc.uniqueArray(fc.constantFrom(...DEPARTMENTS.map((d) => d.id), "gone"), { maxLength: 2 }),
  grantCategory: fc.option(fc.constantFrom(...CATEGORIES), { nil: null }),
  roles: fc.array(roleArb, { maxLength: 3 }).map((roles) => roles.map((role, index) => ({ ...role, name: `role_${index}` }))),
});

const rowArb = (object: ObjectName, index: number, customers: number, orders: number): fc.Arbitrary<Row> =>
  fc.record({
    id: fc.constant(`${object}-${index}`),
    owner_id: fc.option(fc.constantFrom(...EMPLOYEES), { nil: null, freq: 5 }),
    department_id: fc.option(fc.constantFrom(...DEPARTMENTS.map((d) => d.id)), { nil: null, freq: 5 }),
    related_employee_ids: fc.uniqueArray(fc.constantFrom(...EMPLOYEES), { maxLength: 2 }),
    customer_id: BELONGS_TO_CUSTOMER.has(object) ? fc.option(fc.nat(customers).map((n) => `customer-${n}`), { nil: null, freq: 6 }) : fc.constant(null),
    parent_id: object === "order_line" ? fc.nat(orders).map((n) => `sales_order-${n}`) : fc.constant(null),
    category: object === "customer" ? fc.option(fc.constantFrom(...CATEGORIES), { nil: null }) : fc.constant(null),
    deleted: fc.nat(7).map((n) => n === 0),
  });
const rowsArb = (object: ObjectName, count: number, customers = 6, orders = 4) => fc.tuple(...Array.from({ length: count }, (_, index) => rowArb(object, index, customers, orders)));
const databaseArb: fc.Arbitrary<Database> = fc.record({
  customer: rowsArb("customer", 6),
  contact: rowsArb("contact", 6),
  activity: rowsArb("activity", 4),
  sales_order: rowsArb("sales_order", 4),
  order_line: rowsArb("order_line", 4),
  product: rowsArb("product", 2),
});

function contextOf(person: Person): AccessContext {
  return {
    actor: { userId: "u", username: "u", displayName: "U", employeeId: person.employeeId, roles: person.roles.map((role) => role.name), isAdmin: false, locale: "zh-CN" },
    unrestricted: false,
    employeeId: person.employeeId,
    departmentId: person.departmentId,
    departmentAndBelow: person.departmentId ? expandSubtrees(DEPARTMENTS, [person.departmentId]) : [],
    departmentRange: expandSubtrees(DEPARTMENTS, person.range),
    customerGrant: person.grantCategory === null ? null : { "==": [{ var: "category" }, person.grantCategory] },
    roles: person.roles,
  };
}

// ---------------------------------------------------------------------------------------------------------

describe("buildRecordScope agrees with a reference implementation of the rules", () => {
  it("for random roles, people and records: view and edit, on every kind of object", () => {
    fc.assert(
      fc.property(personArb, databaseArb, (person, db) => {
        const context = contextOf(person);
        for (const object of SCOPED) {
          for (const action of ["view", "edit"] as const) {
            const predicate = buildRecordScope({ model, context, object: model.objects.get(object)!, action });
            for (const row of db[object].filter((candidate) => !candidate.deleted)) {
              const expected = visible(person, object, row, action, db);
              if (evaluate(predicate, object, row, db) !== expected) {
                throw new Error(`${action} ${object} ${row.id}: engine ${!expected}, reference ${expected}\npredicate ${JSON.stringify(predicate)}`);
              }
            }
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("on the record's copies of its customer's keys (onOwnColumns), the scope selects the same records", () => {
    // The copies as customer-scope.ts keeps them: the live customer's keys, emptied without one.
    const withCopies = (row: Row, db: Database) => {
      const customer = live(db.customer, row.customer_id);
      return { ...row, customer_owner_id: customer?.owner_id ?? null, customer_department_id: customer?.department_id ?? null, customer_related_ids: customer?.related_employee_ids ?? [] } as Row;
    };
    fc.assert(
      fc.property(personArb, databaseArb, (person, db) => {
        const context = contextOf(person);
        for (const object of SCOPED) {
          const predicate = buildRecordScope({ model, context, object: model.objects.get(object)!, action: "view" });
          const own = onOwnColumns(predicate, { model, object });
          for (const row of db[object].filter((candidate) => !candidate.deleted)) {
            const copied = BELONGS_TO_CUSTOMER.has(object) ? withCopies(row, db) : row;
            if (evaluate(own, object, copied, db) !== evaluate(predicate, object, row, db)) {
              throw new Error(`${object} ${row.id}: on own columns ${!evaluate(predicate, object, row, db)}\npredicate ${JSON.stringify(predicate)}\nown ${JSON.stringify(own)}`);
            }
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  // KNOWN BUG (server/src/access/record-scope.ts, buildRecordScope, the `input.object.parent` branch): when the
  // master's scope folds to TRUE (a role whose view on the master is "all"), the line's scope is TRUE as well,
  // without the `deleted_at IS NULL` test on the master that the `via parent_id` shape carries. Deleting a master
  // does not delete its lines (records/service.ts deleteRecord), so such a role lists, reads and edits the lines
  // of deleted orders, while every narrower role does not. Fix: for a line, return
  // { type: "via", column: "parent_id", target: master.name, predicate } also when predicate is TRUE (compileScope
  // then emits `parent_id IN (SELECT id FROM master WHERE deleted_at IS NULL AND (TRUE))`).
  it("a line of a soft-deleted order is not visible, even to a role that sees every order", () => {
    const everyOrder: RoleDefinition = { name: "all_orders", label, functions: { sales_order: ["view"] }, records: { sales_order: { view: "all" } } };
    const person: Person = { employeeId: "e1", departmentId: null, range: [], grantCategory: null, roles: [everyOrder] };
    const order: Row = { id: "sales_order-0", owner_id: null, department_id: null, related_employee_ids: [], customer_id: null, parent_id: null, category: null, deleted: true };
    const line: Row = { ...order, id: "order_line-0", parent_id: order.id, deleted: false };
    const db: Database = { customer: [], contact: [], activity: [], sales_order: [order], order_line: [line], product: [] };
    expect(visible(person, "order_line", line, "view", db)).toBe(false);
    const predicate = buildRecordScope({ model, context: contextOf(person), object: model.objects.get("order_line")!, action: "view" });
    expect(evaluate(predicate, "order_line", line, db)).toBe(false);
  });

  it("edit is always within view", () => {
    fc.assert(
      fc.property(personArb, databaseArb, (person, db) => {
        const context = contextOf(person);
        for (const object of SCOPED) {
          const view = buildRecordScope({ model, context, object: model.objects.get(object)!, action: "view" });
          const edit = buildRecordScope({ model, context, object: model.objects.get(object)!, action: "edit" });
          for (const row of db[object]) if (evaluate(edit, object, row, db)) expect(evaluate(view, object, row, db)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("administrators see everything, people without roles nothing", () => {
    fc.assert(
      fc.property(personArb, (person) => {
        for (const object of SCOPED) {
          const compiled = model.objects.get(object)!;
          // Administrators see every live record; a line is live while its master is.
          const unrestricted = buildRecordScope({ model, context: { ...contextOf(person), unrestricted: true }, object: compiled, action: "edit" });
          expect(unrestricted).toEqual(MASTER[object] ? { type: "via", column: "parent_id", target: MASTER[object], predicate: { type: "true" } } : { type: "true" });
          expect(buildRecordScope({ model, context: contextOf({ ...person, roles: [] }), object: compiled, action: "view" }).type).toBe("false");
        }
      }),
      { numRuns: 200 },
    );
  });

  it("function permissions: the union of roles, the object's own entry replacing *, lines asking their master", () => {
    fc.assert(
      fc.property(personArb, fc.constantFrom(...SCOPED), fc.constantFrom("view", "edit", "create", "delete"), (person, object, action) => {
        const asked = MASTER[object] ?? object;
        expect(mayPerform(contextOf(person), model.objects.get(object)!, action)).toBe(person.roles.some((role) => actionsOf(role, asked).includes(action)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("expandSubtrees", () => {
  it("is every department at or below the roots (unknown roots ignored), for random trees", () => {
    const forestArb = fc.integer({ min: 1, max: 12 }).chain((size) =>
      fc.tuple(
        fc.tuple(...Array.from({ length: size }, (_, index) => (index === 0 ? fc.constant(null) : fc.option(fc.nat(index - 1), { nil: null, freq: 4 })))),
        fc.uniqueArray(fc.oneof(fc.nat(size - 1).map(String), fc.constant("missing")), { maxLength: 3 }),
      ),
    );
    fc.assert(
      fc.property(forestArb, ([parents, roots]) => {
        const departments = parents.map((parent, index) => ({ id: String(index), parent_department_id: parent === null ? null : String(parent) }));
        const below = (id: string): string[] => [id, ...departments.filter((d) => d.parent_department_id === id).flatMap((d) => below(d.id))];
        const expected = [...new Set(roots.filter((root) => departments.some((d) => d.id === root)).flatMap(below))].sort();
        expect(expandSubtrees(departments, roots)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("terminates on a cycle (bad data must not hang a request)", () => {
    const cycle = [
      { id: "a", parent_department_id: "b" },
      { id: "b", parent_department_id: "a" },
    ];
    expect(expandSubtrees(cycle, ["a"])).toEqual(["a", "b"]);
  });
});

describe("or()", () => {
  const owner: ScopePredicate = { type: "equals", column: "owner_id", value: "e1", origin: { role: "a", term: "owner" } };
  const department: ScopePredicate = { type: "in", column: "department_id", values: ["d1"], origin: { role: "a", term: "department" } };
  const sameDepartmentOtherRole: ScopePredicate = { ...department, origin: { role: "b", term: "department" } };

  it("absorbs an alternative that narrows another one, whatever role it came from", () => {
    expect(or([and([owner, sameDepartmentOtherRole]), department])).toEqual(department);
    expect(or([department, and([owner, sameDepartmentOtherRole]), owner])).toEqual({ type: "or", items: [department, owner] });
  });

  it("drops repeated alternatives and keeps distinct ones in order", () => {
    expect(or([owner, department, { ...owner, origin: { role: "c", term: "owner" } }])).toEqual({ type: "or", items: [owner, department] });
    expect(or([and([owner, department]), { ...department, values: ["d2"] }])).toEqual({ type: "or", items: [and([owner, department]), { ...department, values: ["d2"] }] });
  });
});
