/**
 * Whole seconds in pages: the histogram must count exactly as it did with seconds in a map (the
 * reference, histogram-before.ts): every rank's value, the median and the sums, through adds and
 * values taken back out, with refinement to milliseconds and coarsening past 100,000 distinct
 * values at the same moment.
 */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { Histogram } from '../../src/engine/histogram.js';
import { Histogram as Before } from './histogram-before.js';

function expectSame(h: Histogram, ref: Before): void {
  expect(h.total).toBe(ref.total);
  expect(h.sum).toBe(ref.sum);
  expect(h.mean()).toBe(ref.mean());
  expect(h.median()).toBe(ref.median());
  if (ref.total <= 0) return;
  const step = Math.max(1, Math.floor(ref.total / 300));
  for (let r = 1; r <= ref.total; r += step) expect(h.quantile(r / ref.total)).toBe(ref.quantile(r / ref.total));
  for (const q of [0.5, 0.9, 0.99, 1]) expect(h.quantile(q)).toBe(ref.quantile(q));
}

test('dense whole seconds (paged), with values past the pages, minutes, milliseconds and values taken back out: counted as before', () => {
  // seconds crowded into 5,000 (about 20 pages), so the histogram turns to pages after 1,024 distinct
  const second = fc.integer({ min: 0, max: 5000 }).map((s) => s * 1000);
  const value = fc.oneof({ weight: 20, arbitrary: second }, fc.integer({ min: 1 << 20, max: 1 << 22 }).map((s) => s * 1000), fc.integer({ min: 0, max: 500 }).map((m) => m * 60_000), fc.integer({ min: 0, max: 10_000_000 }));
  fc.assert(
    fc.property(fc.array(fc.tuple(value, fc.nat({ max: 9 })), { minLength: 1000, maxLength: 4000 }), fc.boolean(), (ops, withMs) => {
      const h = new Histogram(), ref = new Before();
      const held: number[] = [];
      ops.forEach(([v, r], i) => {
        // milliseconds only when asked: otherwise the run stays in seconds
        const x = !withMs && v % 1000 !== 0 ? Math.round(v / 1000) * 1000 : v;
        h.add(x, 1);
        ref.add(x, 1);
        held.push(x);
        if (r === 0 && held.length > 2) {
          const out = held.splice((i * 7919) % held.length, 1)[0];
          h.add(out, -1);
          ref.add(out, -1);
        }
      });
      expectSame(h, ref);
    }),
    { numRuns: 25, seed: 13 },
  );
});

test('more than 100,000 distinct seconds, paged: coarsened to the minute at the same value as before', () => {
  const h = new Histogram(), ref = new Before();
  let seed = 99;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 160_000; i++) {
    // half crowded under 100,000 seconds (paged once dense), half past the pages (in the map)
    const v = (i % 2 ? next() % 100_000 : (1 << 20) + (next() % 2_000_000)) * 1000;
    h.add(v, 1);
    ref.add(v, 1);
    if (i % 50_000 === 0) expectSame(h, ref);
  }
  expectSame(h, ref);
});
