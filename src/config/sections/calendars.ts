/** calendars: weekly windows, holidays and make-up working days, each as a business clock. */
import { BusinessCalendar, type DayWindow } from '../../calendar/calendar.js';
import type { Zone } from '../../time/zone.js';
import type { Path, Problems } from '../positions.js';
import type { RawConfig } from '../schema.js';
import { parseDateRange, parseWeekdays, parseWindow } from '../values.js';
import { zoneAt } from './common.js';

type RawCalendar = NonNullable<RawConfig['calendars']>[string];

export function resolveCalendars(raw: RawConfig['calendars'], zone: Zone, problems: Problems): Map<string, BusinessCalendar> {
  const calendars = new Map<string, BusinessCalendar>();
  const allDay: DayWindow[] = [{ start: 0, end: 1440 }];
  calendars.set('24x7', new BusinessCalendar({ name: '24x7', zone, weekly: Array(7).fill(allDay), holidays: new Set(), workdays: new Map() }));
  for (const [name, cal] of Object.entries(raw ?? {})) {
    const p: Path = ['calendars', name];
    if (name === '24x7') {
      problems.add(p, `"24x7" is built in and cannot be redefined; give your calendar another name`, true);
      continue;
    }
    calendars.set(name, resolveCalendar(name, cal, zone, p, problems));
  }
  return calendars;
}

function resolveCalendar(name: string, cal: RawCalendar, zone: Zone, p: Path, problems: Problems): BusinessCalendar {
  const czone = zoneAt(cal.timezone, zone, [...p, 'timezone'], problems);
  const weekly = weeklyHours(cal.hours, p, problems);
  const holidays = new Set<number>();
  const holidayNames = new Map<number, string>();
  (cal.holidays ?? []).forEach((h, i) => {
    const value = typeof h === 'object' && !(h instanceof Date) ? h.date : h;
    const range = parseDateRange(value);
    if (typeof range === 'string') return problems.add([...p, 'holidays', i], range);
    for (let d = range[0]; d <= range[1]; d++) {
      holidays.add(d);
      if (typeof h === 'object' && !(h instanceof Date) && h.name) holidayNames.set(d, h.name);
    }
  });
  const workdays = new Map<number, DayWindow[]>();
  (cal.workdays ?? []).forEach((w, i) => {
    const obj = typeof w === 'object' && !(w instanceof Date) ? w : undefined;
    const range = parseDateRange(obj ? obj.date : w);
    if (typeof range === 'string') return problems.add([...p, 'workdays', i], range);
    const wins = obj?.hours ? windowsAt(obj.hours, [...p, 'workdays', i, 'hours'], problems) : weekly[1];
    if (!obj?.hours && weekly[1].length === 0) {
      problems.add([...p, 'workdays', i], `the short form takes Monday's hours, but Monday has none; give { date: ..., hours: [...] }`);
    }
    for (let d = range[0]; d <= range[1]; d++) workdays.set(d, wins);
  });
  return new BusinessCalendar({ name, zone: czone, weekly, holidays, workdays, holidayNames });
}

/** hours: weekday or range -> windows, as windows per weekday (0 = Sunday). */
function weeklyHours(hours: RawCalendar['hours'], p: Path, problems: Problems): DayWindow[][] {
  const weekly: DayWindow[][] = Array.from({ length: 7 }, () => []);
  const seen = new Map<number, string>();
  for (const [days, wins] of Object.entries(hours)) {
    const wd = parseWeekdays(days);
    if (typeof wd === 'string') {
      problems.add([...p, 'hours', days], wd, true);
      continue;
    }
    const parsedWins = windowsAt(wins, [...p, 'hours', days], problems);
    for (const d of wd) {
      if (seen.has(d)) problems.add([...p, 'hours', days], `${['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][d]} is already given by "${seen.get(d)}"`, true);
      seen.set(d, days);
      weekly[d] = parsedWins;
    }
  }
  if (weekly.every((w) => w.length === 0)) problems.add([...p, 'hours'], `no working hours on any weekday; add e.g. mon-fri: [09:00-18:00]`);
  return weekly;
}

function windowsAt(wins: string[], path: Path, problems: Problems): DayWindow[] {
  const out: DayWindow[] = [];
  wins.forEach((w, i) => {
    const r = parseWindow(w);
    if (typeof r === 'string') problems.add([...path, i], r);
    else out.push(r);
  });
  out.sort((a, b) => a.start - b.start);
  for (let i = 1; i < out.length; i++) {
    if (out[i].start < out[i - 1].end) problems.add(path, `windows overlap (${wins.join(', ')}); list them without overlaps`);
  }
  return out;
}
