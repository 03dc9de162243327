/**
 * One ticket's story, for `explain`: the policies tried and why, the calendar, clock start, pauses,
 * business time counted per local day, the target, due time and verdict data.
 */
import { isOla, type Metric } from '../config/schema.js';
import type { Config, CreditsConfig } from '../config/types.js';
import { messageIntervals, worstOf } from './conversation.js';
import { breachCharge, cents, covered } from './credits.js';
import { levelAt } from './evaluate-ticket.js';
import { periodOf } from './periods.js';
import { shareDown } from './share.js';
import { MS_PER_DAY, civilFromDays, formatDay, weekdayOfDay } from '../time/civil.js';
import { addMonths } from '../time/months.js';
import type { Zone } from '../time/zone.js';
import type { Target } from '../config/values.js';
import type { BusinessCalendar } from '../calendar/calendar.js';
import { minutes } from '../time/units.js';
import { netElapsed } from './evaluate.js';
import { excludedIntervals } from './history.js';
import { evaluateOlas, type OlaFacts, type Stint } from './olas.js';
import { PolicyMatcher } from './policy.js';
import type { CreditsResult, EvaluatedTicket, Explanation, MetricResult, ScoreExplanation, ScoreIndicator, ScorecardResult } from './result.js';

const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function explainTicket(ev: EvaluatedTicket, config: Config, asOf: number, credits?: CreditsResult): Explanation {
  const { ticket: t, policy } = ev;
  const zone = config.zone;
  const credit = credits && config.credits ? creditShare(ev, config.credits, credits) : undefined;
  const olas = config.olasGiven && t.history?.groups ? evaluateOlas(config, ev.times, policy, asOf) : undefined;
  return {
    id: t.id,
    file: t.file,
    row: t.row,
    policy: policy?.name ?? null,
    tried: new PolicyMatcher(config, t.columns).explain(t),
    calendar: policy ? { name: policy.calendar.name, timezone: policy.calendar.zone.name } : null,
    created_at: zone.format(t.created),
    priority: t.priority || null,
    metrics: ev.results.map((r) => (isOla(r.metric) ? explainOla(ev, r, config, olas, asOf) : explainMetric(ev, r, config, asOf))),
    ...(olas ? { groups: groupStory(ev, olas, config) } : {}),
    level: ev.level < 0 ? null : config.levels[ev.level],
    ...(credit ? { credit } : {}),
    ...(config.customKpis.length ? { custom_kpis: customValues(ev, config) } : {}),
  };
}

/** The ticket's part in each custom KPI (the cell's text itself is not repeated). */
function customValues(ev: EvaluatedTicket, config: Config): NonNullable<Explanation['custom_kpis']> {
  return config.customKpis.map((k, i) => {
    const problem = ev.cellProblems?.find((p) => p.message.includes(`custom KPI ${k.name} `));
    const v = ev.custom[i];
    return { kpi: k.name, stat: k.stat, column: k.column, value: Number.isNaN(v) ? null : v, ...(problem ? { problem: problem.message } : {}) };
  });
}

/** A ticket's breach charges in its contract period, and its share of the period's credit after the cap. */
function creditShare(ev: EvaluatedTicket, cfg: CreditsConfig, credits: CreditsResult): Explanation['credit'] {
  if (!covered(cfg, ev)) return undefined;
  const read = cfg.metric === 'overall' ? ev.results.filter((r) => !isOla(r.metric)) : ev.results.filter((r) => r.metric === cfg.metric);
  const charges = read.filter((r) => r.status === 'breached' || r.status === 'overdue').map((r) => {
    const c = breachCharge(cfg, ev.ticket.priority, r);
    return { metric: r.metric, status: r.status, per_breach: c.perBreach, hours_over: c.hours, per_hour_over: c.perHour, amount: c.amount };
  });
  if (!charges.length) return undefined;
  const label = periodOf(ev.facts.day, cfg.period);
  const p = credits.periods.find((x) => x.period === label)!;
  const amount = charges.reduce((a, c) => a + c.amount, 0);
  return {
    period: label, provisional: p.provisional, currency: credits.currency, charges, amount,
    period_breach_amount: p.breach_amount, period_tier_amount: p.tier_amount, period_uncapped: p.uncapped, period_credit: p.credit, capped: p.capped,
    share: p.uncapped > 0 ? cents((amount * p.credit) / p.uncapped) : 0,
  };
}

type MetricStory = Explanation['metrics'][number];

