/** calendars: weekly windows, holidays and make-up working days, each as a business clock. */
import { resolve } from 'node:path';
import { BusinessCalendar, type CalendarSpec, type DayWindow } from '../../calendar/calendar.js';
import type { CountryHolidays } from '../../calendar/countries.js';
import { formatWindow } from '../../calendar/listing.js';
import { daysFromCivil, formatDay } from '../../time/civil.js';
import type { Zone } from '../../time/zone.js';
import type { Path, Problems } from '../positions.js';
import type { RawConfig } from '../zod-schema.js';
import { parseDateRange, parseWeekdays, parseWindow } from '../values.js';
import { zoneAt } from './common.js';
import { isCountryEntry, resolveCountry } from './country-holidays.js';
import { isEveryEntry, isIcalEntry, resolveEvery, resolveIcal } from './yearly-holidays.js';
import type { HolidayList } from '../../calendar/yearly.js';

/** Where a calendar's `ical:` files are read from, and where their bytes go (for the config's digest). */
export interface CalendarFiles {
  dir: string;
  sources: Buffer[];
  /** the ical: files named, resolved (no report may be written over them) */
  paths?: string[];
  /** the entries of holidays:, workdays: and hours: cut for a wrong shape (salvage.ts: standIns), skipped here: said once, by the schema */
  cut?: ReadonlySet<string>;
}

type RawCalendar = NonNullable<RawConfig['calendars']>[string];

export function resolveCalendars(raw: RawConfig['calendars'], zone: Zone, problems: Problems, files: CalendarFiles = { dir: process.cwd(), sources: [] }): Map<string, BusinessCalendar> {
  const calendars = new Map<string, BusinessCalendar>();
  const allDay: DayWindow[] = [{ start: 0, end: 1440 }];
  calendars.set('24x7', new BusinessCalendar({ name: '24x7', zone, weekly: Array(7).fill(allDay), holidays: new Set(), workdays: new Map() }));
  for (const [name, cal] of Object.entries(raw ?? {})) {
    const p: Path = ['calendars', name];
    if (name === '24x7') {
      problems.add(p, `"24x7" is built in and cannot be redefined; give your calendar another name`, true);
      continue;
    }
    const calendar = resolveCalendar(name, cal, zone, p, problems, files);
    // checked, but left out: every window of its hours was cut for a wrong shape (salvage.ts)
    if (!files.cut?.has(JSON.stringify(p))) calendars.set(name, calendar);
  }
  return calendars;
}

