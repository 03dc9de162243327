/**
 * timestamp_format compiled to SQL: a regular expression that picks the fields out of the trimmed
 * cell, and integer arithmetic that turns them into epoch milliseconds (days from the civil date,
 * then the zone's offset from a table of offsets laid out by the same zone code as the engine's).
 * Only texts the engine reads the same way are read; any other text is NULL, and the compiled
 * script lists its row among the problems instead of guessing.
 */
import { MS_PER_DAY } from '../time/civil.js';
import type { Zone } from '../time/zone.js';
import type { Dialect } from './dialect.js';

/** Why a timestamp_format is not compiled; undefined when it is. */
export function timestampFormatRefusal(format: string): string | undefined {
  const f = format.trim();
  if (f === '' || f === 'auto' || f === 'epoch' || f === 'epoch-s' || f === 'epoch-ms') return undefined;
  const steps = tokens(f);
  if (typeof steps === 'string') return steps;
  return undefined;
}

type Field = 'y' | 'yy' | 'mo' | 'd' | 'h' | 'h12' | 'mi' | 's' | 'ms' | 'ampm' | 'off';
type Tok = { field: Field; re: string; variable: boolean } | { lit: string };

const TOKENS: [string, Field, string, boolean][] = [
  ['yyyy', 'y', '([0-9]{4})', false],
  ['yy', 'yy', '([0-9]{2})', false],
  ['MM', 'mo', '([0-9]{1,2})', true],
  ['M', 'mo', '([0-9]{1,2})', true],
  ['dd', 'd', '([0-9]{1,2})', true],
  ['d', 'd', '([0-9]{1,2})', true],
  ['HH', 'h', '([0-9]{1,2})', true],
  ['H', 'h', '([0-9]{1,2})', true],
  ['hh', 'h12', '([0-9]{1,2})', true],
  ['h', 'h12', '([0-9]{1,2})', true],
  ['mm', 'mi', '([0-9]{2})', false],
  ['ss', 's', '([0-9]{2})', false],
  ['SSS', 'ms', '([0-9]{3})', false],
  ['a', 'ampm', ' *([AaPp][Mm])', false],
  ['XXX', 'off', OFFSET_RE(), false],
  ['ZZ', 'off', OFFSET_RE(), false],
  ['Z', 'off', OFFSET_RE(), false],
];

/** Z, z, UTC, GMT, or ±HH[:][MM] (as the engine reads an offset): groups zulu, sign, hours, minutes. */
function OFFSET_RE(): string {
  return '(Z|z|UTC|GMT|([+-])([0-9]{2}):?([0-9]{2})?)';
}

/**
 * One literal character as a regular expression without backslashes (every dialect's string
 * literal reads it the same): itself, or a one-character class; undefined for [ ] ^ and backslash.
 */
function literal(ch: string): string | undefined {
  if (/[A-Za-z0-9 ]/.test(ch)) return ch;
  if ('[]^\\'.includes(ch)) return undefined;
  return `[${ch}]`;
}

function tokens(pattern: string): Tok[] | string {
  const out: Tok[] = [];
  for (let i = 0; i < pattern.length; ) {
    if (pattern[i] === "'") {
      const j = pattern.indexOf("'", i + 1);
      if (j < 0) return `timestamp_format "${pattern}" has an unclosed quote`;
      out.push({ lit: pattern.slice(i + 1, j) });
      i = j + 1;
      continue;
    }
    if (pattern.startsWith('MMM', i)) return `timestamp_format "${pattern}" uses month names (MMM), which the SQL does not read; export numeric months, or use --engine streaming`;
    const t = TOKENS.find(([k]) => pattern.startsWith(k, i));
    if (t) {
      out.push({ field: t[1], re: t[2], variable: t[3] });
      i += t[0].length;
      continue;
    }
    if (/[A-Za-z]/.test(pattern[i])) return `timestamp_format "${pattern}" has an unknown letter "${pattern[i]}"`;
    out.push({ lit: pattern[i] });
    i++;
  }
  for (const t of out) {
    if ('lit' in t && [...t.lit].some((ch) => literal(ch) === undefined)) return `timestamp_format "${pattern}" has a [ ] ^ or backslash, which the SQL does not match`;
  }
  // a variable-width number right before another number: the engine takes the first greedily and
  // fails where a regular expression would backtrack and succeed, so the SQL would read more
  for (let k = 0; k + 1 < out.length; k++) {
    const a = out[k], b = out[k + 1];
    if ('field' in a && a.variable && 'field' in b && b.field !== 'ampm' && b.field !== 'off') {
      return `timestamp_format "${pattern}" has two numbers with no separator after a 1-2 digit one; the SQL cannot read it as the engine does`;
    }
  }
  return out;
}

