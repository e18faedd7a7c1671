// The demo data generator: a believable data set for the distribution pack's demo org, of any size, written in bulk
// in one transaction (COPY on PostgreSQL, unnest() batches on PGlite), as if every record had come through the API.
import type { Knex } from "knex";
import { compileModel, type Model } from "../../../server/src/registry/model";
import { loadStoredModel } from "../../../server/src/registry/store";
import { customerScopedObjects } from "../../../server/src/access/customer-scope";
import { validationFailed } from "../../../server/src/errors/errors";
import { openRowSink, restoreConstraints, suspendConstraints } from "../../../server/src/db/bulk-load";
import type { RecordValues } from "../../../server/src/records/computed-values";
import { mixSeed, Random } from "./random";
import { buildCatalog, roundPrice, type InventoryItem } from "./catalog";
import { loadOrgContext, type OrgContext } from "./org-context";
import { AutoNumbers, lockSequences } from "./auto-numbers";
import { TableWriter } from "./table-writer";
import { ProgressBar } from "./progress";
import { generateCustomerStory } from "./story";
import { dateOf, timelineOf } from "./timeline";
import type { StoryEnvironment } from "./story-context";
import { AUTO_GRANT_COLUMNS, AUTO_GRANTS_TABLE, copyCustomerScope, GeneratedGrants } from "./grants";

/** Every object the generator writes (those the model lacks are skipped when suspending their keys). */
const GENERATED_OBJECTS = [
  "inventory", "price", "lead", "customer", "contact", "opportunity", "quote", "quote_line", "contract", "contract_line",
  "sales_order", "sales_order_line", "shipment", "shipment_line", "outbound", "outbound_line", "receipt", "activity",
  "sample_loan", "sample_loan_line",
];
/** Above this many new customers (and when they at least double the table) indexes are rebuilt instead of maintained. */
const REBUILD_INDEXES_FROM = 1000;
const CATALOG_SIZE = 300;
/** Text per COPY statement: large enough that statements cost nothing, small enough to overlap with generation. */
const COPY_BATCH_BYTES = 4 << 20;
export const MAX_CUSTOMERS = 10_000_000;

export interface DemoDataOptions {
  customers: number;
  seed?: number;
  /** "Today" of the data set (activities ahead of it are 未开始); the current day when omitted. */
  anchor?: Date;
  /** Years of history before the anchor. */
  years?: number;
  /** Run the API's body validation and rules on every generated record (slower; tests). */
  validate?: boolean;
  /** Drop secondary indexes for the load and rebuild them after; decided by the load's size when omitted. */
  rebuildIndexes?: boolean;
  /** Rows per statement (COPY: by default a statement per few megabytes of text). */
  batchRows?: number;
  /** Where the progress bar is drawn (stderr in the command); nowhere when omitted. */
  progress?: NodeJS.WriteStream;
  log?: (line: string) => void;
}

export interface DemoDataSummary {
  customers: number;
  seed: number;
  rows: Record<string, number>;
  totalRows: number;
  seconds: number;
  rowsPerSecond: number;
  method: "copy" | "unnest";
  indexesRebuilt: boolean;
  grants: number;
}

function assertValidOptions(options: DemoDataOptions): void {
  const details = [];
  if (!Number.isInteger(options.customers) || options.customers < 0 || options.customers > MAX_CUSTOMERS) {
    details.push({ path: "/customers", message: { "zh-CN": `客户数必须是 0 到 ${MAX_CUSTOMERS} 之间的整数`, en: `customers must be an integer from 0 to ${MAX_CUSTOMERS}` } });
  }
  if (options.seed !== undefined && (!Number.isSafeInteger(options.seed) || options.seed < 0)) {
    details.push({ path: "/seed", message: { "zh-CN": "随机种子必须是非负整数", en: "seed must be a non-negative integer" } });
  }
  if (details.length) throw validationFailed(details);
}

