// Lines of quotes, orders, contracts, shipments, outbound deliveries and sample loans: items of the customer's
// product line at the price the server would fill in (customer price, else salesperson price, else inventory price).
import type { RecordValues } from "../../../server/src/records/computed-values";
import type { InventoryItem } from "./catalog";
import type { Random } from "./random";
import { lineRecord, round2, type CustomerFacts, type StoryEnvironment } from "./story-context";

export interface DocumentLine {
  item: InventoryItem;
  quantity: number;
  unitPrice: number;
  /** Quote lines only (percent). */
  discount: number;
}

/** Mostly items of the product line, sometimes the traded industrial parts that go with them. */
export function pickItems(random: Random, environment: StoryEnvironment, productLine: string | null, count: number): InventoryItem[] {
  const own = environment.itemsByLine.get(productLine) ?? [];
  const parts = environment.itemsByLine.get(null) ?? [];
  const items: InventoryItem[] = [];
  for (let index = 0; index < count; index += 1) {
    const pool = own.length && random.chance(0.8) ? own : parts.length ? parts : environment.org.inventory;
    const item = random.pick(pool);
    if (!items.includes(item)) items.push(item);
  }
  return items;
}

export function quantityOf(random: Random, item: InventoryItem): number {
  const raw = random.logUniform(item.quantity[0], item.quantity[1]);
  // Bulk materials by the tonne go in half tonnes; everything else in whole units.
  return item.unit === "吨" ? Math.max(0.5, Math.round(raw * 2) / 2) : Math.max(1, Math.round(raw));
}

export function priceFor(environment: StoryEnvironment, customer: CustomerFacts, item: InventoryItem): number {
  return customer.prices.get(item.id) ?? environment.org.salespersonPrices.get(`${customer.owner.employeeId}:${item.id}`) ?? item.listPrice;
}

export function newLines(random: Random, environment: StoryEnvironment, customer: CustomerFacts, productLine: string | null, withDiscount: boolean): DocumentLine[] {
  const count = random.weighted([
    { value: 1, weight: 30 },
    { value: 2, weight: 25 },
    { value: 3, weight: 20 },
    { value: 4, weight: 15 },
    { value: 5, weight: 10 },
  ]);
  return pickItems(random, environment, productLine, count).map((item) => ({
    item,
    quantity: quantityOf(random, item),
    unitPrice: priceFor(environment, customer, item),
    discount: withDiscount ? random.pick([0, 0, 0, 2, 3, 5, 8, 10]) : 0,
  }));
}

/** The same lines at their net price, as generate_order / generate_contract copy a quote's lines. */
export const netLines = (lines: DocumentLine[]): DocumentLine[] =>
  lines.map((line) => ({ ...line, unitPrice: round2((line.unitPrice * (100 - line.discount)) / 100), discount: 0 }));

/**
 * Emits the lines of one document and returns the sum of their amounts (formula lines get the server's formula
 * value when emitted; plain amount columns get quantity × price). `fields` adds the columns the child object has to
 * the line's stamps and position (`base`), in one literal.
 */
export function emitLines(input: {
  environment: StoryEnvironment;
  random: Random;
  object: string;
  parentId: string;
  createdAt: number;
  userId: string;
  lines: DocumentLine[];
  fields(line: DocumentLine, base: RecordValues): RecordValues;
}): number {
  let total = 0;
  input.lines.forEach((line, index) => {
    const values = input.fields(line, lineRecord(input.random.uuid(input.createdAt), input.createdAt, input.userId, input.parentId, index + 1));
    input.environment.emit(input.object, values);
    total += Number(values.amount ?? 0);
  });
  return round2(total);
}