interface ParsedParts {
  /** the whole-text pattern (anchored) */
  pattern: string;
  groups: number;
  y?: number; yy?: number; mo?: number; d?: number; h?: number; h12?: number; mi?: number; s?: number;
  /** fraction digits (auto: 1-9 digits) or milliseconds (SSS) */
  frac?: number; fracDigits?: 'any' | 3;
  ampm?: number;
  /** offset groups: the whole offset, its sign, hours, minutes */
  off?: number;
}

/**
 * The texts `auto` may read in the engine but not in the SQL (which reads ISO 8601 only): a
 * 10- or 13-digit epoch, a day/month-first date, a year-first one with / or ., an ISO date with
 * AM/PM, with UTC or GMT before an offset, or with a bare T. Cheap, and wider than what the engine
 * reads (13/13/2026 is one), written to match the whole text (DuckDB's match is whole): a row whose time the SQL leaves unread and that has one of these
 * shapes gets AUTO_OTHER_SHAPE for its problem, which report --from refuses.
 */
export const AUTO_OTHER_SHAPES = '^([0-9]{10}|[0-9]{13}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4}.*|[0-9]{4}[/.][0-9]{1,2}[/.].*|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*([AaPp][Mm]|UTC[+-]|GMT[+-]).*|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[Tt])$';

/** sla_problems' words for such a time (after "created_at: " and the like) */
export const AUTO_OTHER_SHAPE = "a time of a shape check's timestamp_format auto may read, the SQL's reads ISO 8601 only";

/** The auto format's ISO 8601 shape: yyyy-M-d[(T| +)H:mm[:ss[.f]]][ *offset]. */
function autoParts(): ParsedParts {
  const pattern = `^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})((T|t| +)([0-9]{1,2}):([0-9]{2})(:([0-9]{2})([.,]([0-9]{1,9}))?)? *${OFFSET_RE()}?)?$`;
  // groups: 1 y, 2 mo, 3 d, 4 time, 5 sep, 6 h, 7 mi, 8 :ss, 9 s, 10 .f, 11 f, 12 offset, 13 sign, 14 oh, 15 om
  return { pattern, groups: 15, y: 1, mo: 2, d: 3, h: 6, mi: 7, s: 9, frac: 11, fracDigits: 'any', off: 12 };
}

function patternParts(toks: Tok[]): ParsedParts {
  let re = '^';
  let g = 0;
  const p: ParsedParts = { pattern: '', groups: 0 };
  for (const t of toks) {
    if ('lit' in t) {
      re += [...t.lit].map((ch) => literal(ch)!).join('');
      continue;
    }
    re += t.re;
    g++;
    if (t.field === 'off') {
      p.off = g;
      g += 3;
    } else if (t.field === 'ms') {
      p.frac = g;
      p.fracDigits = 3;
    } else if (t.field === 'ampm') p.ampm = g;
    else p[t.field] = g;
  }
  p.pattern = `${re}$`;
  p.groups = g;
  return p;
}

/** Hinnant's days_from_civil on SQL integers (years 1900-2199: every division is of positive numbers). */
function daysFromCivil(dialect: Dialect, y: string, m: string, d: string): string {
  const yy = `(${y} - CASE WHEN ${m} <= 2 THEN 1 ELSE 0 END)`;
  const era = dialect.floorDiv(yy, 400);
  const yoe = `(${yy} - ${era} * 400)`;
  const doy = `(${dialect.floorDiv(`(153 * (${m} + CASE WHEN ${m} > 2 THEN -3 ELSE 9 END) + 2)`, 5)} + ${d} - 1)`;
  const doe = `(${yoe} * 365 + ${dialect.floorDiv(yoe, 4)} - ${dialect.floorDiv(yoe, 100)} + ${doy})`;
  return `(${era} * 146097 + ${doe} - 719468)`;
}

function daysInMonth(y: string, m: string): string {
  return `CASE WHEN ${m} = 2 THEN CASE WHEN (MOD(${y}, 4) = 0 AND MOD(${y}, 100) <> 0) OR MOD(${y}, 400) = 0 THEN 29 ELSE 28 END WHEN ${m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END`;
}

