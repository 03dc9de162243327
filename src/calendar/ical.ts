/**
 * Days off from an iCalendar file (RFC 5545), as Outlook, Google Calendar and Zammad's holiday feed
 * export them: the all-day events (VEVENT with DTSTART;VALUE=DATE, DTEND exclusive, or DURATION),
 * yearly recurrences (RRULE FREQ=YEARLY with INTERVAL, COUNT or UNTIL, BYMONTH, BYMONTHDAY, BYDAY),
 * RDATE and EXDATE, moved or cancelled occurrences (RECURRENCE-ID, STATUS:CANCELLED), folded lines,
 * CRLF or LF. Only that subset is read, by hand: a general iCalendar library would bring timed
 * events, time zones and every recurrence kind (and, for some, network fetching) into the bundle,
 * and none says on which line a file goes wrong. Whatever the subset does not cover is refused with
 * its line, never skipped: a timed event (a half day or a meeting is not a day off, and taking its
 * date whole would invent one), another frequency, an unknown BYxxx part.
 */
import { civilFromDays, daysFromCivil, daysInMonth } from '../time/civil.js';
import { HolidayList, occurrencesIn, type NthWeekday, type YearlyRule } from './yearly.js';

/** Larger files are refused: a holiday calendar is a few kilobytes a year. */
export const MAX_ICS_BYTES = 4 * 1024 * 1024;
/** More events are refused: a holiday calendar has a few dozen a year. */
export const MAX_ICS_EVENTS = 10_000;
/** Problems listed per file before the rest are counted. */
const MAX_PROBLEMS = 10;
/** Years a recurrence is followed to (timestamps after 2199 are refused anyway). */
const LAST_YEAR = 2199;

export interface IcalProblem {
  line: number;
  message: string;
}

interface Prop {
  name: string;
  params: Map<string, string>;
  value: string;
  line: number;
}

/** Logical lines: folded lines (a line starting with a space or tab continues the one before) joined, with the number of their first physical line. */
function unfold(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if ((l.startsWith(' ') || l.startsWith('\t')) && out.length) out[out.length - 1].text += l.slice(1);
    else if (l.trim() !== '') out.push({ text: l, line: i + 1 });
  }
  return out;
}

/** NAME;PARAM=VALUE;PARAM="QUOTED:VALUE":value, in one pass (a hostile line costs its length, no more). */
function parseProp(text: string, line: number): Prop | undefined {
  const cuts: number[] = [];
  let quoted = false;
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ';') cuts.push(i);
    else if (!quoted && c === ':') break;
  }
  if (i >= text.length) return undefined;
  const ends = [...cuts, i];
  const params = new Map<string, string>();
  for (let k = 0; k < cuts.length; k++) {
    const p = text.slice(cuts[k] + 1, ends[k + 1]);
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"|"$/g, ''));
  }
  return { name: text.slice(0, ends[0]).toUpperCase(), params, value: text.slice(i + 1), line };
}

