/** Targets on a calendar: what a day or month target means for one clock, as business time. */
import type { Target } from '../config/values.js';
import { addMonths } from '../time/months.js';
import type { BusinessCalendar } from './calendar.js';

/**
 * A target as business time on `cal` for a clock started by something at `start`: its own length,
 * or for `Nbd`, `Nbd@end` and `Nmo` the business time from `start` to the due instant they name
 * (so it differs from ticket to ticket). Pauses then move the due time on by the business time they
 * hold, the same for every kind of target.
 */
export function targetMsOf(cal: BusinessCalendar, target: Target, start: number): number {
  if (target.kind === 'time') return target.ms;
  const due = dueOfDays(cal, target, start);
  return Number.isFinite(due) ? cal.elapsed(start, due) : Infinity;
}

/** The due instant a day or month target names (before pauses). */
function dueOfDays(cal: BusinessCalendar, target: Exclude<Target, { kind: 'time' }>, start: number): number {
  switch (target.kind) {
    case 'bd': return cal.dueAfterBusinessDays(start, target.days);
    case 'bd-end': return cal.closeOfBusinessDay(start, target.days).due;
    case 'mo': return addMonths(cal.zone, cal.clockStart(start), target.months);
  }
}

