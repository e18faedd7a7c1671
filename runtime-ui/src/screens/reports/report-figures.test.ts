// Report answers → chart options and tables of figures, per report, in both languages.
import { describe, expect, it } from "vitest";
import { formatCell, reportFigures } from "./report-figures";
import type { ActivitySummary, CustomerValuePyramid, LeadSourceConversion, OpportunityFunnel, ReportAnswer } from "./report-types";
import { reportQuery } from "./report-api";

const l = (zh: string, en: string) => ({ "zh-CN": zh, en });

const activity: ActivitySummary = {
  report: "activity_summary",
  statuses: [
    { value: "not_started", label: l("未开始", "Not started") },
    { value: "completed", label: l("已完成", "Completed") },
  ],
  employees: [
    { employee_id: "e1", employee_name: "王磊", total: 3, by_status: { not_started: 1, completed: 2 } },
    { employee_id: null, employee_name: null, total: 1, by_status: { not_started: 1, completed: 0 } },
  ],
  departments: [{ department_id: "d1", department_name: "上海总部", total: 4, by_status: { not_started: 2, completed: 2 } }],
  totals: { total: 4, by_status: { not_started: 2, completed: 2 } },
};

describe("activity summary", () => {
  it("stacks a bar per status over the employees and tabulates employees and departments", () => {
    const figures = reportFigures(activity, "zh-CN")!;
    expect(figures.chart.xAxis).toMatchObject({ type: "category", data: ["王磊", "（未指定）"] });
    expect(figures.chart.series).toEqual([
      { name: "未开始", type: "bar", stack: "total", data: [1, 1] },
      { name: "已完成", type: "bar", stack: "total", data: [2, 0] },
    ]);
    const [employees, departments] = figures.tables;
    expect(employees.columns.map((column) => column.title)).toEqual(["员工", "合计", "未开始", "已完成"]);
    expect(employees.rows[0]).toEqual({ key: "e1", name: "王磊", total: 3, status_0: 1, status_1: 2 });
    expect(employees.totals).toEqual({ name: "合计", total: 4, status_0: 2, status_1: 2 });
    expect(departments.rows).toEqual([{ key: "d1", name: "上海总部", total: 4, status_0: 2, status_1: 2 }]);
    expect(reportFigures(activity, "en")!.tables[0].columns.map((column) => column.title)).toEqual(["Employee", "Total", "Not started", "Completed"]);
  });
});

describe("customer value pyramid", () => {
  const pyramid: CustomerValuePyramid = {
    report: "customer_value_pyramid",
    bands: [
      { band: "key", label: l("关键客户", "Key customers"), customers: 2, revenue: 500, share: 0.5 },
      { band: "minor", label: l("零散客户", "Occasional customers"), customers: 20, revenue: 50, share: 0.05 },
    ],
    totals: { customers: 22, revenue: 1000 },
  };

  it("draws an ascending funnel (a pyramid) of customers per band", () => {
    const figures = reportFigures(pyramid, "en")!;
    const [series] = figures.chart.series as { type: string; sort: string; data: { name: string; value: number }[] }[];
    expect(series.type).toBe("funnel");
    expect(series.sort).toBe("ascending");
    expect(series.data.map((item) => [item.name, item.value])).toEqual([
      ["Key customers", 2],
      ["Occasional customers", 20],
    ]);
    expect(figures.tables[0].rows[0]).toEqual({ key: "key", name: "Key customers", customers: 2, revenue: 500, share: 0.5 });
    expect(figures.tables[0].totals.share).toBe(1);
  });
});

describe("opportunity funnel", () => {
  const funnel: OpportunityFunnel = {
    report: "opportunity_funnel",
    stages: [
      { value: "initial", label: l("初步接洽", "Initial"), count: 5, amount: 1000, weighted_amount: 100 },
      { value: "won", label: l("赢单", "Won"), count: 2, amount: 400, weighted_amount: 400 },
    ],
    totals: { count: 7, amount: 1400, weighted_amount: 500, won: 2, lost: 2, win_rate: 0.5 },
  };

  it("keeps the stages' order in the funnel and shows the win rate", () => {
    const figures = reportFigures(funnel, "zh-CN")!;
    const [series] = figures.chart.series as { sort: string; data: { name: string; value: number }[] }[];
    expect(series.sort).toBe("none");
    expect(series.data).toEqual([
      { name: "初步接洽", value: 5 },
      { name: "赢单", value: 2 },
    ]);
    expect(figures.highlights.find((highlight) => highlight.title === "赢单率")).toEqual({ title: "赢单率", value: 0.5, format: "rate" });
    expect(figures.tables[0].totals).toEqual({ name: "合计", count: 7, amount: 1400, weighted_amount: 500 });
  });
});

describe("lead sources", () => {
  const leads: LeadSourceConversion = {
    report: "lead_source_conversion",
    sources: [
      { value: "exhibition", label: l("展会", "Exhibition"), leads: 4, converted: 1, conversion_rate: 0.25, to_customers: 1, to_opportunities: 0 },
      { value: "", label: l("未填写来源", "No source"), leads: 0, converted: 0, conversion_rate: null, to_customers: 0, to_opportunities: 0 },
    ],
    totals: { leads: 4, converted: 1, conversion_rate: 0.25, to_customers: 1, to_opportunities: 0 },
  };

  it("draws leads and conversions as bars and the rate as a line in percent", () => {
    const figures = reportFigures(leads, "zh-CN")!;
    const series = figures.chart.series as { type: string; data: unknown[]; yAxisIndex?: number }[];
    expect(series.map((item) => item.type)).toEqual(["bar", "bar", "line"]);
    expect(series[2]).toMatchObject({ yAxisIndex: 1, data: [25, null] });
    expect(figures.tables[0].rows[1]).toMatchObject({ key: "", name: "未填写来源", conversion_rate: null });
  });
});

describe("cells and queries", () => {
  it("formats counts, amounts and rates per language", () => {
    expect(formatCell(1234, "count", "en")).toBe("1,234");
    expect(formatCell(1234.5, "amount", "zh-CN")).toBe("¥1,234.50");
    expect(formatCell(0.256, "rate", "en")).toBe("25.6%");
    expect(formatCell(null, "rate", "en")).toBe("—");
    expect(formatCell("王磊", "text", "zh-CN")).toBe("王磊");
  });

  it("knows nothing of unknown reports", () => {
    expect(reportFigures({ report: "something_else" } as unknown as ReportAnswer, "en")).toBeNull();
  });

  it("leaves empty parameters out of the query string", () => {
    expect(reportQuery({ from: "2026-03-01", to: undefined, department_id: "", include_subdepartments: false })).toBe("?from=2026-03-01&include_subdepartments=false");
    expect(reportQuery({})).toBe("");
  });
});
