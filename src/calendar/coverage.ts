/** Whether a run asked calendars about days their countries' or iCalendar files' holiday data does not cover: one warning per list. */
import { formatDay } from '../time/civil.js';
import type { BusinessCalendar } from './calendar.js';

/** Starts counting afresh (before a run). */
export function forgetReach(calendars: Iterable<BusinessCalendar>): void {
  for (const cal of calendars) cal.forgetReach();
}

/**
 * One line per country list whose data a run went beyond, naming the calendars, the years the data
 * covers and the furthest day asked about: nothing is invented for those days, so the user knows.
 */
export function beyondDataWarnings(calendars: Iterable<BusinessCalendar>): string[] {
  const found = new Map<string, { what: string; covers: string; fix: string; calendars: string[]; days: number[] }>();
  for (const cal of calendars) {
    const b = cal.beyondData();
    if (!b) continue;
    const lists = [
      ...cal.countries.map((c) => ({ c, key: `${c.label} ${c.source}`, what: `${c.makesUp ? `${c.label} public holidays and make-up working days` : `${c.label} public holidays`} come from ${c.source}`, fix: "list that year's days under holidays: and workdays:, or update sla-audit" })),
      ...cal.lists.map((c) => ({ c, key: `${cal.name} ${c.source}`, what: `the days off of ${c.source}`, fix: "export the calendar again with that year's days, or list them under holidays:" })),
    ];
    for (const { c, key, what, fix } of lists) {
      if (!c.covers) continue;
      const days = [b.before, b.after].filter((d): d is number => d !== undefined && !c.covered(d));
      if (!days.length) continue;
      let f = found.get(key);
      if (!f) found.set(key, (f = { what, covers: `${c.covers.first}–${c.covers.last}`, fix, calendars: [], days: [] }));
      f.calendars.push(cal.name);
      f.days.push(...days);
    }
  }
  return [...found.values()].map((f) => {
    const cals = `calendar${f.calendars.length > 1 ? 's' : ''} ${f.calendars.map((n) => `"${n}"`).join(', ')}`;
    const days = [...new Set(f.days)].sort((a, b) => a - b).map(formatDay).join(' and ');
    return `${cals}: ${f.what}, which covers ${f.covers}; this run reaches ${days}, where none are applied (${f.fix})`;
  });
}

/** What a calendar's hand-listed holidays leave out in a year (or a run of consecutive years) something reaches, and the fix. */
function listedYearLine(cal: BusinessCalendar, run: readonly number[], reaching: string): string {
  const listed = cal.listedYears();
  const years = listed.length === 1 ? `${listed[0]} only` : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
  if (run.length === 1) {
    const year = run[0];
    return `calendar "${cal.name}": its holidays: list days off in ${years} and none in ${year}, which ${reaching}: every day of ${year} counts by the weekly hours, public holidays as working days; list ${year}'s holidays under holidays:, or take a country's public holidays with { country: CN } (your country's code)`;
  }
  const span = `${run[0]}–${run.at(-1)}`;
  return `calendar "${cal.name}": its holidays: list days off in ${years} and none in ${span}, which ${reaching}: every day of those years counts by the weekly hours, public holidays as working days; list their holidays under holidays:, or take a country's public holidays with { country: CN } (your country's code)`;
}

/** Sorted years in runs of consecutive ones: [2019, 2020, 2021, 2025] is [[2019, 2020, 2021], [2025]]. */
function consecutive(years: readonly number[]): number[][] {
  const out: number[][] = [];
  for (const y of years) {
    const last = out.at(-1);
    if (last && last.at(-1)! + 1 === y) last.push(y);
    else out.push([y]);
  }
  return out;
}

/**
 * One line per calendar and run of consecutive years: a calendar whose days off are dates listed by
 * hand (holidays:) has none at all in years the run reached, while the listed dates fall in other years.
 */
export function listedYearsWarnings(calendars: Iterable<BusinessCalendar>): string[] {
  return [...calendars].flatMap((cal) => consecutive(cal.yearsWithoutDaysOff()).map((run) => listedYearLine(cal, run, 'this run reaches')));
}

/**
 * For `validate`: years between the first and last a calendar lists days off in by hand that have
 * none (2024 and 2026 listed, 2025 not), and with a tickets file the years its tickets were created
 * in that have none: one line per calendar and year.
 */
export function listedYearsProblems(calendars: Iterable<BusinessCalendar>, ticketYears: readonly number[], file: string | undefined): string[] {
  const out: string[] = [];
  for (const cal of calendars) {
    const listed = cal.listedYears();
    if (!listed.length) continue;
    const between = Array.from({ length: listed.at(-1)! - listed[0] + 1 }, (_, i) => listed[0] + i);
    const reached = new Set(cal.yearsWithoutDaysOff(ticketYears));
    // consecutive years with the same reason on one line
    const years = cal.yearsWithoutDaysOff([...between, ...ticketYears]);
    const why = (y: number) => (reached.has(y) ? `tickets in ${file} were created in` : 'lies between them');
    for (const run of consecutive(years)) {
      let part: number[] = [];
      for (const y of run) {
        if (part.length && why(part[0]) !== why(y)) {
          out.push(listedYearLine(cal, part, why(part[0])));
          part = [];
        }
        part.push(y);
      }
      out.push(listedYearLine(cal, part, why(part[0])));
    }
  }
  return out;
}
