import { civilFromDays, daysFromCivil, weekdayOfDay } from '../time/civil.js';

import { PERIODS, type Period } from '../config/schema.js';

export { PERIODS, type Period };

/** The label of the period a local day falls in (shared with the SQL compiler). */
export { periodOf } from '../time/period-label.js';

/** A period fit for a trend chart over this many days, when none was asked for. */
export function autoPeriod(spanDays: number): Period {
  return spanDays <= 21 ? 'day' : spanDays <= 26 * 7 ? 'week' : spanDays <= 3 * 366 ? 'month' : 'quarter';
}

/** The local days a period runs over: its first day and the first day of the next one. */
export function periodDays(day: number, period: Period): [number, number] {
  if (period === 'day') return [day, day + 1];
  if (period === 'week') {
    const start = day - ((weekdayOfDay(day) + 6) % 7); // ISO weeks start on Monday
    return [start, start + 7];
  }
  const { y, m } = civilFromDays(day);
  const first = period === 'month' ? m : Math.floor((m - 1) / 3) * 3 + 1;
  const months = period === 'month' ? 1 : 3;
  const next = first + months;
  return [daysFromCivil(y, first, 1), next > 12 ? daysFromCivil(y + 1, next - 12, 1) : daysFromCivil(y, next, 1)];
}
