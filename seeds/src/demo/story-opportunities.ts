// A customer's opportunities (商机) across stages, with the quotes and contracts they led to.
import type { Random } from "./random";
import { DAY, dateOf, workingMoment } from "./timeline";
import { LOST_REASONS, OPPORTUNITY_TOPICS, PAYMENT_TERMS } from "./vocabulary";
import { PRODUCT_FAMILIES } from "./catalog";
import { customerRecord, workerFor, type CustomerFacts, type StoryEnvironment } from "./story-context";
import { emitLines, netLines, newLines, type DocumentLine } from "./document-lines";

export interface OpportunityFacts {
  id: string;
  stage: string;
  name: string;
  productLine: string;
  /** When it was won or lost (or is expected to close). */
  closeAt: number;
  /** The lines an order made from it copies (net prices), with the ids of its quote and contract. */
  won?: { lines: DocumentLine[]; quoteId: string | null; contractId: string | null };
}

const PROBABILITY: Record<string, number> = { initial: 10, qualified: 30, proposal: 50, negotiation: 70, won: 100, lost: 0 };
const PRODUCT_LINES = ["coating", "plastic", "rubber", "resin"];
const LINE_NAMES: Record<string, string> = { coating: "涂料", plastic: "塑料", rubber: "橡胶", resin: "树脂" };

function stageFor(random: Random, formal: boolean): string {
  return random.weighted(
    formal
      ? [
          { value: "initial", weight: 8 },
          { value: "qualified", weight: 10 },
          { value: "proposal", weight: 10 },
          { value: "negotiation", weight: 8 },
          { value: "won", weight: 46 },
          { value: "lost", weight: 18 },
        ]
      : [
          { value: "initial", weight: 28 },
          { value: "qualified", weight: 24 },
          { value: "proposal", weight: 18 },
          { value: "negotiation", weight: 10 },
          { value: "lost", weight: 20 },
        ],
  );
}

/**
 * Stages and product lines for the customer's opportunities. Registration refuses two open opportunities of one
 * customer and product line (metadata duplicateRules), so an open one takes a line no other open one has, or is lost.
 */
function plan(random: Random, customer: CustomerFacts, count: number): { stage: string; productLine: string }[] {
  const openLines = new Set<string>();
  return Array.from({ length: count }, (_, index) => {
    let stage = stageFor(random, customer.formal);
    let productLine = index === 0 ? customer.productLine : random.pick(PRODUCT_LINES);
    if (stage !== "won" && stage !== "lost") {
      if (openLines.has(productLine)) productLine = PRODUCT_LINES.find((line) => !openLines.has(line)) ?? productLine;
      if (openLines.has(productLine)) stage = "lost";
      else openLines.add(productLine);
    }
    return { stage, productLine };
  });
}

export function generateOpportunities(random: Random, environment: StoryEnvironment, customer: CustomerFacts, sourceLeadId: string | null): OpportunityFacts[] {
  const count = random.weighted([
    { value: 0, weight: 28 },
    { value: 1, weight: 48 },
    { value: 2, weight: 19 },
    { value: 3, weight: 5 },
  ]);
  const { anchor } = environment.timeline;
  return plan(random, customer, count).map(({ stage, productLine }, index) => {
    const owner = workerFor(random, environment, customer, 0.9);
    const createdAt = workingMoment(random, customer.createdAt + random.int(index === 0 ? 0 : 20, 400) * DAY);
    const created = Math.min(createdAt, anchor - DAY);
    const closed = stage === "won" || stage === "lost";
    const closeAt = closed ? Math.min(anchor - DAY, created + random.int(15, 120) * DAY) : anchor + random.int(10, 150) * DAY;
    const family = random.pick(PRODUCT_FAMILIES.filter((product) => product.productLine === productLine));
    const name = `${customer.company.shortName}${family?.name ?? LINE_NAMES[productLine]}${random.pick(OPPORTUNITY_TOPICS)}`;
    const id = random.uuid(created);
    const contact = random.pick(customer.contacts);
    const quoted = ["proposal", "negotiation", "won"].includes(stage) || (stage === "lost" && random.chance(0.5));
    const quote = quoted ? emitQuote(random, environment, customer, { opportunityId: id, contactId: contact.id, stage, productLine, owner, quoteAt: created + (closeAt - created) * 0.4 }) : null;
    const amount = quote?.total ?? Math.round(random.logUniform(20_000, customer.category === "key" ? 3_000_000 : 600_000) / 1000) * 1000;
    const contractId = stage === "won" && quote && random.chance(0.35) ? emitContract(random, environment, customer, { opportunityId: id, quoteId: quote.id, contactId: contact.id, name, owner, signAt: closeAt, lines: netLines(quote.lines) }) : null;
    environment.emit("opportunity", environment.numbers.assign("opportunity", created, Object.assign(customerRecord(id, created, closed ? closeAt : created, owner.userId, owner, customer), {
      name,
      contact_id: contact.id,
      product_line: productLine,
      stage,
      amount,
      probability: PROBABILITY[stage],
      expected_close_date: dateOf(closeAt),
      source_lead_id: index === 0 ? sourceLeadId : null,
      lost_reason: stage === "lost" ? random.pick(LOST_REASONS) : null,
    })));
    return { id, stage, name, productLine, closeAt, won: stage === "won" && quote ? { lines: netLines(quote.lines), quoteId: quote.id, contractId } : undefined };
  });
}

