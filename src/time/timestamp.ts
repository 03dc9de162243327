/**
 * Timestamp parsing on the hot path: character scanning and integer maths, no Date objects.
 * A parser returns epoch ms, or NaN with the reason written to `why` when one is passed.
 */
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, daysFromCivil, daysInMonth } from './civil.js';
import type { Zone } from './zone.js';
import { trimmedCell } from '../text/white-space.js';

export type Why = { reason?: string };
export type TimestampParser = (text: string, why?: Why) => number;
/** How to read "03/04/2026": day first or month first (auto mode decides per file). */
export type DateOrder = 'dmy' | 'mdy';

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;
/** 1-12 for "Mar", "march", "Sept"; 0 when not a month name. */
function monthFromName(name: string): number {
  const n = name.toLowerCase().replace(/^sept$/, 'sep');
  return n.length < 3 ? 0 : MONTHS.findIndex((m) => m.toLowerCase().startsWith(n)) + 1;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Fields {
  y: number; mo: number; d: number; h: number; mi: number; s: number; ms: number;
  /** offset in ms when the text carries one */
  off: number | undefined;
  /** where the time of day (hours to seconds and fraction) stands in the scanned text */
  t0: number; t1: number;
}

function fail(why: Why | undefined, reason: string): number {
  if (why) why.reason = reason;
  return NaN;
}

/** Validates fields and turns them into an instant; `text` is the scanned text (for messages). */
function toInstant(f: Fields, zone: Zone, why: Why | undefined, text: string): number {
  if (f.y < MIN_YEAR || f.y > MAX_YEAR) return fail(why, `year ${f.y} is out of range (${MIN_YEAR}-${MAX_YEAR})`);
  if (f.mo < 1 || f.mo > 12) return fail(why, `month ${f.mo} does not exist`);
  if (f.d < 1 || f.d > daysInMonth(f.y, f.mo)) {
    return fail(why, `${MONTHS[f.mo - 1]} ${f.y} has no day ${f.d}`);
  }
  if (f.h > 24 || (f.h === 24 && (f.mi || f.s || f.ms)) || f.mi > 59 || f.s > 59) {
    // named as written, seconds and all: "23:59:60" (a leap second) is not "23:59"
    const written = f.t1 > f.t0 ? text.slice(f.t0, f.t1) : `${f.h}:${String(f.mi).padStart(2, '0')}`;
    return fail(why, `the time ${written} does not exist`);
  }
  const wall = daysFromCivil(f.y, f.mo, f.d) * MS_PER_DAY + f.h * MS_PER_HOUR + f.mi * MS_PER_MINUTE + f.s * 1000 + f.ms;
  return f.off === undefined ? zone.wallToInstant(wall) : wall - f.off;
}

// ---- a tiny scanner ----------------------------------------------------------------------------

class Scan {
  i = 0;
  s = '';
  /** Starts scanning a new text (the scanner is reused: parsing allocates nothing). */
  reset(s: string): this {
    this.s = s;
    this.i = 0;
    return this;
  }
  /** Reads min..max digits; -1 when fewer than min. */
  digits(min: number, max: number): number {
    let v = 0, n = 0;
    const s = this.s;
    while (n < max && this.i < s.length) {
      const c = s.charCodeAt(this.i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
      this.i++;
      n++;
    }
    return n < min ? -1 : v;
  }
  /** Reads digits and reports how many. */
  count(): [number, number] {
    const start = this.i;
    const v = this.digits(1, 20);
    return [v, this.i - start];
  }
  peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }
  eat(ch: number): boolean {
    if (this.peek() === ch) {
      this.i++;
      return true;
    }
    return false;
  }
  spaces(): number {
    const start = this.i;
    while (this.peek() === 32) this.i++;
    return this.i - start;
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
}

const C = { T: 84, t: 116, Z: 90, z: 122, plus: 43, minus: 45, colon: 58, dot: 46, comma: 44, slash: 47, space: 32 };

/** Time part after the date: HH:mm[:ss[.fff]] [AM|PM] [Z|±HH[:MM]]. Returns false on junk. */
function readTime(sc: Scan, f: Fields): boolean {
  if (sc.done()) return true;
  if (!(sc.eat(C.T) || sc.eat(C.t) || sc.spaces() > 0)) return false;
  if (sc.done()) return true;
  f.t0 = sc.i;
  const h = sc.digits(1, 2);
  if (h < 0 || !sc.eat(C.colon)) return false;
  const mi = sc.digits(2, 2);
  if (mi < 0) return false;
  f.h = h;
  f.mi = mi;
  if (sc.eat(C.colon)) {
    const s = sc.digits(2, 2);
    if (s < 0) return false;
    f.s = s;
    if (sc.eat(C.dot) || sc.eat(C.comma)) {
      const start = sc.i;
      const frac = sc.digits(1, 9);
      if (frac < 0) return false;
      const n = sc.i - start;
      f.ms = Math.floor(frac / 10 ** Math.max(0, n - 3)) * 10 ** Math.max(0, 3 - n);
    }
  }
  f.t1 = sc.i;
  sc.spaces();
  const c = sc.peek() | 32;
  if ((c === 97 || c === 112) && (sc.s.charCodeAt(sc.i + 1) | 32) === 109) {
    // AM / PM
    if (f.h < 1 || f.h > 12) return false;
    f.h = (f.h % 12) + (c === 112 ? 12 : 0);
    sc.i += 2;
    sc.spaces();
  }
  return readOffset(sc, f);
}

function readOffset(sc: Scan, f: Fields): boolean {
  if (sc.done()) return true;
  if (sc.eat(C.Z) || sc.eat(C.z)) {
    f.off = 0;
    return sc.done();
  }
  if (sc.s.startsWith('UTC', sc.i) || sc.s.startsWith('GMT', sc.i)) {
    sc.i += 3;
    if (sc.done()) {
      f.off = 0;
      return true;
    }
  }
  const sign = sc.eat(C.plus) ? 1 : sc.eat(C.minus) ? -1 : 0;
  if (!sign) return false;
  const oh = sc.digits(2, 2);
  if (oh < 0) return false;
  sc.eat(C.colon);
  const om = sc.done() ? 0 : sc.digits(2, 2);
  if (om < 0 || oh > 18 || om > 59) return false;
  f.off = sign * (oh * MS_PER_HOUR + om * MS_PER_MINUTE);
  return sc.done();
}

const FIELDS: Fields = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, ms: 0, off: undefined, t0: 0, t1: 0 };
const SCAN = new Scan();

/** The shared fields record, cleared (parsing is synchronous, so one is enough). */
function newFields(): Fields {
  const f = FIELDS;
  f.y = f.mo = f.d = f.h = f.mi = f.s = f.ms = f.t0 = f.t1 = 0;
  f.off = undefined;
  return f;
}

/** Two or four decimal digits at `i`, or -1. */
function d2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48, b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}
function d4(s: string, i: number): number {
  const a = d2(s, i), b = d2(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/** Trims only when needed (most cells have no surrounding white space). */
const trimmed = trimmedCell;

const AUTO_HINT = 'expected e.g. 2026-03-01 09:30, 2026-03-01T09:30:00+08:00, 01/03/2026 09:30, or set tickets.timestamp_format';

/**
 * The `auto` parser: year-first dates (- / .), day/month-first dates in the given order, epoch
 * seconds (10 digits) or ms (13 digits); optional time, seconds, fraction, AM/PM and offset.
 */
function autoParser(zone: Zone, order: DateOrder | undefined): TimestampParser {
  const general = generalAutoParser(zone, order);
  return (text, why) => {
    const t = readIsoLike(text, zone);
    return Number.isNaN(t) ? general(text, why) : t;
  };
}

/**
 * The common case of `auto`: "yyyy-MM-dd HH:mm" or "...HH:mm:ss" (space or T), naive or with Z /
 * ±HH:MM, all in range: its instant (what the general parser gives for it); NaN for any other text.
 */
function readIsoLike(text: string, zone: Zone): number {
  const n = text.length;
  if (n >= 16 && n <= 25 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && text.charCodeAt(13) === 58) {
    const sep = text.charCodeAt(10);
    const withSec = n >= 19 && text.charCodeAt(16) === 58;
    const base = withSec ? 19 : 16;
    const rest = n - base;
    let off = NaN;
    if (rest === 0) off = 0;
    else if (rest === 1 && (text.charCodeAt(base) === 90 || text.charCodeAt(base) === 122)) off = 0;
    else if (rest === 6 && text.charCodeAt(base + 3) === 58) {
      const sign = text.charCodeAt(base) === 43 ? 1 : text.charCodeAt(base) === 45 ? -1 : 0;
      const oh = d2(text, base + 1), om = d2(text, base + 4);
      if (sign && oh >= 0 && oh <= 18 && om >= 0 && om < 60) off = sign * (oh * MS_PER_HOUR + om * MS_PER_MINUTE);
    }
    if ((sep === 32 || sep === 84) && !Number.isNaN(off)) {
      const y = d4(text, 0), mo = d2(text, 5), d = d2(text, 8), h = d2(text, 11), mi = d2(text, 14), sec = withSec ? d2(text, 17) : 0;
      if (y >= MIN_YEAR && y <= MAX_YEAR && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h >= 0 && h < 24 && mi >= 0 && mi < 60 && sec >= 0 && sec < 60) {
        const wall = daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + sec * 1000;
        return rest === 0 ? zone.wallToInstant(wall) : wall - off;
      }
    }
  }
  return NaN;
}

function generalAutoParser(zone: Zone, order: DateOrder | undefined): TimestampParser {
  return (text, why) => {
    const f = newFields();
    const sc = SCAN.reset(trimmed(text));
    const [a, na] = sc.count();
    if (na === 0) return fail(why, `"${text}" is not a date (${AUTO_HINT})`);
    if (sc.done() && (na === 10 || na === 13)) return na === 10 ? a * 1000 : a;
    const sep = sc.peek();
    if (sep !== C.minus && sep !== C.slash && sep !== C.dot) return fail(why, `"${text}" is not a date (${AUTO_HINT})`);
    sc.i++;
    const b = sc.digits(1, 2);
    if (b < 0 || !sc.eat(sep)) return fail(why, `"${text}" is not a date (${AUTO_HINT})`);
    if (na === 4) {
      f.y = a;
      f.mo = b;
      f.d = sc.digits(1, 2);
    } else if (na <= 2) {
      const y = sc.digits(4, 4);
      if (y < 0) return fail(why, `"${text}" is not a date (${AUTO_HINT})`);
      if (!order) {
        return fail(why, `"${text}" could be day/month or month/day; set tickets.timestamp_format (e.g. "dd/MM/yyyy HH:mm" or "MM/dd/yyyy HH:mm")`);
      }
      f.y = y;
      f.d = order === 'dmy' ? a : b;
      f.mo = order === 'dmy' ? b : a;
    } else return fail(why, `"${text}" is not a date (${AUTO_HINT})`);
    if (f.d < 0 || !readTime(sc, f)) return fail(why, `"${text}" is not a date (${AUTO_HINT})`);
    return toInstant(f, zone, why, sc.s);
  };
}

/**
 * Evidence for day/month order in "aa/bb/yyyy" values: 'dmy' when aa > 12, 'mdy' when bb > 12,
 * undefined when the value does not tell (or is not of that form).
 */
export function dateOrderEvidence(text: string): DateOrder | undefined {
  const m = /^\s*(\d{1,2})[-/.](\d{1,2})[-/.]\d{4}/.exec(text);
  if (!m) return undefined;
  const a = +m[1], b = +m[2];
  if (a > 12 && b <= 12) return 'dmy';
  if (b > 12 && a <= 12) return 'mdy';
  return undefined;
}

/** True when a value is of the "aa/bb/yyyy" form whose order needs deciding. */
export function needsDateOrder(text: string): boolean {
  return /^\s*\d{1,2}[-/.]\d{1,2}[-/.]\d{4}/.test(text);
}

// ---- explicit patterns -------------------------------------------------------------------------

type Step =
  | { kind: 'num'; field: 'y' | 'yy' | 'mo' | 'd' | 'h' | 'h12' | 'mi' | 's' | 'ms'; min: number; max: number }
  | { kind: 'monthName' }
  | { kind: 'ampm' }
  | { kind: 'offset' }
  | { kind: 'lit'; text: string };

const TOKENS: [string, Step][] = [
  ['yyyy', { kind: 'num', field: 'y', min: 4, max: 4 }],
  ['yy', { kind: 'num', field: 'yy', min: 2, max: 2 }],
  ['MMMM', { kind: 'monthName' }],
  ['MMM', { kind: 'monthName' }],
  ['MM', { kind: 'num', field: 'mo', min: 1, max: 2 }],
  ['M', { kind: 'num', field: 'mo', min: 1, max: 2 }],
  ['dd', { kind: 'num', field: 'd', min: 1, max: 2 }],
  ['d', { kind: 'num', field: 'd', min: 1, max: 2 }],
  ['HH', { kind: 'num', field: 'h', min: 1, max: 2 }],
  ['H', { kind: 'num', field: 'h', min: 1, max: 2 }],
  ['hh', { kind: 'num', field: 'h12', min: 1, max: 2 }],
  ['h', { kind: 'num', field: 'h12', min: 1, max: 2 }],
  ['mm', { kind: 'num', field: 'mi', min: 2, max: 2 }],
  ['ss', { kind: 'num', field: 's', min: 2, max: 2 }],
  ['SSS', { kind: 'num', field: 'ms', min: 3, max: 3 }],
  ['a', { kind: 'ampm' }],
  ['XXX', { kind: 'offset' }],
  ['ZZ', { kind: 'offset' }],
  ['Z', { kind: 'offset' }],
];

/** Compiles "dd-MM-yyyy HH:mm" into steps; returns an error string for an unusable pattern. */
function compilePattern(pattern: string): Step[] | string {
  const steps: Step[] = [];
  let i = 0;
  while (i < pattern.length) {
    if (pattern[i] === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j < 0) return `unclosed quote in timestamp_format "${pattern}"`;
      steps.push({ kind: 'lit', text: pattern.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    const tok = TOKENS.find(([t]) => pattern.startsWith(t, i));
    if (tok) {
      steps.push(tok[1]);
      i += tok[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(pattern[i])) {
      return `timestamp_format "${pattern}" has an unknown letter "${pattern[i]}" (use yyyy MM dd HH hh mm ss SSS a XXX, quote literals like 'T')`;
    }
    steps.push({ kind: 'lit', text: pattern[i] });
    i++;
  }
  const fields = new Set<string>(steps.flatMap((s) => (s.kind === 'num' ? [s.field] : s.kind === 'monthName' ? ['mo'] : [])));
  if (fields.has('yy')) fields.add('y');
  for (const need of ['y', 'mo', 'd'] as const) {
    if (!fields.has(need)) return `timestamp_format "${pattern}" needs a year (yyyy or yy), a month (MM or MMM) and a day (dd)`;
  }
  if (fields.has('h12') && !steps.some((s) => s.kind === 'ampm')) {
    return `timestamp_format "${pattern}" uses hh (12-hour) without a (AM/PM); use HH for 24-hour times`;
  }
  return steps;
}

/**
 * A pattern of digits at fixed places ("yyyy-MM-dd HH:mm:ss", "dd/MM/yyyy HH:mm", "yyyyMMdd"): per
 * character of a text written in full (two digits for MM, dd, HH, even M, d, H), the field it holds
 * a digit of (FIXED_FIELDS order), or -1 for a literal character that must be there as it is. Null
 * for a pattern with anything else (month names, AM/PM, offsets), or that begins or ends with a
 * literal (which trimming could change).
 */
function fixedLayout(steps: Step[]): FixedLayout | null {
  const fields: number[] = [];
  let literal = '';
  for (const st of steps) {
    if (st.kind === 'lit') {
      for (const ch of st.text) {
        fields.push(-1);
        literal += ch;
      }
    } else if (st.kind === 'num' && st.field !== 'h12') {
      const f = FIXED_FIELDS.indexOf(st.field);
      // a field written twice (the later one counts), or a year written both ways: left to the general parser
      if (fields.includes(f) || (f <= 1 && fields.includes(1 - f))) return null;
      const width = st.field === 'y' ? 4 : st.field === 'ms' ? 3 : 2;
      for (let k = 0; k < width; k++) {
        fields.push(f);
        literal += ' ';
      }
    } else return null;
  }
  if (!fields.length || fields[0] < 0 || fields[fields.length - 1] < 0 || literal.length !== fields.length) return null;
  return { fields: Int8Array.from(fields), literal, yy: fields.includes(1) };
}

interface FixedLayout {
  fields: Int8Array;
  literal: string;
  /** the year is written with two digits (yy) */
  yy: boolean;
}

const FIXED_FIELDS = ['y', 'yy', 'mo', 'd', 'h', 'mi', 's', 'ms'] as const;
/** the fields a fixed-layout text was read into (FIXED_FIELDS order; parsing is synchronous) */
const FIXED_VALUES = new Int32Array(FIXED_FIELDS.length);

/**
 * A text of exactly a fixed layout's shape whose fields are all in range, as an instant (what the
 * general parser gives for it); NaN for anything else, which the general parser then reads (and
 * names the problem of).
 */
function readFixed(text: string, layout: FixedLayout, zone: Zone): number {
  const { fields, literal } = layout;
  if (text.length !== fields.length) return NaN;
  const v = FIXED_VALUES;
  v.fill(0);
  for (let i = 0; i < fields.length; i++) {
    const c = text.charCodeAt(i);
    const f = fields[i];
    if (f < 0) {
      if (c !== literal.charCodeAt(i)) return NaN;
      continue;
    }
    const digit = c - 48;
    if (digit < 0 || digit > 9) return NaN;
    v[f] = v[f] * 10 + digit;
  }
  const y = layout.yy ? (v[1] < 70 ? 2000 + v[1] : 1900 + v[1]) : v[0];
  const mo = v[2], d = v[3], h = v[4], mi = v[5], sec = v[6];
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 59) return NaN;
  return zone.wallToInstant(daysFromCivil(y, mo, d) * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + sec * 1000 + v[7]);
}

function patternParser(pattern: string, steps: Step[], zone: Zone): TimestampParser {
  const general = generalPatternParser(pattern, steps, zone);
  const layout = fixedLayout(steps);
  if (!layout) return general;
  return (text, why) => {
    const t = readFixed(text, layout, zone);
    return Number.isNaN(t) ? general(text, why) : t;
  };
}

function generalPatternParser(pattern: string, steps: Step[], zone: Zone): TimestampParser {
  return (text, why) => {
    const f = newFields();
    const sc = SCAN.reset(trimmed(text));
    let pm: boolean | undefined;
    for (const st of steps) {
      if (st.kind === 'lit') {
        if (!sc.s.startsWith(st.text, sc.i)) {
          // be lenient about runs of spaces
          if (st.text === ' ' && sc.spaces() > 0) continue;
          return fail(why, `"${text}" does not match timestamp_format "${pattern}"`);
        }
        sc.i += st.text.length;
      } else if (st.kind === 'num') {
        const start = sc.i;
        const v = sc.digits(st.min, st.max);
        if (v < 0) return fail(why, `"${text}" does not match timestamp_format "${pattern}"`);
        if (st.field === 'h' || st.field === 'h12') f.t0 = start;
        else if (st.field === 'mi' || st.field === 's' || st.field === 'ms') f.t1 = sc.i;
        if (st.field === 'h12') f.h = v;
        else if (st.field === 'yy') f.y = v < 70 ? 2000 + v : 1900 + v;
        else f[st.field] = v;
      } else if (st.kind === 'monthName') {
        const m = /^[A-Za-z]+/.exec(sc.s.slice(sc.i));
        const mo = m ? monthFromName(m[0]) : 0;
        if (!mo) return fail(why, `"${text}" does not match timestamp_format "${pattern}" (month name expected)`);
        f.mo = mo;
        sc.i += m![0].length;
      } else if (st.kind === 'ampm') {
        sc.spaces();
        const w = sc.s.slice(sc.i, sc.i + 2).toUpperCase();
        if (w !== 'AM' && w !== 'PM') return fail(why, `"${text}" does not match timestamp_format "${pattern}" (AM/PM expected)`);
        pm = w === 'PM';
        sc.i += 2;
      } else {
        if (!readOffset(sc, f)) return fail(why, `"${text}" does not match timestamp_format "${pattern}" (offset expected)`);
      }
    }
    if (!sc.done()) return fail(why, `"${text}" does not match timestamp_format "${pattern}"`);
    if (pm !== undefined) {
      if (f.h < 1 || f.h > 12) return fail(why, `"${text}" has hour ${f.h} with AM/PM`);
      f.h = (f.h % 12) + (pm ? 12 : 0);
    }
    return toInstant(f, zone, why, sc.s);
  };
}

function epochParser(unitMs: number): TimestampParser {
  return (text, why) => {
    const t = text.trim();
    if (!/^-?\d+(\.\d+)?$/.test(t)) return fail(why, `"${text}" is not an epoch number`);
    const v = Math.round(Number(t) * unitMs);
    const y = 1970 + v / (365.2425 * MS_PER_DAY);
    if (y < MIN_YEAR || y > MAX_YEAR) {
      return fail(why, `"${text}" is out of range as epoch ${unitMs === 1 ? 'milliseconds' : 'seconds'}`);
    }
    return v;
  };
}

/** Why a text is not a timestamp for this parser, naming the value: '"2026-02-30": February 2026 has no day 30'. */
export function failureReason(parse: TimestampParser, text: string): string {
  const why: Why = {};
  parse(text, why);
  const reason = why.reason ?? 'not a date';
  return reason.startsWith('"') ? reason : `"${text.trim()}": ${reason}`;
}

/** A parser for a timestamp_format setting; `order` is needed only by auto for dd/MM-or-MM/dd files. */
export function makeParser(format: string, zone: Zone, order?: DateOrder): TimestampParser | string {
  const f = format.trim();
  if (f === '' || f === 'auto') return autoParser(zone, order);
  if (f === 'epoch' || f === 'epoch-s') return epochParser(1000);
  if (f === 'epoch-ms') return epochParser(1);
  const steps = compilePattern(f);
  if (typeof steps === 'string') return steps;
  return patternParser(f, steps, zone);
}

/**
 * The parser for a timestamp_format without its fast paths (the ISO-like texts of `auto`, a
 * pattern's fixed layout): the reference the fast paths must agree with, text for text.
 */
export function makeReferenceParser(format: string, zone: Zone, order?: DateOrder): TimestampParser | string {
  const f = format.trim();
  if (f === '' || f === 'auto') return generalAutoParser(zone, order);
  if (f === 'epoch' || f === 'epoch-s' || f === 'epoch-ms') return makeParser(f, zone, order);
  const steps = compilePattern(f);
  return typeof steps === 'string' ? steps : generalPatternParser(f, steps, zone);
}