const shown = (s: string) => (s.length > 60 ? `${s.slice(0, 57)}...` : s);
const unescape = (s: string) => s.replace(/\\([\\;,nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? ' ' : c));

/** "20261225" -> a day number; a date-time "20261225T000000Z" too when `time` (its date part), else undefined. */
function dayOf(value: string, time = false): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(value.trim());
  if (!m || (m[4] && !time)) return undefined;
  const y = +m[1], mo = +m[2], d = +m[3];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  return daysFromCivil(y, mo, d);
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

const LOCAL_MIDNIGHT = /^\d{8}T000000$/;

/**
 * Some exporters (Outlook, Exchange) write an all-day event as local midnight to local midnight
 * (DTSTART;TZID=...:20261225T000000, DTEND ...20261226T000000, with X-MICROSOFT-CDO-ALLDAYEVENT).
 * Those wall times mark whole days in the event's own zone, so they are read as the dates; a time
 * in UTC (...Z) or at any other hour is not a whole local day and stays refused.
 */
function midnightToMidnight(props: Prop[]): Prop[] {
  const start = props.find((p) => p.name === 'DTSTART');
  const end = props.find((p) => p.name === 'DTEND');
  const days = props.find((p) => p.name === 'DURATION' && /^P\d+[DW]$/.test(p.value.trim()));
  if (!start || !LOCAL_MIDNIGHT.test(start.value.trim()) || !(end ? LOCAL_MIDNIGHT.test(end.value.trim()) : days)) return props;
  return props.map((p) => (['DTSTART', 'DTEND', 'RDATE'].includes(p.name) ? { ...p, value: p.value.split(',').map((v) => v.trim().replace(/T000000$/, '')).join(',') } : p));
}

class Reader {
  readonly problems: IcalProblem[] = [];
  hidden = 0;
  /** each event's single days off (DTSTART, RDATE, multi-day spans) and its yearly rule, by UID */
  readonly singles: { uid: string; start: number; length: number; name: string }[] = [];
  readonly rules: (YearlyRule & { uid: string })[] = [];
  /** occurrences moved or cancelled by an event with RECURRENCE-ID, by UID */
  readonly moved = new Map<string, Set<number>>();

  problem(line: number, message: string): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ line, message });
    else this.hidden++;
  }

  /** A DATE property's day, or a problem (a timed value is refused: see the file's comment). */
  date(p: Prop, what: string): number | undefined {
    const day = dayOf(p.value);
    if (day !== undefined) return day;
    if (dayOf(p.value, true) !== undefined) {
      this.problem(p.line, `${p.name}:${shown(p.value)} is a time, not a date: only all-day events are days off (a timed event may be a meeting or a half day; taking its date whole would invent a day off). Make it an all-day event, or give a short day as a workdays: entry with its hours`);
    } else this.problem(p.line, `${p.name} "${shown(p.value)}" is not a date (${what} is written YYYYMMDD, e.g. 20261225)`);
    return undefined;
  }

  /** An event's properties (nested components left out) to a date, a rule, or a problem. */
  event(raw: Prop[], begin: number): void {
    const props = midnightToMidnight(raw);
    const one = (name: string) => props.find((p) => p.name === name);
    const all = (name: string) => props.filter((p) => p.name === name);
    const startProp = one('DTSTART');
    if (!startProp) return this.problem(begin, 'an event (BEGIN:VEVENT) without DTSTART: give it a date, DTSTART;VALUE=DATE:20261225');
    const start = this.date(startProp, 'an all-day DTSTART');
    if (start === undefined) return;
    const length = this.length(one('DTEND'), one('DURATION'), start);
    if (length === undefined) return;
    const name = unescape(one('SUMMARY')?.value ?? '').trim();
    const uid = one('UID')?.value.trim() ?? '';
    const recurrenceId = one('RECURRENCE-ID');
    if (recurrenceId) {
      // this event replaces one occurrence of its series (moved, or cancelled)
      const day = dayOf(recurrenceId.value, true);
      if (day === undefined) return this.problem(recurrenceId.line, `RECURRENCE-ID "${shown(recurrenceId.value)}" is not a date`);
      if (!this.moved.has(uid)) this.moved.set(uid, new Set());
      this.moved.get(uid)!.add(day);
    }
    if (one('STATUS')?.value.trim().toUpperCase() === 'CANCELLED') return;
    const skip = new Set<number>();
    for (const p of all('EXDATE')) {
      for (const v of p.value.split(',')) {
        const d = dayOf(v, true);
        if (d === undefined) this.problem(p.line, `EXDATE "${shown(v)}" is not a date (YYYYMMDD)`);
        else skip.add(d);
      }
    }
    const extra: number[] = [];
    for (const p of all('RDATE')) {
      for (const v of p.value.split(',')) {
        const d = this.date({ ...p, value: v }, 'an RDATE of an all-day event');
        if (d !== undefined) extra.push(d);
      }
    }
    const rrules = all('RRULE');
    if (rrules.length > 1) return this.problem(rrules[1].line, 'an event with two RRULEs; give each recurrence its own event');
    const rule = rrules.length ? this.rule(rrules[0], start, length, name, skip) : undefined;
    if (rrules.length && !rule) return;
    if (rule) this.rules.push({ ...rule, uid });
    // DTSTART is the first occurrence even when the rule would not give it; RDATEs are more
    for (const d of [start, ...extra]) {
      if (skip.has(d) || (rule && occurrencesIn(rule, civilFromDays(d).y).includes(d))) continue;
      this.singles.push({ uid: recurrenceId ? '' : uid, start: d, length, name });
    }
  }

  /** The list, once every event is read: occurrences that other events moved or cancelled are taken out of their series. */
  list(source: string): HolidayList {
    const dates = new Map<number, string>();
    for (const e of this.singles) {
      if (e.uid && this.moved.get(e.uid)?.has(e.start)) continue;
      for (let k = e.start; k < e.start + e.length; k++) if (!dates.has(k)) dates.set(k, e.name);
    }
    const rules = this.rules.map(({ uid, ...rule }) => {
      const moved = uid ? this.moved.get(uid) : undefined;
      return moved ? { ...rule, skip: new Set([...rule.skip, ...moved]) } : rule;
    });
    return new HolidayList(source, dates, rules, this.covers(dates, rules));
  }

  /**
   * The years the file's days off span: from the first year with one to the last (a recurrence
   * with an end counts to its end); undefined when a recurrence has no end (it covers every year).
   * A feed of dated holidays (Google's exports hold a few years) covers no year after its last.
   */
  covers(dates: Map<number, string>, rules: YearlyRule[]): { first: number; last: number } | undefined {
    const open = daysFromCivil(LAST_YEAR, 12, 31);
    if (rules.some((r) => r.until >= open)) return undefined;
    const years = [...dates.keys()].map((d) => civilFromDays(d).y);
    for (const r of rules) years.push(r.firstYear, civilFromDays(r.until).y);
    if (!years.length) return undefined;
    return { first: Math.min(...years), last: Math.max(...years) };
  }

  /** Days an event lasts: DTEND (exclusive) or DURATION (P3D, P1W), else 1. */
  length(end: Prop | undefined, duration: Prop | undefined, start: number): number | undefined {
    let days = 1;
    if (end) {
      const e = this.date(end, 'an all-day DTEND');
      if (e === undefined) return undefined;
      days = e - start;
      if (days < 1) return this.problem(end.line, `DTEND ${end.value} is not after DTSTART (an all-day event ends the day after its last day)`), undefined;
    } else if (duration) {
      const m = /^P(\d+)([DW])$/.exec(duration.value.trim());
      if (!m) return this.problem(duration.line, `DURATION "${shown(duration.value)}" is not a number of days or weeks (P1D, P2W): an all-day event lasts whole days`), undefined;
      days = +m[1] * (m[2] === 'W' ? 7 : 1);
    }
    if (days > 366) return this.problem((end ?? duration)!.line, `an event of ${days} days is longer than a year; is DTEND right?`), undefined;
    return days;
  }

  /** RRULE: FREQ=YEARLY with the parts holiday calendars use; anything else a problem. */
  rule(p: Prop, start: number, length: number, name: string, skip: Set<number>): YearlyRule | undefined {
    const parts = new Map<string, string>();
    for (const kv of p.value.split(';')) {
      const eq = kv.indexOf('=');
      if (eq > 0) parts.set(kv.slice(0, eq).toUpperCase().trim(), kv.slice(eq + 1).trim().toUpperCase());
    }
    const bad = (why: string) => (this.problem(p.line, `RRULE ${shown(p.value)}: ${why}`), undefined);
    const freq = parts.get('FREQ');
    if (freq !== 'YEARLY') return bad(`${freq ? `FREQ=${freq}` : 'no FREQ'}: only yearly recurrences (FREQ=YEARLY) are read for holidays; list the dates as single events instead`);
    const unknown = [...parts.keys()].filter((k) => !['FREQ', 'INTERVAL', 'COUNT', 'UNTIL', 'BYMONTH', 'BYMONTHDAY', 'BYDAY', 'WKST'].includes(k));
    if (unknown.length) return bad(`${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not read (FREQ=YEARLY with INTERVAL, COUNT, UNTIL, BYMONTH, BYMONTHDAY and BYDAY are); list the dates as single events instead`);
    if (parts.has('COUNT') && parts.has('UNTIL')) return bad('COUNT and UNTIL together (RFC 5545 allows one of them)');
    const ints = (key: string, lo: number, hi: number, nonZero = false) => {
      const v = parts.get(key);
      if (v === undefined) return [];
      const list = v.split(',').map((x) => (/^[+-]?\d+$/.test(x) ? Number(x) : NaN));
      return list.every((n) => Number.isInteger(n) && n >= lo && n <= hi && (!nonZero || n !== 0)) ? list : undefined;
    };
    const interval = ints('INTERVAL', 1, 1000);
    const count = ints('COUNT', 1, 100_000);
    const months = ints('BYMONTH', 1, 12);
    const monthDays = ints('BYMONTHDAY', -31, 31, true);
    if (!interval || interval.length > 1) return bad(`INTERVAL=${parts.get('INTERVAL')} is not a whole number of years from 1`);
    if (!count || count.length > 1) return bad(`COUNT=${parts.get('COUNT')} is not a whole number from 1`);
    if (!months) return bad(`BYMONTH=${parts.get('BYMONTH')} is not a list of months 1-12`);
    if (!monthDays) return bad(`BYMONTHDAY=${parts.get('BYMONTHDAY')} is not a list of days of the month (1 to 31, or -1 to -31 from its end)`);
    const weekdays: NthWeekday[] = [];
    for (const w of parts.get('BYDAY')?.split(',') ?? []) {
      const m = /^([+-]?\d{1,2})?(SU|MO|TU|WE|TH|FR|SA)$/.exec(w);
      const n = m?.[1] ? Number(m[1]) : 0;
      if (!m || Math.abs(n) > 5) return bad(`BYDAY=${parts.get('BYDAY')} is not a list of weekdays, each with an optional position in the month (4TH, -1MO, TU)`);
      weekdays.push({ n, weekday: WEEKDAYS.indexOf(m[2]) });
    }
    if (weekdays.length && !months.length) return bad('BYDAY without BYMONTH (a weekday of the year, not of a month) is not read; add BYMONTH');
    const s = civilFromDays(start);
    let until = daysFromCivil(LAST_YEAR, 12, 31);
    if (parts.has('UNTIL')) {
      const u = dayOf(parts.get('UNTIL')!, true);
      if (u === undefined) return bad(`UNTIL=${parts.get('UNTIL')} is not a date (YYYYMMDD or YYYYMMDDTHHMMSSZ)`);
      until = u;
    }
    const rule: YearlyRule = {
      name, firstYear: s.y, interval: interval[0] ?? 1, from: start, until,
      months: months.length ? months : [s.m],
      monthDays: monthDays.length || weekdays.length ? monthDays : [s.d],
      weekdays, length, skip,
    };
    if (count.length) rule.until = lastOfCount(rule, count[0], start);
    return rule;
  }
}

