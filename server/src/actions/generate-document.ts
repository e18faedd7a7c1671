// 生成单据: a quote, order or contract from an opportunity or a quote — header and lines copied, prices filled,
// and a potential customer made formal when the declaration says so.
import type { GenerateDocumentAction } from "@crm/metadata";
import type { CompiledObject } from "../registry/model";
import { createRecords, objectOf } from "../records/service";
import type { RecordValues } from "../records/computed-values";
import { commonFieldMapping, fitToScale, mapFields, today } from "./field-mapping";
import { ITEM_FIELD, PRICE_FIELD, resolvePrice } from "./prices";
import { writeAsSystem } from "./system-writes";
import type { ActionInterpreter, ActionRun, CreatedRecords } from "./crm-actions";

interface GenerateBody {
  /** Header values that override the mapped ones (e.g. a delivery date). */
  values?: RecordValues;
  /** Lines to use instead of the source's (needed when the source has no lines, like an opportunity). */
  lines?: RecordValues[];
}

const bodySchema = {
  type: "object",
  properties: {
    values: { type: "object" },
    lines: { type: "array", maxItems: 1000, items: { type: "object" } },
  },
  additionalProperties: false,
} as const;

/** DESIGN: customer.status is potential | formal; generating an order or contract moves the first to the second. */
const CUSTOMER_STATUS = { field: "status", potential: "potential", formal: "formal" } as const;

/** The source's live lines in their order, mapped onto the target's line fields. */
async function copiedLines(run: ActionRun<GenerateDocumentAction, GenerateBody>, target: CompiledObject): Promise<RecordValues[]> {
  const copy = run.action.lines;
  if (!copy?.from) return [];
  const sourceChild = objectOf(run.context.model, run.object.children.get(copy.from)!);
  const targetChild = objectOf(run.context.model, target.children.get(copy.to)!);
  const mapping = copy.fields ?? commonFieldMapping(sourceChild.definition.fields, targetChild.definition.fields);
  const rows: RecordValues[] = await run.trx(sourceChild.name)
    .select(sourceChild.readColumns)
    .where({ parent_id: run.record.id })
    .whereNull("deleted_at")
    .orderBy([{ column: "line_no" }, { column: "id" }]);
  return rows.map((row) => fitToScale(targetChild.definition.fields, mapFields(mapping, row)));
}

/** Lines without a unit price get the best price valid on the document date, as the user may see it. */
async function fillPrices(run: ActionRun<GenerateDocumentAction, GenerateBody>, input: { header: RecordValues; lines: RecordValues[]; lineObject: CompiledObject; date: string }): Promise<RecordValues[]> {
  if (!input.lineObject.columnByName.has(PRICE_FIELD)) return input.lines;
  // The salesperson's price is the one of the salesperson responsible for the source record.
  const salespersonId = (run.record.owner_id as string | undefined) ?? run.context.actor.employeeId;
  const filled: RecordValues[] = [];
  for (const line of input.lines) {
    const missing = line[PRICE_FIELD] === undefined || line[PRICE_FIELD] === null;
    if (!missing || typeof line[ITEM_FIELD] !== "string") {
      filled.push(line);
      continue;
    }
    const price = await resolvePrice(
      { db: run.trx, model: run.context.model, access: run.context.access },
      { inventoryId: line[ITEM_FIELD] as string, customerId: input.header.customer_id as string | undefined, salespersonId, date: input.date },
    );
    filled.push(price.unitPrice === null ? line : { ...line, [PRICE_FIELD]: price.unitPrice });
  }
  return filled;
}

async function makeCustomerFormal(run: ActionRun<GenerateDocumentAction, GenerateBody>, customerId: unknown): Promise<void> {
  const customer = run.context.model.objects.get("customer");
  if (!customer || typeof customerId !== "string") return;
  const row = await run.trx("customer").where({ id: customerId }).whereNull("deleted_at").forUpdate().first("id", CUSTOMER_STATUS.field);
  if (row?.[CUSTOMER_STATUS.field] !== CUSTOMER_STATUS.potential) return;
  // Whoever may generate the document makes the customer formal, even without the right to edit customers.
  await writeAsSystem(run.trx, {
    actor: run.context.actor,
    object: customer,
    writes: [{ id: customerId, values: { [CUSTOMER_STATUS.field]: CUSTOMER_STATUS.formal } }],
    reason: { action: run.action.name, object: run.object.name, record: run.record.id },
  });
}

async function run(input: ActionRun<GenerateDocumentAction, GenerateBody>): Promise<CreatedRecords> {
  const { action, record, body, context } = input;
  const target = objectOf(context.model, action.target);
  const header: RecordValues = { ...fitToScale(target.definition.fields, mapFields(action.fields, record)), ...(action.sourceField ? { [action.sourceField]: record.id } : {}), ...body.values };
  if (action.dateField && (header[action.dateField] === undefined || header[action.dateField] === null)) header[action.dateField] = today();
  const date = (action.dateField ? (header[action.dateField] as string) : undefined) ?? today();
  if (action.lines) {
    const lineObject = objectOf(context.model, target.children.get(action.lines.to)!);
    const lines = body.lines ?? (await copiedLines(input, target));
    header[action.lines.to] = await fillPrices(input, { header, lines, lineObject, date: String(date).slice(0, 10) });
  }
  const [document] = await createRecords(context, target.name, [header], () => "");
  if (action.makeCustomerFormal) await makeCustomerFormal(input, document.customer_id ?? header.customer_id);
  return { [target.name]: document };
}

export const generateDocument: ActionInterpreter = { bodySchema, run };
