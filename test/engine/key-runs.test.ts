import { expect, test } from 'vitest';
import fc from 'fast-check';
import { KeyRuns } from '../../src/store/key-runs.js';

test('sorted runs spilled to disk merge back in order, duplicates across runs included', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 400 }), (keys) => {
      const runs = new KeyRuns(16); // a run per 16 keys: most cases spill several files
      for (const [hi, lo] of keys) runs.add(hi, lo);
      const out: [number, number][] = [];
      runs.merge((hi, lo) => out.push([hi, lo]));
      const expected = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      expect(out).toEqual(expected);
    }),
    { numRuns: 300, seed: 5 },
  );
});
