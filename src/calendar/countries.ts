/**
 * Public holidays by country, from data packages: China's (the State Council's yearly schedule,
 * with its 调休 make-up working days) from `chinese-days`, every other country's from the rules of
 * `date-holidays`. Each package loads only when a calendar names a country it serves, and only its
 * data is read (no date library runs per ticket: a calendar asks here once per day it lays out).
 */
import { createRequire } from 'node:module';
import { civilFromDays, daysFromCivil, parseDay } from '../time/civil.js';

const require = createRequire(import.meta.url);

/** The days of one country's list that matter to a calendar: days off and make-up working days, with their names. */
interface DayLists {
  holidays: Map<number, string>;
  workdays: Map<number, string>;
}

/** A country's public holidays (and make-up working days), minus the days a calendar takes out of it. */
export class CountryHolidays {
  private readonly years = new Map<number, DayLists>();

  constructor(
    /** "CN", "US-CA" */
    readonly label: string,
    /** the package and its version, for messages: "chinese-days 1.5.7" */
    readonly source: string,
    /** the years the data covers, when it ends somewhere (rules-based lists cover every year) */
    readonly covers: { first: number; last: number } | undefined,
    /** whether the list has make-up working days (调休) */
    readonly makesUp: boolean,
    private readonly yearOf: (year: number) => DayLists,
    private readonly except: ReadonlySet<number> = new Set(),
  ) {}

  /** The same list with some days taken out (`except:`). */
  without(days: ReadonlySet<number>): CountryHolidays {
    return new CountryHolidays(this.label, this.source, this.covers, this.makesUp, this.yearOf, days);
  }

  private lists(day: number): DayLists {
    const y = civilFromDays(day).y;
    let l = this.years.get(y);
    if (!l) this.years.set(y, (l = this.yearOf(y)));
    return l;
  }

  /** The name of the public holiday on a local day, or undefined. */
  holiday(day: number): string | undefined {
    return this.except.has(day) ? undefined : this.lists(day).holidays.get(day);
  }

  /** The name of the holiday a make-up working day on this local day makes up for, or undefined. */
  makeUp(day: number): string | undefined {
    return this.except.has(day) ? undefined : this.lists(day).workdays.get(day);
  }

  /** Whether the list (before `except:`) has this day at all, as a day off or a make-up day. */
  inList(day: number): boolean {
    const l = this.lists(day);
    return l.holidays.has(day) || l.workdays.has(day);
  }

  /** Whether a local day lies in the years the data covers. */
  covered(day: number): boolean {
    if (!this.covers) return true;
    const y = civilFromDays(day).y;
    return y >= this.covers.first && y <= this.covers.last;
  }
}

const versionOf = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

let china: CountryHolidays | undefined;

/** China: the State Council's schedule, as `chinese-days` records it (its JSON file: day -> "English,中文,days"). */
function chineseDays(): CountryHolidays {
  if (china) return china;
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  const name = (v: string) => {
    const [en, zh] = v.split(',');
    return zh && en ? `${zh} ${en}` : v;
  };
  const byYear = new Map<number, DayLists>();
  const at = (year: number) => {
    let l = byYear.get(year);
    if (!l) byYear.set(year, (l = { holidays: new Map(), workdays: new Map() }));
    return l;
  };
  let first = Infinity;
  let last = -Infinity;
  for (const [kind, list] of [['holidays', data.holidays], ['workdays', data.workdays]] as const) {
    for (const [date, v] of Object.entries(list)) {
      const day = parseDay(date);
      if (day === undefined) continue;
      const y = civilFromDays(day).y;
      first = Math.min(first, y);
      last = Math.max(last, y);
      at(y)[kind].set(day, name(v));
    }
  }
  const none: DayLists = { holidays: new Map(), workdays: new Map() };
  china = new CountryHolidays('CN', `chinese-days ${versionOf('chinese-days')}`, { first, last }, true, (y) => byYear.get(y) ?? none);
  return china;
}

interface DateHolidays {
  getCountries(lang?: string): Record<string, string> | undefined;
  getStates(country: string, lang?: string): Record<string, string> | undefined;
  getHolidays(year: number): { date: string; start: Date; end: Date; name: string; type: string }[];
}
type DateHolidaysClass = new (country?: string, state?: string, opts?: { languages?: string[] }) => DateHolidays;

let dateHolidays: DateHolidaysClass | undefined;
const loadDateHolidays = () => (dateHolidays ??= require('date-holidays') as DateHolidaysClass);

/** Any other country (and a state or region of it): public holidays computed by `date-holidays`' rules, per year. */
function ruleBased(country: string, region: string | undefined): CountryHolidays {
  const Holidays = loadDateHolidays();
  const hd = new Holidays(country, region, { languages: ['en'] });
  const yearOf = (year: number): DayLists => {
    const holidays = new Map<number, string>();
    for (const h of hd.getHolidays(year)) {
      if (h.type !== 'public') continue;
      const day = parseDay(h.date.slice(0, 10));
      if (day === undefined) continue;
      // a holiday of several days (rare) is off on each of them
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
      for (let d = day; d < day + days; d++) if (!holidays.has(d)) holidays.set(d, h.name);
    }
    return { holidays, workdays: new Map() };
  };
  return new CountryHolidays(region ? `${country}-${region}` : country, `date-holidays ${versionOf('date-holidays')}`, undefined, false, yearOf);
}

/** What is wrong with a country or region code (for a config message), or undefined when both are known. */
export function countryProblem(countryCode: string, regionCode?: string): { at: 'country' | 'region'; problem: string } | undefined {
  const country = countryCode.trim().toUpperCase();
  const region = regionCode?.trim().toUpperCase();
  if (country === 'CN') {
    return region === undefined ? undefined : { at: 'region', problem: `China's public holidays are national (the State Council's schedule, from chinese-days); remove region "${regionCode}"` };
  }
  const Holidays = loadDateHolidays();
  const countries = new Holidays().getCountries('en') ?? {};
  if (!(country in countries)) {
    // a country's name instead of its code: say the code
    const named = Object.entries(countries).find(([, n]) => country.length > 2 && n.toUpperCase().includes(country));
    return { at: 'country', problem: `unknown country "${countryCode}"; use an ISO 3166 code such as ${named ? `${named[0]} (${named[1]})` : 'CN, US, GB, DE, JP or SG'}` };
  }
  if (region === undefined) return undefined;
  const states = new Holidays().getStates(country, 'en') ?? {};
  if (region in states) return undefined;
  const regions = Object.keys(states);
  return regions.length
    ? { at: 'region', problem: `unknown region "${regionCode}" of ${country} (known: ${regions.join(', ')})` }
    : { at: 'region', problem: `date-holidays knows no regions of ${country} (${countries[country]}); remove region "${regionCode}"` };
}

/** A country's holiday list (codes as `countryProblem` accepts them: ISO 3166, `CN`, `US` with region `CA`). */
export function countryHolidays(countryCode: string, regionCode?: string): CountryHolidays {
  const country = countryCode.trim().toUpperCase();
  return country === 'CN' ? chineseDays() : ruleBased(country, regionCode?.trim().toUpperCase());
}
