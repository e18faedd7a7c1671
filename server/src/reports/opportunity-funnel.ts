// 商机漏斗: opportunities of the period per stage (in the stage options' order) with amounts, and the win rate.
//
// An opportunity belongs to the period of its expected close date, or of its registration day when it
// has none. The stages "won" and "lost" of the opportunity_stage option set are the closed outcomes:
// win rate = won / (won + lost), null while nothing in the period is closed.
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import { amount, narrowByOwnership, optionsOf, rate, scopedRows, withinPeriodDates, type ReportOption, type ReportScope } from "./base";
import type { ReportDefinition, ReportRow } from "./definition";
import { parametersSchema, type CommonParameters } from "./parameters";

export const WON_STAGE = "won";
export const LOST_STAGE = "lost";

export interface FunnelStage extends ReportOption {
  count: number;
  amount: number;
  weighted_amount: number;
}

export interface OpportunityFunnel {
  stages: FunnelStage[];
  totals: { count: number; amount: number; weighted_amount: number; won: number; lost: number; win_rate: number | null };
}

const COLUMNS = ["stage", "amount", "weighted_amount", "expected_close_date", "created_at"];

function query(scope: ReportScope, params: CommonParameters): Knex.QueryBuilder {
  const { db } = scope;
  const opportunities = scopedRows(scope, "opportunity", COLUMNS);
  // Without an expected close date, the registration day (a local day in the report's time zone) counts.
  withinPeriodDates(
    opportunities,
    { sql: "coalesce(??, (?? AT TIME ZONE ?)::date)", bindings: ["opportunity.expected_close_date", "opportunity.created_at", params.time_zone] },
    params,
  );
  narrowByOwnership(opportunities, scope, "opportunity", params);
  return db
    .from(opportunities.as("o"))
    .select(
      db.raw("GROUPING(??) AS stage_grouped", ["o.stage"]),
      "o.stage",
      db.raw("count(*) AS count"),
      db.raw("coalesce(sum(??), 0) AS amount", ["o.amount"]),
      db.raw("coalesce(sum(??), 0) AS weighted_amount", ["o.weighted_amount"]),
      db.raw("count(*) FILTER (WHERE ?? = ?) AS won", ["o.stage", WON_STAGE]),
      db.raw("count(*) FILTER (WHERE ?? = ?) AS lost", ["o.stage", LOST_STAGE]),
      db.raw("round(count(*) FILTER (WHERE ?? = ?)::numeric / NULLIF(count(*) FILTER (WHERE ?? IN (?, ?)), 0), 4) AS win_rate", [
        "o.stage",
        WON_STAGE,
        "o.stage",
        WON_STAGE,
        LOST_STAGE,
      ]),
    )
    .groupByRaw("GROUPING SETS ((??), ())", ["o.stage"]);
}

function present(rows: ReportRow[], { model }: { model: Model }): OpportunityFunnel {
  const options = optionsOf(model.objects.get("opportunity")!, "stage");
  const byStage = new Map(rows.filter((row) => Number(row.stage_grouped) === 0).map((row) => [row.stage as string | null, row]));
  const totalRow = rows.find((row) => Number(row.stage_grouped) === 1);
  // Stages no longer among the options (renamed in the studio) still count: listed after the known ones.
  const unknown = [...byStage.keys()].filter((stage) => !options.some((option) => option.value === stage));
  const stages = [...options, ...unknown.map((stage) => ({ value: stage ?? "", label: { "zh-CN": stage ?? "（空）", en: stage ?? "(none)" } }))];
  return {
    stages: stages.map((stage) => {
      const row = byStage.get(stage.value) ?? (stage.value === "" ? byStage.get(null) : undefined);
      return { ...stage, count: Number(row?.count ?? 0), amount: amount(row?.amount), weighted_amount: amount(row?.weighted_amount) };
    }),
    totals: {
      count: Number(totalRow?.count ?? 0),
      amount: amount(totalRow?.amount),
      weighted_amount: amount(totalRow?.weighted_amount),
      won: Number(totalRow?.won ?? 0),
      lost: Number(totalRow?.lost ?? 0),
      win_rate: rate(totalRow?.win_rate),
    },
  };
}

export const opportunityFunnel: ReportDefinition<CommonParameters, OpportunityFunnel> = {
  name: "opportunity_funnel",
  label: { "zh-CN": "商机漏斗", en: "Opportunity funnel" },
  description: {
    "zh-CN": "期间内（按预计成交日期）各阶段的商机数、预计金额、加权金额及赢单率（赢单 / (赢单 + 输单)）",
    en: "Opportunities in the period (by expected close date) per stage: count, amount, weighted amount, and the win rate won / (won + lost)",
  },
  reads: { opportunity: COLUMNS },
  filtered: "opportunity",
  parameters: parametersSchema(),
  query,
  present,
};
