/**
 * next_reply and periodic_update: a ticket's conversation (--messages) cut into intervals, each
 * measured like any other clock on the metric's calendar, its pauses left out; the ticket's result is
 * its worst interval.
 *
 * next_reply (Zendesk's "next reply time"): after the first agent message, a customer message
 * starts a wait when no reply is owed (the oldest unanswered message; later ones do not restart
 * it) and the next agent message ends it. A wait still unanswered when the ticket is resolved ends
 * at the resolution (a solved ticket owes no reply); customer messages from the resolution on start
 * nothing. Customer messages before the first agent message are the first response's business,
 * unless the policy says `next_reply: { from: first_customer_message }` (Zammad's "update
 * escalation"): then a customer message starts a wait before the first agent reply too.
 *
 * periodic_update (Zendesk's "periodic update", or its "pausable update" when the policy pauses):
 * from each agent message to the next, while the ticket is open: the first agent message starts
 * the first interval, the resolution ends the last one.
 *
 * Every interval leaves out the metric's pauses and, as the resolution does, the time between a
 * resolve and a reopen: nothing is owed while the ticket is solved.
 *
 * Only messages up to --as-of count; an interval running then is open (running, at risk, overdue).
 */
import type { Metric } from '../config/schema.js';
import type { Policy } from '../config/types.js';
import type { Conversation } from '../model/ticket.js';
import { clock, noIntervals, targetOf } from './evaluate.js';
import { excludedIntervals } from './history.js';
import type { MetricResult, Status, TicketTimes } from './result.js';

/** An interval: its start, and its end (NaN while open at --as-of). */
interface Span {
  start: number;
  end: number;
}

/** Where the messages up to `asOf` end (times are sorted). */
function knownUpTo(c: Conversation, asOf: number): number {
  let n = c.times.length;
  while (n > 0 && c.times[n - 1] > asOf) n--;
  return n;
}

/**
 * The waits for a reply: from the oldest unanswered customer message after the first agent message
 * (or, `fromCustomer`, any customer message, the first ones too) to the next agent message.
 */
function replySpans(c: Conversation, t: TicketTimes, asOf: number, fromCustomer: boolean): Span[] {
  const n = knownUpTo(c, asOf);
  const resolved = t.resolved;
  const out: Span[] = [];
  let replied = fromCustomer;
  let waiting = NaN;
  for (let i = 0; i < n; i++) {
    const at = c.times[i];
    if (c.agent[i]) {
      if (!Number.isNaN(waiting)) out.push({ start: waiting, end: at });
      waiting = NaN;
      replied = true;
    } else if (replied && Number.isNaN(waiting) && !(at >= resolved)) waiting = at;
  }
  if (!Number.isNaN(waiting)) out.push({ start: waiting, end: resolved }); // NaN while the ticket is open
  return out;
}

/** The gaps between agent messages while the ticket is open: each agent message to the next, the last to the resolution. */
function updateSpans(c: Conversation, t: TicketTimes, asOf: number): Span[] {
  const n = knownUpTo(c, asOf);
  const resolved = t.resolved;
  const out: Span[] = [];
  let last = NaN;
  for (let i = 0; i < n; i++) {
    if (!c.agent[i]) continue;
    const at = c.times[i];
    if (at >= resolved) break;
    if (!Number.isNaN(last)) out.push({ start: last, end: at });
    last = at;
  }
  if (!Number.isNaN(last)) out.push({ start: last, end: resolved });
  return out;
}

/** Over target first (the most over), then the interval still open, then the longest met one; the earliest among equals. */
const TIER: Record<Status, number> = { breached: 2, overdue: 2, at_risk: 1, running: 1, met: 0, not_applicable: -1, not_measured: -1 };

function worse(a: MetricResult, b: MetricResult): boolean {
  const ta = TIER[a.status], tb = TIER[b.status];
  if (ta !== tb) return ta > tb;
  return a.peak > b.peak;
}

/** Which interval a ticket reports: the worst (the earliest among equals). */
export function worstOf(clocks: MetricResult[]): number {
  let w = 0;
  for (let i = 1; i < clocks.length; i++) if (worse(clocks[i], clocks[w])) w = i;
  return w;
}

/** Every interval of a message metric measured (explain lists them), in time order; none when no target applies. */
export function messageIntervals(metric: Metric, c: Conversation | undefined, t: TicketTimes, priority: string, policy: Policy | undefined, asOf: number, resolvedStatuses: Set<string>): { start: number; clock: MetricResult }[] {
  const target = policy && targetOf(policy, metric, priority);
  if (!policy || !target || !c) return [];
  const spans = metric === 'next_reply' ? replySpans(c, t, asOf, policy.replyFrom === 'first_customer_message') : updateSpans(c, t, asOf);
  if (!spans.length) return [];
  const history = t.history ? excludedIntervals(t.history, policy.clocks[metric].pauseOn, resolvedStatuses, metric) : undefined;
  return spans.map((s) => ({ start: s.start, clock: clock(metric, policy, target, s.start, s.end, asOf, history) }));
}

/** A message metric of one ticket: its worst interval, with the count of intervals and the one still open. */
export function evaluateMessages(metric: Metric, c: Conversation | undefined, t: TicketTimes, priority: string, policy: Policy | undefined, asOf: number, resolvedStatuses: Set<string>): MetricResult {
  const clocks = messageIntervals(metric, c, t, priority, policy, asOf, resolvedStatuses).map((x) => x.clock);
  if (!clocks.length) return noIntervals(metric);
  const worst = clocks[worstOf(clocks)];
  const last = clocks[clocks.length - 1];
  const open = Number.isNaN(last.completed) && last !== worst ? last : undefined;
  let peak = 0;
  for (const c of clocks) if (c.peak > peak) peak = c.peak;
  return { ...worst, intervals: clocks.length, open, peak };
}
