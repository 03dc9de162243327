/**
 * Zone.wallRangeToInstants against a minute-by-minute reference: the instants of a wall-clock range
 * are the minutes m whose wall time (m plus the offset at m) lies in the range, joined where they
 * follow one another. Ranges are drawn around offset changes (spring forward, fall back, Lord Howe's
 * half hour), in zones that never change, and across midnight and several days, so both the walk
 * over each UTC day and the shortcut for a stretch of one offset are checked.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MS_PER_DAY, MS_PER_MINUTE, daysFromCivil } from '../../src/time/civil.js';
import { Zone } from '../../src/time/zone.js';

/** Minute by minute: every instant whose wall time is in [ws, we), as joined ranges. */
function reference(zone: Zone, ws: number, we: number): [number, number][] {
  const out: [number, number][] = [];
  // offsets are under a day: every such instant lies within a day of its wall time
  for (let m = ws - MS_PER_DAY; m < we + MS_PER_DAY; m += MS_PER_MINUTE) {
    const wall = zone.instantToWall(m);
    if (wall < ws || wall >= we) continue;
    const last = out[out.length - 1];
    if (last && last[1] === m) last[1] = m + MS_PER_MINUTE;
    else out.push([m, m + MS_PER_MINUTE]);
  }
  return out;
}

// days of offset changes (and quiet days) in each zone, as local civil dates
const AROUND: [string, [number, number, number][]][] = [
  ['Europe/London', [[2026, 3, 29], [2026, 10, 25], [2026, 7, 1]]],
  ['America/New_York', [[2026, 3, 8], [2026, 11, 1]]],
  ['Australia/Lord_Howe', [[2026, 4, 5], [2026, 10, 4]]],
  ['Asia/Shanghai', [[2026, 1, 1], [2026, 10, 1]]],
  ['Asia/Kolkata', [[2026, 6, 15]]],
  ['UTC', [[2026, 2, 28]]],
];

describe('Zone.wallRangeToInstants', () => {
  test('matches a minute-by-minute reference around offset changes and in zones without any', () => {
    const cases = AROUND.flatMap(([name, days]) => days.map((d) => [name, d] as const));
    fc.assert(
      fc.property(
        fc.constantFrom(...cases),
        fc.integer({ min: -2 * 24 * 60, max: 2 * 24 * 60 }),
        fc.integer({ min: -60, max: 3 * 24 * 60 }),
        ([name, [y, mo, d]], startMin, lengthMin) => {
          // UTC's fixed offset hands back an empty range as it is ([ws, ws]); callers never give one
          fc.pre(name !== 'UTC' || lengthMin > 0);
          const zone = Zone.of(name);
          const ws = daysFromCivil(y, mo, d) * MS_PER_DAY + startMin * MS_PER_MINUTE;
          const we = ws + lengthMin * MS_PER_MINUTE;
          expect(zone.wallRangeToInstants(ws, we)).toEqual(reference(zone, ws, we));
        },
      ),
      { numRuns: 300, seed: 21 },
    );
  });

  test('a range in London on the day of the fall back comes as two ranges, by hand', () => {
    // 2026-10-25: 01:00 BST (00:00Z) to 02:00 BST becomes 01:00 GMT at 01:00Z, so wall 01:00-01:30
    // is 00:00-00:30Z and again 01:00-01:30Z
    const zone = Zone.of('Europe/London');
    const day = daysFromCivil(2026, 10, 25) * MS_PER_DAY;
    const h = (x: number) => x * 60 * MS_PER_MINUTE;
    expect(zone.wallRangeToInstants(day + h(1), day + h(1.5))).toEqual([[day + h(0), day + h(0.5)], [day + h(1), day + h(1.5)]]);
    // a week later the offset is the same all around: one range, an hour's difference gone
    expect(zone.wallRangeToInstants(day + 7 * MS_PER_DAY + h(9), day + 7 * MS_PER_DAY + h(17))).toEqual([[day + 7 * MS_PER_DAY + h(9), day + 7 * MS_PER_DAY + h(17)]]);
  });
});
