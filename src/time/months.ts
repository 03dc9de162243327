/**
 * Calendar months on the wall clock of a zone: `Nmo` targets. Plain arithmetic on day numbers and
 * the zone's offsets (no Date objects), as the rest of the per-ticket path.
 */
import { MS_PER_DAY, civilFromDays, daysFromCivil, daysInMonth } from './civil.js';
import type { Zone } from './zone.js';

/**
 * The instant `months` calendar months after `t`, at the same wall-clock time in `zone`; a day past
 * the month's end is clamped to its last day (31 Jan + 1 month = 28 Feb, or 29 Feb in a leap year).
 * A wall time that does not exist there (a spring-forward gap) moves forward by the gap; one that
 * occurs twice (fall-back) is the earlier instant: the zone's rule for every wall time.
 */
export function addMonths(zone: Zone, t: number, months: number): number {
  if (!Number.isFinite(t)) return t;
  const wall = zone.instantToWall(t);
  const day = Math.floor(wall / MS_PER_DAY);
  const timeOfDay = wall - day * MS_PER_DAY;
  const { y, m, d } = civilFromDays(day);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  const td = Math.min(d, daysInMonth(ty, tm));
  return zone.wallToInstant(daysFromCivil(ty, tm, td) * MS_PER_DAY + timeOfDay);
}
