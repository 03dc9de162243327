/**
 * The table of counts behind a histogram's values outside its pages must hold what a
 * Map<number, number> of counts holds (the reference: a key whose count comes back to 0 deleted),
 * through keys of any sign and size, -0, counts taken back out and growth past many slots.
 */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { CountTable } from '../../src/engine/count-table.js';

test('counts what a Map of counts counts: size, every count, the keys visited and packed', () => {
  const key = fc.oneof(
    fc.integer({ min: -50, max: 50 }),
    fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
    fc.constantFrom(-0, 2 ** 32, 2 ** 32 + 1, -(2 ** 32), 2 ** 52, Number.MAX_SAFE_INTEGER),
  );
  fc.assert(
    fc.property(fc.array(fc.tuple(key, fc.integer({ min: -3, max: 3 })), { maxLength: 600 }), (ops) => {
      const t = new CountTable(), ref = new Map<number, number>();
      for (const [k, n] of ops) {
        const c = (ref.get(k) ?? 0) + n;
        if (c === 0) ref.delete(k);
        else ref.set(k, c);
        expect(t.add(k, n)).toBe(c);
      }
      expect(t.size).toBe(ref.size);
      for (const [k] of ops) expect(t.get(k)).toBe(ref.get(k) ?? 0);
      const seen: [number, number][] = [];
      t.forEach((k, n) => seen.push([k, n]));
      const byKey = (a: [number, number], b: [number, number]) => a[0] - b[0];
      // Object.is: -0 comes back as the key 0, as a Map gives it
      expect(seen.sort(byKey)).toEqual([...ref].sort(byKey));
      const packed = t.packed();
      const pairs = Array.from({ length: packed.length / 2 }, (_, i) => [packed[2 * i], packed[2 * i + 1]] as [number, number]);
      expect(pairs.sort(byKey)).toEqual([...ref].sort(byKey));
    }),
    { numRuns: 300, seed: 21 },
  );
});

test('100,000 distinct seconds and each taken back out: every count right, then none held', () => {
  const t = new CountTable();
  for (let i = 0; i < 100_000; i++) t.add(i * 7 + 1_000_000, 2);
  expect(t.size).toBe(100_000);
  for (let i = 0; i < 100_000; i += 997) expect(t.get(i * 7 + 1_000_000)).toBe(2);
  expect(t.get(3)).toBe(0);
  for (let i = 0; i < 100_000; i++) t.add(i * 7 + 1_000_000, -2);
  expect(t.size).toBe(0);
  expect(t.packed().length).toBe(0);
});
