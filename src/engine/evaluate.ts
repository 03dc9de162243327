/** One ticket and metric against its policy's target on its calendar: status, elapsed and due time. */
import type { Policy } from '../config/types.js';
import type { Target } from '../config/values.js';
import type { Metric, MetricName } from '../config/schema.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import { excludedIntervals } from './history.js';
import { shareOf } from './share.js';
import { targetMsOf } from '../calendar/targets.js';
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
  if (metric !== 'first_response') return NaN; // message metrics: per interval
  return Number.isNaN(t.firstResponse) ? t.firstResolved : t.firstResponse;
}

// every result has the same fields in the same order: the aggregates' hot path stays monomorphic
const NA = (metric: Metric, t: TicketTimes): MetricResult => ({
  metric, status: 'not_applicable', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: completedAt(t, metric), clockStart: NaN, excluded: undefined, fromMinutes: false, intervals: 0, open: undefined, peak: NaN,
});

const NOT_MEASURED = (metric: Metric): MetricResult => ({
  metric, status: 'not_measured', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: NaN, clockStart: NaN, excluded: undefined, fromMinutes: false, intervals: 0, open: undefined, peak: NaN,
});

/** A completed metric knows the history only up to its completion: later pauses change nothing. */
function upTo(ex: Excluded[] | undefined, completed: number): Excluded[] | undefined {
  if (!ex || Number.isNaN(completed)) return ex;
  return ex.filter((e) => e.start < completed).map((e) => (e.end > completed ? { ...e, end: completed } : e));
}

const NO_STATUSES = new Set<string>();

/**
 * One clock on the metric's calendar under a policy: from `start` until `completed` (NaN: still
 * running at `asOf`), the target (business days counted from `start`), time in `history`'s pauses left out.
 */
export function clock(metric: Metric, policy: Policy, target: Target, start: number, completed: number, asOf: number, history: Excluded[] | undefined, vendorMs = NaN): MetricResult {
  return clockOn(metric, policy.clocks[metric].calendar, policy.warnAt, target, start, completed, asOf, history, vendorMs);
}

/** The same clock on a given calendar with a given warn_at (an OLA's stint: its own calendar, else the policy's resolution clock). */
export function clockOn(metric: MetricName, cal: BusinessCalendar, warnAt: number, target: Target, start: number, completed: number, asOf: number, history: Excluded[] | undefined, vendorMs = NaN): MetricResult {
  const excluded = upTo(history, completed);
  const targetMs = targetMsOf(cal, target, start);
  const due = Number.isFinite(targetMs) ? netDue(cal, start, targetMs, excluded) : Infinity;
  const elapsedMs = !Number.isNaN(vendorMs) ? vendorMs : netElapsed(cal, start, Number.isNaN(completed) ? asOf : completed, excluded);
  let status: Status;
  if (!Number.isNaN(completed)) status = elapsedMs <= targetMs ? 'met' : 'breached';
  else if (elapsedMs >= targetMs) status = 'overdue';
  else if (elapsedMs >= warnAt * targetMs) status = 'at_risk';
  else status = 'running';
  return { metric, status, targetMs, elapsedMs, due, completed, clockStart: cal.clockStart(start), excluded, fromMinutes: !Number.isNaN(vendorMs), intervals: 1, open: undefined, peak: shareOf(elapsedMs, targetMs) };
}

/** The target of a metric for a priority under a policy (the priority's own, else the policy's default). */
export function targetOf(policy: Policy, metric: Metric, priority: string): Target | undefined {
  const targets = policy.targets[metric];
  return targets.get(priority) ?? targets.get('default');
}

/**
 * One metric of one ticket at `asOf`. `measured` is false when the ticket's file has no column the
 * metric could be measured from (then nothing is invented: the status is not_measured).
 */
export function evaluateMetric(t: TicketTimes, priority: string, policy: Policy | undefined, metric: Metric, asOf: number, resolvedStatuses = NO_STATUSES, measured = true): MetricResult {
  if (!measured) return NOT_MEASURED(metric);
  if (!policy) return NA(metric, t);
  const target = targetOf(policy, metric, priority);
  if (!target) return NA(metric, t);
  const history = t.history ? excludedIntervals(t.history, policy.clocks[metric].pauseOn, resolvedStatuses, metric) : undefined;
  let completed = completedAt(t, metric);
  let vendorMs = NaN;
  if (metric === 'first_response' && Number.isNaN(t.firstResponse) && !Number.isNaN(t.firstResponseMinutes)) {
    // the export measured it already (vendor business minutes): take that as the elapsed time,
    // unless that reply came after --as-of
    const ms = Math.round(t.firstResponseMinutes * 60_000);
    const at = netDue(policy.clocks[metric].calendar, t.created, ms, history);
    if (at <= asOf) {
      vendorMs = ms;
      completed = at;
    } else completed = NaN;
  }
  return clock(metric, policy, target, t.created, completed, asOf, history, vendorMs);
}

/** A message metric with nothing to measure: no interval in the conversation (not applicable). */
export function noIntervals(metric: Metric): MetricResult {
  return { metric, status: 'not_applicable', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: NaN, clockStart: NaN, excluded: undefined, fromMinutes: false, intervals: 0, open: undefined, peak: NaN };
}

