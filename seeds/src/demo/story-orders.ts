// A formal customer's sales orders and what the ERP did with them: shipments (发货单), outbound deliveries (出库单)
// and receipts (收款单), with statuses that follow each order's age.
import type { Random } from "./random";
import type { RecordValues } from "../../../server/src/records/computed-values";
import { DAY, dateOf, workingMoment } from "./timeline";
import { customerRecord, round2, workerFor, type CustomerFacts, type StoryEnvironment } from "./story-context";
import { emitLines, newLines, type DocumentLine } from "./document-lines";
import type { OpportunityFacts } from "./story-opportunities";
import type { Person } from "./org-context";

/** Orders per formal customer by category (关键 customers order most often). */
const ORDERS_BY_CATEGORY: Record<string, [number, number]> = { key: [6, 12], major: [3, 7], normal: [1, 4], minor: [1, 2] };

function statusByAge(random: Random, ageDays: number): string {
  if (ageDays > 75) return random.chance(0.85) ? "closed" : "shipped";
  if (ageDays > 20) return random.weighted([{ value: "shipped", weight: 65 }, { value: "closed", weight: 20 }, { value: "approved", weight: 15 }]);
  if (ageDays > 5) return random.weighted([{ value: "approved", weight: 40 }, { value: "shipped", weight: 45 }, { value: "submitted", weight: 15 }]);
  return random.weighted([{ value: "draft", weight: 30 }, { value: "submitted", weight: 40 }, { value: "approved", weight: 30 }]);
}

interface OrderPlan {
  at: number;
  lines: DocumentLine[];
  from?: OpportunityFacts;
}

/** Returns the dates that count as transactions (order dates, receipt dates) for the customer's last transaction date. */
export function generateOrders(random: Random, environment: StoryEnvironment, customer: CustomerFacts, opportunities: OpportunityFacts[]): number[] {
  if (!customer.formal) return [];
  const { anchor } = environment.timeline;
  const [low, high] = ORDERS_BY_CATEGORY[customer.category ?? "minor"] ?? [1, 2];
  const plans: OrderPlan[] = opportunities
    .filter((opportunity) => opportunity.won)
    .map((opportunity) => ({ at: opportunity.closeAt, lines: opportunity.won!.lines, from: opportunity }));
  const repeat = Math.max(plans.length === 0 ? 1 : 0, random.int(low, high) - plans.length);
  for (let index = 0; index < repeat; index += 1) {
    const at = customer.createdAt + 7 * DAY + random.float() * Math.max(DAY, anchor - customer.createdAt - 8 * DAY);
    plans.push({ at: Math.min(at, anchor - DAY), lines: newLines(random, environment, customer, customer.productLine, false) });
  }
  plans.sort((a, b) => a.at - b.at);
  const dates: number[] = [];
  for (const plan of plans) dates.push(...emitOrder(random, environment, customer, plan));
  return dates;
}

function emitOrder(random: Random, environment: StoryEnvironment, customer: CustomerFacts, plan: OrderPlan): number[] {
  const { anchor } = environment.timeline;
  const owner = workerFor(random, environment, customer, 0.92);
  const createdAt = workingMoment(random, plan.at);
  const id = random.uuid(createdAt);
  const status = statusByAge(random, (anchor - createdAt) / DAY);
  const total = emitLines({
    environment,
    random,
    object: "sales_order_line",
    parentId: id,
    createdAt,
    userId: owner.userId,
    lines: plan.lines,
    fields: (line, base) => Object.assign(base, { inventory_id: line.item.id, quantity: line.quantity, unit_price: line.unitPrice }),
  });
  const updatedAt = status === "draft" ? createdAt : Math.min(anchor, createdAt + random.int(1, 3) * DAY);
  environment.emit("sales_order", environment.numbers.assign("sales_order", createdAt, Object.assign(customerRecord(id, createdAt, updatedAt, owner.userId, owner, customer), {
    contact_id: random.pick(customer.contacts).id,
    opportunity_id: plan.from?.id ?? null,
    quote_id: plan.from?.won?.quoteId ?? null,
    contract_id: plan.from?.won?.contractId ?? null,
    order_date: dateOf(createdAt),
    delivery_date: dateOf(createdAt + random.int(7, 30) * DAY),
    status,
    involves_new_product: plan.lines.some((line) => line.item.newProductCategory !== null),
    total_amount: total,
  })));
  const receipts = status === "shipped" || status === "closed" ? emitFulfilment(random, environment, customer, { orderId: id, owner, orderAt: createdAt, status, lines: plan.lines, total }) : [];
  return [createdAt, ...receipts];
}

