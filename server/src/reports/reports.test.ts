// The report registry and the pure shaping of aggregated rows, over the compiled standard + distribution model.
import { beforeAll, describe, expect, it } from "vitest";
import type { Knex } from "knex";
import { loadPackFolder, standardPackDir } from "@crm/metadata/load";
import { distributionPackDir } from "@crm/seeds";
import { compileModel, type Model } from "../registry/model";
import { rolesOf, type AccessContext } from "../access/context";
import { SYSTEM_ACTOR } from "../auth/actor";
import { AppError } from "../errors/errors";
import { unrestrictedAccess } from "../records/access-guard";
import { assertReadable, fieldsRead, readProblem, type ReportScope } from "./base";
import { listReports } from "./registry";
import { customerValuePyramid } from "./customer-value-pyramid";
import { opportunityFunnel } from "./opportunity-funnel";
import { leadSourceConversion } from "./lead-source-conversion";
import { activitySummary } from "./activity-summary";
import { parseParameters, type CommonParameters } from "./parameters";

let model: Model;

beforeAll(async () => {
  const [standard, distribution] = await Promise.all([loadPackFolder(standardPackDir), loadPackFolder(distributionPackDir)]);
  model = compileModel({
    version: 1,
    objects: [...standard.objects, ...distribution.objects],
    optionSets: [...standard.optionSets, ...distribution.optionSets],
    roles: [...(standard.roles ?? []), ...(distribution.roles ?? [])],
  });
});

/** Listing and checks never touch the database: a scope without one is enough. */
const scopeOf = (roles: string[]): ReportScope => {
  const access: AccessContext = { ...unrestrictedAccess(SYSTEM_ACTOR), unrestricted: false, roles: rolesOf(model, roles) };
  return { db: undefined as unknown as Knex, model, access };
};
const names = (scope: ReportScope) => listReports(scope).map((report) => report.name);
const defaults = (schema: Record<string, unknown>, query: Record<string, unknown> = {}) => parseParameters<CommonParameters>(schema, query);

describe("which reports a user may run", () => {
  it("follows the view permission on every base object", () => {
    expect(names({ ...scopeOf([]), access: unrestrictedAccess(SYSTEM_ACTOR) })).toEqual(["activity_summary", "customer_value_pyramid", "opportunity_funnel", "lead_source_conversion"]);
    expect(names(scopeOf(["sales_rep"]))).toEqual(["activity_summary", "customer_value_pyramid", "opportunity_funnel", "lead_source_conversion"]);
    expect(names(scopeOf(["customer_service"]))).toEqual(["activity_summary"]);
    expect(names(scopeOf([]))).toEqual([]);
  });

  it("leaves out a report whose field is hidden, and refuses it naming the field", () => {
    const scope = scopeOf(["sales_rep"]);
    const salesRep = scope.access.roles[0];
    const hiding = { ...salesRep, fields: { lead: { source: "hidden" as const } } };
    const hidden: ReportScope = { ...scope, access: { ...scope.access, roles: [hiding] } };
    expect(readProblem(hidden, leadSourceConversion.reads)).toBe("hidden");
    expect(names(hidden)).not.toContain("lead_source_conversion");
    expect(() => assertReadable(hidden, leadSourceConversion.reads)).toThrow(
      expect.objectContaining({ code: "FIELD_HIDDEN", status: 403, details: [expect.objectContaining({ path: "/lead/source" })] }),
    );
  });

  it("needs the owner and department columns only when narrowing by them", () => {
    const params = defaults(activitySummary.parameters, { owner_id: "6f1c1f7e-3f3a-4a8e-9d7b-3c1f0b2e8a11" });
    expect(fieldsRead(customerValuePyramid.reads, "customer", defaults(customerValuePyramid.parameters)).customer).toEqual(["id"]);
    expect(fieldsRead(customerValuePyramid.reads, "customer", params).customer).toEqual(["id", "owner_id"]);
  });

  it("answers 404 when the model lacks a field a report reads", () => {
    const error = (() => {
      try {
        assertReadable({ ...scopeOf(["sales_rep"]), access: unrestrictedAccess(SYSTEM_ACTOR) }, { lead: ["no_such_field"] });
      } catch (caught) {
        return caught as AppError;
      }
    })();
    expect(error?.status).toBe(404);
  });
});

