// The error registry: every code has a status and a message in both languages, and the API answers with them.
import { describe, expect, it } from "vitest";
import { AppError, ERROR_CODES, type ErrorCode } from "./errors";

describe("error registry", () => {
  it.each(Object.entries(ERROR_CODES))("%s has a 4xx/5xx status and zh-CN and en text", (code, entry) => {
    expect(entry.status).toBeGreaterThanOrEqual(400);
    expect(entry.status).toBeLessThan(600);
    expect(entry.message["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
    expect(entry.message.en).toMatch(/^[A-Z]/);
    const error = new AppError(code as ErrorCode);
    expect(error).toMatchObject({ code, status: entry.status, localized: entry.message, details: [] });
  });

  it("uses distinct messages, so a client can tell errors apart by text too", () => {
    const english = Object.values(ERROR_CODES).map((entry) => entry.message.en);
    expect(new Set(english).size).toBe(english.length);
  });
});
