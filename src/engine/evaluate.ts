import type { Policy } from '../config/types.js';
import type { Metric } from '../config/schema.js';
import type { Ticket } from '../input/tickets.js';

/** Stable status values (SPEC section 3). */
export const STATUSES = ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable'] as const;
export type Status = (typeof STATUSES)[number];

export interface MetricResult {
  metric: Metric;
  status: Status;
  /** business ms allowed; NaN when not applicable */
  targetMs: number;
  /** business ms used (to completion, or to --as-of while open); NaN when not applicable */
  elapsedMs: number;
  /** the instant the target is used up; NaN when not applicable */
  due: number;
  /** completion instant, NaN while open */
  completed: number;
  /** when the clock starts (next opening when created outside hours) */
  clockStart: number;
}

/** When the metric was fulfilled: first response (or resolution when none was recorded), resolution. */
export function completedAt(t: Ticket, metric: Metric): number {
  if (metric === 'resolution') return t.resolved;
  return Number.isNaN(t.firstResponse) ? t.resolved : t.firstResponse;
}

const NA = (metric: Metric, t: Ticket): MetricResult => ({
  metric, status: 'not_applicable', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: completedAt(t, metric), clockStart: NaN,
});

export function evaluateMetric(t: Ticket, policy: Policy | undefined, metric: Metric, asOf: number): MetricResult {
  if (!policy) return NA(metric, t);
  const targets = policy.targets[metric];
  const target = targets.get(t.priority) ?? targets.get('default');
  if (!target) return NA(metric, t);
  const cal = policy.calendar;
  let due: number;
  let targetMs: number;
  if (target.kind === 'bd') {
    due = cal.dueAfterBusinessDays(t.created, target.days);
    targetMs = cal.elapsed(t.created, due);
  } else {
    targetMs = target.ms;
    due = cal.dueAfter(t.created, targetMs);
  }
  const completed = completedAt(t, metric);
  const done = !Number.isNaN(completed);
  const elapsedMs = cal.elapsed(t.created, done ? completed : asOf);
  let status: Status;
  if (done) status = elapsedMs <= targetMs ? 'met' : 'breached';
  else if (elapsedMs >= targetMs) status = 'overdue';
  else if (elapsedMs >= policy.warnAt * targetMs) status = 'at_risk';
  else status = 'running';
  return { metric, status, targetMs, elapsedMs, due, completed, clockStart: cal.clockStart(t.created) };
}
