/**
 * The timestamp parsers' fast paths (ISO-like texts under `auto`, a pattern of digits at fixed
 * places) against the general parsers they stand in for: random texts around each format (valid
 * ones, days and times that do not exist such as 2026-02-30 or 24:00, years out of range, offsets,
 * fractions, stray spaces and characters) must give the same instant, or the same problem.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { makeParser, makeReferenceParser, type TimestampParser, type Why } from '../../src/time/timestamp.js';
import { Zone } from '../../src/time/zone.js';

const ZONES = ['Asia/Shanghai', 'Europe/London', 'America/New_York', 'UTC'].map((z) => Zone.of(z));

function parsers(format: string, zone: Zone): [TimestampParser, TimestampParser] {
  const fast = makeParser(format, zone, 'dmy');
  const ref = makeReferenceParser(format, zone, 'dmy');
  if (typeof fast === 'string' || typeof ref === 'string') throw new Error(`${format}: ${String(fast)}`);
  return [fast, ref];
}

/** What a parser makes of a text: the instant, or the problem's wording. */
function outcome(p: TimestampParser, text: string): string {
  const why: Why = {};
  const ms = p(text, why);
  return Number.isNaN(ms) ? `problem: ${why.reason}` : `instant ${ms}`;
}

/** Field values around their ranges (0, 13, 32, 24:00, 60 seconds, years past 1900-2199). */
const parts = fc.record({
  y: fc.oneof(fc.integer({ min: 1890, max: 2210 }), fc.constantFrom(1900, 2199, 2024, 2026, 2100)),
  mo: fc.integer({ min: 0, max: 13 }),
  d: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.constantFrom(28, 29, 30, 31)),
  h: fc.oneof(fc.integer({ min: 0, max: 25 }), fc.constantFrom(0, 23, 24)),
  mi: fc.oneof(fc.integer({ min: 0, max: 61 }), fc.constant(0)),
  s: fc.oneof(fc.integer({ min: 0, max: 61 }), fc.constant(0)),
  ms: fc.integer({ min: 0, max: 999 }),
  frac: fc.integer({ min: 1, max: 9 }),
  /** pad 2-digit fields to two digits (else one digit when the value is below 10) */
  pad: fc.boolean(),
});

type Parts = typeof parts extends fc.Arbitrary<infer T> ? T : never;

const p2 = (v: number, pad: boolean) => (pad ? String(v).padStart(2, '0') : String(v));

/** A pattern's text for the parts (the letters replaced, quoted literals kept). */
function render(pattern: string, x: Parts): string {
  return pattern
    .replace(/'([^']*)'/g, '\u0001$1\u0001')
    .replace(/yyyy|yy|MM|dd|HH|mm|ss|SSS/g, (t) => {
      switch (t) {
        case 'yyyy': return String(x.y).padStart(4, '0');
        case 'yy': return String(x.y % 100).padStart(2, '0');
        case 'MM': return p2(x.mo, x.pad);
        case 'dd': return p2(x.d, x.pad);
        case 'HH': return p2(x.h, x.pad);
        case 'mm': return String(x.mi).padStart(2, '0');
        case 'ss': return String(x.s).padStart(2, '0');
        default: return String(x.ms).padStart(3, '0');
      }
    })
    .replace(/\u0001/g, '');
}

/** Changes around a text, one kind at a time: spaces, a suffix (offset, Z, fraction, AM/PM), a character replaced or dropped; none as often as all of them. */
const noise = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ lead: '', trail: '', suffix: '', edit: null }) },
  {
    weight: 1,
    arbitrary: fc.record({ lead: fc.constantFrom(' ', '\t', '  '), trail: fc.constantFrom('', ' ', '\u00a0'), suffix: fc.constant(''), edit: fc.constant(null) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      lead: fc.constant(''),
      trail: fc.constant(''),
      suffix: fc.constantFrom('Z', 'z', '+08:00', '-05:30', '+18:00', '-18:59', '+0800', '+19:00', '+08:60', '+8:00', ' UTC', 'GMT', '.5', '.123', ',250', '.123456789', '.1234567890', ' PM', ' am', 'x'),
      edit: fc.constant(null),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ lead: fc.constant(''), trail: fc.constant(''), suffix: fc.constant(''), edit: fc.record({ at: fc.nat(), ch: fc.constantFrom('', '0', '9', ' ', '-', '/', ':', 'T', '.', 'a', '\u0660', '２') }) }),
  },
);