function resolveCalendar(name: string, cal: RawCalendar, zone: Zone, p: Path, problems: Problems, files: CalendarFiles): BusinessCalendar {
  const czone = zoneAt(cal.timezone, zone, [...p, 'timezone'], problems);
  const isCut = (...at: (string | number)[]) => files.cut?.has(JSON.stringify([...p, ...at])) ?? false;
  const { weekly, keys, cutDays } = weeklyHours(cal.hours, p, problems, isCut);
  /** Monday has no hours, and not because its windows were cut (a problem said already) */
  const noMonday = weekly[1].length === 0 && !cutDays.has(1);
  const holidays = new Set<number>();
  const holidayNames = new Map<number, string>();
  /** day -> the holidays entry that names it */
  const holidayEntry = new Map<number, number>();
  /** countries' lists, with the holidays entry that gives each */
  const countries: { list: CountryHolidays; entry: number }[] = [];
  /** yearly days off and iCalendar files' lists, with the holidays entry that gives each */
  const lists: { list: HolidayList; entry: number }[] = [];
  (cal.holidays ?? []).forEach((h, i) => {
    if (isCut('holidays', i)) return;
    if (isEveryEntry(h) || isIcalEntry(h)) {
      const at: Path = [...p, 'holidays', i];
      if (isIcalEntry(h) && typeof h.ical === 'string' && h.ical.trim()) files.paths?.push(resolve(files.dir, h.ical));
      const list = isEveryEntry(h) ? resolveEvery(h, at, problems) : resolveIcal(h, at, files.dir, files.sources, problems);
      if (list) lists.push({ list, entry: i });
      return;
    }
    if (isCountryEntry(h)) {
      const list = resolveCountry(h, [...p, 'holidays', i], problems);
      if (list?.makesUp && noMonday) {
        problems.add([...p, 'holidays', i], `${list.label}'s make-up working days take Monday's hours, but Monday has none; give Monday hours, or take the make-up days out with except:`);
      }
      if (list) countries.push({ list, entry: i });
      return;
    }
    const value = typeof h === 'object' && !(h instanceof Date) && 'date' in h ? h.date : h;
    const range = parseDateRange(value);
    if (typeof range === 'string') return problems.add([...p, 'holidays', i], range);
    for (let d = range[0]; d <= range[1]; d++) {
      holidays.add(d);
      holidayEntry.set(d, i);
      if (typeof h === 'object' && !(h instanceof Date) && 'date' in h && h.name) holidayNames.set(d, h.name);
    }
  });
  const workdays = new Map<number, DayWindow[]>();
  const workdayEntry = new Map<number, number>();
  (cal.workdays ?? []).forEach((w, i) => {
    if (isCut('workdays', i)) return;
    const obj = typeof w === 'object' && !(w instanceof Date) ? w : undefined;
    const range = parseDateRange(obj ? obj.date : w);
    if (typeof range === 'string') return problems.add([...p, 'workdays', i], range);
    const wins = obj?.hours ? windowsAt(obj.hours, [...p, 'workdays', i, 'hours'], problems) : weekly[1];
    if (!obj?.hours && noMonday) {
      problems.add([...p, 'workdays', i], `the short form takes Monday's hours, but Monday has none; give { date: ..., hours: [...] }`);
    }
    for (let d = range[0]; d <= range[1]; d++) {
      const h = holidayEntry.get(d);
      if (h !== undefined) {
        problems.add([...p, 'workdays', i], `${formatDay(d)} is both a holiday (holidays[${h}]) and a make-up working day (workdays[${i}]); keep one of them`);
      }
      for (const l of lists) {
        const name = l.list.dayOff(d);
        if (name !== undefined) {
          problems.add([...p, 'workdays', i], `${formatDay(d)} is both a day off${name ? ` (${name})` : ''} of holidays[${l.entry}] and a make-up working day (workdays[${i}]); to work that day, add it to except: of holidays[${l.entry}]`);
        }
      }
      for (const c of countries) {
        const name = c.list.holiday(d);
        if (name !== undefined) {
          problems.add([...p, 'workdays', i], `${formatDay(d)} is both a ${c.list.label} public holiday (${name}, holidays[${c.entry}]) and a make-up working day (workdays[${i}]); to work that day, add it to except: of holidays[${c.entry}]`);
        }
      }
      workdays.set(d, wins);
      workdayEntry.set(d, i);
    }
  });
  for (const [d, i] of holidayEntry) {
    for (const c of countries) {
      const name = c.list.makeUp(d);
      if (name !== undefined) {
        problems.add([...p, 'holidays', i], `${formatDay(d)} is both a day off (holidays[${i}]) and a ${c.list.label} make-up working day (${name}, holidays[${c.entry}]); to take it off, add it to except: of holidays[${c.entry}]`);
      }
    }
  }
  listsAgainstMakeUps(lists, countries, p, problems);
  const spec: CalendarSpec = { name, zone: czone, weekly, holidays, workdays, holidayNames, lists: lists.map((l) => l.list), countries: countries.map((c) => c.list) };
  nightOverlaps(spec, keys, workdayEntry, p, problems);
  const calendar = new BusinessCalendar(spec);
  if (lists.length && weekly.some((w) => w.length) && !opensIn(calendar, 2196) && !opensIn(calendar, 2199)) {
    problems.add(p, 'its days off every year (every:, ical:) cover every day, so it has no working time and no target on it would ever fall due; take out the entry that covers too much');
  }
  return calendar;
}

/**
 * Whether a calendar has working time in a year. Every yearly rule applies in the last years they
 * are laid out for (a leap year and the last), so a calendar shut in both is shut in every year.
 */
function opensIn(calendar: BusinessCalendar, year: number): boolean {
  for (let d = daysFromCivil(year, 1, 1), end = daysFromCivil(year + 1, 1, 1); d < end; d++) {
    if (calendar.windowsOn(d).length) return true;
  }
  return false;
}

/**
 * A yearly or iCalendar day off on a country's make-up working day is a contradiction, as an
 * explicit date is: said once per pair of entries (the first such day), over the years the
 * country's data covers.
 */
function listsAgainstMakeUps(lists: { list: HolidayList; entry: number }[], countries: { list: CountryHolidays; entry: number }[], p: Path, problems: Problems): void {
  for (const c of countries) {
    if (!c.list.makesUp || !c.list.covers) continue;
    const first = daysFromCivil(c.list.covers.first, 1, 1);
    const last = daysFromCivil(c.list.covers.last + 1, 1, 1);
    for (const l of lists) {
      const both: number[] = [];
      let name = '';
      for (let d = first; d < last; d++) {
        const makeUp = c.list.makeUp(d);
        if (makeUp === undefined || l.list.dayOff(d) === undefined) continue;
        both.push(d);
        name ||= makeUp;
      }
      if (!both.length) continue;
      const [one, them] = both.length > 1 ? ['are both days off', 'them'] : ['is both a day off', 'it'];
      const days = both.length > 3 ? `${both.slice(0, 3).map(formatDay).join(', ')} and ${both.length - 3} more` : both.map(formatDay).join(' and ');
      const makeUps = both.length > 1 ? `${c.list.label} make-up working days (holidays[${c.entry}])` : `a ${c.list.label} make-up working day (${name}, holidays[${c.entry}])`;
      problems.add([...p, 'holidays', l.entry], `${days} ${one} (holidays[${l.entry}]) and ${makeUps}; to take ${them} off, add ${them} to except: of holidays[${c.entry}]; to work ${them}, add ${them} to except: of holidays[${l.entry}]`);
    }
  }
}

