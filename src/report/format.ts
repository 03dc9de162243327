import { MS_PER_MINUTE } from '../time/civil.js';
import type { ObjectiveResult } from '../engine/result.js';
import type { Zone } from '../time/zone.js';

export { minutes } from '../time/units.js';

/** "95%", "99.5%": a fraction as a percentage with at most two decimals (objective thresholds). */
function fmtPct(v: number): string {
  return `${+(v * 100).toFixed(2)}%`;
}

/** How an objective reads in reports: "resolution P1 ≥ 99%", "overall ≥ 95% (--fail-under)". */
export function objectiveLabel(o: Pick<ObjectiveResult, 'metric' | 'priority' | 'policy' | 'min' | 'origin'>): string {
  return `${[o.metric, o.priority, o.policy].filter(Boolean).join(' ')} ≥ ${fmtPct(o.min)}${o.origin ? ` (${o.origin})` : ''}`;
}

/** "96.3%" (one decimal), or "–" when there is nothing to measure. */
export function pct(v: number | null): string {
  if (v === null) return '–';
  const p = v * 100;
  // never round up to 100% or down to 0% when it is not exactly that
  const s = p > 99.95 && p < 100 ? '99.9' : p > 0 && p < 0.05 ? '0.1' : p.toFixed(1);
  return `${s.replace(/\.0$/, '')}%`;
}

/** A due or completion time for people, in the report's zone to the minute; "–" when there is none. */
export function when(zone: Zone, ms: number): string {
  return Number.isFinite(ms) ? zone.formatShort(ms) : '–';
}

/** Business time for people: "45m", "4h", "26h 5m". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const total = Math.round(ms / MS_PER_MINUTE);
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}
