// One customer's whole story, from one seeded stream: the lead it came from, the customer with its contacts,
// opportunities, quotes, orders and what the ERP did with them, activities, sample loans and customer prices.
import type { Random } from "./random";
import { DAY, HOUR, dateOf, isoOf, workingMoment } from "./timeline";
import { address, bankBranch, companyName, creditCode, landline, mobile, personName, type Address } from "./names";
import { CONTACT_ROLES, DISQUALIFY_NOTES, INDUSTRY_WEIGHTS, LEAD_REMARKS, LEAD_SOURCES, SAMPLE_PURPOSES } from "./vocabulary";
import { customerRecord, ownedRecord, round2, stamps, type ContactFacts, type CustomerFacts, type StoryEnvironment } from "./story-context";
import { pickItems, quantityOf } from "./document-lines";
import { generateOpportunities, type OpportunityFacts } from "./story-opportunities";
import { generateOrders } from "./story-orders";
import { generateActivities, generateLeadActivities } from "./story-activities";
import type { Person } from "./org-context";

const PRODUCT_LINES = ["coating", "plastic", "rubber", "resin"];
const NEW_PRODUCTS: Record<string, string[]> = {
  coating: ["waterborne_coating", "powder_coating"],
  plastic: ["bio_based_plastic", "biodegradable_plastic"],
  rubber: ["specialty_rubber"],
  resin: ["eco_resin"],
};
const CREDIT_BY_CATEGORY: Record<string, [number, number]> = { key: [2_000_000, 5_000_000], major: [500_000, 2_000_000], normal: [100_000, 500_000], minor: [20_000, 100_000] };

function colleagueOf(random: Random, environment: StoryEnvironment, owner: Person): string[] {
  const colleagues = (environment.org.colleagues.get(owner.branch) ?? []).filter((person) => person.employeeId !== owner.employeeId);
  return colleagues.length && random.chance(0.12) ? [random.pick(colleagues).employeeId] : [];
}

function newCustomer(random: Random, environment: StoryEnvironment, position: number): CustomerFacts & { industry: string; region: Address } {
  const { start, anchor } = environment.timeline;
  const owner = random.pick(environment.org.salespeople);
  const city = random.pick(owner.territory);
  const industry = random.weighted(INDUSTRY_WEIGHTS);
  const formal = random.chance(0.68);
  const category = formal ? random.weighted([{ value: "key", weight: 5 }, { value: "major", weight: 15 }, { value: "normal", weight: 45 }, { value: "minor", weight: 35 }]) : null;
  // Customers arrive in order over the years: the n-th generated one is created a little after the (n-1)-th.
  const createdAt = workingMoment(random, start + position * (anchor - 3 * DAY - start));
  return {
    id: random.uuid(createdAt),
    owner,
    relatedIds: colleagueOf(random, environment, owner),
    createdAt,
    formal,
    category,
    productLine: owner.productLine ?? random.pick(PRODUCT_LINES),
    city,
    company: companyName(random, city, industry),
    contacts: [],
    prices: new Map(),
    industry,
    region: address(random, city, random.chance(0.6)),
    shipTo: address(random, city, true),
  };
}

function generateContacts(random: Random, environment: StoryEnvironment, customer: CustomerFacts): void {
  const count = random.weighted([{ value: 1, weight: 10 }, { value: 2, weight: 25 }, { value: 3, weight: 30 }, { value: 4, weight: 20 }, { value: 5, weight: 15 }]);
  for (let index = 0; index < count; index += 1) {
    const person = personName(random);
    const role = random.weighted(CONTACT_ROLES);
    const owner = random.chance(0.9) ? customer.owner : random.pick(environment.org.colleagues.get(customer.owner.branch) ?? [customer.owner]);
    const createdAt = Math.min(environment.timeline.anchor - HOUR, customer.createdAt + (index === 0 ? 0 : random.int(1, 200) * DAY));
    const contact: ContactFacts = { id: random.uuid(createdAt), name: person.name, title: role.title, mobile: mobile(random), email: `${person.pinyin}@${customer.company.domain}` };
    environment.emit("contact", Object.assign(customerRecord(contact.id, createdAt, createdAt, owner.userId, owner, customer), {
      name: contact.name,
      title: contact.title,
      department_name: role.department,
      mobile: contact.mobile,
      phone: random.chance(0.6) ? `${landline(random, customer.city)}${random.chance(0.3) ? ` ${random.int(800, 899)}` : ""}` : null,
      email: random.chance(0.7) ? contact.email : null,
      birthday: dateOf(Date.UTC(random.int(1962, 1998), random.int(0, 11), random.int(1, 28))),
      gender: person.gender,
      is_primary: index === 0,
    }));
    customer.contacts.push(contact);
  }
}

