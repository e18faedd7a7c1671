// The demo data's fast date formatting writes exactly what Date#toISOString writes.
import { describe, expect, it } from "vitest";
import { DAY, dateOf, isoOf } from "./timeline";
import { Random } from "./random";

const CHINA_OFFSET = 8 * 3_600_000;

describe("isoOf and dateOf", () => {
  const random = new Random(42);
  const moments = [
    0, 1, 999, DAY - 1, DAY, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2026, 11, 31, 16, 0, 0, 0), 1_700_000_000_123.75,
    -1, -DAY - 0.5, Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    ...Array.from({ length: 2000 }, () => random.float() * 4_102_444_800_000),
  ];

  it("agree with Date#toISOString on edge and random moments (fractions truncated as Date does)", () => {
    for (const ms of moments) {
      expect(isoOf(ms), String(ms)).toBe(new Date(ms).toISOString());
      expect(dateOf(ms), String(ms)).toBe(new Date(ms + CHINA_OFFSET).toISOString().slice(0, 10));
    }
  });
});
