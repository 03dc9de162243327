import { MS_PER_MINUTE } from '../time/civil.js';
import type { AuditResult, Counts, ObjectiveResult } from '../engine/result.js';

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

/** Business time for people: "45m", "4h", "26h 5m". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const total = Math.round(ms / MS_PER_MINUTE);
  const h = Math.floor(total / 60);
  const m = total % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}

/** Compliance for people: a percentage, "–" while nothing is measured yet, "not measured" when the metric cannot be. */
export function complianceText(c: Counts): string {
  if (c.compliance === null && c.not_measured > 0 && c.met + c.breached + c.overdue + c.running + c.at_risk === 0) return 'not measured';
  return pct(c.compliance);
}

export interface Tally {
  total: number;
  met: number;
  failed: number;
  notJudged: number;
}

/** How many objectives were met, failed and not judged (too few tickets). */
export function objectiveTally(r: Pick<AuditResult, 'objectives'>): Tally {
  const o = r.objectives;
  return { total: o.length, met: o.filter((x) => x.passed && !x.skipped).length, failed: o.filter((x) => !x.passed).length, notJudged: o.filter((x) => x.skipped).length };
}

/** "2 met, 1 failed, 1 not judged": never "all met" when one was not judged. */
export function tallyText(t: Tally): string {
  const parts = [`${t.met} met`];
  if (t.failed) parts.push(`${t.failed} failed`);
  if (t.notJudged) parts.push(`${t.notJudged} not judged`);
  return `${parts.join(', ')} (of ${t.total})`;
}