const erpNumber = (prefix: string, at: number, sequence: number) => `${prefix}${dateOf(at).replaceAll("-", "")}${String(sequence).padStart(6, "0")}`;

/** Shipment, outbound delivery and receipts of a shipped or closed order; returns the receipt dates. */
function emitFulfilment(
  random: Random,
  environment: StoryEnvironment,
  customer: CustomerFacts,
  order: { orderId: string; owner: Person; orderAt: number; status: string; lines: DocumentLine[]; total: number },
): number[] {
  const { anchor } = environment.timeline;
  const integration = environment.org.integrationUserId;
  const shippedAt = workingMoment(random, Math.min(anchor - DAY, order.orderAt + random.int(2, 10) * DAY));
  const documentStatus = order.status === "closed" ? "closed" : anchor - shippedAt < 3 * DAY ? "open" : "approved";
  const shipmentId = random.uuid(shippedAt);
  const lineFields = (line: DocumentLine, base: RecordValues) => Object.assign(base, { inventory_id: line.item.id, quantity: line.quantity, unit_price: line.unitPrice, amount: round2(line.quantity * line.unitPrice) });
  const shipped = emitLines({ environment, random, object: "shipment_line", parentId: shipmentId, createdAt: shippedAt, userId: integration, lines: order.lines, fields: lineFields });
  const erpRecord = (id: string, at: number) => customerRecord(id, at, at, integration, order.owner, customer);
  environment.emit("shipment", Object.assign(erpRecord(shipmentId, shippedAt), {
    number: erpNumber("FH", shippedAt, ++environment.erpCounters.shipment),
    sales_order_id: order.orderId,
    shipment_date: dateOf(shippedAt),
    status: documentStatus,
    total_amount: shipped,
    ship_to_address: customer.shipTo,
  }));
  const outboundId = random.uuid(shippedAt);
  emitLines({ environment, random, object: "outbound_line", parentId: outboundId, createdAt: shippedAt, userId: integration, lines: order.lines, fields: (line, base) => Object.assign(base, { inventory_id: line.item.id, quantity: line.quantity }) });
  environment.emit("outbound", Object.assign(erpRecord(outboundId, shippedAt), {
    number: erpNumber("CK", shippedAt, ++environment.erpCounters.outbound),
    sales_order_id: order.orderId,
    shipment_id: shipmentId,
    outbound_date: dateOf(shippedAt),
    warehouse: order.owner.warehouse,
    status: documentStatus,
    total_amount: shipped,
  }));
  // A closed order is paid in full (in one or two instalments); a shipped one is sometimes partly paid.
  const shares = order.status === "closed" ? (random.chance(0.7) ? [1] : [0.5, 0.5]) : random.chance(0.4) ? [random.int(3, 5) / 10] : [];
  const dates: number[] = [];
  let paid = 0;
  shares.forEach((share, index) => {
    const receivedAt = workingMoment(random, Math.min(anchor - DAY, shippedAt + random.int(10, 60) * DAY * (index + 1)));
    const amount = index === shares.length - 1 && order.status === "closed" ? round2(order.total - paid) : round2(order.total * share);
    paid += amount;
    if (amount <= 0) return;
    environment.emit("receipt", Object.assign(erpRecord(random.uuid(receivedAt), receivedAt), {
      number: erpNumber("SK", receivedAt, ++environment.erpCounters.receipt),
      sales_order_id: order.orderId,
      receipt_date: dateOf(receivedAt),
      amount,
      settlement_method: random.weighted([
        { value: "bank_transfer", weight: 60 },
        { value: "bank_acceptance", weight: 25 },
        { value: "commercial_acceptance", weight: 8 },
        { value: "cash", weight: 2 },
        { value: "other", weight: 5 },
      ]),
      status: order.status === "closed" ? "closed" : "approved",
    }));
    dates.push(receivedAt);
  });
  return dates;
}
