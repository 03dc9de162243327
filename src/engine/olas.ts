/**
 * Group OLAs and hand-offs from the history's group column (GLPI's OLAs, Zendesk's group SLAs).
 *
 * Stints: the history's rows in time order; a row whose group differs from the current one ends the
 * current stint and (unless the cell is empty: unassigned) starts one of the new group; a row
 * repeating the current group changes nothing. The last stint ends at the ticket's final
 * resolution (open while the ticket is); a stint that would start at or after it holds nothing and
 * is left out. A group assigned twice (A → B → A) has two stints. An event log's rows from before the
 * ticket was opened start a stint at the opening.
 *
 * Each stint is a clock like any other: business time of the group's OLA calendar (else the ticket
 * policy's resolution clock's) from its start to its end, leaving out the OLA's pauses (else the
 * resolution's) and, as the
 * resolution does, the time between a resolve and a reopen. Each stint is judged against the OLA's
 * target (Zendesk: a group SLA target applies again on every assignment); a ticket's result for an
 * OLA is its worst stint in that group, as next_reply reports its worst interval.
 *
 * Hand-offs: stints whose group differs from the previous stint's (an unassigned gap between two
 * stints of the same group is not one).
 */
import type { BusinessCalendar } from '../calendar/calendar.js';
import { groupKey } from '../config/sections/olas.js';
import type { MetricName } from '../config/schema.js';
import type { Config, Ola, Policy } from '../config/types.js';
import type { StatusHistory } from '../model/ticket.js';
import { worstOf } from './conversation.js';
import { clockOn, netElapsed } from './evaluate.js';
import { excludedIntervals } from './history.js';
import type { Excluded, MetricResult, TicketTimes } from './result.js';

/** One group's hold on a ticket: from its assignment to the next change of group or the final resolution (NaN: still open at --as-of). */
export interface Stint {
  /** as the history writes it (its first row) */
  group: string;
  key: string;
  start: number;
  end: number;
}

/** What a ticket's group history adds: a result per OLA, its stints measured, hand-offs, business time per OLA group. */
export interface OlaFacts {
  results: MetricResult[];
  /** every stint with its business time on its group's calendar (NaN when no calendar applies) and its clock when the group has an OLA */
  stints: { stint: Stint; businessMs: number; clock: MetricResult | undefined }[];
  /** NaN: no group history (or no stint) */
  handoffs: number;
  /** the start of the first hand-off's stint, NaN when none */
  firstHandoff: number;
  /** per OLA (config order): business ms the group held the ticket, summed over its stints; NaN when it never did or still holds it at --as-of */
  groupMs: number[];
}

/** Every metric a ticket is judged on, in the order of its results: the SLA metrics, then one per OLA. */
export function judgedMetrics(config: Config): MetricName[] {
  return [...config.metrics, ...config.olas.map((o) => o.metric)];
}

function stintsOf(h: StatusHistory, created: number, resolved: number): Stint[] {
  const out: Stint[] = [];
  const groups = h.groups;
  if (!groups) return out;
  let cur: Stint | undefined;
  let curKey = '';
  for (let i = 0; i < h.times.length; i++) {
    const at = h.times[i];
    if (at >= resolved) break;
    const group = groups[i];
    if (group === undefined) continue; // a row of a file without the group column: the group is as it was
    const key = groupKey(group);
    if (key === curKey) continue;
    if (cur) cur.end = at;
    curKey = key;
    cur = key ? { group: group.trim(), key, start: at, end: NaN } : undefined;
    if (cur) out.push(cur);
  }
  if (cur) cur.end = resolved;
  // an event log may have rows from before the ticket was opened: a group's hold counts from the
  // opening (a stint over by then held nothing of the ticket's life)
  return out.filter((x) => !(x.end <= created)).map((x) => (x.start < created ? { ...x, start: created } : x));
}

const NOT_MEASURED = (ola: Ola): MetricResult => ({
  metric: ola.metric, status: 'not_measured', targetMs: NaN, elapsedMs: NaN, due: NaN, completed: NaN, clockStart: NaN, excluded: undefined, fromMinutes: false, intervals: 0, open: undefined, peak: NaN,
});
const NO_STINT = (ola: Ola): MetricResult => ({ ...NOT_MEASURED(ola), status: 'not_applicable' });