/** The lead a customer was converted from (when it was), written after the customer exists so it can link back. */
function emitConvertedLead(random: Random, environment: StoryEnvironment, customer: ReturnType<typeof newCustomer>, lead: { id: string; createdAt: number; source: string }, opportunity: OpportunityFacts | undefined): void {
  const contact = customer.contacts[0];
  environment.emit("lead", Object.assign(ownedRecord(lead.id, lead.createdAt, customer.createdAt, customer.owner.userId, customer.owner), {
    name: contact.name,
    company: customer.company.name,
    lead_type: opportunity ? "opportunity" : "customer",
    source: lead.source,
    status: "converted",
    mobile: contact.mobile,
    email: contact.email,
    region: customer.region,
    product_line: customer.productLine,
    remark: random.pick(LEAD_REMARKS),
    converted_customer_id: customer.id,
    converted_contact_id: contact.id,
    converted_opportunity_id: opportunity?.id ?? null,
    converted_at: isoOf(customer.createdAt),
  }));
}

/** A lead still being worked (or dropped), owned by the same salesperson: leads outnumber the customers they become. */
function emitOpenLead(random: Random, environment: StoryEnvironment, owner: Person): void {
  const { start, anchor } = environment.timeline;
  const createdAt = workingMoment(random, start + random.float() * (anchor - DAY - start));
  const city = random.pick(owner.territory);
  const company = companyName(random, city, random.weighted(INDUSTRY_WEIGHTS));
  const person = personName(random);
  const status = anchor - createdAt < 30 * DAY ? random.weighted([{ value: "new", weight: 60 }, { value: "working", weight: 40 }]) : random.weighted([{ value: "working", weight: 45 }, { value: "disqualified", weight: 55 }]);
  const id = random.uuid(createdAt);
  environment.emit("lead", Object.assign(ownedRecord(id, createdAt, createdAt, owner.userId, owner), {
    name: person.name,
    company: company.name,
    lead_type: random.chance(0.3) ? "opportunity" : "customer",
    source: random.weighted(LEAD_SOURCES),
    status,
    mobile: mobile(random),
    email: random.chance(0.5) ? `${person.pinyin}@${company.domain}` : null,
    region: address(random, city),
    product_line: owner.productLine ?? random.pick(PRODUCT_LINES),
    remark: status === "disqualified" ? random.pick(DISQUALIFY_NOTES) : random.pick(LEAD_REMARKS),
  }));
  if (status === "working") generateLeadActivities(random, environment, { id, owner, createdAt, company: company.shortName });
}

function generateSampleLoans(random: Random, environment: StoryEnvironment, customer: CustomerFacts, opportunities: OpportunityFacts[]): void {
  const { anchor } = environment.timeline;
  const count = random.weighted([{ value: 0, weight: 78 }, { value: 1, weight: 18 }, { value: 2, weight: 4 }]);
  // No loan is left 待审批: an approval in progress lives in the workflow's own tables (sys.workflow_instances,
  // approval tasks), which only the workflow service writes.
  for (let index = 0; index < count; index += 1) {
    const loanAt = workingMoment(random, customer.createdAt + random.float() * Math.max(DAY, anchor - customer.createdAt - DAY));
    const due = loanAt + random.int(15, 45) * DAY;
    const status =
      anchor - loanAt < 7 * DAY
        ? random.weighted([{ value: "draft", weight: 40 }, { value: "approved", weight: 60 }])
        : due > anchor
          ? random.weighted([{ value: "on_loan", weight: 80 }, { value: "partly_returned", weight: 20 }])
          : random.weighted([{ value: "returned", weight: 65 }, { value: "overdue", weight: 20 }, { value: "partly_returned", weight: 15 }]);
    const id = random.uuid(loanAt);
    const lines = pickItems(random, environment, customer.productLine, random.int(1, 3)).map((item) => {
      const loaned = Math.max(2, Math.min(20, Math.round(quantityOf(random, item) / 10)));
      const returned = status === "returned" ? loaned : status === "partly_returned" ? random.int(1, loaned - 1) : 0;
      return { item, loaned, returned };
    });
    lines.forEach((line, position) => {
      environment.emit("sample_loan_line", Object.assign(stamps(random.uuid(loanAt), loanAt, loanAt, customer.owner.userId), {
        parent_id: id,
        line_no: position + 1,
        inventory_id: line.item.id,
        loaned_quantity: line.loaned,
        returned_quantity: line.returned,
      }));
    });
    const returnedAt = status === "returned" || status === "partly_returned" ? Math.min(anchor - DAY, loanAt + random.int(7, 50) * DAY) : null;
    const open = opportunities.filter((opportunity) => opportunity.stage !== "won" && opportunity.stage !== "lost");
    environment.emit("sample_loan", environment.numbers.assign("sample_loan", loanAt, Object.assign(customerRecord(id, loanAt, returnedAt ?? loanAt, customer.owner.userId, customer.owner, customer), {
      contact_id: random.pick(customer.contacts).id,
      opportunity_id: open.length && random.chance(0.5) ? random.pick(open).id : null,
      loan_date: dateOf(loanAt),
      due_date: dateOf(due),
      return_date: returnedAt === null ? null : dateOf(Math.max(returnedAt, loanAt)),
      status,
      purpose: random.pick(SAMPLE_PURPOSES),
    })));
  }
}

