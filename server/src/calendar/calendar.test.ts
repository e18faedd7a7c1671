// Calendar query parameters (pure): the range is required, ordered, at most MAX_CALENDAR_DAYS long.
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/errors";
import { daysInRange, MAX_CALENDAR_DAYS, parseCalendarQuery } from "./calendar";

const refusedAt = (query: Record<string, string>) => {
  try {
    parseCalendarQuery(query);
  } catch (error) {
    return (error as AppError).details.map((detail) => detail.path);
  }
  return [];
};

describe("calendar range", () => {
  it("counts days with both ends included, across month ends and leap days", () => {
    expect(daysInRange("2026-03-01", "2026-03-01")).toBe(1);
    expect(daysInRange("2026-02-27", "2026-03-02")).toBe(4);
    expect(daysInRange("2028-02-28", "2028-03-01")).toBe(3);
    expect(daysInRange("2026-01-01", "2026-12-31")).toBe(365);
  });

  it("accepts up to the longest range and fills the time zone", () => {
    expect(parseCalendarQuery({ from: "2026-01-01", to: "2026-04-02" })).toEqual({ from: "2026-01-01", to: "2026-04-02", time_zone: "Asia/Shanghai" });
    expect(daysInRange("2026-01-01", "2026-04-02")).toBe(MAX_CALENDAR_DAYS);
  });

  it.each([
    [{ to: "2026-03-01" }, "/from"],
    [{ from: "2026-03-01" }, "/to"],
    [{ from: "2026-03-02", to: "2026-03-01" }, "/to"],
    [{ from: "2026-01-01", to: "2026-04-03" }, "/to"],
    [{ from: "2026-03-01", to: "2026-03-02", employee_id: "me" }, "/employee_id"],
    [{ from: "2026-03-01", to: "2026-03-02", department_id: "00000000-0000-4000-8000-000000000000" }, "/department_id"],
  ])("refuses %j at %s", (query, path) => {
    expect(refusedAt(query)).toContain(path);
  });
});
