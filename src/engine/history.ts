/**
 * A ticket's status history and what it means for the clock: intervals when it was paused
 * (status in the policy's pause_on), intervals between a resolve and a reopen (not counted for
 * resolution), the final resolution, and a first response taken from the first "response" status.
 */
import type { Metric } from '../config/schema.js';

export interface StatusHistory {
  /** epoch ms, ascending (ties keep file order) */
  times: number[];
  /** statuses as written (trimmed) */
  statuses: string[];
}

export interface Excluded {
  start: number;
  /** Infinity while it lasts */
  end: number;
  status: string;
  kind: 'paused' | 'resolved';
}

/** Sorts events by time, then by sequence number when given, then file order. */
export function sortHistory(times: number[], statuses: string[], sequence?: number[]): StatusHistory {
  const idx = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || (sequence ? sequence[a] - sequence[b] : 0) || a - b);
  return { times: idx.map((i) => times[i]), statuses: idx.map((i) => statuses[i]) };
}

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
    else if (metric === 'resolution' && isResolved && j < n) {
      // resolved, then reopened: the time in between does not count
      out.push({ start, end, status: h.statuses[i], kind: 'resolved' });
    }
    i = j - 1;
  }
  return out.filter((e) => e.end > e.start);
}

/** When the final resolution happened according to the history, or NaN when it ends unresolved. */
export function finalResolution(h: StatusHistory, resolved: Set<string>): number {
  const n = h.times.length;
  if (!n || !resolved.has(h.statuses[n - 1].toLowerCase())) return NaN;
  let i = n - 1;
  while (i > 0 && resolved.has(h.statuses[i - 1].toLowerCase())) i--;
  return h.times[i];
}

/** True when the history shows the ticket open again after `at` (reopened after that resolution). */
export function reopenedAfter(h: StatusHistory, resolved: Set<string>, at: number): boolean {
  const n = h.times.length;
  return n > 0 && h.times[n - 1] > at && !resolved.has(h.statuses[n - 1].toLowerCase());
}

/** The first time the status became one of `statuses`, or NaN. */
export function firstStatusTime(h: StatusHistory, statuses: Set<string>): number {
  if (!statuses.size) return NaN;
  for (let i = 0; i < h.times.length; i++) if (statuses.has(h.statuses[i].toLowerCase())) return h.times[i];
  return NaN;
}