/** 客户价格 for important customers: a few items of their line below the list price. */
function generateCustomerPrices(random: Random, environment: StoryEnvironment, customer: CustomerFacts): void {
  if (!(customer.category === "key" || customer.category === "major") || !random.chance(0.6)) return;
  for (const item of pickItems(random, environment, customer.productLine, random.int(2, 4))) {
    const unitPrice = round2(item.listPrice * random.int(88, 95) / 100);
    customer.prices.set(item.id, unitPrice);
    environment.emit("price", Object.assign(stamps(random.uuid(customer.createdAt), customer.createdAt, customer.createdAt, environment.org.integrationUserId), {
      price_type: "customer",
      inventory_id: item.id,
      customer_id: customer.id,
      unit_price: unitPrice,
      valid_from: dateOf(customer.createdAt),
    }));
  }
}

/** Everything about one customer, from its own stream; it is created at `position` ∈ [0, 1) of the timeline. */
export function generateCustomerStory(environment: StoryEnvironment, random: Random, position: number): void {
  const customer = newCustomer(random, environment, position);
  const leadAt = random.chance(0.25) ? workingMoment(random, customer.createdAt - random.int(3, 40) * DAY) : null;
  const lead = leadAt === null ? null : { id: random.uuid(leadAt), createdAt: leadAt, source: random.weighted(LEAD_SOURCES) };
  generateContacts(random, environment, customer);
  generateCustomerPrices(random, environment, customer);
  const opportunities = generateOpportunities(random, environment, customer, lead?.id ?? null);
  const transactions = generateOrders(random, environment, customer, opportunities);
  generateActivities(random, environment, customer, opportunities);
  generateSampleLoans(random, environment, customer, opportunities);
  if (lead) emitConvertedLead(random, environment, customer, lead, opportunities.find((opportunity) => opportunity.stage !== "lost"));
  for (let extra = random.weighted([{ value: 0, weight: 55 }, { value: 1, weight: 38 }, { value: 2, weight: 7 }]); extra > 0; extra -= 1) emitOpenLead(random, environment, customer.owner);
  emitCustomer(random, environment, customer, { sourceLeadId: lead?.id ?? null, transactions });
}

function emitCustomer(random: Random, environment: StoryEnvironment, customer: ReturnType<typeof newCustomer>, input: { sourceLeadId: string | null; transactions: number[] }): void {
  const bank = bankBranch(random, customer.city);
  const lastTransaction = input.transactions.length ? Math.max(...input.transactions) : null;
  const [creditLow, creditHigh] = CREDIT_BY_CATEGORY[customer.category ?? "minor"];
  const followsNew = random.chance(0.14) ? random.sample(NEW_PRODUCTS[customer.productLine], random.int(1, 2)) : [];
  const otherLine = random.chance(0.25) ? random.pick(PRODUCT_LINES.filter((line) => line !== customer.productLine)) : null;
  environment.emit("customer", environment.numbers.assign("customer", customer.createdAt, Object.assign(ownedRecord(customer.id, customer.createdAt, lastTransaction ?? customer.createdAt, customer.owner.userId, customer.owner, customer.relatedIds), {
    name: customer.company.name,
    short_name: customer.company.shortName,
    status: customer.formal ? "formal" : "potential",
    category: customer.category,
    industry: customer.industry,
    region: customer.region,
    phone: landline(random, customer.city),
    email: `${random.pick(["sales", "info", "purchase", "contact"])}@${customer.company.domain}`,
    website: random.chance(0.7) ? `www.${customer.company.domain}` : null,
    tax_number: creditCode(random, customer.city),
    bank_name: customer.formal ? bank.bank : null,
    bank_account: customer.formal ? bank.account : null,
    credit_limit: customer.formal ? Math.round(random.logUniform(creditLow, creditHigh) / 10_000) * 10_000 : null,
    ship_to_address: customer.shipTo,
    last_transaction_date: lastTransaction === null ? null : dateOf(lastTransaction),
    new_product_categories: followsNew,
    product_lines: otherLine ? [customer.productLine, otherLine] : [customer.productLine],
    source_lead_id: input.sourceLeadId,
  })));
}