/** The catalogue, inventory prices and salesperson prices, when the database has no inventory yet. */
function emitCatalog(environment: StoryEnvironment, org: OrgContext, seed: number): InventoryItem[] {
  const random = new Random(mixSeed(seed, 0xca7a10));
  const at = environment.timeline.start;
  const items = buildCatalog(random, CATALOG_SIZE, at);
  const stamp = (id: string) => ({ id, version: 1, created_at: new Date(at).toISOString(), created_by: org.integrationUserId, updated_at: new Date(at).toISOString(), updated_by: org.integrationUserId });
  for (const item of items) {
    environment.emit("inventory", {
      ...stamp(item.id),
      code: item.code,
      name: item.name,
      specification: item.specification,
      unit: item.unit,
      product_line: item.productLine,
      new_product_category: item.newProductCategory,
      list_price: item.listPrice,
      active: true,
    });
    environment.emit("price", { ...stamp(random.uuid(at)), price_type: "inventory", inventory_id: item.id, unit_price: item.listPrice, valid_from: dateOf(at) });
  }
  // 业务员价格: each salesperson has agreed prices on a few items of their line.
  for (const person of org.salespeople) {
    for (const item of random.sample(items.filter((candidate) => candidate.productLine === person.productLine || person.productLine === null), 8)) {
      const unitPrice = roundPrice(item.listPrice * random.int(95, 98) / 100);
      org.salespersonPrices.set(`${person.employeeId}:${item.id}`, unitPrice);
      environment.emit("price", { ...stamp(random.uuid(at)), price_type: "salesperson", inventory_id: item.id, salesperson_id: person.employeeId, unit_price: unitPrice, valid_from: dateOf(at) });
    }
  }
  return items;
}

