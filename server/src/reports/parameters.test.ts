// Report parameters (pure): query-string coercion, defaults, and 400 details with the parameter's path.
import { describe, expect, it } from "vitest";
import { AppError } from "../errors/errors";
import { DEFAULT_TIME_ZONE, isKnownTimeZone, parametersSchema, parseParameters, periodProblems, type CommonParameters } from "./parameters";

const schema = parametersSchema({ share: { type: "number", minimum: 0, maximum: 1, default: 0.5 } });
type Parameters = CommonParameters & { share: number };

const pathsOf = (query: Record<string, unknown>): string[] => {
  try {
    parseParameters<Parameters>(schema, query);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("VALIDATION_FAILED");
    return (error as AppError).details.map((detail) => detail.path);
  }
  return [];
};

describe("report parameters", () => {
  it("fills defaults and coerces query-string values", () => {
    expect(parseParameters<Parameters>(schema, {})).toEqual({ include_subdepartments: true, time_zone: DEFAULT_TIME_ZONE, share: 0.5 });
    const params = parseParameters<Parameters>(schema, { from: "2026-03-01", to: "2026-03-31", include_subdepartments: "false", share: "0.25" });
    expect(params).toMatchObject({ from: "2026-03-01", to: "2026-03-31", include_subdepartments: false, share: 0.25 });
  });

  it("does not change the query object it was given", () => {
    const query = { share: "0.25" };
    parseParameters<Parameters>(schema, query);
    expect(query).toEqual({ share: "0.25" });
  });

  it.each([
    [{ from: "2026-02-30" }, "/from"],
    [{ to: "yesterday" }, "/to"],
    [{ from: "2026-03-02", to: "2026-03-01" }, "/to"],
    [{ department_id: "0101" }, "/department_id"],
    [{ owner_id: "wanglei" }, "/owner_id"],
    [{ include_subdepartments: "sometimes" }, "/include_subdepartments"],
    [{ share: "2" }, "/share"],
    [{ share: ["0.1", "0.2"] }, "/share"],
    [{ sort: "-total" }, "/sort"],
    [{ time_zone: "Asia/Atlantis" }, "/time_zone"],
    [{ time_zone: "'; DROP TABLE customer; --" }, "/time_zone"],
  ])("refuses %j at %s", (query, path) => {
    expect(pathsOf(query)).toContain(path);
  });

  it("reports every problem at once", () => {
    expect(pathsOf({ from: "x", share: "y", extra: "1" }).sort()).toEqual(["/extra", "/from", "/share"]);
  });

  it("accepts a one-day period and knows the IANA zones", () => {
    expect(periodProblems({ from: "2026-03-01", to: "2026-03-01" })).toEqual([]);
    expect(isKnownTimeZone("Asia/Shanghai")).toBe(true);
    expect(isKnownTimeZone("UTC")).toBe(true);
    expect(isKnownTimeZone("Asia/Atlantis")).toBe(false);
  });
});