const WEEKDAY = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const shown = formatWindow;

/** The first window of `next` that a window of `day` crossing midnight runs into, if any. */
function runsInto(day: DayWindow[], next: DayWindow[]): [DayWindow, DayWindow] | undefined {
  for (const w of day) {
    if (w.end <= 1440) continue;
    const hit = next.find((n) => n.start < w.end - 1440);
    if (hit) return [w, hit];
  }
  return undefined;
}

/**
 * A window crossing midnight must end before the next day's first window starts: each weekday
 * against the next, and each make-up working day against its neighbours.
 */
function nightOverlaps(spec: CalendarSpec, keys: string[], workdayEntry: Map<number, number>, p: Path, problems: Problems): void {
  for (let d = 0; d < 7; d++) {
    const hit = runsInto(spec.weekly[d], spec.weekly[(d + 1) % 7]);
    if (hit) {
      problems.add([...p, 'hours', keys[d]], `${WEEKDAY[d]}'s window ${shown(hit[0])} runs into ${WEEKDAY[(d + 1) % 7]}'s window ${shown(hit[1])}; a window over midnight must end before the next day's first window`, true);
    }
  }
  const cal = new BusinessCalendar(spec);
  const on = (day: number) => cal.windowsOn(day);
  for (const [d, i] of workdayEntry) {
    for (const [a, b] of [[d - 1, d], [d, d + 1]]) {
      const hit = runsInto(on(a), on(b));
      if (hit) problems.add([...p, 'workdays', i], `the window ${shown(hit[0])} on ${formatDay(a)} runs into the window ${shown(hit[1])} on ${formatDay(b)}; a window over midnight must end before the next day's first window`);
    }
  }
}

/**
 * hours: weekday or range -> windows, as windows per weekday (0 = Sunday), the key that gave each,
 * and the weekdays that lost windows cut for a wrong shape (`isCut`).
 */
function weeklyHours(hours: RawCalendar['hours'], p: Path, problems: Problems, isCut: (...at: (string | number)[]) => boolean): { weekly: DayWindow[][]; keys: string[]; cutDays: Set<number> } {
  const weekly: DayWindow[][] = Array.from({ length: 7 }, () => []);
  const keys: string[] = Array(7).fill('');
  const seen = new Map<number, string>();
  const cutDays = new Set<number>();
  for (const [days, wins] of Object.entries(hours)) {
    const wd = parseWeekdays(days);
    if (typeof wd === 'string') {
      problems.add([...p, 'hours', days], wd, true);
      continue;
    }
    const skip = (i: number) => isCut('hours', days, i);
    const cut = isCut('hours', days) || wins.some((_, i) => skip(i));
    const parsedWins = isCut('hours', days) ? [] : windowsAt(wins, [...p, 'hours', days], problems, skip);
    for (const d of wd) {
      if (cut) cutDays.add(d);
      if (seen.has(d)) problems.add([...p, 'hours', days], `${['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][d]} is already given by "${seen.get(d)}"`, true);
      seen.set(d, days);
      weekly[d] = parsedWins;
      keys[d] = days;
    }
  }
  if (weekly.every((w) => w.length === 0) && !cutDays.size) problems.add([...p, 'hours'], `no working hours on any weekday; add e.g. mon-fri: [09:00-18:00]`);
  return { weekly, keys, cutDays };
}

/** The windows of a list, each checked; `skip`: windows cut for a wrong shape (said already). */
function windowsAt(wins: string[], path: Path, problems: Problems, skip: (i: number) => boolean = () => false): DayWindow[] {
  const out: DayWindow[] = [];
  wins.forEach((w, i) => {
    if (skip(i)) return;
    const r = parseWindow(w);
    if (typeof r === 'string') problems.add([...path, i], r);
    else out.push(r);
  });
  out.sort((a, b) => a.start - b.start);
  if (out.some((w, i) => i > 0 && w.start < out[i - 1].end)) problems.add(path, `windows overlap (${wins.filter((_, i) => !skip(i)).join(', ')}); list them without overlaps`);
  return out;
}
