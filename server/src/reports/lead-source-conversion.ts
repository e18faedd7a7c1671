// 线索来源与转化分析: leads created in the period per source, how many were converted, and into what.
//
// A lead counts as converted when it is marked converted or links to the customer, contact or opportunity
// it became (the convert action sets both; data imported from elsewhere may carry only one of them).
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import { narrowByOwnership, optionsOf, rate, scopedRows, withinPeriodTimestamps, type ReportOption, type ReportScope } from "./base";
import type { ReportDefinition, ReportRow } from "./definition";
import { parametersSchema, type CommonParameters } from "./parameters";

export const CONVERTED_STATUS = "converted";

export interface ConversionCounts {
  leads: number;
  converted: number;
  /** converted / leads, 0–1 (4 decimals); null without leads. */
  conversion_rate: number | null;
  to_customers: number;
  to_opportunities: number;
}

export interface LeadSourceConversion {
  sources: (ReportOption & ConversionCounts)[];
  totals: ConversionCounts;
}

const COLUMNS = ["source", "status", "converted_customer_id", "converted_contact_id", "converted_opportunity_id", "created_at"];

/** The bucket of leads without a source: listed last, only when there are some. */
export const NO_SOURCE: ReportOption = { value: "", label: { "zh-CN": "未填写来源", en: "No source" } };

function query(scope: ReportScope, params: CommonParameters): Knex.QueryBuilder {
  const { db } = scope;
  const leads = withinPeriodTimestamps(scopedRows(scope, "lead", COLUMNS), { sql: "??", bindings: ["lead.created_at"] }, params);
  narrowByOwnership(leads, scope, "lead", params);
  const converted = db.raw("(?? = ? OR ?? IS NOT NULL OR ?? IS NOT NULL OR ?? IS NOT NULL)", [
    "l.status",
    CONVERTED_STATUS,
    "l.converted_customer_id",
    "l.converted_contact_id",
    "l.converted_opportunity_id",
  ]);
  return db
    .from(leads.as("l"))
    .select(
      db.raw("GROUPING(??) AS source_grouped", ["l.source"]),
      "l.source",
      db.raw("count(*) AS leads"),
      db.raw("count(*) FILTER (WHERE ?) AS converted", [converted]),
      db.raw("round(count(*) FILTER (WHERE ?)::numeric / NULLIF(count(*), 0), 4) AS conversion_rate", [converted]),
      db.raw("count(*) FILTER (WHERE ?? IS NOT NULL) AS to_customers", ["l.converted_customer_id"]),
      db.raw("count(*) FILTER (WHERE ?? IS NOT NULL) AS to_opportunities", ["l.converted_opportunity_id"]),
    )
    .groupByRaw("GROUPING SETS ((??), ())", ["l.source"]);
}

function present(rows: ReportRow[], { model }: { model: Model }): LeadSourceConversion {
  const counts = (row: ReportRow | undefined): ConversionCounts => ({
    leads: Number(row?.leads ?? 0),
    converted: Number(row?.converted ?? 0),
    conversion_rate: rate(row?.conversion_rate),
    to_customers: Number(row?.to_customers ?? 0),
    to_opportunities: Number(row?.to_opportunities ?? 0),
  });
  const options = optionsOf(model.objects.get("lead")!, "source");
  const bySource = new Map(rows.filter((row) => Number(row.source_grouped) === 0).map((row) => [(row.source as string | null) ?? "", row]));
  const unknown = [...bySource.keys()].filter((value) => value !== "" && !options.some((option) => option.value === value));
  const listed: ReportOption[] = [
    ...options,
    ...unknown.map((value) => ({ value, label: { "zh-CN": value, en: value } })),
    ...(bySource.has("") ? [NO_SOURCE] : []),
  ];
  return {
    sources: listed.map((option) => ({ ...option, ...counts(bySource.get(option.value)) })),
    totals: counts(rows.find((row) => Number(row.source_grouped) === 1)),
  };
}

export const leadSourceConversion: ReportDefinition<CommonParameters, LeadSourceConversion> = {
  name: "lead_source_conversion",
  label: { "zh-CN": "线索来源与转化", en: "Lead sources and conversion" },
  description: {
    "zh-CN": "期间内新建的线索按来源统计：线索数、已转化数、转化率，以及转为客户、商机的线索数",
    en: "Leads created in the period per source: leads, converted leads, conversion rate, and leads converted into customers and opportunities",
  },
  reads: { lead: COLUMNS },
  filtered: "lead",
  parameters: parametersSchema(),
  query,
  present,
};
