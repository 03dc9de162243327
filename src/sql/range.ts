/** How far the spine must reach for tickets between two instants: whole local days, with room for every target after the last. */
import type { Config } from '../config/types.js';
import { SQL_METRICS } from './metrics.js';
import { MS_PER_DAY } from '../time/civil.js';
import type { SpineRange } from './spine.js';

const MAX_REACH = 11 * 366 * MS_PER_DAY;

/**
 * A spine range for tickets created from `first` whose times (and --as-of) end by `last`: from two
 * local days before `first` to two days past the latest due time a target could have when started
 * at `last` (a due time after a pause that ended by `last` is no later than that).
 */
export function spineRangeFor(config: Config, first: number, last: number): SpineRange {
  const zone = config.zone;
  const from = zone.wallToInstant((zone.localDay(first) - 2) * MS_PER_DAY);
  let reach = last;
  for (const p of config.policies) {
    for (const m of SQL_METRICS) {
      for (const t of p.targets[m].values()) {
        // Nbd@end and Nmo are refused before a spine is laid out (refusals.ts)
        const cal = p.clocks[m].calendar;
        const due = t.kind === 'bd' ? cal.dueAfterBusinessDays(last, t.days) : t.kind === 'time' ? cal.dueAfter(last, t.ms) : Infinity;
        reach = Math.max(reach, Number.isFinite(due) ? due : last + MAX_REACH);
      }
    }
  }
  reach = Math.min(reach, last + MAX_REACH);
  const to = zone.wallToInstant((zone.localDay(reach) + 3) * MS_PER_DAY);
  return { from, to };
}
