// A customer's activities (行动) over its life: types, statuses that follow the calendar, plans and results.
import type { Random } from "./random";
import { DAY, HOUR, isoOf, workingMoment } from "./timeline";
import { ACTIVITY_TEXTS, ACTIVITY_TYPES } from "./vocabulary";
import { PRODUCT_FAMILIES } from "./catalog";
import { customerRecord, workerFor, type CustomerFacts, type StoryEnvironment } from "./story-context";
import type { OpportunityFacts } from "./story-opportunities";
import type { Person } from "./org-context";

/** Activities per customer by category: about ten on average over the whole customer base. */
const ACTIVITIES_BY_CATEGORY: Record<string, [number, number]> = { key: [20, 35], major: [14, 22], normal: [8, 14], minor: [4, 8], potential: [6, 14] };

/** Templates split once into literal, name, literal, … (the same text as replacing every {name}). */
const TEMPLATE_PARTS = new Map<string, string[]>();

function fill(template: string, values: Record<string, string>): string {
  let parts = TEMPLATE_PARTS.get(template);
  if (parts === undefined) TEMPLATE_PARTS.set(template, (parts = template.split(/\{(\w+)\}/)));
  let text = parts[0];
  for (let index = 1; index < parts.length; index += 2) text += (values[parts[index]] ?? "") + parts[index + 1];
  return text;
}

/** 未开始 in the future, 进行中 / 已完成 around today, 已完成 (rarely left open) in the past. */
function statusAt(random: Random, start: number, anchor: number): string {
  if (start > anchor) return "not_started";
  if (anchor - start < 7 * DAY) return random.weighted([{ value: "in_progress", weight: 55 }, { value: "completed", weight: 35 }, { value: "not_started", weight: 10 }]);
  return random.weighted([{ value: "completed", weight: 90 }, { value: "in_progress", weight: 5 }, { value: "not_started", weight: 5 }]);
}

export function generateActivities(random: Random, environment: StoryEnvironment, customer: CustomerFacts, opportunities: OpportunityFacts[]): void {
  const { anchor } = environment.timeline;
  const [low, high] = ACTIVITIES_BY_CATEGORY[customer.formal ? (customer.category ?? "minor") : "potential"];
  const count = random.int(low, high);
  const products = PRODUCT_FAMILIES.filter((product) => product.productLine === customer.productLine);
  for (let index = 0; index < count; index += 1) {
    let type = random.weighted(ACTIVITY_TYPES);
    if (type === "opportunity" && opportunities.length === 0) type = "schedule";
    const opportunity = type === "opportunity" ? random.pick(opportunities) : null;
    const contact = random.pick(customer.contacts);
    // Spread from the customer's creation to a month ahead (the calendar holds planned items too).
    const start = workingMoment(random, customer.createdAt + random.float() * (anchor + 30 * DAY - customer.createdAt));
    const status = statusAt(random, start, anchor);
    const texts = ACTIVITY_TEXTS[type];
    const words = {
      customer: customer.company.shortName,
      contact: contact.name,
      product: random.pick(products)?.name ?? "产品",
      quantity: `${random.int(5, 300)}吨`,
    };
    const createdAt = Math.min(anchor - HOUR, Math.max(customer.createdAt, start - random.int(0, 7) * DAY));
    const end = start + random.int(1, 6) * 30 * 60_000;
    const owner: Person = workerFor(random, environment, customer, 0.85);
    const updatedAt = status === "completed" ? Math.min(anchor - HOUR, Math.max(createdAt, end + random.int(0, 48) * HOUR)) : createdAt;
    environment.emit("activity", Object.assign(customerRecord(random.uuid(createdAt), createdAt, updatedAt, owner.userId, owner, customer), {
      subject: fill(random.pick(texts.subjects), words),
      activity_type: type,
      status,
      start_at: isoOf(start),
      end_at: isoOf(end),
      contact_id: contact.id,
      opportunity_id: opportunity?.id ?? null,
      plan: fill(random.pick(texts.plans), words),
      result: status === "completed" ? fill(random.pick(texts.results), words) : null,
    }));
  }
}

/** Prospecting on a lead that has not become a customer yet (no customer: the lead is the link). */
export function generateLeadActivities(random: Random, environment: StoryEnvironment, lead: { id: string; owner: Person; createdAt: number; company: string }): void {
  const { anchor } = environment.timeline;
  const count = random.int(1, 2);
  for (let index = 0; index < count; index += 1) {
    const start = workingMoment(random, Math.min(anchor + 10 * DAY, lead.createdAt + random.int(1, 30) * DAY));
    const status = statusAt(random, start, anchor);
    const texts = ACTIVITY_TEXTS.prospecting;
    const words = { customer: lead.company, contact: "", product: "产品", quantity: `${random.int(5, 100)}吨` };
    const createdAt = Math.min(anchor - HOUR, Math.max(lead.createdAt, start - DAY));
    environment.emit("activity", Object.assign(customerRecord(random.uuid(createdAt), createdAt, createdAt, lead.owner.userId, lead.owner, null), {
      subject: fill(random.pick(texts.subjects), words),
      activity_type: "prospecting",
      status,
      start_at: isoOf(start),
      end_at: isoOf(start + HOUR),
      lead_id: lead.id,
      plan: fill(random.pick(texts.plans), words),
      result: status === "completed" ? fill(random.pick(texts.results), words) : null,
    }));
  }
}