function explainMetric(ev: EvaluatedTicket, r: MetricResult, config: Config, asOf: number): MetricStory {
  const { ticket: t, policy } = ev;
  const zone = config.zone;
  const fmt = (ms: number) => (Number.isFinite(ms) ? zone.format(ms) : null);
  const m = r.metric as Metric;
  const cal = policy?.clocks[m].calendar;
  const end = Number.isFinite(r.completed) ? r.completed : asOf;
  const na = r.status === 'not_applicable' || !cal;
  // a message metric's clock starts at its interval (its pauses before that do not touch it)
  const start = r.metric === 'next_reply' || r.metric === 'periodic_update' ? r.clockStart : t.created;
  const pauses = (r.excluded ?? [])
    .filter((e) => e.start < end && e.end > start)
    .map((e) => ({
      from: zone.format(Math.max(e.start, start)),
      to: Number.isFinite(e.end) && e.end <= end ? zone.format(e.end) : null,
      status: e.status,
      kind: e.kind,
      business_minutes: cal ? minutes(cal.elapsed(Math.max(e.start, start), Math.min(e.end, end)))! : 0,
    }));
  const target = policy?.targets[m].get(t.priority) ?? policy?.targets[m].get('default');
  const conversation = r.metric === 'next_reply' || r.metric === 'periodic_update' ? intervalsOf(ev, r, config, asOf) : undefined;
  return withExactOver({
    metric: r.metric,
    status: r.status,
    calendar: cal ? { name: cal.name, timezone: cal.zone.name } : null,
    pause_on: policy ? policy.clocks[m].pauseText : [],
    target: na ? null : target?.text ?? null,
    target_minutes: na ? null : minutes(r.targetMs),
    clock_start: na ? null : fmt(r.clockStart),
    due_at: na ? null : fmt(r.due),
    completed_at: fmt(r.completed),
    measured_to: zone.format(end),
    elapsed_minutes: na ? null : minutes(r.elapsedMs),
    over_minutes: na ? null : minutes(r.elapsedMs - r.targetMs),
    ...(r.fromMinutes ? { from_vendor_minutes: true } : {}),
    ...(!na && target && !conversation ? dueRuleOf(target, cal, t.created, zone) : {}),
    pauses,
    per_day: na || r.fromMinutes || r.metric === 'next_reply' || r.metric === 'periodic_update' ? [] : perDay(ev, r, end),
    ...(policy && Number.isFinite(r.peak) ? { share_of_target: conversation ? Math.max(...conversation.map((i) => i.share_of_target)) : shareDown(r.elapsedMs, r.targetMs, 4), level: levelName(config, levelAt(policy, r.peak)) } : {}),
    ...(conversation ? { intervals: conversation } : {}),
    ...(r.metric === 'next_reply' && policy ? { reply_from: policy.replyFrom } : {}),
  }, na ? null : r.elapsedMs - r.targetMs);
}

/** The ticket's group stints (each with its business time and, for a group with an OLA, its verdict), hand-offs, and time from the first hand-off to resolution. */
function groupStory(ev: EvaluatedTicket, f: OlaFacts, config: Config): NonNullable<Explanation['groups']> {
  const zone = config.zone;
  const resolved = ev.times.resolved;
  return {
    stints: f.stints.map(({ stint, businessMs, clock }) => ({
      group: stint.group,
      from: zone.format(stint.start),
      to: Number.isNaN(stint.end) ? null : zone.format(stint.end),
      business_minutes: Number.isNaN(businessMs) ? null : minutes(businessMs)!,
      ola: clock ? clock.metric : null,
      status: clock ? clock.status : null,
      target_minutes: clock ? minutes(clock.targetMs) : null,
      due_at: clock && Number.isFinite(clock.due) ? zone.format(clock.due) : null,
    })),
    handoffs: Number.isNaN(f.handoffs) ? 0 : f.handoffs,
    first_handoff_at: Number.isNaN(f.firstHandoff) ? null : zone.format(f.firstHandoff),
    handoff_to_resolution_minutes: Number.isNaN(f.firstHandoff) || Number.isNaN(resolved) || !ev.policy ? null
      : minutes(netElapsed(ev.policy.clocks.resolution.calendar, f.firstHandoff, resolved, excludedIntervals(ev.times.history!, ev.policy.clocks.resolution.pauseOn, config.tickets.resolvedStatuses, 'resolution'))),
  };
}

