import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import { activitiesByDay, daysBetween, startOfWeek, visibleRange } from "./calendar-days";

describe("calendar days", () => {
  it("starts weeks on Monday", () => {
    expect(startOfWeek(dayjs("2026-11-29")).format("YYYY-MM-DD")).toBe("2026-11-23");
    expect(startOfWeek(dayjs("2026-11-23")).format("YYYY-MM-DD")).toBe("2026-11-23");
  });

  it("shows six whole weeks around a month, or one week", () => {
    expect(visibleRange("month", dayjs("2026-11-15"))).toEqual({ from: "2026-10-26", to: "2026-12-06" });
    expect(visibleRange("week", dayjs("2026-11-27"))).toEqual({ from: "2026-11-23", to: "2026-11-29" });
    const month = visibleRange("month", dayjs("2026-02-10"));
    expect(daysBetween(month.from, month.to)).toHaveLength(42);
  });

  it("puts an activity on each day it spans, clipped to the range, in start order", () => {
    const byDay = activitiesByDay(
      [
        { id: "b", start_at: "2026-11-24T15:00:00", end_at: "2026-11-26T10:00:00" },
        { id: "a", start_at: "2026-11-24T09:00:00" },
        { id: "c", start_at: "2026-11-20T09:00:00", end_at: "2026-11-23T09:00:00" },
        { id: "undated", start_at: null },
      ],
      { from: "2026-11-23", to: "2026-11-25" },
    );
    expect([...byDay.entries()].map(([day, list]) => [day, list.map((activity) => activity.id)])).toEqual([
      ["2026-11-23", ["c"]],
      ["2026-11-24", ["a", "b"]],
      ["2026-11-25", ["b"]],
    ]);
  });
});
