// GET /api/prices/resolve: the price a document line would get (customer, else salesperson, else inventory price).
import type { FastifyInstance } from "fastify";
import { validationFailed, type ErrorDetail } from "../errors/errors";
import { assertMayPerform } from "../access/permissions";
import { objectOf } from "../records/service";
import { UUID } from "../registry/columns";
import { resolvePrice } from "../actions/prices";
import { today } from "../actions/field-mapping";
import { recordsContext, type ServerContext } from "./context";

type Query = Record<string, string | undefined>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parsePriceQuery(query: Query) {
  const details: ErrorDetail[] = [];
  const id = (name: string, required: boolean): string | undefined => {
    const value = query[name] || undefined;
    if (value === undefined) {
      if (required) details.push({ path: `/${name}`, message: { "zh-CN": `缺少参数 ${name}`, en: `${name} is required` } });
    } else if (!UUID.test(value)) {
      details.push({ path: `/${name}`, message: { "zh-CN": `${name} 必须是记录 id`, en: `${name} must be a record id` } });
    }
    return value;
  };
  const parsed = { inventoryId: id("inventory_id", true)!, customerId: id("customer_id", false), salespersonId: id("salesperson_id", false), date: query.date || today() };
  if (!DATE.test(parsed.date) || Number.isNaN(Date.parse(parsed.date))) {
    details.push({ path: "/date", message: { "zh-CN": "date 必须是 YYYY-MM-DD 格式的日期", en: "date must be a YYYY-MM-DD date" } });
  }
  if (details.length) throw validationFailed(details);
  return parsed;
}

export function registerPriceRoutes(app: FastifyInstance, server: ServerContext): void {
  app.get("/api/prices/resolve", async (request) => {
    const context = await recordsContext(server, request);
    assertMayPerform(context.access, objectOf(context.model, "price"), "view");
    return resolvePrice({ db: context.db, model: context.model, access: context.access }, parsePriceQuery(request.query as Query));
  });
}