/** An OLA metric: its stints in the group (the reported one, the worst, marked), their pauses. */
function explainOla(ev: EvaluatedTicket, r: MetricResult, config: Config, f: OlaFacts | undefined, asOf: number): MetricStory {
  const zone = config.zone;
  const ola = config.olas.find((o) => o.metric === r.metric)!;
  const mine = (f?.stints ?? []).filter((s) => s.clock?.metric === r.metric) as { stint: Stint; businessMs: number; clock: MetricResult }[];
  const clocks = mine.map((s) => s.clock!);
  const w = clocks.length ? worstOf(clocks) : -1;
  const na = r.status === 'not_applicable' || r.status === 'not_measured';
  const cal = ola.calendar ?? ev.policy?.clocks.resolution.calendar;
  const pauses = mine.flatMap(({ stint, clock: c }) => {
    const end = Number.isNaN(stint.end) ? Infinity : stint.end;
    return (c.excluded ?? []).filter((e) => e.start < end && e.end > stint.start).map((e) => ({
      from: zone.format(Math.max(e.start, stint.start)),
      to: Number.isFinite(e.end) && e.end <= end ? zone.format(e.end) : null,
      status: e.status,
      kind: e.kind,
      business_minutes: cal ? minutes(cal.elapsed(Math.max(e.start, stint.start), Math.min(e.end, end, Number.isFinite(c.completed) ? c.completed : Infinity)))! : 0,
    }));
  });
  return withExactOver({
    metric: r.metric,
    status: r.status,
    calendar: cal ? { name: cal.name, timezone: cal.zone.name } : null,
    pause_on: ola.pauseText ?? ev.policy?.clocks.resolution.pauseText ?? [],
    target: na ? null : ola.target.text,
    target_minutes: na ? null : minutes(r.targetMs),
    clock_start: na ? null : zone.format(r.clockStart),
    due_at: na || !Number.isFinite(r.due) ? null : zone.format(r.due),
    completed_at: Number.isFinite(r.completed) ? zone.format(r.completed) : null,
    measured_to: zone.format(Number.isFinite(r.completed) ? r.completed : asOf),
    elapsed_minutes: na ? null : minutes(r.elapsedMs),
    over_minutes: na ? null : minutes(r.elapsedMs - r.targetMs),
    pauses,
    per_day: [],
    ...(ev.policy && Number.isFinite(r.peak) ? { share_of_target: shareDown(r.peak * r.targetMs, r.targetMs, 4), level: levelName(config, levelAt(ev.policy, r.peak)) } : {}),
    ...(mine.length ? {
      intervals: mine.map(({ stint, clock: c }, i) => ({
        from: zone.format(stint.start),
        to: Number.isNaN(stint.end) ? null : zone.format(stint.end),
        status: c!.status,
        elapsed_minutes: minutes(c!.elapsedMs)!,
        target_minutes: minutes(c!.targetMs)!,
        due_at: Number.isFinite(c!.due) ? zone.format(c!.due) : null,
        share_of_target: shareDown(c!.elapsedMs, c!.targetMs, 4),
        worst: i === w,
      })),
    } : {}),
  }, na ? null : r.elapsedMs - r.targetMs);
}

/** For `Nbd@end` and `Nmo`: the day counted from, or the months' start and end (a ticket metric's clock, from creation). */
function dueRuleOf(target: Target, cal: BusinessCalendar, created: number, zone: Zone): Pick<MetricStory, 'due_rule'> {
  if (target.kind === 'bd-end') {
    const { day0 } = cal.closeOfBusinessDay(created, target.days);
    return Number.isFinite(day0) ? { due_rule: { kind: 'close_of_business_day', business_days: target.days, after: formatDay(day0) } } : {};
  }
  if (target.kind !== 'mo') return {};
  const from = cal.clockStart(created);
  const to = addMonths(cal.zone, from, target.months);
  if (!Number.isFinite(to)) return {};
  const dayOf = (ms: number) => civilFromDays(cal.zone.localDay(ms)).d;
  return { due_rule: { kind: 'calendar_months', months: target.months, from: zone.format(from), to: zone.format(to), month_end: dayOf(to) < dayOf(from) } };
}

const levelName = (config: Config, rank: number) => (rank < 0 ? null : config.levels[rank]);

/** Every interval of a message metric, the reported (worst) one marked. */
function intervalsOf(ev: EvaluatedTicket, r: MetricResult, config: Config, asOf: number): NonNullable<MetricStory['intervals']> {
  const zone = config.zone;
  const intervals = messageIntervals(r.metric as Metric, ev.ticket.messages, ev.times, ev.ticket.priority, ev.policy, asOf, config.tickets.resolvedStatuses);
  const w = worstOf(intervals.map((x) => x.clock));
  return intervals.map(({ start, clock: c }, i) => ({
    from: zone.format(start),
    to: Number.isFinite(c.completed) ? zone.format(c.completed) : null,
    status: c.status,
    elapsed_minutes: minutes(c.elapsedMs)!,
    target_minutes: minutes(c.targetMs)!,
    due_at: Number.isFinite(c.due) ? zone.format(c.due) : null,
    share_of_target: shareDown(c.elapsedMs, c.targetMs, 4),
    worst: i === w,
  }));
}

