// 员工行动统计: activities in the period per employee and per department, in total and by status.
import type { Knex } from "knex";
import type { Model } from "../registry/model";
import { narrowByOwnership, optionsOf, scopedRows, visibleNames, withinPeriodTimestamps, type ReportOption, type ReportScope } from "./base";
import type { ReportDefinition, ReportRow } from "./definition";
import { parametersSchema, type CommonParameters } from "./parameters";

export interface StatusCounts {
  total: number;
  /** Count per status value of the activity status options, every option present. */
  by_status: Record<string, number>;
}

export interface ActivitySummary {
  statuses: ReportOption[];
  employees: ({ employee_id: string | null; employee_name: string | null } & StatusCounts)[];
  departments: ({ department_id: string | null; department_name: string | null } & StatusCounts)[];
  totals: StatusCounts;
}

const statusesOf = (model: Model) => optionsOf(model.objects.get("activity")!, "status");

/** Column alias of a status count: positional, so option values never become identifiers. */
const statusColumn = (index: number) => `status_${index}`;

function query(scope: ReportScope, params: CommonParameters): Knex.QueryBuilder {
  const { db } = scope;
  const activities = scopedRows(scope, "activity", ["owner_id", "department_id", "status", "start_at", "created_at"]);
  // An activity belongs to the period of its start; one never scheduled, to the day it was recorded.
  withinPeriodTimestamps(activities, { sql: "coalesce(??, ??)", bindings: ["activity.start_at", "activity.created_at"] }, params);
  narrowByOwnership(activities, scope, "activity", params);
  const grouped = db
    .from(activities.as("a"))
    .select(
      db.raw("GROUPING(??) AS owner_grouped", ["a.owner_id"]),
      db.raw("GROUPING(??) AS department_grouped", ["a.department_id"]),
      "a.owner_id",
      "a.department_id",
      db.raw("count(*) AS total"),
      ...statusesOf(scope.model).map((status, index) => db.raw("count(*) FILTER (WHERE ?? = ?) AS ??", ["a.status", status.value, statusColumn(index)])),
    )
    .groupByRaw("GROUPING SETS ((??), (??), ())", ["a.owner_id", "a.department_id"]);
  const employees = visibleNames(scope, "employee");
  const departments = visibleNames(scope, "department");
  const result = db.from(grouped.as("g")).select("g.*");
  if (employees) result.leftJoin(employees.as("e"), "e.id", "g.owner_id").select({ employee_name: "e.name" });
  else result.select(db.raw("NULL AS employee_name"));
  if (departments) result.leftJoin(departments.as("d"), "d.id", "g.department_id").select({ department_name: "d.name" });
  else result.select(db.raw("NULL AS department_name"));
  return result.orderByRaw("total DESC, employee_name NULLS LAST, department_name NULLS LAST, g.owner_id NULLS LAST, g.department_id NULLS LAST");
}

function present(rows: ReportRow[], { model }: { model: Model }): ActivitySummary {
  const statuses = statusesOf(model);
  const counts = (row: ReportRow | undefined): StatusCounts => ({
    total: Number(row?.total ?? 0),
    by_status: Object.fromEntries(statuses.map((status, index) => [status.value, Number(row?.[statusColumn(index)] ?? 0)])),
  });
  // GROUPING() is 1 where the column was rolled up: (owner) rows keep the owner, (department) rows the department.
  const isEmployeeRow = (row: ReportRow) => Number(row.owner_grouped) === 0;
  const isDepartmentRow = (row: ReportRow) => Number(row.owner_grouped) === 1 && Number(row.department_grouped) === 0;
  const totalRow = rows.find((row) => Number(row.owner_grouped) === 1 && Number(row.department_grouped) === 1);
  return {
    statuses,
    employees: rows.filter(isEmployeeRow).map((row) => ({
      employee_id: (row.owner_id as string | null) ?? null,
      employee_name: (row.employee_name as string | null) ?? null,
      ...counts(row),
    })),
    departments: rows.filter(isDepartmentRow).map((row) => ({
      department_id: (row.department_id as string | null) ?? null,
      department_name: (row.department_name as string | null) ?? null,
      ...counts(row),
    })),
    totals: counts(totalRow),
  };
}

export const activitySummary: ReportDefinition<CommonParameters, ActivitySummary> = {
  name: "activity_summary",
  label: { "zh-CN": "员工行动统计", en: "Activity summary" },
  description: {
    "zh-CN": "期间内（按开始时间）各员工、各部门的行动总数及未开始、进行中、已完成数",
    en: "Activities in the period (by start) per employee and per department: total and count per status",
  },
  reads: { activity: ["owner_id", "department_id", "status", "start_at", "created_at"] },
  filtered: "activity",
  parameters: parametersSchema(),
  query,
  present,
};
