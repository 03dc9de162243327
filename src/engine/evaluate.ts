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

/**
 * When the metric was fulfilled: the first response (or, when none was recorded, the first
 * resolution: what happens after a reopen does not touch it), or the final resolution.
 */
function completedAt(t: TicketTimes, metric: Metric): number {
  if (metric === 'resolution') return t.resolved;
  return Number.isNaN(t.firstResponse) ? t.firstResolved : t.firstResponse;
}

// every result has the same fields in the same order: the aggregates' hot path stays monomorphic
const NA = (metric: Metric, t: TicketTimes): MetricResult => ({
  metric, status: 'not_applicable', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: completedAt(t, metric), clockStart: NaN, excluded: undefined, fromMinutes: false,
});

const NOT_MEASURED = (metric: Metric): MetricResult => ({
  metric, status: 'not_measured', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: NaN, clockStart: NaN, excluded: undefined, fromMinutes: false,
});

/** A completed metric knows the history only up to its completion: later pauses change nothing. */
function upTo(ex: Excluded[] | undefined, completed: number): Excluded[] | undefined {
  if (!ex || Number.isNaN(completed)) return ex;
  return ex.filter((e) => e.start < completed).map((e) => (e.end > completed ? { ...e, end: completed } : e));
}

const NO_STATUSES = new Set<string>();

/**
 * One metric of one ticket at `asOf`. `measured` is false when the ticket's file has no column the
 * metric could be measured from (then nothing is invented: the status is not_measured).
 */
export function evaluateMetric(t: TicketTimes, priority: string, policy: Policy | undefined, metric: Metric, asOf: number, resolvedStatuses = NO_STATUSES, measured = true): MetricResult {
  if (!measured) return NOT_MEASURED(metric);
  if (!policy) return NA(metric, t);
  const targets = policy.targets[metric];
  const target = targets.get(priority) ?? targets.get('default');
  if (!target) return NA(metric, t);
  const cal = policy.calendar;
  const history = t.history ? excludedIntervals(t.history, policy.pauseOn, resolvedStatuses, metric) : undefined;
  let completed = completedAt(t, metric);
  let vendorMs = NaN;
  if (metric === 'first_response' && Number.isNaN(t.firstResponse) && !Number.isNaN(t.firstResponseMinutes)) {
    // the export measured it already (vendor business minutes): take that as the elapsed time,
    // unless that reply came after --as-of
    const ms = Math.round(t.firstResponseMinutes * 60_000);
    const at = netDue(cal, t.created, ms, history);
    if (at <= asOf) {
      vendorMs = ms;
      completed = at;
    } else completed = NaN;
  }
  const excluded = upTo(history, completed);
  let targetMs: number;
  if (target.kind === 'bd') {
    const bdDue = cal.dueAfterBusinessDays(t.created, target.days);
    targetMs = Number.isFinite(bdDue) ? cal.elapsed(t.created, bdDue) : Infinity;
  } else targetMs = target.ms;
  const due = Number.isFinite(targetMs) ? netDue(cal, t.created, targetMs, excluded) : Infinity;
  const elapsedMs = !Number.isNaN(vendorMs) ? vendorMs : netElapsed(cal, t.created, Number.isNaN(completed) ? asOf : completed, excluded);
  const done = !Number.isNaN(completed);
  let status: Status;
  if (done) status = elapsedMs <= targetMs ? 'met' : 'breached';
  else if (elapsedMs >= targetMs) status = 'overdue';
  else if (elapsedMs >= policy.warnAt * targetMs) status = 'at_risk';
  else status = 'running';
  return { metric, status, targetMs, elapsedMs, due, completed, clockStart: cal.clockStart(t.created), excluded, fromMinutes: !Number.isNaN(vendorMs) };
}