/** Business time counted on each local day of the calendar from creation to `end`, with holidays named. */
function perDay(ev: EvaluatedTicket, r: MetricResult, end: number): MetricStory['per_day'] {
  const cal = ev.policy!.clocks[r.metric as Metric].calendar;
  const cz = cal.zone;
  const out: MetricStory['per_day'] = [];
  for (let d = cz.localDay(ev.ticket.created); d <= cz.localDay(end); d++) {
    const from = Math.max(ev.ticket.created, cz.wallToInstant(d * MS_PER_DAY));
    const to = Math.min(end, cz.wallToInstant((d + 1) * MS_PER_DAY));
    const ms = netElapsed(cal, from, to, r.excluded);
    const holiday = cal.holidayName(d);
    if (ms > 0 || holiday) out.push({ date: formatDay(d), weekday: DAY[weekdayOfDay(d)], business_minutes: minutes(ms)!, ...(holiday ? { holiday } : {}) });
  }
  return out;
}

const n2 = (v: number) => String(Math.round(v * 10000) / 10000);

/** An indicator's score written out with its numbers. */
function indicatorArithmetic(i: ScoreIndicator, method: 'weighted' | 'rsr', scoredGroups: number): string {
  if (i.actual === null) return 'no data: left out with its weight';
  if (method === 'rsr') return `rank ${n2(i.rank!)} of ${scoredGroups} (1 is the worst) → 100 × ${n2(i.rank!)} / ${scoredGroups} = ${n2(i.points!)}`;
  const a = n2(i.actual), T = n2(i.target);
  let s: string;
  if (i.worst !== undefined) {
    const W = n2(i.worst);
    s = i.direction === 'higher' ? `s = clamp((${a} − ${W}) / (${T} − ${W}))` : `s = clamp((${W} − ${a}) / (${W} − ${T}))`;
  } else s = i.direction === 'higher' ? `s = min(1, max(0, ${a} / ${T}))` : i.actual <= i.target ? `s = 1 (${a} ≤ ${T})` : `s = ${T} / ${a}`;
  return `${s} = ${n2(i.points! / 100)} → ${n2(i.points!)} points`;
}

export function explainScore(sc: ScorecardResult, group: string, period: string | null): ScoreExplanation | undefined {
  const card = sc.cards.find((c) => c.period === period);
  const row = card?.rows.find((r) => r.key === group);
  if (!card || !row) return undefined;
  const scoredGroups = card.rows.filter((r) => r.scored).length;
  const withData = row.indicators.filter((i) => i.points !== null);
  let arithmetic: string;
  if (!row.scored) arithmetic = `not scored: ${row.reason}`;
  else if (row.groups) {
    arithmetic = row.groups.map((g) => `${g.name} = ${g.score === null ? 'no data' : n2(g.score)}`).join('; ') +
      `; composite = Σ weight × group score / Σ weight = (${row.groups.filter((g) => g.score !== null).map((g) => `${g.weight} × ${n2(g.score!)}`).join(' + ')}) / ${row.groups.filter((g) => g.score !== null).reduce((a, g) => a + g.weight, 0)}`;
  } else {
    const sw = withData.reduce((a, i) => a + i.weight, 0);
    arithmetic = sc.method === 'rsr'
      ? `RSR = Σ weight × rank / (n × Σ weight) = (${withData.map((i) => `${i.weight} × ${n2(i.rank!)}`).join(' + ')}) / (${scoredGroups} × ${sw}); composite = 100 × RSR`
      : `composite = Σ weight × points / Σ weight = (${withData.map((i) => `${i.weight} × ${n2(i.points!)}`).join(' + ')}) / ${sw}`;
  }
  return {
    scorecard: sc.name, by: sc.by, group, period, method: sc.method, tickets: row.tickets, scored: row.scored, ...(row.reason ? { reason: row.reason } : {}),
    indicators: row.indicators.map((i) => ({
      kpi: i.kpi, ...(i.group ? { group: i.group } : {}), basis: i.basis, actual: i.actual, target: i.target, ...(i.worst !== undefined ? { worst: i.worst } : {}),
      direction: i.direction, weight: i.weight, arithmetic: row.scored ? indicatorArithmetic(i, sc.method, scoredGroups) : 'not scored', points: i.points,
    })),
    composite: { arithmetic, value: row.composite },
    grade: row.grade, grades: sc.grades, rank: row.rank, of: scoredGroups,
  };
}

/**
 * The exact time past the target (milliseconds; negative: within it) beside the metric, not in the
 * JSON (over_minutes keeps two decimals there): the text shows seconds and rounds from it, so 59.999
 * seconds late is not "1m" with due and done in the same minute.
 */
function withExactOver<T extends object>(m: T, overMs: number | null): T {
  if (overMs !== null) Object.defineProperty(m, 'over_ms', { value: overMs, enumerable: false });
  return m;
}