function groupByLine(items: InventoryItem[]): Map<string | null, InventoryItem[]> {
  const byLine = new Map<string | null, InventoryItem[]>();
  for (const item of items) byLine.set(item.productLine, [...(byLine.get(item.productLine) ?? []), item]);
  return byLine;
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

async function generateInTransaction(trx: Knex.Transaction, model: Model, options: DemoDataOptions & { seed: number }) {
  const log = options.log ?? (() => {});
  await trx.raw("SET LOCAL statement_timeout = 0");
  await lockSequences(trx);
  const org = await loadOrgContext(trx, model);
  const numbers = await AutoNumbers.load(trx, model);
  const indexesRebuilt = options.rebuildIndexes ?? (options.customers >= REBUILD_INDEXES_FROM && options.customers >= org.existingCustomers);
  const tables = GENERATED_OBJECTS.filter((name) => model.objects.has(name));
  const suspended = await suspendConstraints(trx, tables, { indexes: indexesRebuilt });
  const sink = await openRowSink(trx);
  const grants = await GeneratedGrants.load(trx, model);
  const customerScoped = new Set(customerScopedObjects(model).map((object) => object.name));
  const writer = new TableWriter(sink, model, {
    batchRows: options.batchRows ?? (sink.method === "copy" ? Infinity : 4_000),
    batchBytes: sink.method === "copy" ? COPY_BATCH_BYTES : Infinity,
    validate: options.validate === true,
  });
  let emitted = 0;
  // A story's records wait until the story is complete: a customer's record comes last (it sums up its orders), and
  // its automatic grants decide the scope keys its contacts, activities and documents copy.
  const story: { objectName: string; values: RecordValues }[] = [];
  const recordGrant = (row: unknown[]) => writer.addRow(AUTO_GRANTS_TABLE, AUTO_GRANT_COLUMNS, row);
  const settleStory = () => {
    const customers = new Map<unknown, RecordValues>();
    for (const { objectName, values } of story) {
      if (objectName !== "customer") continue;
      grants.apply(objectName, values, recordGrant);
      customers.set(values.id, values);
    }
    for (const { objectName, values } of story) {
      if (objectName !== "customer") {
        const customer = customerScoped.has(objectName) ? customers.get(values.customer_id) : undefined;
        if (customer) copyCustomerScope(customer, values);
        grants.apply(objectName, values, recordGrant);
      }
      writer.add(objectName, values);
    }
    emitted += story.length;
    story.length = 0;
  };
  const environment: StoryEnvironment = {
    org,
    itemsByLine: new Map(),
    timeline: timelineOf(options.anchor ?? new Date(), options.years ?? 3),
    numbers,
    erpCounters: { ...org.existingErpDocuments },
    emit: (objectName: string, values: RecordValues) => {
      if (!writer.has(objectName)) return;
      writer.prepare(objectName, values);
      story.push({ objectName, values });
    },
  };
  if (org.inventory.length === 0) org.inventory = emitCatalog(environment, org, options.seed);
  settleStory();
  environment.itemsByLine = groupByLine(org.inventory);

  const started = performance.now();
  const cpu = process.cpuUsage();
  const progress = new ProgressBar(options.progress ?? null, options.customers, "customers");
  for (let index = 0; index < options.customers; index += 1) {
    // Each customer has its own stream: the data does not depend on batch sizes, and a later run continues.
    generateCustomerStory(environment, new Random(mixSeed(options.seed, org.existingCustomers + index)), (index + 0.5) / options.customers);
    settleStory();
    if (index % 64 === 63) {
      await writer.pump();
      progress.update(index + 1, writer.rowsWritten);
      if (index % 512 === 511) await yieldToIo();
    }
  }
  await writer.finish();
  progress.finish(options.customers, writer.rowsWritten);
  const used = process.cpuUsage(cpu);
  // The generator's own CPU time (generation, COPY text, GC) next to the wall time: what its speed is bound by.
  log(`${emitted.toLocaleString("en")} rows generated and written in ${seconds(started)} s (generator CPU ${((used.user + used.system) / 1e6).toFixed(1)} s)`);

  log(`automatic grant rules: ${grants.granted.toLocaleString("en")} grants made with the records`);

  // Statistics first (the foreign key checks are planned on them), then indexes and keys come back.
  const step = performance.now();
  for (const table of tables) await trx.raw("ANALYZE ??", [table]);
  log(`ANALYZE in ${seconds(step)} s`);
  await numbers.save(trx);
  log(indexesRebuilt ? "rebuilding indexes and foreign keys …" : "re-adding foreign keys …");
  await trx.raw(`SET LOCAL maintenance_work_mem = '${sink.method === "copy" ? "1GB" : "64MB"}'`);
  await restoreConstraints(trx, suspended, log);
  return { rows: writer.counts(), method: sink.method, indexesRebuilt, grants: writer.writtenTo(AUTO_GRANTS_TABLE) };
}

/**
 * Generates `customers` customers with their whole story for the demo org on `db` (the pack and the org must be
 * applied: see prepareDatabase). One transaction: on failure nothing is left behind. No audit history is written.
 */
export async function generateDemoData(db: Knex, options: DemoDataOptions): Promise<DemoDataSummary> {
  assertValidOptions(options);
  const seed = options.seed ?? 1;
  const model = compileModel(await loadStoredModel(db));
  const started = performance.now();
  const result = await db.transaction((trx) => generateInTransaction(trx, model, { ...options, seed }));
  const seconds = (performance.now() - started) / 1000;
  const totalRows = Object.values(result.rows).reduce((sum, rows) => sum + rows, 0);
  return { customers: options.customers, seed, ...result, totalRows, seconds, rowsPerSecond: totalRows / Math.max(seconds, 0.001) };
}

/** The summary as the command prints it: rows per object, totals and speed. */
export function formatSummary(summary: DemoDataSummary): string {
  const width = Math.max(...Object.keys(summary.rows).map((name) => name.length), 5);
  const lines = Object.entries(summary.rows)
    .sort((a, b) => b[1] - a[1])
    .map(([name, rows]) => `  ${name.padEnd(width)}  ${rows.toLocaleString("en").padStart(12)}`);
  return [
    `Demo data: ${summary.customers.toLocaleString("en")} customers (seed ${summary.seed}), written by ${summary.method === "copy" ? "COPY" : "batched INSERT … unnest()"}${summary.indexesRebuilt ? ", indexes rebuilt after the load" : ""}`,
    ...lines,
    `  ${"total".padEnd(width)}  ${summary.totalRows.toLocaleString("en").padStart(12)}`,
    `${summary.totalRows.toLocaleString("en")} rows in ${summary.seconds.toFixed(1)} s = ${Math.round(summary.rowsPerSecond).toLocaleString("en")} rows/s; ${summary.grants.toLocaleString("en")} automatic grants applied.`,
    "No audit history (sys.audit_log) was written for the generated records.",
  ].join("\n");
}
