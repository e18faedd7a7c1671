// Field widget value conversions: what each widget hands the form, and how stored values come back into widgets.
import { describe, expect, it } from "vitest";
import dayjs from "dayjs";
import { addressWith, dateValue, datetimeValue, formatAmountInput, parseAmountInput, pickerValue, textValue } from "./widget-values";

describe("text", () => {
  it("stores empty text as null", () => {
    expect(textValue("")).toBeNull();
    expect(textValue("天津")).toBe("天津");
    expect(textValue(" ")).toBe(" ");
  });
});

describe("amounts", () => {
  it("groups thousands while typing and reads them back", () => {
    expect(formatAmountInput(1234567.5)).toBe("1,234,567.5");
    expect(formatAmountInput(undefined)).toBe("");
    expect(formatAmountInput("999")).toBe("999");
    expect(parseAmountInput("1,234,567.50")).toBe(1234567.5);
    expect(parseAmountInput(formatAmountInput(98765.43))).toBe(98765.43);
    expect(parseAmountInput("")).toBe(0);
  });
});

describe("dates", () => {
  it("stores a picked day as YYYY-MM-DD and a moment as UTC ISO", () => {
    expect(dateValue(dayjs("2026-03-05T23:30:00"))).toBe("2026-03-05");
    expect(dateValue(null)).toBeNull();
    expect(datetimeValue(dayjs("2026-03-05T07:08:00.000Z"))).toBe("2026-03-05T07:08:00.000Z");
    expect(datetimeValue(null)).toBeNull();
  });

  it("reads stored values into the picker", () => {
    expect(pickerValue("2026-03-05")?.format("YYYY-MM-DD")).toBe("2026-03-05");
    expect(pickerValue("2026-03-05T07:08:00.000Z")?.toISOString()).toBe("2026-03-05T07:08:00.000Z");
    expect(pickerValue("")).toBeNull();
    expect(pickerValue(null)).toBeNull();
  });
});

describe("addresses", () => {
  it("changes one part, drops emptied parts and becomes null when nothing is left", () => {
    expect(addressWith(null, "province", "天津市")).toEqual({ province: "天津市" });
    expect(addressWith({ province: "天津市", city: "天津市" }, "city", "")).toEqual({ province: "天津市" });
    expect(addressWith({ province: "天津市" }, "province", "")).toBeNull();
  });
});
