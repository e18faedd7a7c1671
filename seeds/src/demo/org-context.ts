// What the generator reads from the database before it writes: the org's salespeople and their branches, the
// catalogue and prices already there, the auto-number sequences, and how many records earlier runs made.
import type { Knex } from "knex";
import { AppError } from "../../../server/src/errors/errors";
import { SYSTEM_ACTOR } from "../../../server/src/auth/actor";
import type { Model } from "../../../server/src/registry/model";
import { territoryOf, warehouseOf, type City } from "./geography";
import type { InventoryItem } from "./catalog";

export interface Person {
  employeeId: string;
  departmentId: string;
  /** The account that acts for the person (created_by of their records); the system when they have none. */
  userId: string;
  /** Name of the person's branch (the root of the department tree): 上海总部, 天津分公司 … */
  branch: string;
  /** product_line option value of the person's department (涂料事业部 → coating), when it names one. */
  productLine: string | null;
  territory: City[];
  warehouse: string;
}

export interface OrgContext {
  salespeople: Person[];
  /** Salespeople per branch: the colleagues who may be related employees of each other's customers. */
  colleagues: Map<string, Person[]>;
  /** The account ERP documents are written by (the integration account when the org has one). */
  integrationUserId: string;
  inventory: InventoryItem[];
  /** Existing salesperson prices: `${employeeId}:${inventoryId}` → unit price. */
  salespersonPrices: Map<string, number>;
  /** Customers ever created (deleted included): the first index of this run, so a second run adds new records. */
  existingCustomers: number;
  /** ERP document numbers continue after the rows already there. */
  existingErpDocuments: { shipment: number; outbound: number; receipt: number };
}

const PRODUCT_LINE_WORDS: [string, string][] = [
  ["涂料", "coating"],
  ["塑料", "plastic"],
  ["橡胶", "rubber"],
  ["树脂", "resin"],
];

const count = async (db: Knex, table: string) => Number((await db(table).count({ n: "*" }))[0].n);

async function loadSalespeople(db: Knex): Promise<Person[]> {
  const departments: { id: string; name: string; parent_department_id: string | null }[] = await db("department").select("id", "name", "parent_department_id");
  const byId = new Map(departments.map((department) => [department.id, department]));
  const branchOf = (id: string): string => {
    let department = byId.get(id);
    for (let depth = 0; department?.parent_department_id && depth < 20; depth += 1) department = byId.get(department.parent_department_id);
    return department?.name ?? "";
  };
  const rows: { id: string; department_id: string; user_id: string | null }[] = await db("employee as e")
    .leftJoin(
      db.raw("(SELECT DISTINCT ON (employee_id) employee_id, id FROM sys.users WHERE active ORDER BY employee_id, created_at) AS u"),
      "u.employee_id",
      "e.id",
    )
    .where("e.is_salesperson", true)
    .whereNull("e.deleted_at")
    .whereNotNull("e.department_id")
    .orderBy("e.code")
    .select("e.id", "e.department_id", "u.id as user_id");
  return rows.map((row) => {
    const branch = branchOf(row.department_id);
    const departmentName = byId.get(row.department_id)?.name ?? "";
    return {
      employeeId: row.id,
      departmentId: row.department_id,
      userId: row.user_id ?? SYSTEM_ACTOR.userId,
      branch,
      productLine: PRODUCT_LINE_WORDS.find(([word]) => departmentName.includes(word))?.[1] ?? null,
      territory: territoryOf(branch),
      warehouse: warehouseOf(branch),
    };
  });
}

async function loadInventory(db: Knex): Promise<InventoryItem[]> {
  const rows = await db("inventory").whereNull("deleted_at").orderBy("code").select("id", "code", "name", "specification", "unit", "product_line", "new_product_category", "list_price");
  return rows.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    specification: row.specification ?? "",
    unit: row.unit ?? "个",
    productLine: row.product_line ?? null,
    newProductCategory: row.new_product_category ?? null,
    listPrice: Number(row.list_price ?? 100),
    quantity: [1, 10] as const,
  }));
}

export async function loadOrgContext(db: Knex, model: Model): Promise<OrgContext> {
  const salespeople = await loadSalespeople(db);
  if (salespeople.length === 0) {
    throw new AppError("DEMO_ORG_MISSING", {
      details: [{ path: "/salespeople", message: { "zh-CN": "没有在职的业务员（人员档案中的业务员）", en: "There is no active salesperson (employee marked as salesperson)" } }],
    });
  }
  const colleagues = new Map<string, Person[]>();
  for (const person of salespeople) colleagues.set(person.branch, [...(colleagues.get(person.branch) ?? []), person]);
  const integration = await db("users").withSchema("sys").where({ username: "integration", active: true }).first("id");
  const prices: { salesperson_id: string; inventory_id: string; unit_price: number }[] = model.objects.has("price")
    ? await db("price").where({ price_type: "salesperson" }).whereNull("deleted_at").select("salesperson_id", "inventory_id", "unit_price")
    : [];
  return {
    salespeople,
    colleagues,
    integrationUserId: integration?.id ?? SYSTEM_ACTOR.userId,
    inventory: await loadInventory(db),
    salespersonPrices: new Map(prices.map((price) => [`${price.salesperson_id}:${price.inventory_id}`, Number(price.unit_price)])),
    existingCustomers: await count(db, "customer"),
    existingErpDocuments: { shipment: await count(db, "shipment"), outbound: await count(db, "outbound"), receipt: await count(db, "receipt") },
  };
}
