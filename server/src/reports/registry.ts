// The report registry: every report by name, the ones a user may run, and running one under the user's permissions.
import type { LocalizedText } from "@crm/metadata";
import { notFound } from "../errors/errors";
import { assertReadable, fieldsRead, readProblem, type ReportScope } from "./base";
import type { ReportDefinition } from "./definition";
import { parseParameters, type CommonParameters, type JsonSchema } from "./parameters";
import { activitySummary } from "./activity-summary";
import { customerValuePyramid } from "./customer-value-pyramid";
import { opportunityFunnel } from "./opportunity-funnel";
import { leadSourceConversion } from "./lead-source-conversion";

export const REPORTS: ReadonlyMap<string, ReportDefinition> = new Map(
  ([activitySummary, customerValuePyramid, opportunityFunnel, leadSourceConversion] as ReportDefinition[]).map((report) => [report.name, report]),
);

export interface ReportSummary {
  name: string;
  label: LocalizedText;
  description: LocalizedText;
  /** The base objects whose records the figures count (each within the user's view scope). */
  objects: string[];
  parameters: JsonSchema;
}

/** The reports whose base objects the user may view with every field the report needs visible. */
export function listReports(scope: ReportScope): ReportSummary[] {
  return [...REPORTS.values()]
    .filter((report) => readProblem(scope, report.reads) === undefined)
    .map((report) => ({ name: report.name, label: report.label, description: report.description, objects: Object.keys(report.reads), parameters: report.parameters }));
}

export interface ReportResult {
  report: string;
  label: LocalizedText;
  parameters: CommonParameters;
  [key: string]: unknown;
}

export async function runReport(scope: ReportScope, name: string, query: unknown): Promise<ReportResult> {
  const report = REPORTS.get(name);
  if (!report) throw notFound({ "zh-CN": `报表 "${name}" 不存在`, en: `Report "${name}" does not exist` });
  const params = parseParameters<CommonParameters>(report.parameters, query, report.check?.bind(report));
  assertReadable(scope, fieldsRead(report.reads, report.filtered, params));
  const rows = await report.query(scope, params);
  return { report: report.name, label: report.label, parameters: params, ...(report.present(rows, { model: scope.model, params }) as object) };
}
