/**
 * Leaf values of the config: durations, percentages, working windows, dates.
 * Each parser returns a value or a string that says what is wrong (the caller adds file, line and path).
 */
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, parseDay } from '../time/civil.js';
import type { DayWindow } from '../calendar/calendar.js';

/**
 * A target as written: business (or calendar) time; `Nbd` (N business days on, same offset into the
 * day); `Nbd@end` (the close of the Nth business day); `Nmo` (N calendar months on, same wall time).
 */
export type Target =
  | { kind: 'time'; ms: number; days: boolean; text: string }
  | { kind: 'bd'; days: number; text: string }
  | { kind: 'bd-end'; days: number; text: string }
  | { kind: 'mo'; months: number; text: string };

const DURATION = /^(?:(\d+(?:\.\d+)?)d)?(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?$/;

export function parseDuration(input: unknown): Target | string {
  if (typeof input === 'number') return `a duration needs a unit: write "${input}m", "${input}h" or "${input}bd"`;
  if (typeof input !== 'string') return `expected a duration like "45m", "4h", "1h30m", "2d" or "3bd"`;
  // "1M" reads as a month in many contracts; here m is minutes: a whole target in capital M is refused
  const capital = /^\s*(\d+)\s*M\s*$/.exec(input);
  if (capital) {
    const n = capital[1];
    const s = n === '1' ? '' : 's';
    return `"${input}" could mean ${n} minute${s} or ${n} month${s}; write ${n}m for minutes or ${n}mo for calendar months`;
  }
  const text = input.trim().toLowerCase().replace(/\s+/g, '');
  const bd = /^(\d+)bd$/.exec(text);
  if (bd) return { kind: 'bd', days: Number(bd[1]), text };
  if (text.includes('@')) return atEnd(input, text);
  if (/mo/.test(text)) return months(input, text);
  const m = DURATION.exec(text);
  if (!text || !m || (!m[1] && !m[2] && !m[3])) {
    return `"${input}" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")`;
  }
  const ms = Math.round((Number(m[1] ?? 0) * MS_PER_DAY) + (Number(m[2] ?? 0) * MS_PER_HOUR) + (Number(m[3] ?? 0) * MS_PER_MINUTE));
  return { kind: 'time', ms, days: !!m[1], text };
}

/** `Nbd@end`: the close of the Nth business day after the day the clock's day count starts on. */
function atEnd(input: string, text: string): Target | string {
  const m = /^(\d+)bd@end$/.exec(text);
  if (m) {
    const days = Number(m[1]);
    if (days === 0) return `"${input}" would be due at the close of the day the ticket arrives, which has passed for a ticket created after the close; write 1bd@end (the close of the next business day) or business hours (e.g. 8h)`;
    return { kind: 'bd-end', days, text };
  }
  if (text.endsWith('@end')) return `"${input}": before @end comes a whole number of business days (1bd@end, 2bd@end: the close of that business day); for part of a day, write business hours (e.g. 4h)`;
  const n = /^(\d+)bd@/.exec(text)?.[1] ?? 'N';
  return `"${input}" is not a target: after @ only "end" is known (write ${n}bd@end for the close of the ${n === 'N' ? 'Nth' : ordinal(Number(n))} business day, or ${n}bd for ${n} business days at the same time of day)`;
}

/** `Nmo`: whole calendar months, alone (a month has 28 to 31 days, so "1mo2d" depends on the order). */
function months(input: string, text: string): Target | string {
  const m = /^(\d+)mo$/.exec(text);
  if (!m) {
    if (/^\d*\.\d*mo$/.test(text)) return `"${input}": months are whole (a month is 28 to 31 days); write 1mo, 2mo, ... or the time in days (e.g. 45d)`;
    const word = /^(\d+)(?:mo|mon|month|months|mos)$/.exec(text);
    if (word) return `"${input}" is not a duration; write ${word[1]}mo for ${word[1]} calendar month${word[1] === '1' ? '' : 's'}`;
    if (!/\dmo|mo\d/.test(text)) return `"${input}" is not a duration (use m, h, d, bd, bd@end or mo: "45m", "4h", "1h30m", "2d", "3bd", "2bd@end", "1mo")`;
    return `"${input}": months do not combine with other units (1 month and 2 days gives different days depending on which is added first); write whole months alone (1mo) or the whole target in days or hours (e.g. 33d)`;
  }
  const n = Number(m[1]);
  if (n === 0) return `"${input}" is no time at all; write 1mo or more`;
  return { kind: 'mo', months: n, text };
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st ... */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
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