/**
 * A balanced CASE over a sorted table of boundaries: the value for x is that of the last boundary
 * at or below it (values[0] below the first). Logarithmic depth, no join.
 */
export function stepCase(x: string, bounds: number[], values: string[]): string {
  const go = (lo: number, hi: number): string => {
    // values[lo..hi], boundaries bounds[lo..hi-1] separate them
    if (lo === hi) return values[lo];
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${x} < ${bounds[mid]} THEN ${go(lo, mid)} ELSE ${go(mid + 1, hi)} END`;
  };
  return go(0, values.length - 1);
}

/**
 * The zone's offsets as a function of wall time, between two instants: where the offset changes
 * from o1 to o2 at instant T, wall times before T + max(o1, o2) take o1 (a skipped time moves
 * forward by the gap, a repeated time takes the earlier instant), as Zone.wallToInstant does.
 */
export function wallOffsets(zone: Zone, from: number, to: number): { bounds: number[]; offsets: number[] } {
  const bounds: number[] = [];
  const offsets: number[] = [zone.offsetAt(from - MS_PER_DAY)];
  for (const [t, o1, o2] of transitions(zone, from - MS_PER_DAY, to + MS_PER_DAY)) {
    bounds.push(t + Math.max(o1, o2));
    offsets.push(o2);
  }
  return { bounds, offsets };
}

/** The zone's offsets as a function of the instant: the offset changes at each transition. */
export function instantOffsets(zone: Zone, from: number, to: number): { bounds: number[]; offsets: number[] } {
  const bounds: number[] = [];
  const offsets: number[] = [zone.offsetAt(from - MS_PER_DAY)];
  for (const [t, , o2] of transitions(zone, from - MS_PER_DAY, to + MS_PER_DAY)) {
    bounds.push(t);
    offsets.push(o2);
  }
  return { bounds, offsets };
}

/** Instants where the offset changes in [from, to): [instant, offset before, offset after]. Found hour by hour, then to the ms. */
function transitions(zone: Zone, from: number, to: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  const step = 3_600_000;
  let prev = zone.offsetAt(from);
  for (let t = from + step; t < to + step; t += step) {
    const o = zone.offsetAt(t);
    if (o === prev) continue;
    let lo = t - step, hi = t; // offset(lo) = prev, offset(hi) = o
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (zone.offsetAt(mid) === prev) lo = mid;
      else hi = mid;
    }
    out.push([hi, prev, o]);
    prev = o;
  }
  return out;
}

/**
 * A timestamp's reading in three stages, so that an engine evaluates each regular expression and
 * each piece of arithmetic once per cell: `fields` from the text (the match and each captured
 * number), `walls` from the fields (whether they make a date the engine accepts, the wall-clock
 * ms, the written offset), and `instant` from those (the zone's offset for a naive time). Each
 * stage names its columns; `ref` says how a later stage refers to an earlier one's (a column of a
 * nested SELECT, or the expression itself when inlined).
 */
export interface TimestampStages {
  /** computed first: fields refer to them by name with two underscores after it (fast__) */
  pre: [string, string][];
  fields: [string, string][];
  walls(ref: (name: string) => string): [string, string][];
  instant(ref: (name: string) => string): string;
}

export function timestampStages(dialect: Dialect, s: string, format: string, zone: Zone, from: number, to: number): TimestampStages {
  const f = format.trim();
  if (f === 'epoch' || f === 'epoch-s' || f === 'epoch-ms') {
    const unit = f === 'epoch-ms' ? 1 : 1000;
    // Math.round(Number(t) * unit), and the engine's year range (1900-2199 by mean year length)
    const v = `CASE WHEN ${dialect.matches(s, '^-?[0-9]+([.][0-9]+)?$')} AND ${dialect.length(s)} <= 30 THEN CAST(FLOOR(CAST(${s} AS ${dialect.double}) * ${unit} + 0.5) AS ${dialect.bigint}) END`;
    return {
      pre: [],
      fields: [['v', v]],
      walls: (ref) => [['y', `(1970 + ${ref('v')} / ${365.2425 * MS_PER_DAY}.0)`], ['v', ref('v')]],
      instant: (ref) => `CASE WHEN ${ref('y')} >= 1900 AND ${ref('y')} <= 2199 THEN ${ref('v')} END`,
    };
  }
  const auto = f === '' || f === 'auto';
  const parts = auto ? autoParts() : patternParts(tokens(f) as Tok[]);
  const num = (n: number) => `CAST(${dialect.group(s, parts.pattern, n, parts.groups)} AS ${dialect.bigint})`;
  const txt = (n: number) => dialect.group(s, parts.pattern, n, parts.groups);
  // auto's usual shapes are read by position after one match (extracting each field by a regular
  // expression costs several times more): 1, yyyy-MM-dd HH:mm[:ss] with no offset, as exports give
  // local times; 2, yyyy-MM-dd HH:mm:ss with Z or ±HH[[:]MM], as a warehouse's timestamptz::text
  // gives instants. Any other text by the groups. The first shape is 16 or 19 characters long, the
  // second 20 to 25: the length says which one pattern to try (a match is the dearest part).
  // Where the engine has a timestamp cast (isoWallMs), a usual shape's wall time is the cast's
  // (nat), and its fields are not read (0); a lowercase t separator is left to the groups.
  const native = auto && dialect.isoWallMs !== undefined;
  const sep = native ? '[ T]' : '[ Tt]';
  const fast = auto
    ? `CASE WHEN ${dialect.length(s)} <= 19 THEN CASE WHEN ${dialect.matches(s, `^[0-9]{4}-[0-9]{2}-[0-9]{2}${sep}[0-9]{2}:[0-9]{2}(:[0-9]{2})?$`)} THEN 1 ELSE 0 END WHEN ${dialect.matches(s, `^[0-9]{4}-[0-9]{2}-[0-9]{2}${sep}[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}(:?[0-9]{2})?)$`)} THEN 2 ELSE 0 END`
    : '0';
  const pre: [string, string][] = [['fast', fast]];
  const at = (from: number, len: number) => `CAST(${dialect.substr(s, from, len)} AS ${dialect.bigint})`;
  const atWall = native ? () => '0' : at;
  const either = (fastExpr: string, slow: string, fast2 = fastExpr) => (auto ? `CASE WHEN fast__ = 1 THEN ${fastExpr} WHEN fast__ = 2 THEN ${fast2} ELSE ${slow} END` : slow);
  const len = dialect.length(s);
  const offsetChar = dialect.substr(s, 20, 1);
  const fields: [string, string][] = [['m', either('1', `CASE WHEN ${dialect.matches(s, parts.pattern)} THEN 1 ELSE 0 END`)]];
  // the year's range checked on its digits (a 24:00 on the last day of 2199 is still read)
  if (native) fields.push(['nat', `CASE WHEN fast__ > 0 AND ${dialect.substr(s, 1, 4)} BETWEEN '1900' AND '2199' THEN ${dialect.isoWallMs!(dialect.substr(s, 1, 19))} END`]);
  fields.push(['y', parts.y !== undefined ? either(atWall(1, 4), num(parts.y)) : `(CASE WHEN ${num(parts.yy!)} < 70 THEN 2000 ELSE 1900 END + ${num(parts.yy!)})`]);
  fields.push(['mo', either(atWall(6, 2), num(parts.mo!))], ['d', either(atWall(9, 2), num(parts.d!))]);
  fields.push(['h', parts.h ?? parts.h12 ? either(atWall(12, 2), `COALESCE(${num((parts.h ?? parts.h12)!)}, 0)`) : '0']);
  fields.push(['mi', parts.mi ? either(atWall(15, 2), `COALESCE(${num(parts.mi)}, 0)`) : '0']);
  fields.push(['s', parts.s ? either(native ? '0' : `CASE WHEN ${len} = 19 THEN ${at(18, 2)} ELSE 0 END`, `COALESCE(${num(parts.s)}, 0)`, atWall(18, 2)) : '0']);
  if (parts.frac === undefined) fields.push(['ms', '0']);
  // the first three digits, padded: .5 is 500 ms, .123456 is 123 ms
  else fields.push(['ms', parts.fracDigits === 3 ? num(parts.frac) : either('0', `COALESCE(CAST(${dialect.substr(dialect.concat([txt(parts.frac), "'000'"]), 1, 3)} AS ${dialect.bigint}), 0)`)]);
  if (parts.ampm !== undefined) fields.push(['pm', `CASE WHEN ${txt(parts.ampm)} IN ('PM', 'pm', 'Pm', 'pM') THEN 1 ELSE 0 END`]);
  if (parts.off !== undefined) {
    const o = parts.off;
    fields.push(['zulu', either('NULL', `CASE WHEN ${txt(o)} IS NULL THEN NULL WHEN ${txt(o)} IN ('Z', 'z', 'UTC', 'GMT') THEN 1 ELSE 0 END`, `CASE WHEN ${offsetChar} = 'Z' THEN 1 ELSE 0 END`)]);
    fields.push(['oneg', either('0', `CASE WHEN ${txt(o + 1)} = '-' THEN 1 ELSE 0 END`, `CASE WHEN ${offsetChar} = '-' THEN 1 ELSE 0 END`)]);
    fields.push(['oh', either(`CAST(NULL AS ${dialect.bigint})`, num(o + 2), `CASE WHEN ${len} >= 22 THEN ${at(21, 2)} END`)]);
    fields.push(['om', either('0', `COALESCE(${num(o + 3)}, 0)`, `CASE WHEN ${len} = 25 THEN ${at(24, 2)} WHEN ${len} = 24 THEN ${at(23, 2)} ELSE 0 END`)]);
  }
  const walls = (r: (name: string) => string): [string, string][] => {
    const [y, mo, d, mi, sec, ms] = ['y', 'mo', 'd', 'mi', 's', 'ms'].map(r);
    let hour = r('h');
    let ampmOk = 'TRUE';
    if (parts.ampm !== undefined) {
      hour = `(MOD(${r('h')}, 12) + CASE WHEN ${r('pm')} = 1 THEN 12 ELSE 0 END)`;
      ampmOk = `${r('h')} BETWEEN 1 AND 12`;
    }
    const valid = [
      `${r('m')} = 1`, `${y} BETWEEN 1900 AND 2199`, `${mo} BETWEEN 1 AND 12`, `${d} >= 1`, `${d} <= ${daysInMonth(y, mo)}`,
      `(${hour} < 24 OR (${hour} = 24 AND ${mi} = 0 AND ${sec} = 0 AND ${ms} = 0))`, `${mi} <= 59`, `${sec} <= 59`, ampmOk,
    ].join(' AND ');
    const fromFields = `CASE WHEN ${valid} THEN ${daysFromCivil(dialect, y, mo, d)} * ${MS_PER_DAY} + ${hour} * 3600000 + ${mi} * 60000 + ${sec} * 1000 + ${ms} END`;
    // a usual shape the cast did not read has year 0 among its fields: NULL, as the engine's
    const wall = native ? `CASE WHEN ${r('nat')} IS NOT NULL THEN ${r('nat')} ELSE ${fromFields} END` : fromFields;
    const out: [string, string][] = [['wall', wall]];
    if (parts.off !== undefined) {
      // the written offset in ms; NULL when there is none, and an out-of-range one leaves the text unread
      out.push(['off', `CASE WHEN ${r('zulu')} IS NULL THEN NULL WHEN ${r('zulu')} = 1 THEN 0 WHEN ${r('oh')} <= 18 AND ${r('om')} <= 59 THEN CASE WHEN ${r('oneg')} = 1 THEN -1 ELSE 1 END * (${r('oh')} * 3600000 + ${r('om')} * 60000) END`]);
      out.push(['bad_off', `CASE WHEN ${r('zulu')} = 0 AND NOT (${r('oh')} <= 18 AND ${r('om')} <= 59) THEN 1 ELSE 0 END`]);
    }
    return out;
  };
  const { bounds, offsets } = wallOffsets(zone, from, to);
  const instant = (r: (name: string) => string) => {
    const naive = `${r('wall')} - ${stepCase(r('wall'), bounds, offsets.map(String))}`;
    if (parts.off === undefined) return naive;
    return `CASE WHEN ${r('bad_off')} = 1 THEN NULL WHEN ${r('off')} IS NULL THEN ${naive} ELSE ${r('wall')} - ${r('off')} END`;
  };
  return { pre, fields, walls, instant };
}

/** The three stages inlined into one expression (for small tables: the spine, a history). */
export function timestampSql(dialect: Dialect, s: string, format: string, zone: Zone, from: number, to: number): string {
  const st = timestampStages(dialect, s, format, zone, from, to);
  const pre = new Map(st.pre);
  const f = new Map(st.fields.map(([n, e]) => [n, e.replace(/\b([a-z]+)__/g, (_, p: string) => `(${pre.get(p)})`)]));
  const w = new Map(st.walls((n) => `(${f.get(n)})`));
  return st.instant((n) => `(${w.get(n)})`);
}
