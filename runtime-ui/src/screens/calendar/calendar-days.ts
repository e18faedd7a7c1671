// The days a calendar view shows and which activities fall on each of them (pure; dates are local days).
import dayjs, { type Dayjs } from "dayjs";
import type { RecordValues } from "../../api/types";

export type CalendarMode = "month" | "week";

export const DAY_FORMAT = "YYYY-MM-DD";

/** Monday-first weeks, whatever dayjs's locale says. */
export function startOfWeek(day: Dayjs): Dayjs {
  return day.startOf("day").subtract((day.day() + 6) % 7, "day");
}

/** First and last day shown: the whole weeks around the month (6 rows, as the month grid shows), or the week. */
export function visibleRange(mode: CalendarMode, anchor: Dayjs): { from: string; to: string } {
  const first = mode === "month" ? startOfWeek(anchor.startOf("month")) : startOfWeek(anchor);
  const last = first.add(mode === "month" ? 41 : 6, "day");
  return { from: first.format(DAY_FORMAT), to: last.format(DAY_FORMAT) };
}

/** Every day from `from` to `to` (both YYYY-MM-DD), included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let day = dayjs(from); !day.isAfter(dayjs(to), "day"); day = day.add(1, "day")) days.push(day.format(DAY_FORMAT));
  return days;
}

/** Activities by local day: each one on every day its start..end touches within the range, in start order. */
export function activitiesByDay(activities: readonly RecordValues[], range: { from: string; to: string }): Map<string, RecordValues[]> {
  const byDay = new Map<string, RecordValues[]>();
  const sorted = [...activities].filter((activity) => activity.start_at).sort((left, right) => String(left.start_at).localeCompare(String(right.start_at)));
  for (const activity of sorted) {
    const start = dayjs(String(activity.start_at));
    const end = activity.end_at ? dayjs(String(activity.end_at)) : start;
    const first = start.isBefore(dayjs(range.from)) ? range.from : start.format(DAY_FORMAT);
    const last = end.isAfter(dayjs(range.to).endOf("day")) ? range.to : (end.isBefore(start) ? start : end).format(DAY_FORMAT);
    for (const day of daysBetween(first, last)) byDay.set(day, [...(byDay.get(day) ?? []), activity]);
  }
  return byDay;
}
