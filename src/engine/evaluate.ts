/** One ticket and metric against its policy's target on its calendar: status, elapsed and due time. */
import type { Policy } from '../config/types.js';
import type { Metric } from '../config/schema.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import { excludedIntervals } from './history.js';
import type { Excluded, MetricResult, Status, TicketTimes } from './result.js';

/** Business time in [a, b] less the parts inside excluded intervals (which never overlap). */
export function netElapsed(cal: BusinessCalendar, a: number, b: number, ex: Excluded[] | undefined): number {
  let total = cal.elapsed(a, b);
  if (ex) {
    for (const e of ex) {
      const s = Math.max(e.start, a);
      const f = Math.min(e.end, b);
      if (f > s) total -= cal.elapsed(s, f);
    }
  }
  return total;
}

/** The earliest instant at which net business time since `a` reaches `target`, walking around exclusions. */
function netDue(cal: BusinessCalendar, a: number, target: number, ex: Excluded[] | undefined): number {
  if (!ex?.length) return cal.dueAfter(a, target);
  let remaining = target;
  let cursor = a;
  for (const e of ex) {
    if (e.end <= cursor) continue;
    const s = Math.max(e.start, cursor);
    const avail = cal.elapsed(cursor, s);
    if (avail >= remaining) return cal.dueAfter(cursor, remaining);
    remaining -= avail;
    cursor = e.end;
    if (!Number.isFinite(cursor)) return Infinity; // paused until further notice
  }
  return cal.dueAfter(cursor, remaining);
}

/** When the metric was fulfilled: first response (or resolution when none was recorded), resolution. */
function completedAt(t: TicketTimes, metric: Metric): number {
  if (metric === 'resolution') return t.resolved;
  return Number.isNaN(t.firstResponse) ? t.resolved : t.firstResponse;
}

const NA = (metric: Metric, t: TicketTimes): MetricResult => ({
  metric, status: 'not_applicable', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: completedAt(t, metric), clockStart: NaN,
});

const NO_STATUSES = new Set<string>();

export function evaluateMetric(t: TicketTimes, priority: string, policy: Policy | undefined, metric: Metric, asOf: number, resolvedStatuses = NO_STATUSES): MetricResult {
  if (!policy) return NA(metric, t);
  const targets = policy.targets[metric];
  const target = targets.get(priority) ?? targets.get('default');
  if (!target) return NA(metric, t);
  const cal = policy.calendar;
  const targetMs = target.kind === 'bd' ? cal.elapsed(t.created, cal.dueAfterBusinessDays(t.created, target.days)) : target.ms;
  const excluded = t.history ? excludedIntervals(t.history, policy.pauseOn, resolvedStatuses, metric) : undefined;
  const due = netDue(cal, t.created, targetMs, excluded);
  let completed = completedAt(t, metric);
  let elapsedMs: number;
  let fromMinutes = false;
  if (metric === 'first_response' && Number.isNaN(t.firstResponse) && !Number.isNaN(t.firstResponseMinutes)) {
    // the export measured it already (vendor business minutes): take that as the elapsed time
    fromMinutes = true;
    elapsedMs = Math.round(t.firstResponseMinutes * 60_000);
    completed = netDue(cal, t.created, elapsedMs, excluded);
  } else {
    elapsedMs = netElapsed(cal, t.created, Number.isNaN(completed) ? asOf : completed, excluded);
  }
  const done = !Number.isNaN(completed);
  let status: Status;
  if (done) status = elapsedMs <= targetMs ? 'met' : 'breached';
  else if (elapsedMs >= targetMs) status = 'overdue';
  else if (elapsedMs >= policy.warnAt * targetMs) status = 'at_risk';
  else status = 'running';
  const r: MetricResult = { metric, status, targetMs, elapsedMs, due, completed, clockStart: cal.clockStart(t.created) };
  if (excluded) r.excluded = excluded;
  if (fromMinutes) r.fromMinutes = true;
  return r;
}
