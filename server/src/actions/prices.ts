// Price resolution for document lines: customer price, else the salesperson's, else the inventory price, else the list price.
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import type { AccessContext } from "../access/context";
import { scopeQuery } from "../records/access-guard";

/** The standard line fields a price fills: lines without them are not priced. */
export const PRICE_FIELD = "unit_price";
export const ITEM_FIELD = "inventory_id";

export type PriceSource = "customer" | "salesperson" | "inventory" | "list_price";

export interface PriceQuery {
  inventoryId: string;
  customerId?: string | null;
  salespersonId?: string | null;
  /** The document date (YYYY-MM-DD): only prices valid on that day count. */
  date: string;
}

export interface ResolvedPrice {
  unitPrice: number | null;
  source: PriceSource | null;
  /** The price record used (none for the list price). */
  priceId: string | null;
}

/** Lower wins: the more specific price (价格优先级: 客户价格 > 业务员价格 > 存货价格). */
export const PRICE_PRIORITY: Record<Exclude<PriceSource, "list_price">, number> = { customer: 1, salesperson: 2, inventory: 3 };

export interface PriceContext {
  db: Knex;
  model: Model;
  /** The user's access: prices and items they may not see are not used. */
  access: AccessContext;
}

/**
 * One query over the price table picks the best price valid on the date; among prices of the same kind the
 * one that started last wins. Both queries run within the user's view scope of price and inventory.
 */
export async function resolvePrice(context: PriceContext, query: PriceQuery): Promise<ResolvedPrice> {
  const { db, model, access } = context;
  const price = model.objects.get("price");
  if (price) {
    const candidates = db("price")
      .select("id", "price_type", "unit_price")
      .whereNull("deleted_at")
      .where("inventory_id", query.inventoryId)
      .where((valid) => valid.whereNull("valid_from").orWhere("valid_from", "<=", query.date))
      .where((valid) => valid.whereNull("valid_to").orWhere("valid_to", ">=", query.date))
      .where((kind) => {
        kind.where("price_type", "inventory");
        if (query.customerId) kind.orWhere((customer) => customer.where("price_type", "customer").where("customer_id", query.customerId!));
        if (query.salespersonId) kind.orWhere((person) => person.where("price_type", "salesperson").where("salesperson_id", query.salespersonId!));
      })
      .orderByRaw(
        `CASE price_type WHEN 'customer' THEN ${PRICE_PRIORITY.customer} WHEN 'salesperson' THEN ${PRICE_PRIORITY.salesperson} ELSE ${PRICE_PRIORITY.inventory} END, valid_from DESC NULLS LAST, id`,
      )
      .first();
    const best = await scopeQuery({ model, access, object: price, query: candidates, action: "view" });
    if (best) return { unitPrice: Number(best.unit_price), source: best.price_type as PriceSource, priceId: best.id as string };
  }
  const inventory = model.objects.get("inventory");
  if (!inventory?.columnByName.has("list_price")) return { unitPrice: null, source: null, priceId: null };
  const item = await scopeQuery({
    model,
    access,
    object: inventory,
    query: db("inventory").where("id", query.inventoryId).whereNull("deleted_at").first("list_price"),
    action: "view",
  });
  const listPrice = item?.list_price;
  return listPrice === null || listPrice === undefined
    ? { unitPrice: null, source: null, priceId: null }
    : { unitPrice: Number(listPrice), source: "list_price", priceId: null };
}
