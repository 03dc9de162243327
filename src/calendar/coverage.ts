/** Whether a run asked calendars about days their countries' holiday data does not cover: one warning per country list. */
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
  const found = new Map<string, { what: string; covers: string; calendars: string[]; days: number[] }>();
  for (const cal of calendars) {
    const b = cal.beyondData();
    if (!b) continue;
    for (const c of cal.countries) {
      if (!c.covers) continue;
      const days = [b.before, b.after].filter((d): d is number => d !== undefined && !c.covered(d));
      if (!days.length) continue;
      const key = `${c.label} ${c.source}`;
      let f = found.get(key);
      if (!f) {
        const what = c.makesUp ? `${c.label} public holidays and make-up working days` : `${c.label} public holidays`;
        found.set(key, (f = { what: `${what} come from ${c.source}`, covers: `${c.covers.first}–${c.covers.last}`, calendars: [], days: [] }));
      }
      f.calendars.push(cal.name);
      f.days.push(...days);
    }
  }
  return [...found.values()].map((f) => {
    const cals = `calendar${f.calendars.length > 1 ? 's' : ''} ${f.calendars.map((n) => `"${n}"`).join(', ')}`;
    const days = [...new Set(f.days)].sort((a, b) => a - b).map(formatDay).join(' and ');
    return `${cals}: ${f.what}, which covers ${f.covers}; this run reaches ${days}, where none are applied (list that year's days under holidays: and workdays:, or update sla-audit)`;
  });
}
