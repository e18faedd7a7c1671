// Time in the demo data: milliseconds since the epoch, working hours and calendar dates in China time (UTC+8).
import type { Random } from "./random";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;

/** The calendar date (YYYY-MM-DD) of a moment in China. */
export const dateOf = (ms: number): string => new Date(ms + CHINA_OFFSET).toISOString().slice(0, 10);

export const isoOf = (ms: number): string => new Date(ms).toISOString();

/** Midnight (China time) of the day a moment falls on. */
export const dayStart = (ms: number): number => Math.floor((ms + CHINA_OFFSET) / DAY) * DAY - CHINA_OFFSET;

/** A moment during office hours (09:00–18:00 China time) on the day of `ms`, to the second. */
export function workingMoment(random: Random, ms: number): number {
  return dayStart(ms) + 9 * HOUR + random.int(0, 9 * 3600 - 1) * 1000;
}

/** The window the data covers: `years` of history up to the anchor (today, unless a test fixes it). */
export interface Timeline {
  start: number;
  anchor: number;
}

export function timelineOf(anchor: Date, years: number): Timeline {
  const end = dayStart(anchor.getTime());
  return { start: end - Math.round(years * 365 * DAY), anchor: end };
}
