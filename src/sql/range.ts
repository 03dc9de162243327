/** How far the spine must reach for tickets between two instants: whole local days, with room for every target after the last. */
import type { BusinessCalendar } from '../calendar/calendar.js';
import type { Config } from '../config/types.js';
import { SQL_METRICS } from './metrics.js';
import { MS_PER_DAY } from '../time/civil.js';
import type { SpineRange } from './spine.js';

const MAX_REACH = 11 * 366 * MS_PER_DAY;

/**
 * A spine range for tickets created from `first` whose times (and --as-of) end by `last`: from two
 * local days before `first` to three days past the latest instant the script looks up for them.
 * For `Nbd` that is the close of the target day itself (the script reads that day's row: N
 * business days after the clock start's), and, after a pause that ended by `last`, the instant a
 * target's business time runs out when started at `last`: the most business time N + 1
 * consecutive business days hold (a target day's offset is at most its length).
 */
export function spineRangeFor(config: Config, first: number, last: number): SpineRange {
  const zone = config.zone;
  const from = zone.wallToInstant((zone.localDay(first) - 2) * MS_PER_DAY);
  let reach = last;
  const bd = new Map<string, number>();
  for (const p of config.policies) {
    for (const m of SQL_METRICS) {
      for (const t of p.targets[m].values()) {
        // Nbd@end: the close of day 0 + N is at most that of the (N+1)th business day after last's, and its
        // business time at most N + 1 days' (as Nbd); Nmo (24x7): at most N months of 31 days and a day
        const cal = p.clocks[m].calendar;
        const days = t.kind === 'bd' || t.kind === 'bd-end' ? t.days : undefined;
        const key = `${cal.name}\u0000${days ?? ''}`;
        if (days !== undefined && !bd.has(key)) bd.set(key, bdReach(cal, from, last, days));
        const due = days !== undefined ? bd.get(key)! : t.kind === 'time' ? cal.dueAfter(last, t.ms) : t.kind === 'mo' ? cal.dueAfter(last, (t.months * 31 + 1) * MS_PER_DAY) : Infinity;
        reach = Math.max(reach, Number.isFinite(due) ? due : last + MAX_REACH);
      }
    }
  }
  reach = Math.min(reach, last + MAX_REACH);
  const to = zone.wallToInstant((zone.localDay(reach) + 3) * MS_PER_DAY);
  return { from, to };
}

/** The latest instant an `Nbd` target of a ticket created in [from, last] is looked up at, paused or not (Infinity: never). */
function bdReach(cal: BusinessCalendar, from: number, last: number, days: number): number {
  // the close of the (N+1)th business day after last's: at or after the target day of any clock started by last
  const close = cal.closeOfBusinessDay(last, days + 1).due;
  if (!Number.isFinite(close) || close - last > MAX_REACH) return Infinity;
  // the most business time of N + 1 consecutive business days up to there: no target is longer
  const totals: number[] = [];
  let prevDay = NaN;
  for (const w of cal.windows(from, close)) {
    if (w.businessDay !== prevDay) totals.push(0);
    prevDay = w.businessDay;
    totals[totals.length - 1] += w.end - w.start;
  }
  let most = 0;
  let sum = 0;
  for (let i = 0; i < totals.length; i++) {
    sum += totals[i] - (i > days ? totals[i - days - 1] : 0);
    most = Math.max(most, sum);
  }
  return Math.max(close, cal.dueAfter(last, most));
}
