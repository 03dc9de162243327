/**
 * The calendars as SQL relations: the spine of business windows (computed by the same calendar
 * code as the engine's, or read from a table loaded from `sla-audit calendar -f csv`) and what the
 * compiled script derives from it with window functions: the cover of each window (the instants
 * whose business time it gives), the inverse (the business time it holds), the business-day index.
 */
import type { BusinessCalendar } from '../calendar/calendar.js';
import { MS_PER_MINUTE } from '../time/civil.js';
import type { Dialect } from './dialect.js';
import { timestampSql } from './timestamps.js';
import { Zone } from '../time/zone.js';

/** The UTC day (or, for business time, the 86,400,000 ms) a value falls in, as an integer. */
export function dayKey(d: Dialect, x: string): string {
  return `CAST(${d.floorDiv(`(${x})`, 86400000)} AS ${d.bigint})`;
}

/** Lower and upper sentinels for instants and business time: beyond any year the engine reads. */
export const FAR_FUTURE = 9_000_000_000_000_000;

export interface SpineRange {
  from: number;
  to: number;
}

/** Why a calendar's spine cannot be compiled exactly (a window not on whole UTC minutes); undefined when it can. */
export function spineRefusal(cal: BusinessCalendar, range: SpineRange): string | undefined {
  for (const w of cal.windows(range.from, range.to)) {
    if (w.start % MS_PER_MINUTE !== 0 || w.end % MS_PER_MINUTE !== 0) {
      return `calendar "${cal.name}" has a window starting or ending off a whole UTC minute (${new Date(w.start).toISOString()}): its zone's offset has seconds then; the spine counts whole minutes; compile for later --from dates, or run sla-audit check`;
    }
  }
  return undefined;
}

/** The spine as literal rows: calendar, window_start_ms, window_end_ms, business_ms_before, business_day. */
function spineValues(d: Dialect, calendars: BusinessCalendar[], range: SpineRange): string {
  const rows: string[][] = [];
  for (const cal of calendars) {
    for (const w of cal.windows(range.from, range.to)) {
      rows.push([d.str(cal.name), String(w.start), String(w.end), String(Math.round(w.cumMinutes * MS_PER_MINUTE)), String(w.businessDay)]);
    }
  }
  return d.values(rows, ['calendar', 'start_ms', 'end_ms', 'cum_ms', 'bday'], [d.text, d.bigint, d.bigint, d.bigint, d.bigint]);
}

/** The spine read from a table with the columns of `sla-audit calendar -f csv` (times as text or timestamps cast to text). */
function spineFromTable(d: Dialect, table: string, range: SpineRange): string {
  const utc = Zone.of('UTC');
  const ms = (col: string) => timestampSql(d, `TRIM(CAST(${d.ident(col)} AS ${d.text}))`, "yyyy-MM-dd'T'HH:mm:ssXXX", utc, range.from, range.to);
  return `SELECT CAST(${d.ident('calendar')} AS ${d.text}) AS calendar, ${ms('window_start_utc')} AS start_ms, ${ms('window_end_utc')} AS end_ms,
  CAST(ROUND(CAST(${d.ident('business_minutes_before')} AS ${d.double}) * 60000) AS ${d.bigint}) AS cum_ms, CAST(${d.ident('business_day')} AS ${d.bigint}) AS bday
FROM ${table}`;
}

/**
 * The relations every compiled script starts with. sla_cover: for each calendar, the instants
 * [lo, hi) whose first window ending after them is the row's window (B(t) = cum + max(0, t -
 * start)); the last row, after the last window, has no window (start NULL). sla_inverse: the
 * business time (lo, hi] each window holds. sla_bdays: each business day's first business ms and
 * its business ms in all.
 */
export function spineViews(d: Dialect, calendars: BusinessCalendar[], range: SpineRange, spineTable: string | undefined): [string, string][] {
  const names = calendars.map((c) => d.str(c.name)).join(', ');
  const digits = `(${d.values(Array.from({ length: 10 }, (_, i) => [String(i)]), ['n'], [d.bigint])})`;
  const day = (x: string) => dayKey(d, x);
  const spine = spineTable ? `SELECT * FROM (${spineFromTable(d, spineTable, range)}) AS s WHERE calendar IN (${names})` : spineValues(d, calendars, range);
  const bounds = spineTable
    ? `SELECT calendar, MIN(start_ms) AS from_ms, MAX(end_ms) AS to_ms FROM sla_spine GROUP BY calendar`
    : d.values(calendars.map((c) => [d.str(c.name), String(range.from), String(range.to)]), ['calendar', 'from_ms', 'to_ms'], [d.text, d.bigint, d.bigint]);
  return [
    ['sla_spine', spine],
    ['sla_spine_range', bounds],
    ['sla_cover', `SELECT w.calendar, COALESCE(LAG(w.end_ms) OVER (PARTITION BY w.calendar ORDER BY w.start_ms), r.from_ms) AS lo, w.end_ms AS hi,
  w.start_ms, w.cum_ms, w.bday
FROM sla_spine w JOIN sla_spine_range r ON r.calendar = w.calendar
UNION ALL
SELECT r.calendar, COALESCE(MAX(w.end_ms), r.from_ms) AS lo, r.to_ms AS hi, CAST(NULL AS ${d.bigint}) AS start_ms, COALESCE(CAST(SUM(w.end_ms - w.start_ms) AS ${d.bigint}), 0) AS cum_ms, CAST(NULL AS ${d.bigint}) AS bday
FROM sla_spine_range r LEFT JOIN sla_spine w ON w.calendar = r.calendar
GROUP BY r.calendar, r.from_ms, r.to_ms`],
    ['sla_inverse', `SELECT calendar, CASE WHEN ROW_NUMBER() OVER (PARTITION BY calendar ORDER BY start_ms) = 1 THEN -1 ELSE cum_ms END AS lo,
  cum_ms + (end_ms - start_ms) AS hi, start_ms, cum_ms
FROM sla_spine`],
    // 0..9999, from digits: a day key joins an instant (or a business time) to the few rows whose
    // range holds it, instead of comparing it with the whole spine
    // (as many as the longest range spans: joined to every spine row, 10,000 numbers cost 10,000 rows each)
    ['sla_numbers', `SELECT q.n FROM (SELECT a.n + 10 * b.n + 100 * c.n + 1000 * e.n AS n FROM ${digits} a CROSS JOIN ${digits} b CROSS JOIN ${digits} c CROSS JOIN ${digits} e) q
WHERE q.n <= (SELECT MAX(x.span) FROM (SELECT ${day('hi - 1')} - ${day('lo')} AS span FROM sla_cover UNION ALL SELECT ${day('hi')} - ${day('lo + 1')} AS span FROM sla_inverse) x)`],
    ['sla_cover_days', `SELECT v.*, ${day('v.lo')} + n.n AS dkey FROM sla_cover v JOIN sla_numbers n ON n.n <= ${day('v.hi - 1')} - ${day('v.lo')}`],
    ['sla_inverse_days', `SELECT v.*, ${day('v.lo + 1')} + n.n AS kkey FROM sla_inverse v JOIN sla_numbers n ON n.n <= ${day('v.hi')} - ${day('v.lo + 1')}`],
    ['sla_bdays', `SELECT calendar, bday, MIN(cum_ms) AS first_cum, CAST(SUM(end_ms - start_ms) AS ${d.bigint}) AS total FROM sla_spine GROUP BY calendar, bday`],
  ];
}
