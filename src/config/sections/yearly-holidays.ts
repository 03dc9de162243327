/**
 * A calendar's `holidays:` entries `{ every: 12-25, from?, name?, except? }` (a day off every year,
 * as Znuny's TimeVacationDays and GLPI's recurrent close times) and `{ ical: holidays.ics, except? }`
 * (the all-day events of an iCalendar file, a path relative to the config's folder).
 */
import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { MAX_ICS_BYTES, readIcal } from '../../calendar/ical.js';
import { HolidayList, type YearlyRule } from '../../calendar/yearly.js';
import { civilFromDays, daysFromCivil, daysInMonth, formatDay } from '../../time/civil.js';
import type { Path, Problems } from '../positions.js';
import { parseDateRange } from '../values.js';

export interface EveryEntry {
  every: string | number | Date;
  from?: number | string;
  name?: string;
  except?: (string | Date)[];
}

export interface IcalEntry {
  ical: string;
  except?: (string | Date)[];
}

const isObject = (h: unknown): h is object => typeof h === 'object' && h !== null && !(h instanceof Date);
export const isEveryEntry = (h: unknown): h is EveryEntry => isObject(h) && 'every' in h;
export const isIcalEntry = (h: unknown): h is IcalEntry => isObject(h) && 'ical' in h;

const FIRST_YEAR = 1900;
const LAST_YEAR = 2199;
const MONTH_DAY = /^(\d{1,2})-(\d{1,2})$/;

/** "12-25" or "12-24..12-26" -> the month-days in it, in a leap year's order (02-29 included), or why not. */
function monthDays(text: string): [number, number][] | string {
  const parts = text.split('..');
  const ends = parts.map((x) => MONTH_DAY.exec(x.trim()));
  if (parts.length > 2 || ends.some((m) => !m)) return `"${text}" is not a month and day (write 12-25, or a range 12-24..12-26; no year: it comes back every year)`;
  const [a, b] = ends.map((m) => [Number(m![1]), Number(m![2])] as const);
  for (const [m, d] of [a, b ?? a]) {
    if (m < 1 || m > 12 || d < 1 || d > daysInMonth(2000, m)) return `"${text}": ${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')} is not a day of the year`;
  }
  // in a leap year, so that 02-28..03-01 holds 02-29 (off in leap years only)
  const from = daysFromCivil(2000, a[0], a[1]);
  const to = b ? daysFromCivil(2000, b[0], b[1]) : from;
  if (to < from) return `"${text}" runs over the end of the year; write two entries, e.g. { every: 12-31 } and { every: 01-01 }`;
  const out: [number, number][] = [];
  for (let d = from; d <= to; d++) {
    const { m, d: day } = civilFromDays(d);
    out.push([m, day]);
  }
  return out;
}

/** `{ every: 12-25 }`: a list of one yearly rule per month-day, or undefined (with a problem). */
export function resolveEvery(h: EveryEntry, p: Path, problems: Problems): HolidayList | undefined {
  if (h.every instanceof Date || /^\d{4}-/.test(String(h.every))) {
    const text = h.every instanceof Date ? h.every.toISOString().slice(0, 10) : String(h.every);
    problems.add([...p, 'every'], `"${text}" has a year; every: takes a month and day (every: ${text.slice(5)}); from a given year on, add from: ${text.slice(0, 4)}; for that one day only, list the date itself`);
    return undefined;
  }
  const days = monthDays(String(h.every));
  if (typeof days === 'string') return problems.add([...p, 'every'], days), undefined;
  let firstYear = FIRST_YEAR;
  if (h.from !== undefined) {
    const y = Number(h.from);
    if (!Number.isInteger(y) || y < FIRST_YEAR || y > LAST_YEAR) return problems.add([...p, 'from'], `"${String(h.from)}" is not a year between ${FIRST_YEAR} and ${LAST_YEAR} (from: 2024: every year from 2024 on)`), undefined;
    firstYear = y;
  }
  const rules: YearlyRule[] = days.map(([m, d]) => ({
    name: h.name ?? '', firstYear, interval: 1, from: daysFromCivil(firstYear, 1, 1), until: daysFromCivil(LAST_YEAR, 12, 31),
    months: [m], monthDays: [d], weekdays: [], length: 1, skip: new Set(),
  }));
  return withExcept(new HolidayList('config', new Map(), rules), h.except, `{ every: ${String(h.every)} }`, p, problems);
}