/** The start of the COUNT-th occurrence (DTSTART the first; EXDATE does not give the count back, RFC 5545 §3.8.5.1). */
function lastOfCount(rule: YearlyRule, count: number, start: number): number {
  const all = { ...rule, skip: new Set<number>() };
  let seen = 0;
  let last = start;
  for (let y = rule.firstYear; y <= LAST_YEAR; y += rule.interval) {
    const days = occurrencesIn(all, y);
    if (y === rule.firstYear && !days.includes(start)) seen++;
    for (const d of days) {
      last = d;
      if (++seen >= count) return last;
    }
  }
  return last;
}

/**
 * The days off an iCalendar text gives (the BOM and the bytes' decoding are the caller's), as a
 * list named `source`, or the problems with their lines.
 */
export function readIcal(text: string, source: string): { list?: HolidayList; problems: IcalProblem[]; events: number } {
  const r = new Reader();
  const lines = unfold(text.replace(/^\uFEFF/, ''));
  if (!lines.length || lines[0].text.trim().toUpperCase() !== 'BEGIN:VCALENDAR') {
    r.problem(lines[0]?.line ?? 1, 'is not an iCalendar file: it does not start with BEGIN:VCALENDAR (export the calendar as .ics)');
    return { problems: r.problems, events: 0 };
  }
  const stack: { name: string; line: number }[] = [];
  let props: Prop[] = [];
  let events = 0;
  for (const { text: t, line } of lines) {
    const p = parseProp(t, line);
    if (!p) {
      r.problem(line, `"${shown(t)}" is not an iCalendar line (NAME:value, or a folded line starting with a space)`);
      continue;
    }
    if (p.name === 'BEGIN') {
      const name = p.value.trim().toUpperCase();
      stack.push({ name, line });
      if (name === 'VEVENT' && stack.length === 2) {
        if (++events > MAX_ICS_EVENTS) {
          r.problem(line, `has more than ${MAX_ICS_EVENTS.toLocaleString('en-US')} events (VEVENT), the most a holiday calendar is read with; export only the holidays (a few dozen a year), or split the file into several ical: entries`);
          return { problems: r.problems, events };
        }
        props = [];
      }
    } else if (p.name === 'END') {
      const top = stack.pop();
      const name = p.value.trim().toUpperCase();
      if (!top || top.name !== name) {
        r.problem(line, `END:${shown(name)} closes ${top ? `BEGIN:${top.name} of line ${top.line}` : 'nothing'}`);
        return { problems: r.problems, events };
      }
      if (name === 'VEVENT' && stack.length === 1) r.event(props, top.line);
    } else if (stack.length === 2 && stack[1].name === 'VEVENT') props.push(p);
  }
  if (stack.length) r.problem(stack[stack.length - 1].line, `BEGIN:${stack[stack.length - 1].name} is never closed (END:${stack[stack.length - 1].name}); is the file cut short?`);
  if (!events && !r.problems.length) r.problem(lines[lines.length - 1].line, 'has no events (VEVENT): no day off to read; is it the right file, or an export of another calendar?');
  if (r.hidden) r.problems.push({ line: r.problems[r.problems.length - 1].line, message: `and ${r.hidden} more problem${r.hidden > 1 ? 's' : ''}` });
  if (r.problems.length) return { problems: r.problems, events };
  return { list: r.list(source), problems: [], events };
}
