// Turns a report answer into an echarts option and the tables of figures (pure; the screen only renders them).
import type { Locale } from "../../i18n/locale";
import type { LocalizedText } from "../../api/types";
import { REPORT_TEXT, type ReportTextKey } from "./report-messages";
import type { ActivitySummary, CustomerValuePyramid, LeadSourceConversion, OpportunityFunnel, ReportAnswer } from "./report-types";

export type CellFormat = "text" | "count" | "amount" | "rate";

export interface FigureColumn {
  key: string;
  title: string;
  format: CellFormat;
}

export interface FigureTable {
  key: string;
  title: string;
  columns: FigureColumn[];
  rows: Record<string, unknown>[];
  totals: Record<string, unknown>;
}

export interface ReportFigures {
  /** echarts option (plain data: the chart library is loaded only when it is drawn). */
  chart: Record<string, unknown>;
  tables: FigureTable[];
  /** Headline figures shown above the chart. */
  highlights: { title: string; value: unknown; format: CellFormat }[];
}

type Text = (key: ReportTextKey) => string;

export function formatCell(value: unknown, format: CellFormat, locale: Locale): string {
  if (value === null || value === undefined) return "—";
  if (format === "text") return String(value);
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  if (format === "rate") return `${(number * 100).toLocaleString(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`;
  if (format === "amount") return `¥${number.toLocaleString(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return number.toLocaleString(locale);
}

const column = (key: string, title: string, format: CellFormat = "count"): FigureColumn => ({ key, title, format });
const label = (text: LocalizedText, locale: Locale) => text[locale] ?? text["zh-CN"];
const TOOLTIP_AXIS = { trigger: "axis", axisPointer: { type: "shadow" } };

function activityFigures(answer: ActivitySummary, locale: Locale, t: Text): ReportFigures {
  const statusColumns = answer.statuses.map((status, index) => column(`status_${index}`, label(status.label, locale)));
  const counts = (row: { total: number; by_status: Record<string, number> }) => ({
    total: row.total,
    ...Object.fromEntries(answer.statuses.map((status, index) => [`status_${index}`, row.by_status[status.value] ?? 0])),
  });
  const employees = answer.employees.map((row) => ({ key: row.employee_id ?? "", name: row.employee_name ?? t("unnamed"), ...counts(row) }));
  const departments = answer.departments.map((row) => ({ key: row.department_id ?? "", name: row.department_name ?? t("unnamed"), ...counts(row) }));
  return {
    chart: {
      tooltip: TOOLTIP_AXIS,
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: employees.map((row) => row.name), axisLabel: { interval: 0, rotate: employees.length > 8 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: answer.statuses.map((status, index) => ({
        name: label(status.label, locale),
        type: "bar",
        stack: "total",
        data: employees.map((row) => (row as Record<string, unknown>)[`status_${index}`]),
      })),
    },
    tables: [
      { key: "employees", title: t("byEmployee"), columns: [column("name", t("employee"), "text"), column("total", t("total")), ...statusColumns], rows: employees, totals: { name: t("total"), ...counts(answer.totals) } },
      { key: "departments", title: t("byDepartment"), columns: [column("name", t("department"), "text"), column("total", t("total")), ...statusColumns], rows: departments, totals: { name: t("total"), ...counts(answer.totals) } },
    ],
    highlights: [{ title: t("total"), value: answer.totals.total, format: "count" }],
  };
}

function pyramidFigures(answer: CustomerValuePyramid, locale: Locale, t: Text): ReportFigures {
  const rows = answer.bands.map((band) => ({ key: band.band, name: label(band.label, locale), customers: band.customers, revenue: band.revenue, share: band.share }));
  return {
    // A pyramid: the few key customers on top, the many occasional ones at the base.
    chart: {
      tooltip: { trigger: "item" },
      legend: { top: 0 },
      series: [
        {
          name: t("customers"),
          type: "funnel",
          sort: "ascending",
          top: 36,
          bottom: 8,
          minSize: "10%",
          label: { show: true, position: "inside", formatter: "{b}: {c}" },
          data: rows.map((row, index) => ({ name: row.name, value: row.customers, itemStyle: { opacity: 1 - index * 0.12 } })),
        },
      ],
    },
    tables: [
      {
        key: "bands",
        title: t("band"),
        columns: [column("name", t("band"), "text"), column("customers", t("customers")), column("revenue", t("revenue"), "amount"), column("share", t("share"), "rate")],
        rows,
        totals: { name: t("total"), customers: answer.totals.customers, revenue: answer.totals.revenue, share: answer.totals.revenue > 0 ? 1 : null },
      },
    ],
    highlights: [
      { title: t("customers"), value: answer.totals.customers, format: "count" },
      { title: t("revenue"), value: answer.totals.revenue, format: "amount" },
    ],
  };
}

function funnelFigures(answer: OpportunityFunnel, locale: Locale, t: Text): ReportFigures {
  const rows = answer.stages.map((stage) => ({ key: stage.value, name: label(stage.label, locale), count: stage.count, amount: stage.amount, weighted_amount: stage.weighted_amount }));
  return {
    chart: {
      tooltip: { trigger: "item" },
      legend: { top: 0 },
      series: [
        {
          name: t("opportunities"),
          type: "funnel",
          sort: "none",
          top: 36,
          bottom: 8,
          minSize: "8%",
          label: { show: true, position: "inside", formatter: "{b}: {c}" },
          data: rows.map((row) => ({ name: row.name, value: row.count })),
        },
      ],
    },
    tables: [
      {
        key: "stages",
        title: t("stage"),
        columns: [column("name", t("stage"), "text"), column("count", t("opportunities")), column("amount", t("amount"), "amount"), column("weighted_amount", t("weightedAmount"), "amount")],
        rows,
        totals: { name: t("total"), count: answer.totals.count, amount: answer.totals.amount, weighted_amount: answer.totals.weighted_amount },
      },
    ],
    highlights: [
      { title: t("opportunities"), value: answer.totals.count, format: "count" },
      { title: t("won"), value: answer.totals.won, format: "count" },
      { title: t("lost"), value: answer.totals.lost, format: "count" },
      { title: t("winRate"), value: answer.totals.win_rate, format: "rate" },
    ],
  };
}

function leadFigures(answer: LeadSourceConversion, locale: Locale, t: Text): ReportFigures {
  const rows = answer.sources.map((source) => ({
    key: source.value,
    name: label(source.label, locale),
    leads: source.leads,
    converted: source.converted,
    conversion_rate: source.conversion_rate,
    to_customers: source.to_customers,
    to_opportunities: source.to_opportunities,
  }));
  return {
    chart: {
      tooltip: TOOLTIP_AXIS,
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: rows.map((row) => row.name) },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      ],
      series: [
        { name: t("leads"), type: "bar", data: rows.map((row) => row.leads) },
        { name: t("converted"), type: "bar", data: rows.map((row) => row.converted) },
        { name: t("conversionRate"), type: "line", yAxisIndex: 1, data: rows.map((row) => (row.conversion_rate === null ? null : Math.round(row.conversion_rate * 1000) / 10)) },
      ],
    },
    tables: [
      {
        key: "sources",
        title: t("source"),
        columns: [
          column("name", t("source"), "text"),
          column("leads", t("leads")),
          column("converted", t("converted")),
          column("conversion_rate", t("conversionRate"), "rate"),
          column("to_customers", t("toCustomers")),
          column("to_opportunities", t("toOpportunities")),
        ],
        rows,
        totals: { name: t("total"), ...answer.totals },
      },
    ],
    highlights: [
      { title: t("leads"), value: answer.totals.leads, format: "count" },
      { title: t("conversionRate"), value: answer.totals.conversion_rate, format: "rate" },
    ],
  };
}

/** The chart and tables of a report answer; null for a report this screen does not know. */
export function reportFigures(answer: ReportAnswer, locale: Locale): ReportFigures | null {
  const t: Text = (key) => REPORT_TEXT[key][locale];
  switch (answer.report) {
    case "activity_summary":
      return activityFigures(answer, locale, t);
    case "customer_value_pyramid":
      return pyramidFigures(answer, locale, t);
    case "opportunity_funnel":
      return funnelFigures(answer, locale, t);
    case "lead_source_conversion":
      return leadFigures(answer, locale, t);
    default:
      return null;
  }
}
