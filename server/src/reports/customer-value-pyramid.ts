// 客户价值金字塔: customers ranked by sales in the period into 关键 / 主要 / 普通 / 零散 bands.
//
// The source document names the four bands but gives no rule, so the bands are ABC-style shares of
// cumulative revenue: ranked by revenue (highest first), a customer is 关键 while the revenue of the
// customers ranked above it is under key_share of the total (the customers making the first 50%),
// 主要 under key_share + major_share (the next 30%), 普通 under key + major + normal (the next 15%),
// else 零散, as is every customer without sales in the period. Ties rank by id, so a band edge is stable.
import type { Knex } from "knex";
import type { LocalizedText } from "@crm/metadata";
import type { Model } from "../registry/model";
import type { ErrorDetail } from "../errors/errors";
import { amount, narrowByOwnership, optionsOf, rate, scopedRows, withinPeriodDates, type ReportScope } from "./base";
import type { ReportDefinition, ReportRow } from "./definition";
import { parametersSchema, type CommonParameters } from "./parameters";

export interface PyramidParameters extends CommonParameters {
  key_share: number;
  major_share: number;
  normal_share: number;
}

export const BANDS = ["key", "major", "normal", "minor"] as const;
export type Band = (typeof BANDS)[number];

export interface PyramidBand {
  band: Band;
  label: LocalizedText;
  customers: number;
  revenue: number;
  /** The band's revenue over all revenue in the report, 0–1 (4 decimals); null when there is no revenue. */
  share: number | null;
}

export interface CustomerValuePyramid {
  bands: PyramidBand[];
  totals: { customers: number; revenue: number };
  thresholds: { key_share: number; major_share: number; normal_share: number };
}

const FALLBACK_LABELS: Record<Band, LocalizedText> = {
  key: { "zh-CN": "关键客户", en: "Key customers" },
  major: { "zh-CN": "主要客户", en: "Major customers" },
  normal: { "zh-CN": "普通客户", en: "Normal customers" },
  minor: { "zh-CN": "零散客户", en: "Occasional customers" },
};

const share = (zh: string, en: string, fallback: number) => ({ type: "number", exclusiveMinimum: 0, maximum: 1, default: fallback, description: `${zh} / ${en}` });

function check(params: PyramidParameters): ErrorDetail[] {
  if (params.key_share + params.major_share + params.normal_share <= 1 + 1e-9) return [];
  return [{ path: "/normal_share", message: { "zh-CN": "关键、主要、普通客户的收入占比之和不能超过 1", en: "key_share + major_share + normal_share must not exceed 1" } }];
}

function query(scope: ReportScope, params: PyramidParameters): Knex.QueryBuilder {
  const { db } = scope;
  const customers = narrowByOwnership(scopedRows(scope, "customer", ["id"]), scope, "customer", params);
  const orders = withinPeriodDates(scopedRows(scope, "sales_order", ["customer_id", "total_amount"]), { sql: "??", bindings: ["sales_order.order_date"] }, params);
  const sales = db
    .from(customers.as("c"))
    .leftJoin(orders.as("o"), "o.customer_id", "c.id")
    .groupBy("c.id")
    .select("c.id", db.raw("coalesce(sum(??), 0) AS revenue", ["o.total_amount"]));
  const ranked = db.from(sales.as("s")).select(
    "s.id",
    "s.revenue",
    db.raw("coalesce(sum(??) OVER (ORDER BY ?? DESC, ?? ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS ranked_above", ["s.revenue", "s.revenue", "s.id"]),
    db.raw("sum(??) OVER () AS total", ["s.revenue"]),
  );
  // The edges are summed as numeric in SQL: 0.8 + 0.15 in floating point is not 0.95.
  const { key_share: key, major_share: major, normal_share: normal } = params;
  const banded = db.from(ranked.as("r")).select(
    "r.revenue",
    "r.total",
    db.raw(
      `CASE WHEN r.revenue <= 0 THEN 'minor'
            WHEN r.ranked_above < ?::numeric * r.total THEN 'key'
            WHEN r.ranked_above < (?::numeric + ?::numeric) * r.total THEN 'major'
            WHEN r.ranked_above < (?::numeric + ?::numeric + ?::numeric) * r.total THEN 'normal'
            ELSE 'minor' END AS band`,
      [key, key, major, key, major, normal],
    ),
  );
  return db
    .from(banded.as("b"))
    .select(
      db.raw("GROUPING(??) AS band_grouped", ["b.band"]),
      "b.band",
      db.raw("count(*) AS customers"),
      db.raw("coalesce(sum(??), 0) AS revenue", ["b.revenue"]),
      db.raw("round(sum(??) / NULLIF(max(??), 0), 4) AS share", ["b.revenue", "b.total"]),
    )
    .groupByRaw("GROUPING SETS ((??), ())", ["b.band"]);
}

function present(rows: ReportRow[], { model, params }: { model: Model; params: PyramidParameters }): CustomerValuePyramid {
  const labels = new Map(model.objects.get("customer") ? optionsOf(model.objects.get("customer")!, "category").map((option) => [option.value, option.label]) : []);
  const bandRows = new Map(rows.filter((row) => Number(row.band_grouped) === 0).map((row) => [row.band as Band, row]));
  const totalRow = rows.find((row) => Number(row.band_grouped) === 1);
  const totalRevenue = amount(totalRow?.revenue);
  return {
    // Every band is listed, empty ones with zeros, so a pyramid always has its four layers.
    bands: BANDS.map((band) => {
      const row = bandRows.get(band);
      return {
        band,
        label: labels.get(band) ?? FALLBACK_LABELS[band],
        customers: Number(row?.customers ?? 0),
        revenue: amount(row?.revenue),
        share: totalRevenue > 0 ? (rate(row?.share) ?? 0) : null,
      };
    }),
    totals: { customers: Number(totalRow?.customers ?? 0), revenue: totalRevenue },
    thresholds: { key_share: params.key_share, major_share: params.major_share, normal_share: params.normal_share },
  };
}

export const customerValuePyramid: ReportDefinition<PyramidParameters, CustomerValuePyramid> = {
  name: "customer_value_pyramid",
  label: { "zh-CN": "客户价值金字塔", en: "Customer value pyramid" },
  description: {
    "zh-CN": "按期间内销售订单金额给客户排名，按累计收入占比分为关键（前 50%）、主要（其后 30%）、普通（其后 15%）、零散（其余及无销售）客户",
    en: "Customers ranked by sales order amounts in the period, banded by cumulative revenue share: key (first 50%), major (next 30%), normal (next 15%), occasional (the rest and customers without sales)",
  },
  reads: { customer: ["id"], sales_order: ["customer_id", "total_amount", "order_date"] },
  filtered: "customer",
  parameters: parametersSchema({
    key_share: share("关键客户收入占比", "revenue share of key customers", 0.5),
    major_share: share("主要客户收入占比", "revenue share of major customers", 0.3),
    normal_share: share("普通客户收入占比", "revenue share of normal customers", 0.15),
  }),
  check,
  query,
  present,
};
