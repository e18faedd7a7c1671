// Value widget conversions of the filter builder: what each widget's value becomes in the json-logic literal.
import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import { toLiteral, toPickerValue } from "./filter-values";

describe("toLiteral", () => {
  it("turns number inputs into numbers, dropping grouping and units", () => {
    expect(toLiteral("number", 12.5)).toBe(12.5);
    expect(toLiteral("number", "1,234.5")).toBe(1234.5);
    expect(toLiteral("number", "¥ 2,000")).toBe(2000);
    expect(toLiteral("number", "abc")).toBeUndefined();
    expect(toLiteral("number", null)).toBeUndefined();
  });

  it("formats dates as days and datetimes in the server's canonical UTC form", () => {
    expect(toLiteral("date", dayjs("2026-03-05T15:30:00"))).toBe("2026-03-05");
    expect(toLiteral("date", "2026-03-05")).toBe("2026-03-05");
    expect(toLiteral("date", "not a date")).toBeUndefined();
    expect(toLiteral("datetime", new Date(Date.UTC(2026, 2, 5, 7, 8, 9)))).toBe("2026-03-05T07:08:09.000Z");
    expect(toLiteral("datetime", dayjs("2026-03-05T07:08:09.123Z"))).toBe("2026-03-05T07:08:09.123Z");
  });

  it("keeps text as typed, empty meaning no value", () => {
    expect(toLiteral("text", " 化工 ")).toBe(" 化工 ");
    expect(toLiteral("text", "   ")).toBeUndefined();
    expect(toLiteral("option", "formal")).toBe("formal");
    expect(toLiteral("boolean", "true")).toBe(true);
    expect(toLiteral("boolean", false)).toBe(false);
  });
});

describe("picker values", () => {
  it("reads stored literals back into the date picker", () => {
    expect(toPickerValue("2026-03-05")?.format("YYYY-MM-DD")).toBe("2026-03-05");
    expect(toPickerValue("")).toBeNull();
    expect(toPickerValue(5)).toBeNull();
    expect(toPickerValue("garbage")).toBeNull();
  });
});
