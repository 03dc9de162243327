/**
 * Days off that come back every year: a calendar's `{ every: 12-25 }` entries and the yearly
 * recurrences of an iCalendar file, with the single dates of that file, as one list a calendar asks
 * once per local day it lays out. A year's days are worked out the first time it is asked about.
 */
import { civilFromDays, daysFromCivil, daysInMonth, weekdayOfDay } from '../time/civil.js';

/** A weekday in a month: the 4th Thursday ({ n: 4, weekday: 4 }), the last Monday ({ n: -1, weekday: 1 }), every Tuesday (n: 0). */
export interface NthWeekday {
  n: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
}

/** A yearly recurrence (RFC 5545 FREQ=YEARLY with BYMONTH, BYMONTHDAY or BYDAY; or `every:`). */
export interface YearlyRule {
  name: string;
  /** the first year, and every `interval`-th year after it */
  firstYear: number;
  interval: number;
  /** occurrences start on or after this local day and on or before `until` */
  from: number;
  until: number;
  months: number[];
  /** days of the month; negative counts from its end (-1 = last day) */
  monthDays: number[];
  weekdays: NthWeekday[];
  /** days off from each start (a multi-day event) */
  length: number;
  /** occurrence starts taken out (EXDATE, a moved occurrence) */
  skip: ReadonlySet<number>;
}

/**
 * The start days of a rule's occurrences in one year, in order. A date that does not exist that
 * year (29 February in a common year, 31 April) is no occurrence, as RFC 5545 says.
 */
export function occurrencesIn(rule: YearlyRule, year: number): number[] {
  if (year < rule.firstYear || (year - rule.firstYear) % rule.interval !== 0) return [];
  const out: number[] = [];
  for (const m of rule.months) {
    const dim = daysInMonth(year, m);
    const first = daysFromCivil(year, m, 1);
    // BYMONTHDAY and BYDAY together keep the days both give (RFC 5545: each BYxxx part limits the other)
    const byDay = rule.monthDays.length ? rule.monthDays.map((md) => (md > 0 ? md : dim + 1 + md)).filter((d) => d >= 1 && d <= dim).map((d) => first + d - 1) : undefined;
    const byWeekday = rule.weekdays.length ? rule.weekdays.flatMap(({ n, weekday }) => weekdaysIn(year, m, n, weekday)) : undefined;
    out.push(...(byDay && byWeekday ? byDay.filter((d) => byWeekday.includes(d)) : byDay ?? byWeekday ?? []));
  }
  return [...new Set(out)].filter((d) => d >= rule.from && d <= rule.until && !rule.skip.has(d)).sort((a, b) => a - b);
}

/** The days of a month that are its nth weekday (n = 0: every such weekday; negative counts from the end). */
function weekdaysIn(year: number, month: number, n: number, weekday: number): number[] {
  const first = daysFromCivil(year, month, 1);
  const last = first + daysInMonth(year, month) - 1;
  const all: number[] = [];
  for (let d = first + ((weekday - weekdayOfDay(first) + 7) % 7); d <= last; d += 7) all.push(d);
  if (n === 0) return all;
  const d = n > 0 ? all[n - 1] : all[all.length + n];
  return d === undefined ? [] : [d];
}

/** A list of days off: single dates and yearly rules, minus the days a calendar takes out (`except:`). */
export class HolidayList {
  private readonly years = new Map<number, Map<number, string>>();

  constructor(
    /** who says so, for `sla-audit calendar`: "config" or the file's name */
    readonly source: string,
    private readonly dates: ReadonlyMap<number, string>,
    private readonly rules: readonly YearlyRule[],
    /** the years its days off span, when they end somewhere (a file of dated events); undefined when they come back every year */
    readonly covers?: { first: number; last: number },
    private readonly except: ReadonlySet<number> = new Set(),
  ) {}

  /** The same list with some days taken out (`except:`). */
  without(days: ReadonlySet<number>): HolidayList {
    return new HolidayList(this.source, this.dates, this.rules, this.covers, days);
  }

  /** Whether a local day lies in the years the list covers. */
  covered(day: number): boolean {
    if (!this.covers) return true;
    const y = civilFromDays(day).y;
    return y >= this.covers.first && y <= this.covers.last;
  }

  /** The name of the day off on a local day ('' when it has none), or undefined. */
  dayOff(day: number): string | undefined {
    return this.except.has(day) ? undefined : this.inList(day);
  }

  /** Whether the list, before `except:`, has this day off (its name), or undefined. */
  inList(day: number): string | undefined {
    const single = this.dates.get(day);
    if (single !== undefined) return single;
    const y = civilFromDays(day).y;
    let days = this.years.get(y);
    if (!days) this.years.set(y, (days = this.yearOf(y)));
    return days.get(day);
  }

  private yearOf(year: number): Map<number, string> {
    const first = daysFromCivil(year, 1, 1);
    const next = daysFromCivil(year + 1, 1, 1);
    // a slot per day of the year, and for each the next one still free (path-compressed): a file of
    // many long recurring events costs one step per occurrence and per day, not per day of each occurrence
    const n = next - first;
    const names: (string | undefined)[] = new Array(n);
    const free = Int32Array.from({ length: n + 1 }, (_, i) => i);
    const find = (i: number): number => {
      let root = i;
      while (free[root] !== root) root = free[root];
      while (free[i] !== root) [free[i], i] = [root, free[i]];
      return root;
    };
    for (const r of this.rules) {
      // a multi-day occurrence that starts late in a year runs on into the next: look a year back
      for (const y of r.length > 1 ? [year - 1, year] : [year]) {
        for (const start of occurrencesIn(r, y)) {
          const to = Math.min(start + r.length, next) - first;
          for (let i = find(Math.max(start - first, 0)); i < to; i = find(i + 1)) {
            names[i] = r.name;
            free[i] = i + 1;
          }
        }
      }
    }
    const days = new Map<number, string>();
    names.forEach((name, i) => name !== undefined && days.set(first + i, name));
    return days;
  }
}
