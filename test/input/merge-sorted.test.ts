import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyRuns } from '../../src/store/key-runs.js';
import { mergeSorted } from '../../src/input/stream.js';

type Pair = [number, number];
const byKey = (a: Pair, b: Pair) => a[0] - b[0] || a[1] - b[1];

/** sorted arrays of (high, low) word pairs, as a part's worker hands its ids' fingerprints over */
const words = (pairs: Pair[]) => Uint32Array.from([...pairs].sort(byKey).flat());

// keys drawn from a few values so that equal keys (duplicate ids) meet within and across sources
const word = fc.oneof(fc.constantFrom(0, 1, 0xffffffff, 0x80000000), fc.integer({ min: 0, max: 0xffffffff }));
const pair = fc.tuple(word, word) as fc.Arbitrary<Pair>;

describe('merging fingerprints sorted elsewhere with those read here', () => {
  it('visits every key of every source once, in key order (checked against one plain sort of all of them)', () => {
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 60 }), fc.array(fc.array(pair, { maxLength: 40 }), { maxLength: 5 }), (here, elsewhere) => {
        // a run buffer of 8 records: past 8 keys read here, runs are spilled and merged from files
        const runs = new KeyRuns(8);
        for (const [hi, lo] of here) runs.add(hi, lo);
        const seen: Pair[] = [];
        mergeSorted(runs, elsewhere.map(words), (hi, lo) => seen.push([hi, lo]));
        expect(seen).toEqual([...here, ...elsewhere.flat()].sort(byKey));
      }),
      { numRuns: 300 },
    );
  });

  it('with nothing read here, and with nothing read elsewhere', () => {
    const seen: Pair[] = [];
    mergeSorted(new KeyRuns(), [words([[5, 1], [2, 9]]), words([[5, 1]])], (hi, lo) => seen.push([hi, lo]));
    // by hand: (2,9) < (5,1) = (5,1)
    expect(seen).toEqual([[2, 9], [5, 1], [5, 1]]);
    const alone: Pair[] = [];
    const runs = new KeyRuns();
    runs.add(3, 0);
    runs.add(1, 7);
    mergeSorted(runs, [], (hi, lo) => alone.push([hi, lo]));
    expect(alone).toEqual([[1, 7], [3, 0]]);
  });
});
