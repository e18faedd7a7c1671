// Time in the demo data: milliseconds since the epoch, working hours and calendar dates in China time (UTC+8).
import type { Random } from "./random";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
const CHINA_OFFSET = 8 * HOUR;

// Millions of rows carry dates: formatted from cached day strings and padded digits instead of a Date per value
// (same text as Date#toISOString, which stays the fallback outside 1970–9999).
const DAY_TEXT = new Map<number, string>();
const TWO_DIGITS = Array.from({ length: 60 }, (_, value) => String(value).padStart(2, "0"));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, value) => String(value).padStart(3, "0"));
const LAST_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** "YYYY-MM-DD" of a UTC day number (days since the epoch). */
function dayText(day: number): string {
  let text = DAY_TEXT.get(day);
  if (text === undefined) DAY_TEXT.set(day, (text = new Date(day * DAY).toISOString().slice(0, 10)));
  return text;
}

/** The calendar date (YYYY-MM-DD) of a moment in China. */
export function dateOf(ms: number): string {
  const local = Math.trunc(ms + CHINA_OFFSET);
  return local >= 0 && local <= LAST_MS ? dayText(Math.floor(local / DAY)) : new Date(local).toISOString().slice(0, 10);
}

/** The moment as Date#toISOString writes it (UTC, milliseconds). */
export function isoOf(ms: number): string {
  const whole = Math.trunc(ms);
  if (!(whole >= 0 && whole <= LAST_MS)) return new Date(whole).toISOString();
  const day = Math.floor(whole / DAY);
  let rest = whole - day * DAY;
  const hours = Math.floor(rest / HOUR);
  rest -= hours * HOUR;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${dayText(day)}T${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
}

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