function noisy(text: string, n: typeof noise extends fc.Arbitrary<infer T> ? T : never): string {
  let t = text + n.suffix;
  if (n.edit) {
    const i = n.edit.at % (t.length + 1);
    t = t.slice(0, i) + n.edit.ch + t.slice(i + 1);
  }
  return n.lead + t + n.trail;
}

const PATTERNS = ['yyyy-MM-dd HH:mm:ss', 'yyyy-MM-dd HH:mm', "yyyy-MM-dd'T'HH:mm:ss.SSS", 'dd/MM/yyyy HH:mm', 'MM/dd/yyyy HH:mm:ss', 'yyyyMMddHHmmss', 'dd.MM.yy HH:mm', 'yyyy/MM/dd', 'd/M/yyyy H:mm'];

describe('timestamp fast paths give what the general parsers give', () => {
  test('auto: ISO-like texts, valid or not, with offsets, fractions and noise', () => {
    fc.assert(
      fc.property(parts, noise, fc.constantFrom(' ', 'T', 't', '  '), fc.boolean(), fc.nat({ max: ZONES.length - 1 }), (x, n, sep, withSec, z) => {
        const [fast, ref] = parsers('auto', ZONES[z]);
        const text = noisy(`${render('yyyy-MM-dd', x)}${sep}${render(withSec ? 'HH:mm:ss' : 'HH:mm', x)}`, n);
        expect(outcome(fast, text)).toBe(outcome(ref, text));
      }),
      { numRuns: 3000, seed: 2101 },
    );
  });

  test('patterns of digits at fixed places: valid texts, impossible dates and times, noise', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PATTERNS), parts, noise, fc.nat({ max: ZONES.length - 1 }), (pattern, x, n, z) => {
        const [fast, ref] = parsers(pattern, ZONES[z]);
        const text = noisy(render(pattern.replace(/\b([dMH])\b/g, '$1$1'), x), n);
        expect(outcome(fast, text)).toBe(outcome(ref, text));
      }),
      { numRuns: 3000, seed: 2102 },
    );
  });

  test('texts of digits and separators only, of about a timestamp\'s length', () => {
    const text = fc.array(fc.constantFrom(...'0123456789012345-/: T.Z+'.split('')), { minLength: 8, maxLength: 26 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.constantFrom('auto', ...PATTERNS), text, fc.nat({ max: ZONES.length - 1 }), (format, t, z) => {
        const [fast, ref] = parsers(format, ZONES[z]);
        expect(outcome(fast, t)).toBe(outcome(ref, t));
      }),
      { numRuns: 3000, seed: 2103 },
    );
  });

  test('valid texts give the instants worked out by hand', () => {
    // 2026-03-01 09:30:15 in Shanghai (UTC+8, no daylight saving) is 01:30:15 UTC
    const sh = ZONES[0];
    for (const [format, text] of [['auto', '2026-03-01 09:30:15'], ['yyyy-MM-dd HH:mm:ss', '2026-03-01 09:30:15'], ['dd/MM/yyyy HH:mm:ss', '01/03/2026 09:30:15'], ['yyyyMMddHHmmss', '20260301093015']]) {
      const [fast] = parsers(format, sh);
      expect(new Date(fast(text)).toISOString(), format).toBe('2026-03-01T01:30:15.000Z');
    }
    // the day that does not exist is the general parser's message, naming it
    const [fast] = parsers('yyyy-MM-dd HH:mm', sh);
    expect(outcome(fast, '2026-02-30 10:00')).toBe('problem: February 2026 has no day 30');
  });
});