const NO_STATUSES = new Set<string>();
/** per config: OLA group key -> its place in config.olas */
const OLA_INDEX = new WeakMap<Config, Map<string, number>>();

/**
 * The clock settings of a group: its OLA's, else the policy's resolution clock (a stint is a part of
 * resolving the ticket: its calendar and pauses); no calendar: not measurable.
 */
function settingsOf(ola: Ola | undefined, policy: Policy | undefined): { calendar: BusinessCalendar; warnAt: number; pauseOn: Set<string> } | undefined {
  const res = policy?.clocks.resolution;
  const calendar = ola?.calendar ?? res?.calendar;
  if (!calendar) return undefined;
  return { calendar, warnAt: ola?.warnAt ?? policy?.warnAt ?? 0.75, pauseOn: ola?.pauseOn ?? res?.pauseOn ?? NO_STATUSES };
}

/** A ticket's OLA results and group facts at --as-of (times.history is already cut at --as-of). */
export function evaluateOlas(config: Config, times: TicketTimes, policy: Policy | undefined, asOf: number): OlaFacts {
  const h = times.history;
  if (!h?.groups) return { results: config.olas.map(NOT_MEASURED), stints: [], handoffs: NaN, firstHandoff: NaN, groupMs: config.olas.map(() => NaN) };
  const stints = stintsOf(h, times.created, times.resolved);
  let byKey = OLA_INDEX.get(config);
  if (!byKey) OLA_INDEX.set(config, (byKey = new Map(config.olas.map((o, i) => [o.key, i]))));
  const resolvedSet = config.tickets.resolvedStatuses;
  const exclusions = new Map<Set<string>, Excluded[]>();
  const excludedFor = (pauseOn: Set<string>) => {
    let ex = exclusions.get(pauseOn);
    if (!ex) exclusions.set(pauseOn, (ex = excludedIntervals(h, pauseOn, resolvedSet, 'resolution')));
    return ex;
  };
  const clocks: MetricResult[][] = config.olas.map(() => []);
  const groupMs = config.olas.map(() => NaN);
  const measured = stints.map((stint) => {
    const oi = byKey.get(stint.key);
    const ola = oi === undefined ? undefined : config.olas[oi];
    const s = settingsOf(ola, policy);
    if (!s) return { stint, businessMs: NaN, clock: undefined };
    const ex = excludedFor(s.pauseOn);
    const c = ola ? clockOn(ola.metric, s.calendar, s.warnAt, ola.target, stint.start, stint.end, asOf, ex) : undefined;
    const businessMs = c ? c.elapsedMs : netElapsed(s.calendar, stint.start, Number.isNaN(stint.end) ? asOf : stint.end, ex);
    if (c) {
      clocks[oi!].push(c);
      // a group still holding the ticket at --as-of has no time yet (Infinity marks it, NaN at the end)
      groupMs[oi!] = Number.isNaN(stint.end) ? Infinity : (Number.isNaN(groupMs[oi!]) ? 0 : groupMs[oi!]) + businessMs;
    }
    return { stint, businessMs, clock: c };
  });
  let handoffs = 0;
  let firstHandoff = NaN;
  for (let i = 1; i < stints.length; i++) {
    if (stints[i].key === stints[i - 1].key) continue;
    handoffs++;
    if (Number.isNaN(firstHandoff)) firstHandoff = stints[i].start;
  }
  const results = config.olas.map((ola, i) => {
    const cs = clocks[i];
    if (!cs.length) return NO_STINT(ola);
    const worst = cs[worstOf(cs)];
    const last = cs[cs.length - 1];
    const open = Number.isNaN(last.completed) && last !== worst ? last : undefined;
    let peak = 0;
    for (const c of cs) if (c.peak > peak) peak = c.peak;
    return { ...worst, intervals: cs.length, open, peak };
  });
  return { results, stints: measured, handoffs: stints.length ? handoffs : NaN, firstHandoff, groupMs: groupMs.map((ms) => (ms === Infinity ? NaN : ms)) };
}
