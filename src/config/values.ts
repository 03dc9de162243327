/**
 * Leaf values of the config: durations, percentages, working windows, dates.
 * Each parser returns a value or a string that says what is wrong (the caller adds file, line and path).
 */
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, parseDay } from '../time/civil.js';
import type { DayWindow } from '../calendar/calendar.js';

export type Target =
  | { kind: 'time'; ms: number; days: boolean; text: string }
  | { kind: 'bd'; days: number; text: string };

const DURATION = /^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?$/;

export function parseDuration(input: unknown): Target | string {
  if (typeof input === 'number') return `a duration needs a unit: write "${input}m", "${input}h" or "${input}bd"`;
  if (typeof input !== 'string') return `expected a duration like "45m", "4h", "1h30m", "2d" or "3bd"`;
  const text = input.trim().toLowerCase().replace(/\s+/g, '');
  const bd = /^(\d+)bd$/.exec(text);
  if (bd) return { kind: 'bd', days: Number(bd[1]), text };
  const m = DURATION.exec(text);
  if (!text || !m || (!m[1] && !m[2] && !m[3])) {
    return `"${input}" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")`;
  }
  const ms = Math.round((Number(m[1] ?? 0) * MS_PER_DAY) + (Number(m[2] ?? 0) * MS_PER_HOUR) + (Number(m[3] ?? 0) * MS_PER_MINUTE));
  return { kind: 'time', ms, days: !!m[1], text };
}

/**
 * One percentage rule for the config and the command line: "95%" and 95 mean 95%, 0.95 means 95%
 * (a bare number up to 1 is a fraction); 0 and "0%" are 0. A bare 1 could be 1% or 100% and is
 * refused; write "1%" or "100%".
 */
export function parsePercent(input: unknown, maxPercent = 100): number | string {
  const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
  const m = /^(\d+(?:\.\d+)?|\.\d+)\s*(%?)$/.exec(text);
  if (!m) return `"${String(input)}" is not a percentage (write 95%, 95 or 0.95)`;
  const n = Number(m[1]);
  // the decimal point moved in the text, not n / 100: 99.9 / 100 is 0.9990000000000001, above the
  // 0.999 that 999 of 1000 tickets make, and a rung, tier or minimum must hold exactly at its value
  const fraction = Number(`${m[1]}e-2`);
  if (m[2] === '%') return n <= maxPercent ? fraction : `${text} is outside 0%..${maxPercent}%`;
  if (n === 1) return `1 is ambiguous (1% or 100%?); write "1%" or "100%"`;
  if (n < 1) return n;
  return n <= maxPercent ? fraction : `${text} is outside 0%..${maxPercent}% (write 95%, 95 or 0.95)`;
}

/** "09:00-12:00" → {start: 540, end: 720}; "22:00-06:00" crosses midnight → end 1800. */
export function parseWindow(input: unknown): DayWindow | string {
  if (typeof input !== 'string') return `expected a time window like "09:00-18:00"`;
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(input);
  if (!m) return `"${input}" is not a time window (write HH:MM-HH:MM, e.g. "09:00-18:00")`;
  const start = +m[1] * 60 + +m[2];
  let end = +m[3] * 60 + +m[4];
  if (+m[1] > 23 || +m[2] > 59 || +m[3] > 24 || +m[4] > 59 || (+m[3] === 24 && +m[4] !== 0)) {
    return `"${input}" has an impossible time (hours 00-23, or 24:00 as an end)`;
  }
  if (end === start) return `"${input}" is an empty window (start and end are equal)`;
  if (end < start) end += 1440;
  return { start, end };
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_ALIASES: Record<string, number> = {
  sun: 0, sunday: 0, mon: 1, monday: 1, tue: 2, tues: 2, tuesday: 2, wed: 3, wednesday: 3,
  thu: 4, thur: 4, thurs: 4, thursday: 4, fri: 5, friday: 5, sat: 6, saturday: 6,
};

/** "mon-fri", "sat", "mon,wed,fri", "daily" → weekday indexes (0 = Sunday). */
export function parseWeekdays(input: string): number[] | string {
  const key = input.trim().toLowerCase();
  if (key === 'daily' || key === 'everyday' || key === 'all') return [0, 1, 2, 3, 4, 5, 6];
  const out = new Set<number>();
  for (const part of key.split(',')) {
    const range = part.trim().split('-');
    if (range.length > 2) return `"${input}" is not a weekday or range`;
    const a = DAY_ALIASES[range[0].trim()];
    const b = DAY_ALIASES[(range[1] ?? range[0]).trim()];
    if (a === undefined || b === undefined) {
      return `"${input}" is not a weekday (use ${DAYS.join(', ')}, a range like mon-fri, or daily)`;
    }
    for (let d = a; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === b) break;
    }
  }
  return [...out].sort();
}

/** "2026-10-01" or "2026-10-01..2026-10-07" → [first, last] day numbers. */
export function parseDateRange(input: unknown): [number, number] | string {
  const text = input instanceof Date ? input.toISOString().slice(0, 10) : String(input ?? '');
  const parts = text.split('..');
  if (parts.length > 2) return `"${text}" is not a date or range (write 2026-10-01 or 2026-10-01..2026-10-07)`;
  const a = parseDay(parts[0]);
  const b = parseDay(parts[1] ?? parts[0]);
  if (a === undefined || b === undefined) {
    return `"${text}" is not a date (write YYYY-MM-DD, or a range YYYY-MM-DD..YYYY-MM-DD)`;
  }
  if (b < a) return `"${text}" ends before it starts`;
  if (b - a > 366) return `"${text}" spans more than a year`;
  return [a, b];
}
