/** A KPI threshold as written (objectives' min/max, scorecards' target/worst), in the KPI's unit. */
import type { KpiDef } from '../kpis.js';
import { parseDuration, parsePercent } from '../values.js';

/** A fraction for rates, business minutes for times, a number otherwise; or what is wrong. */
export function parseThreshold(value: unknown, kpi: KpiDef): number | string {
  if (kpi.kind === 'rate') return parsePercent(value);
  if (kpi.kind === 'time') {
    const d = parseDuration(value);
    if (typeof d === 'string') return d;
    if (d.kind === 'bd' || d.kind === 'bd-end') return `"${String(value)}": business days differ between calendars; write hours or minutes of business time (e.g. 8h)`;
    if (d.kind === 'mo') return `"${String(value)}": a month is 28 to 31 days; write hours or minutes of business time (e.g. 8h)`;
    return d.ms / 60_000;
  }
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n)) return `"${String(value)}" is not a number (${kpi.name} is ${kpi.kind === 'count' ? 'a count of tickets' : 'a number'})`;
  return n;
}
