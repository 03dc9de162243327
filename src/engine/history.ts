/**
 * A ticket's status history and what it means for the clock: intervals when it was paused
 * (status in the policy's pause_on), intervals between a resolve and a reopen (not counted for
 * resolution), the final resolution, and a first response taken from the first "response" status.
 */
import type { Metric } from '../config/schema.js';
import type { Config } from '../config/types.js';
import type { StatusHistory, Ticket } from '../model/ticket.js';
import type { Excluded, TicketTimes } from './result.js';

/** Intervals the clock of `metric` does not run in, merged and in time order. */
export function excludedIntervals(h: StatusHistory, pauseOn: Set<string>, resolved: Set<string>, metric: Metric): Excluded[] {
  const out: Excluded[] = [];
  const n = h.times.length;
  for (let i = 0; i < n; i++) {
    const s = h.statuses[i].toLowerCase();
    const start = h.times[i];
    const isResolved = resolved.has(s);
    let j = i + 1;
    // a run of the same status; for resolved statuses, of any resolved status (Resolved then Closed)
    while (j < n && (isResolved ? resolved.has(h.statuses[j].toLowerCase()) : h.statuses[j].toLowerCase() === s)) j++;
    const end = j < n ? h.times[j] : Infinity;
    if (pauseOn.has(s)) out.push({ start, end, status: h.statuses[i], kind: 'paused' });
    else if (metric !== 'first_response' && isResolved && j < n) {
      // resolved, then reopened: the time in between does not count (for the resolution, and for the
      // replies and updates owed only while the ticket is open)
      out.push({ start, end, status: h.statuses[i], kind: 'resolved' });
    }
    i = j - 1;
  }
  return out.filter((e) => e.end > e.start);
}

/** When the final resolution happened according to the history, or NaN when it ends unresolved. */
function finalResolution(h: StatusHistory, resolved: Set<string>): number {
  const n = h.times.length;
  if (!n || !resolved.has(h.statuses[n - 1].toLowerCase())) return NaN;
  let i = n - 1;
  while (i > 0 && resolved.has(h.statuses[i - 1].toLowerCase())) i--;
  return h.times[i];
}

/** True when the history shows the ticket open again after `at` (reopened after that resolution). */
function reopenedAfter(h: StatusHistory, resolved: Set<string>, at: number): boolean {
  const n = h.times.length;
  return n > 0 && h.times[n - 1] > at && !resolved.has(h.statuses[n - 1].toLowerCase());
}

/** The first time the status became one of `statuses`, or NaN. */
function firstStatusTime(h: StatusHistory, statuses: Set<string>): number {
  if (!statuses.size) return NaN;
  for (let i = 0; i < h.times.length; i++) if (statuses.has(h.statuses[i].toLowerCase())) return h.times[i];
  return NaN;
}

/** The history up to an instant (times are sorted): what was known then. */
function upTo(h: StatusHistory, at: number): StatusHistory {
  let n = h.times.length;
  if (n === 0 || h.times[n - 1] <= at) return h;
  while (n > 0 && h.times[n - 1] > at) n--;
  const out: StatusHistory = { times: h.times.slice(0, n), statuses: h.statuses.slice(0, n) };
  if (h.groups) out.groups = h.groups.slice(0, n);
  return out;
}

/**
 * The times a ticket is measured by at `asOf`: the export's, with anything later than `asOf` left
 * out, then corrected by the status history up to `asOf` (pauses need nothing here): a first
 * response from the first response status (or the first resolution when that came first) when the
 * export has none; a resolution from the history's final resolve when the export has none; no
 * resolution when the history shows the ticket open again after it.
 */
export function timesOf(t: Ticket, config: Config, asOf: number): TicketTimes {
  // one object shape for every ticket: the evaluation's hot path stays monomorphic
  let firstResponse = t.firstResponse > asOf ? NaN : t.firstResponse;
  let resolved = t.resolved > asOf ? NaN : t.resolved;
  if (!t.history) return { created: t.created, firstResponse, resolved, firstResolved: resolved, firstResponseMinutes: t.firstResponseMinutes, history: undefined };
  const h = upTo(t.history, asOf);
  const resolvedSet = config.tickets.resolvedStatuses;
  if (Number.isNaN(firstResponse) && config.tickets.firstResponseStatuses.size) {
    const fr = firstStatusTime(h, config.tickets.responseOrResolved);
    if (fr >= t.created) firstResponse = fr;
  }
  const firstInHistory = firstStatusTime(h, resolvedSet);
  const firstResolved = firstInHistory >= t.created && !(firstInHistory > resolved) ? firstInHistory : resolved;
  if (!Number.isNaN(resolved)) {
    if (reopenedAfter(h, resolvedSet, resolved)) resolved = NaN;
  } else {
    const fin = finalResolution(h, resolvedSet);
    if (fin >= t.created) resolved = fin;
  }
  return { created: t.created, firstResponse, resolved, firstResolved, firstResponseMinutes: t.firstResponseMinutes, history: h };
}

/** Whether the history up to `asOf` shows the ticket resolved and then open again (reopened). */
export function reopenedIn(h: StatusHistory, resolved: Set<string>, asOf: number): boolean {
  let wasResolved = false;
  for (let i = 0; i < h.times.length && h.times[i] <= asOf; i++) {
    const isResolved = resolved.has(h.statuses[i].toLowerCase());
    if (isResolved) wasResolved = true;
    else if (wasResolved) return true;
  }
  return false;
}
