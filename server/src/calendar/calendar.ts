// 员工日程: an employee's activities overlapping a range of days, as the caller may see them.
import type { Knex } from "knex";
import { assertMayPerform } from "../access/permissions";
import { notFound, validationFailed } from "../errors/errors";
import { idsWithinScope, scopeQuery } from "../records/access-guard";
import type { RecordValues } from "../records/computed-values";
import { objectOf, shapeFor, type RecordsContext } from "../records/read";
import { assertReadable } from "../reports/base";
import { COMMON_PARAMETERS, parseParameters } from "../reports/parameters";

/** About a quarter: a calendar is a view of days, not an export. */
export const MAX_CALENDAR_DAYS = 92;
/** More activities than this in one range are cut (truncated: true); a person's quarter rarely has as many. */
export const MAX_CALENDAR_ACTIVITIES = 1000;

export interface CalendarParameters {
  from: string;
  to: string;
  employee_id?: string;
  time_zone: string;
}

export interface Calendar extends CalendarParameters {
  employee_id: string;
  activities: RecordValues[];
  truncated: boolean;
}

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["from", "to"],
  properties: {
    from: COMMON_PARAMETERS.from,
    to: COMMON_PARAMETERS.to,
    employee_id: { type: "string", format: "uuid" },
    time_zone: COMMON_PARAMETERS.time_zone,
  },
};

/** Days from `from` to `to`, both included (dates are YYYY-MM-DD, validated before). */
export const daysInRange = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

export function parseCalendarQuery(query: unknown): CalendarParameters {
  return parseParameters<CalendarParameters>(SCHEMA, query, (params) =>
    daysInRange(params.from, params.to) > MAX_CALENDAR_DAYS
      ? [{ path: "/to", message: { "zh-CN": `日程范围不能超过 ${MAX_CALENDAR_DAYS} 天`, en: `The range must not exceed ${MAX_CALENDAR_DAYS} days` } }]
      : [],
  );
}

/** The employee whose calendar is asked for: the caller's own by default; another one only if the caller may see them. */
async function calendarEmployee(context: RecordsContext, requested: string | undefined): Promise<string> {
  if (requested === undefined) {
    if (context.access.employeeId) return context.access.employeeId;
    throw validationFailed([{ path: "/employee_id", message: { "zh-CN": "您没有关联的员工档案，请指定 employee_id", en: "You have no employee record: give employee_id" } }]);
  }
  if (requested === context.access.employeeId) return requested;
  const employee = objectOf(context.model, "employee");
  const visible = await idsWithinScope({ db: context.db, model: context.model, access: context.access, object: employee, ids: [requested], action: "view" });
  if (!visible.has(requested)) throw notFound({ "zh-CN": `员工不存在: ${requested}`, en: `Employee not found: ${requested}` });
  return requested;
}

/**
 * Activities whose [start_at, end_at] overlaps the days (an activity without an end is an instant),
 * owned by the employee or listing them among the related employees, within the caller's view scope.
 */
export async function employeeCalendar(context: RecordsContext, query: unknown): Promise<Calendar> {
  const params = parseCalendarQuery(query);
  const activity = objectOf(context.model, "activity");
  assertMayPerform(context.access, activity, "view");
  assertReadable(context, { activity: ["start_at", "end_at", "owner_id", "related_employee_ids"] });
  const employeeId = await calendarEmployee(context, params.employee_id);
  const table = activity.name;
  const rows = context.db(table)
    .select(shapeFor(context, activity).readColumns.map((column) => `${table}.${column}`))
    .whereNull(`${table}.deleted_at`)
    .where((mine: Knex.QueryBuilder) =>
      mine.where(`${table}.owner_id`, employeeId).orWhereRaw("?? @> ARRAY[?]::uuid[]", [`${table}.related_employee_ids`, employeeId]),
    )
    .whereNotNull(`${table}.start_at`)
    .whereRaw("?? < ((?::date + 1)::timestamp AT TIME ZONE ?)", [`${table}.start_at`, params.to, params.time_zone])
    .whereRaw("coalesce(??, ??) >= ((?::date)::timestamp AT TIME ZONE ?)", [`${table}.end_at`, `${table}.start_at`, params.from, params.time_zone])
    .orderBy([{ column: `${table}.start_at` }, { column: `${table}.id` }])
    .limit(MAX_CALENDAR_ACTIVITIES + 1);
  scopeQuery({ model: context.model, access: context.access, object: activity, query: rows, action: "view" });
  const activities: RecordValues[] = await rows;
  const truncated = activities.length > MAX_CALENDAR_ACTIVITIES;
  return { ...params, employee_id: employeeId, activities: truncated ? activities.slice(0, MAX_CALENDAR_ACTIVITIES) : activities, truncated };
}
