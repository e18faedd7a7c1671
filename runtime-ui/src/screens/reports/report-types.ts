// Shapes of GET /api/reports and GET /api/reports/:report answers, as server/src/reports/ produces them.
import type { LocalizedText } from "../../api/types";

export interface ReportSummary {
  name: string;
  label: LocalizedText;
  description: LocalizedText;
  objects: string[];
  parameters: Record<string, unknown>;
}

export interface ReportOption {
  value: string;
  label: LocalizedText;
}

export interface ReportParameters {
  from?: string;
  to?: string;
  department_id?: string;
  include_subdepartments?: boolean;
  owner_id?: string;
}

export interface StatusCounts {
  total: number;
  by_status: Record<string, number>;
}

export interface ActivitySummary {
  report: "activity_summary";
  statuses: ReportOption[];
  employees: ({ employee_id: string | null; employee_name: string | null } & StatusCounts)[];
  departments: ({ department_id: string | null; department_name: string | null } & StatusCounts)[];
  totals: StatusCounts;
}

export interface CustomerValuePyramid {
  report: "customer_value_pyramid";
  bands: { band: string; label: LocalizedText; customers: number; revenue: number; share: number | null }[];
  totals: { customers: number; revenue: number };
}

export interface OpportunityFunnel {
  report: "opportunity_funnel";
  stages: (ReportOption & { count: number; amount: number; weighted_amount: number })[];
  totals: { count: number; amount: number; weighted_amount: number; won: number; lost: number; win_rate: number | null };
}

export interface ConversionCounts {
  leads: number;
  converted: number;
  conversion_rate: number | null;
  to_customers: number;
  to_opportunities: number;
}

export interface LeadSourceConversion {
  report: "lead_source_conversion";
  sources: (ReportOption & ConversionCounts)[];
  totals: ConversionCounts;
}

export type ReportAnswer = ActivitySummary | CustomerValuePyramid | OpportunityFunnel | LeadSourceConversion;