const QUOTE_STATUS: Record<string, string> = { proposal: "sent", negotiation: "sent", won: "accepted", lost: "rejected" };

function emitQuote(
  random: Random,
  environment: StoryEnvironment,
  customer: CustomerFacts,
  input: { opportunityId: string; contactId: string; stage: string; productLine: string; owner: CustomerFacts["owner"]; quoteAt: number },
): { id: string; total: number; lines: DocumentLine[] } {
  const createdAt = workingMoment(random, input.quoteAt);
  const id = random.uuid(createdAt);
  const lines = newLines(random, environment, customer, input.productLine, true);
  const total = emitLines({
    environment,
    random,
    object: "quote_line",
    parentId: id,
    createdAt,
    userId: input.owner.userId,
    lines,
    fields: (line, base) => Object.assign(base, { inventory_id: line.item.id, quantity: line.quantity, unit_price: line.unitPrice, discount: line.discount }),
  });
  const status = input.stage === "proposal" && random.chance(0.4) ? "draft" : QUOTE_STATUS[input.stage];
  environment.emit("quote", environment.numbers.assign("quote", createdAt, Object.assign(customerRecord(id, createdAt, createdAt, input.owner.userId, input.owner, customer), {
    contact_id: input.contactId,
    opportunity_id: input.opportunityId,
    quote_date: dateOf(createdAt),
    valid_until: dateOf(createdAt + 30 * DAY),
    status,
    total_amount: total,
  })));
  return { id, total, lines };
}

function emitContract(
  random: Random,
  environment: StoryEnvironment,
  customer: CustomerFacts,
  input: { opportunityId: string; quoteId: string; contactId: string; name: string; owner: CustomerFacts["owner"]; signAt: number; lines: DocumentLine[] },
): string {
  const createdAt = workingMoment(random, input.signAt);
  const id = random.uuid(createdAt);
  const total = emitLines({
    environment,
    random,
    object: "contract_line",
    parentId: id,
    createdAt,
    userId: input.owner.userId,
    lines: input.lines,
    fields: (line, base) => Object.assign(base, { inventory_id: line.item.id, quantity: line.quantity, unit_price: line.unitPrice }),
  });
  const end = createdAt + 365 * DAY;
  environment.emit("contract", environment.numbers.assign("contract", createdAt, Object.assign(customerRecord(id, createdAt, createdAt, input.owner.userId, input.owner, customer), {
    name: `${input.name}合同`,
    contact_id: input.contactId,
    opportunity_id: input.opportunityId,
    quote_id: input.quoteId,
    sign_date: dateOf(createdAt),
    start_date: dateOf(createdAt),
    end_date: dateOf(end),
    status: end < environment.timeline.anchor ? "completed" : "effective",
    total_amount: total,
    payment_terms: random.pick(PAYMENT_TERMS),
  })));
  return id;
}
