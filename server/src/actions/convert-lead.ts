// 线索转换: a lead becomes a contact, a customer (new and potential, or an existing one) and / or an opportunity.
import type { ConvertLeadAction } from "@crm/metadata";
import { UUID_PATTERN } from "../registry/columns";
import { validationFailed } from "../errors/errors";
import { createRecords, fetchScopedRow, objectOf, updateRecord, type RecordsContext } from "../records/service";
import type { RecordValues } from "../records/computed-values";
import { mapFields } from "./field-mapping";
import type { ActionInterpreter, ActionRun, CreatedRecords } from "./crm-actions";

interface NewRecordChoice {
  /** Values that override (or add to) what the lead's mapping gives. */
  values?: RecordValues;
}

interface ConvertBody {
  /** A new customer ({} or { values }), or an existing one ({ id }). */
  customer?: NewRecordChoice & { id?: string };
  contact?: NewRecordChoice;
  opportunity?: NewRecordChoice;
}

const choice = { type: "object", properties: { values: { type: "object" } }, additionalProperties: false } as const;

const bodySchema = {
  type: "object",
  minProperties: 1,
  properties: {
    customer: {
      type: "object",
      properties: { id: { type: "string", pattern: UUID_PATTERN }, values: { type: "object" } },
      additionalProperties: false,
      not: { required: ["id", "values"] },
    },
    contact: choice,
    opportunity: choice,
  },
  additionalProperties: false,
} as const;

/** The lead keeps a link to each record it became; they keep `source_lead_id` when they have it. */
const LEAD_LINKS = { customer: "converted_customer_id", contact: "converted_contact_id", opportunity: "converted_opportunity_id" } as const;
const SOURCE_LEAD_FIELD = "source_lead_id";

/** Creates one record as the user (create permission, field masks, validation, duplicate rules, audit); errors point into the body. */
async function createAs(context: RecordsContext, input: { object: string; values: RecordValues; path: string }): Promise<RecordValues> {
  const [record] = await createRecords(context, input.object, [input.values], () => input.path);
  return record;
}

async function existingCustomer(context: RecordsContext, id: string): Promise<string> {
  const customer = objectOf(context.model, "customer");
  const found = await fetchScopedRow(context, { object: customer, id, action: "view", columns: ["id"] });
  if (!found) {
    throw validationFailed([{ path: "/customer/id", message: { "zh-CN": `客户不存在: ${id}`, en: `The customer does not exist: ${id}` } }]);
  }
  return id;
}

async function run(input: ActionRun<ConvertLeadAction, ConvertBody>): Promise<CreatedRecords> {
  const { context, action, record: lead, body } = input;
  if ((body.contact || body.opportunity) && !body.customer) {
    throw validationFailed([
      { path: "/customer", message: { "zh-CN": "转换为联系人或商机时必须选择或新建客户", en: "Converting to a contact or an opportunity needs a new or an existing customer" } },
    ]);
  }
  const withLeadLink = (object: string, values: RecordValues) =>
    objectOf(context.model, object).columnByName.has(SOURCE_LEAD_FIELD) ? { [SOURCE_LEAD_FIELD]: lead.id, ...values } : values;
  const created: CreatedRecords = {};
  let customerId: string | undefined;
  if (body.customer?.id) {
    customerId = await existingCustomer(context, body.customer.id);
  } else if (body.customer) {
    const values = withLeadLink("customer", { ...mapFields(action.customerFields, lead), ...body.customer.values });
    created.customer = await createAs(context, { object: "customer", values, path: "/customer/values" });
    customerId = created.customer.id as string;
  }
  if (body.contact) {
    const values = { ...mapFields(action.contactFields, lead), customer_id: customerId, ...body.contact.values };
    created.contact = await createAs(context, { object: "contact", values, path: "/contact/values" });
  }
  if (body.opportunity) {
    const contactId = created.contact?.id;
    const values = withLeadLink("opportunity", {
      ...mapFields(action.opportunityFields, lead),
      customer_id: customerId,
      ...(contactId ? { contact_id: contactId } : {}),
      ...body.opportunity.values,
    });
    created.opportunity = await createAs(context, { object: "opportunity", values, path: "/opportunity/values" });
  }
  await updateRecord(context, input.object.name, lead.id as string, {
    version: lead.version,
    status: "converted",
    converted_at: new Date().toISOString(),
    [LEAD_LINKS.customer]: customerId ?? null,
    [LEAD_LINKS.contact]: (created.contact?.id as string | undefined) ?? null,
    [LEAD_LINKS.opportunity]: (created.opportunity?.id as string | undefined) ?? null,
  });
  return created;
}

export const convertLead: ActionInterpreter = { bodySchema, run };
