/**
 * A calendar laid out for people (`sla-audit calendar`): a year's weekly hours, days off and
 * make-up working days, or its business windows between two instants (the spine).
 */
import { MS_PER_DAY, MS_PER_MINUTE, daysFromCivil, formatDay, weekdayOfDay } from '../time/civil.js';
import type { BusinessCalendar, DayWindow, SpineWindow } from './calendar.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
/** Monday first, as people read a week. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

const hhmm = (m: number) => `${String(Math.floor(m / 60) % 24).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** "09:00-12:00" (a window over midnight reads "22:00-06:00"). */
export function formatWindow(w: DayWindow): string {
  return `${hhmm(w.start)}-${hhmm(w.end)}`;
}

const minutesOf = (wins: readonly DayWindow[]) => wins.reduce((a, w) => a + w.end - w.start, 0);

export interface CalendarYear {
  calendar: string;
  timezone: string;
  year: number;
  /** Monday to Sunday */
  weekly: { weekday: string; windows: string[]; minutes: number }[];
  days_off: { date: string; weekday: string; name: string; source: string }[];
  /** make-up working days (and days the config gives other hours) */
  workdays: { date: string; weekday: string; name: string; windows: string[]; minutes: number; source: string }[];
  /** business time in the year, as the clock counts it (daylight-saving changes included) */
  business_minutes: number;
}

export function calendarYear(cal: BusinessCalendar, year: number): CalendarYear {
  const first = daysFromCivil(year, 1, 1);
  const next = daysFromCivil(year + 1, 1, 1);
  const out: CalendarYear = {
    calendar: cal.name,
    timezone: cal.zone.name,
    year,
    weekly: WEEK_ORDER.map((wd) => {
      const wins = cal.weekdayWindows(wd);
      return { weekday: WEEKDAYS[wd], windows: wins.map(formatWindow), minutes: minutesOf(wins) };
    }),
    days_off: [],
    workdays: [],
    business_minutes: 0,
  };
  for (let d = first; d < next; d++) {
    const s = cal.special(d);
    if (!s) continue;
    const base = { date: formatDay(d), weekday: WEEKDAYS[weekdayOfDay(d)], name: s.name, source: s.source };
    if (s.kind === 'off') out.days_off.push(base);
    else {
      const wins = cal.windowsOn(d);
      out.workdays.push({ ...base, windows: wins.map(formatWindow), minutes: minutesOf(wins) });
    }
  }
  const from = cal.zone.wallToInstant(first * MS_PER_DAY);
  const to = cal.zone.wallToInstant(next * MS_PER_DAY);
  out.business_minutes = cal.elapsed(from, to) / MS_PER_MINUTE;
  return out;
}

export interface CalendarSpine {
  calendar: string;
  timezone: string;
  from: number;
  to: number;
  windows: SpineWindow[];
}

/** The calendar's business windows in [from, to) with the business minutes before each (see BusinessCalendar.windows). */
export function calendarSpine(cal: BusinessCalendar, from: number, to: number): CalendarSpine {
  return { calendar: cal.name, timezone: cal.zone.name, from, to, windows: cal.windows(from, to) };
}
