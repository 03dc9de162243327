/**
 * ExactSum: the sum of doubles rounded once, whatever the order or the cut into parts. Checked
 * against an independent exact computation: each double is an exact binary fraction m·2^e, so the
 * sum is summed as a BigInt scaled by 2^1074 (the smallest subnormal's exponent) and rounded to
 * the nearest double (ties to even) by hand. And end to end: a run in parts on worker threads
 * gives one thread's JSON byte for byte on decimal ratings, whose sums in reading order are not.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ExactSum } from '../../src/engine/exact-sum.js';

/** A finite double as (mantissa, exponent): value = m · 2^e exactly. */
function decompose(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return expBits === 0 ? [sign * frac, -1074] : [sign * (frac | (1n << 52n)), expBits - 1075];
}

/** The exact sum, as an integer count of 2^-1074. */
function exactScaled(xs: number[]): bigint {
  let s = 0n;
  for (const x of xs) {
    const [m, e] = decompose(x);
    s += m << BigInt(e + 1074);
  }
  return s;
}

/** A count of 2^-1074 rounded to the nearest double, ties to even (by hand, with BigInts). */
function roundScaled(s: bigint): number {
  if (s === 0n) return 0;
  const neg = s < 0n;
  const a = neg ? -s : s;
  const bits = a.toString(2).length;
  let shift = Math.max(0, bits - 53);
  let m = a >> BigInt(shift);
  const rest = a - (m << BigInt(shift));
  const half = shift ? 1n << BigInt(shift - 1) : 0n;
  if (shift && (rest > half || (rest === half && (m & 1n) === 1n))) m += 1n;
  if (m === 1n << 53n) {
    m >>= 1n;
    shift++;
  }
  const v = Number(m) * 2 ** (shift - 1074);
  return neg ? -v : v;
}

const sumOf = (xs: number[]) => {
  const s = new ExactSum();
  for (const x of xs) s.add(x);
  return s;
};

describe('ExactSum', () => {
  it('gives the exact sum rounded once (worked by hand)', () => {
    // 3.3 + 2.7: the doubles 3.29999999999999982236431605997495353221893310546875 and
    // 2.70000000000000017763568394002504646778106689453125 sum to exactly 6
    expect(sumOf([3.3, 2.7]).value()).toBe(6);
    // ten times the double 0.1 (0.1000000000000000055511151231257827…) is 1.000000000000000055…, whose nearest double is 1;
    // added one after the other the doubles give 0.9999999999999999
    expect(sumOf(Array(10).fill(0.1)).value()).toBe(1);
    expect(Array(10).fill(0.1).reduce((a, b) => a + b, 0)).toBe(0.9999999999999999);
    // a value taken back out (a replaced duplicate) leaves nothing behind
    expect(sumOf([0.1, 0.2, -0.1, -0.2]).value()).toBe(0);
    expect(sumOf([]).value()).toBe(0);
    // whole numbers stay whole and exact past 2^53 / 2 parts
    expect(sumOf([2 ** 52, 1, 2 ** 52, -1]).value()).toBe(2 ** 53);
  });

  it('equals the independently rounded exact sum, in any order and any cut into parts', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: -10, max: 10 }).map((n) => n / 10),
      fc.integer({ min: 0, max: 50 }).map((n) => n / 10 + 0.05),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.array(fc.nat(), { maxLength: 4 }), fc.integer(), (xs, cuts, seed) => {
        const want = roundScaled(exactScaled(xs));
        expect(sumOf(xs).value()).toBe(want);
        // a shuffled order
        const shuffled = xs.map((x, i) => [x, (Math.imul(i + 1, seed | 1) >>> 0) % 9973] as const).sort((a, b) => a[1] - b[1]).map(([x]) => x);
        expect(sumOf(shuffled).value()).toBe(want);
        // parts absorbed in order, through structured clone
        const at = [...new Set(cuts.map((c) => (xs.length ? c % (xs.length + 1) : 0)))].sort((a, b) => a - b);
        const parts: number[][] = [];
        let from = 0;
        for (const c of [...at, xs.length]) {
          parts.push(xs.slice(from, Math.max(from, c)));
          from = Math.max(from, c);
        }
        const merged = sumOf(parts[0]);
        for (const p of parts.slice(1)) merged.absorb(structuredClone(sumOf(p).exportState()));
        expect(merged.value()).toBe(want);
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});

describe('decimal ratings in parts on worker threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-exact-sum-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('give one thread\'s JSON byte for byte', () => {
    // the demo's tickets forty times over (ids made unique), CSAT cycling through 4.1, 3.3, 2.7, 0.1, 4.9:
    // summed in reading order these leave float noise in the last digits, which parts summed apart changed
    const root = join(import.meta.dirname, '../..');
    const lines = readFileSync(join(root, 'fixtures/demo/tickets.csv'), 'utf8').trim().split('\n');
    const out = [lines[0]];
    let n = 0;
    for (let r = 0; r < 40; r++) {
      for (const l of lines.slice(1)) {
        const c = l.split(',');
        c[0] = `${c[0]}-${r}`;
        c[13] = ['4.1', '3.3', '2.7', '0.1', '4.9'][n++ % 5];
        out.push(c.join(','));
      }
    }
    const file = join(dir, 'tickets.csv');
    writeFileSync(file, `${out.join('\n')}\n`);
    // the parallel path writes where it cut each file (a line: the file, a tab, each part's first byte)
    const trace = join(dir, 'cuts.txt');
    const run = (parts: string) => {
      const args = [join(root, 'bin/sla-audit.js'), 'check', '-c', join(root, 'fixtures/demo/sla.yaml'), file, '--as-of', '2026-11-01T00:00', '--format', 'json', '--group-by', 'team,channel'];
      try {
        return execFileSync('node', args, { encoding: 'utf8', env: { ...process.env, SLA_AUDIT_PARALLEL: parts, SLA_AUDIT_PARALLEL_TRACE: trace }, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (e) {
        // exit 1: an objective failed; the report is on stdout all the same
        return (e as { stdout: string }).stdout;
      }
    };
    const oneRaw = run('1');
    const one = oneRaw.replace(/"generatedAt": "[^"]*"/, '');
    const three = run('3').replace(/"generatedAt": "[^"]*"/, '');
    expect(one.length).toBeGreaterThan(1000);
    // the run in parts was cut in three
    expect(readFileSync(trace, 'utf8').trim().split('\n').at(-1)!.split('\t')[1].split(',')).toHaveLength(3);
    expect(three).toBe(one);
    // the mean of 4.1, 3.3, 2.7, 0.1 and 4.9 repeated is 3.02 exactly as the exact sum rounds it
    expect(JSON.parse(oneRaw).kpis['satisfaction.mean']).toBe(3.02);
  });
});
