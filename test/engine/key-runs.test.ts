import { expect, test } from 'vitest';
import { existsSync } from 'node:fs';
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

test('handOver gives every record as sorted runs in files, which another KeyRuns merges in key order (equal keys in the order added) and removes', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 200 }), (keys) => {
      const runs = new KeyRuns(8);
      for (const [hi, lo, p] of keys) runs.add(hi, lo, p);
      const handed = runs.handOver();
      // nothing is left to the one that handed them over
      const left: number[][] = [];
      runs.merge((hi, lo, p) => left.push([hi, lo, p]));
      expect(left).toEqual([]);
      const got: number[][] = [];
      new KeyRuns(8).mergeHanded(handed, (hi, lo, p) => got.push([hi, lo, p]));
      expect(got).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
      for (const f of [...handed.files, ...handed.dirs]) expect(existsSync(f)).toBe(false);
    }),
    { numRuns: 200, seed: 11 },
  );
});

test('adopted runs merge after the records added before them and before those added after, equal keys in that order; the files go with the runs', () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 60 }), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 3 }),
      (groups, ownEvery) => {
        // the taker adds some groups itself and adopts the others, handed over by other KeyRuns
        const taker = new KeyRuns(8);
        const dirs: string[] = [];
        groups.forEach((g, k) => {
          if (k % (ownEvery + 1) === 0) for (const [hi, lo, p] of g) taker.add(hi, lo, p);
          else {
            const other = new KeyRuns(8);
            for (const [hi, lo, p] of g) other.add(hi, lo, p);
            const h = other.handOver();
            dirs.push(...h.dirs);
            taker.adopt(h);
          }
        });
        const got: number[][] = [];
        taker.merge((hi, lo, p) => got.push([hi, lo, p]));
        expect(got).toEqual(groups.flat().sort((a, b) => a[0] - b[0] || a[1] - b[1]));
        for (const d of dirs) expect(existsSync(d)).toBe(false);
      },
    ),
    { numRuns: 200, seed: 12 },
  );
});