/**
 * `{ ical: holidays.ics }`: the file's days off, or undefined (with a problem naming the file and
 * its line). Its bytes go to `sources`, so that the config's digest changes with the file.
 */
export function resolveIcal(h: IcalEntry, p: Path, dir: string, sources: Buffer[], problems: Problems): HolidayList | undefined {
  const at: Path = [...p, 'ical'];
  const file = h.ical;
  if (/^(https?|webcal):\/\//i.test(file)) {
    return problems.add(at, `"${file}" is a web address; sla-audit reads no network (an audit must give the same numbers tomorrow): download the feed once (curl -o holidays.ics '<the address>') and name the file, e.g. ical: holidays.ics`), undefined;
  }
  if (file.trim() === '') return problems.add(at, 'is empty; name the .ics file, e.g. ical: holidays.ics'), undefined;
  const path = resolve(dir, file);
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return problems.add(at, `${file} is a directory, not an iCalendar file`), undefined;
    if (!st.isFile()) return problems.add(at, `${file} is not a regular file (a device, a pipe or a socket); name an exported .ics file`), undefined;
    if (st.size > MAX_ICS_BYTES) {
      return problems.add(at, `${file} is ${st.size.toLocaleString('en-US')} bytes, more than the ${MAX_ICS_BYTES / 1024 / 1024} MiB a holiday calendar is read up to (one holds a few kilobytes a year); export only the holiday calendar, not a whole mailbox, or split it into several ical: entries`), undefined;
    }
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return problems.add(at, `cannot read ${file} (${code === 'ENOENT' ? 'no such file' : code ?? String(e)}); the path is relative to the config's folder, ${dir}`), undefined;
  }
  sources.push(bytes);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return problems.add(at, `${file} is UTF-16; iCalendar files are UTF-8 (RFC 5545 §3.1.4): export it again, or save it as UTF-8`), undefined;
  }
  if (bytes.includes(0)) return problems.add(at, `${file} looks binary (it has NUL bytes), not an iCalendar file`), undefined;
  if (!isUtf8(bytes)) {
    const loose = bytes.toString('utf8');
    const line = loose.slice(0, loose.indexOf('\uFFFD')).split(/\r\n|\n|\r/).length;
    return problems.add(at, `${file} line ${line}: bytes that are not UTF-8 (iCalendar files are UTF-8, RFC 5545 §3.1.4); export it again, or save it as UTF-8`), undefined;
  }
  const { list, problems: found } = readIcal(bytes.toString('utf8'), basename(file));
  for (const f of found) problems.add(at, `${file} line ${f.line}: ${f.message}`);
  return list ? withExcept(list, h.except, file, p, problems) : undefined;
}

/** The list minus `except:`; a date the list does not have is a problem (a typo would change nothing). */
function withExcept(list: HolidayList, except: (string | Date)[] | undefined, label: string, p: Path, problems: Problems): HolidayList {
  const days = new Set<number>();
  (except ?? []).forEach((e, k) => {
    const range = parseDateRange(e);
    if (typeof range === 'string') return problems.add([...p, 'except', k], range);
    for (let d = range[0]; d <= range[1]; d++) {
      if (list.inList(d) === undefined) {
        return problems.add([...p, 'except', k], `${formatDay(d)} is not a day off of ${label}, so there is nothing to take out; remove it`);
      }
      days.add(d);
    }
  });
  return days.size ? list.without(days) : list;
}
