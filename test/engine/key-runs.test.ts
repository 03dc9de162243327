import { expect, test } from 'vitest';
import fc from 'fast-check';
import { KeyRuns } from '../../src/store/key-runs.js';

test('sorted runs spilled to disk merge back in key order, equal keys in the order added (across runs too), each payload with its key', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 400 }),
      fc.boolean(),
      (keys, withPayload) => {
        const runs = new KeyRuns(16); // a run per 16 keys: most cases spill several files
        for (const [hi, lo, p] of keys) runs.add(hi, lo, withPayload ? p : 0);
        const out: [number, number, number][] = [];
        runs.merge((hi, lo, p) => out.push([hi, lo, p]));
        // Array.prototype.sort is stable: records with equal keys stay in the order added, across runs too
        const expected = keys.map(([hi, lo, p]) => [hi, lo, withPayload ? p : 0] as [number, number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(out).toEqual(expected);
      },
    ),
    { numRuns: 300, seed: 5 },
  );
});

test('over 65,536 keys held in memory (16-bit digits, buffers grown from their first size) come back in key order with their payloads', () => {
  let seed = 7;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  const keys = Array.from({ length: 70_000 }, () => [next() % 4, next(), next()] as [number, number, number]);
  const runs = new KeyRuns(1 << 17);
  for (const [hi, lo, p] of keys) runs.add(hi, lo, p);
  const out: [number, number, number][] = [];
  runs.merge((hi, lo, p) => out.push([hi, lo, p]));
  const order = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  expect(out.map((r) => r.slice(0, 2))).toEqual([...keys].sort(order).map((r) => r.slice(0, 2)));
  expect([...out].sort(order)).toEqual([...keys].sort(order));
});

test('drain hands every record over as columns in key order, equal keys in the order added, spilled runs included', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 200 }), (keys) => {
      const runs = new KeyRuns(8);
      for (const [hi, lo, p] of keys) runs.add(hi, lo, p);
      const { hi, lo, pay } = runs.drain();
      const got = Array.from(hi, (h, i) => [h, lo[i], pay[i]]);
      expect(got).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    }),
    { numRuns: 200, seed: 11 },
  );
});