describe("shaping aggregated rows", () => {
  it("lists all four pyramid bands, empty ones with zeros, with the option set's labels", () => {
    const params = defaults(customerValuePyramid.parameters) as Parameters<typeof customerValuePyramid.present>[1]["params"];
    const rows = [
      { band_grouped: 0, band: "key", customers: 1, revenue: 900, share: 0.9 },
      { band_grouped: 0, band: "minor", customers: 3, revenue: 100, share: 0.1 },
      { band_grouped: 1, band: null, customers: 4, revenue: 1000, share: 1 },
    ];
    const result = customerValuePyramid.present(rows, { model, params });
    expect(result.bands.map(({ band, customers, revenue, share }) => [band, customers, revenue, share])).toEqual([
      ["key", 1, 900, 0.9],
      ["major", 0, 0, 0],
      ["normal", 0, 0, 0],
      ["minor", 3, 100, 0.1],
    ]);
    expect(result.bands[3].label).toEqual({ "zh-CN": "零散客户", en: "Occasional customer" });
    expect(result.totals).toEqual({ customers: 4, revenue: 1000 });
    expect(customerValuePyramid.present([{ band_grouped: 1, customers: 0, revenue: 0, share: null }], { model, params }).bands[0].share).toBeNull();
  });

  it("refuses pyramid thresholds adding up to more than the whole", () => {
    expect(() => parseParameters(customerValuePyramid.parameters, { key_share: "0.6", major_share: "0.3" }, customerValuePyramid.check)).toThrow(AppError);
    expect(parseParameters(customerValuePyramid.parameters, { key_share: "0.6", major_share: "0.3", normal_share: "0.1" }, customerValuePyramid.check)).toMatchObject({ key_share: 0.6 });
  });

  it("orders funnel stages as the option set does and keeps stages no longer listed", () => {
    const rows = [
      { stage_grouped: 0, stage: "won", count: 1, amount: 10, weighted_amount: 10 },
      { stage_grouped: 0, stage: "legacy", count: 2, amount: 5, weighted_amount: 1 },
      { stage_grouped: 1, stage: null, count: 3, amount: 15, weighted_amount: 11, won: 1, lost: 0, win_rate: 1 },
    ];
    const result = opportunityFunnel.present(rows, { model, params: defaults(opportunityFunnel.parameters) });
    expect(result.stages.map((stage) => [stage.value, stage.count])).toEqual([
      ["initial", 0],
      ["qualified", 0],
      ["proposal", 0],
      ["negotiation", 0],
      ["won", 1],
      ["lost", 0],
      ["legacy", 2],
    ]);
    expect(result.totals).toEqual({ count: 3, amount: 15, weighted_amount: 11, won: 1, lost: 0, win_rate: 1 });
  });

  it("puts leads without a source last, only when there are some", () => {
    const params = defaults(leadSourceConversion.parameters);
    const withBlank = leadSourceConversion.present(
      [
        { source_grouped: 0, source: null, leads: 2, converted: 1, conversion_rate: 0.5, to_customers: 1, to_opportunities: 0 },
        { source_grouped: 1, source: null, leads: 2, converted: 1, conversion_rate: 0.5, to_customers: 1, to_opportunities: 0 },
      ],
      { model, params },
    );
    expect(withBlank.sources.at(-1)).toMatchObject({ value: "", leads: 2, converted: 1 });
    expect(withBlank.totals.leads).toBe(2);
    const none = leadSourceConversion.present([{ source_grouped: 1, leads: 0, converted: 0, conversion_rate: null, to_customers: 0, to_opportunities: 0 }], { model, params });
    expect(none.sources.map((source) => source.value)).toEqual(["exhibition", "website", "phone", "referral", "advertising", "other"]);
  });

  it("separates employee, department and total rows of the activity summary by GROUPING()", () => {
    const rows = [
      { owner_grouped: 0, department_grouped: 1, owner_id: "e1", department_id: null, employee_name: "王磊", total: 2, status_0: 1, status_1: 0, status_2: 1 },
      { owner_grouped: 1, department_grouped: 0, owner_id: null, department_id: null, department_name: null, total: 2, status_0: 1, status_1: 0, status_2: 1 },
      { owner_grouped: 1, department_grouped: 1, owner_id: null, department_id: null, total: 2, status_0: 1, status_1: 0, status_2: 1 },
    ];
    const result = activitySummary.present(rows, { model, params: defaults(activitySummary.parameters) });
    expect(result.employees).toEqual([{ employee_id: "e1", employee_name: "王磊", total: 2, by_status: { not_started: 1, in_progress: 0, completed: 1 } }]);
    // Activities without a department form their own department row, distinct from the total.
    expect(result.departments).toEqual([{ department_id: null, department_name: null, total: 2, by_status: { not_started: 1, in_progress: 0, completed: 1 } }]);
    expect(result.totals.total).toBe(2);
  });
});
