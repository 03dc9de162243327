import { MS_PER_MINUTE } from '../time/civil.js';
import type { AuditResult, Counts, CreditPeriod, CreditsResult, EscalationResult, MetricCounts, ObjectiveResult } from '../engine/result.js';
import { isOla, type Metric, type MetricName, type OlaMetric } from '../config/schema.js';
import { KPIS, kpiDef, type KpiDef } from '../config/kpis.js';
import type { Zone } from '../time/zone.js';
import { shareDown } from '../engine/share.js';
import { messages, type Messages } from './i18n/index.js';

/** The shared labels of one language (i18n/common.ts); the helpers below take English when given none. */
export type Common = Messages['common'];
const EN: Common = messages('en').common;

/** The shared labels of a report's language (ReportContext.lang). */
export function labels(lang?: Parameters<typeof messages>[0]): Common {
  return messages(lang).common;
}

export { minutes } from '../time/units.js';

/** "95%", "99.5%": a fraction as a percentage with at most two decimals (objective thresholds). */
function fmtPct(v: number): string {
  return `${+(v * 100).toFixed(2)}%`;
}

/** The KPIs reports list beside the compliance table (every one but compliance). */
const SHOWN_KPIS = KPIS.map((k) => k.name).filter((k) => !k.endsWith('.compliance'));

/** A run's custom KPIs (AuditResult.customKpis): how their values read (a share is a rate, a mean a number). */
type Custom = readonly KpiDef[];

/** The KPIs a report shows beside compliance: every one the run computed (message metrics' only when configured), then the custom ones. */
export function shownKpis(r: Pick<AuditResult, 'kpis' | 'customKpis'>): string[] {
  // then the OLAs' compliance in all and the time each OLA group held its tickets, then the custom KPIs
  return [...SHOWN_KPIS.filter((k) => k in r.kpis), ...['ola.compliance'].filter((k) => k in r.kpis), ...Object.keys(r.kpis).filter((k) => k.startsWith('group_time.')), ...r.customKpis.map((k) => k.name).filter((k) => k in r.kpis)];
}

/** The kind of a thing compared: a KPI's own (catalogue or custom), a category's share (a rate), else a number (scores). */
export function kindOf(what: string, custom: Custom = []): string {
  return (kpiDef(what) ?? custom.find((k) => k.name === what))?.kind ?? (what.endsWith(' share') ? 'rate' : 'number');
}

/** A KPI's value for people: rates in percent, times as business durations, numbers to two decimals; "–" without data. */
export function kpiText(kpi: string, v: number | null, custom: Custom = []): string {
  if (v === null) return '–';
  const kind = kindOf(kpi, custom);
  if (kind === 'rate') return pct(v);
  if (kind === 'time') return duration(v * MS_PER_MINUTE);
  if (kind === 'count') return String(v);
  return String(Math.round(v * 100) / 100);
}

/** A change for people: "+1.2 pts" for rates, "-15m" for times, "+0.3" otherwise; "–" when unknown. */
export function signed(what: string, change: number | null, custom: Custom = [], t: Common = EN): string {
  if (change === null) return '–';
  const kind = kindOf(what, custom);
  const sign = change > 0 ? '+' : change < 0 ? '-' : '';
  const a = Math.abs(change);
  if (kind === 'rate') return t.points(`${sign}${Math.round(a * 1000) / 10}`);
  if (kind === 'time') return `${sign}${duration(a * MS_PER_MINUTE)}`;
  return `${sign}${Math.round(a * 100) / 100}`;
}

/** A threshold in a KPI's unit as written in a config: 95%, 8h, 4.2. */
function thresholdText(kpi: string, v: number, custom: Custom): string {
  const kind = kindOf(kpi, custom);
  return kind === 'rate' ? fmtPct(v) : kind === 'time' ? duration(v * MS_PER_MINUTE) : String(v);
}

/**
 * How an objective reads in reports: "resolution P1 ≥ 99%", "overall ≥ 95% (--fail-under)",
 * "resolution.median ≤ 8h", "satisfaction.mean where team = 一线 ≥ 4.2 [2026-Q3]", "scorecard team ≥ 80".
 */
export function objectiveLabel(o: ObjectiveResult, custom: Custom = [], t: Common = EN): string {
  const origin = o.origin ? ` (${o.origin})` : '';
  if (o.scorecard !== undefined) return `${t.objScorecard(o.scorecard, o.min_score!)}${origin}`;
  if (o.metric !== undefined) return `${[t.term(o.metric), o.priority, o.policy].filter(Boolean).join(' ')}${o.where ? t.objWhere(o.where) : ''} ≥ ${fmtPct(o.min!)}${origin}`;
  const kpi = o.kpi!;
  const scope = [o.priority, o.policy].filter(Boolean).join(' ');
  const range = o.effective ? ` ${[o.effective.from ? t.objFrom(o.effective.from) : '', o.effective.to ? t.objTo(o.effective.to) : ''].filter(Boolean).join(' ')}` : '';
  const bounds = [o.min !== undefined ? `≥ ${thresholdText(kpi, o.min, custom)}` : '', o.max !== undefined ? `≤ ${thresholdText(kpi, o.max, custom)}` : ''].filter(Boolean).join(t.objAnd);
  return `${t.term(kpi)}${scope ? ` ${scope}` : ''}${o.where ? t.objWhere(o.where) : ''}${range} ${bounds}${o.period ? ` [${o.period}]` : ''}${origin}`;
}

/**
 * A value beside the lines it is judged against (an objective's min and max): as kpiText writes it,
 * unless that would put it onto or across a line — 449 of 499 (89.98%) is not "90%" beside "≥ 90%",
 * 480.5 minutes is not "8h" beside "≤ 8h" — then with more decimals, or a time rounded toward its side.
 */
function judgedText(kind: string, v: number | null, lines: number[], text: string): string {
  if (v === null || !lines.length) return text;
  const sameSides = (shown: number) => lines.every((l) => Math.sign(shown - l) === Math.sign(v - l));
  if (kind === 'time') {
    // under a minute from a line (not on it): to the second, rounded toward its side of the nearest
    // line when the nearest second is on it, as clocks beside their targets are (86.3 minutes beside ≤ 1h 26m or ≤ 1h 27m: 1h 26m 18s)
    const near = lines.filter((l) => l !== v && Math.abs(v - l) < 1).sort((a, b) => Math.abs(v - a) - Math.abs(v - b))[0];
    if (near !== undefined) {
      for (const round of [Math.round, v > near ? Math.ceil : Math.floor]) if (sameSides(round(v * 60) / 60)) return durationSeconds(round(v * 60));
    }
    for (const round of [Math.round, Math.floor, Math.ceil]) if (sameSides(round(v))) return duration(round(v) * MS_PER_MINUTE);
    return text;
  }
  if (kind === 'rate') {
    // the percent's digits moved two places, as the config's percentages are read
    if (text.endsWith('%') && sameSides(Number(`${text.slice(0, -1)}e-2`))) return text;
    for (let d = 2; d <= 6; d++) {
      const s = (v * 100).toFixed(d);
      if (sameSides(Number(`${s}e-2`))) return `${+s}%`;
    }
    return text;
  }
  if (kind === 'count' || sameSides(Number(text))) return text;
  for (let d = 3; d <= 6; d++) if (sameSides(Number(v.toFixed(d)))) return String(+v.toFixed(d));
  return text;
}

/** An objective's actual value for people (never rounded onto or across its min or max). */
export function objectiveActual(o: ObjectiveResult, custom: Custom = [], t: Common = EN): string {
  if (o.scorecard !== undefined) {
    return o.actual === null ? '–' : `${t.lowest(judgedText('number', o.actual, o.min_score === undefined ? [] : [o.min_score], String(Math.round(o.actual * 100) / 100)))}${o.group ? ` (${o.group})` : ''}`;
  }
  const kpi = o.kpi ?? `${o.metric}.compliance`;
  const lines = [o.min, o.max].filter((l): l is number => l !== undefined);
  return judgedText(kindOf(kpi, custom), o.actual, lines, kpiText(kpi, o.actual, custom));
}

/** Why an objective failed, for CI: "actual 87.6% is below the target 90%". */
export function objectiveFailure(o: ObjectiveResult, custom: Custom = []): string {
  if (o.scorecard !== undefined) return `${objectiveActual(o)} is below the minimum score ${o.min_score}`;
  const kpi = o.kpi ?? `${o.metric}.compliance`;
  const below = o.min !== undefined && o.actual !== null && o.actual < o.min;
  return `actual ${objectiveActual(o, custom)} is ${below ? `below the target ${thresholdText(kpi, o.min!, custom)}` : `above the target ${thresholdText(kpi, o.max!, custom)}`} (${o.tickets} tickets measured)`;
}

/** "96.3%" (one decimal), or "–" when there is nothing to measure. */
export function pct(v: number | null): string {
  if (v === null) return '–';
  const p = v * 100;
  // never round up to 100% or down to 0% when it is not exactly that
  const s = p > 99.95 && p < 100 ? '99.9' : p > 0 && p < 0.05 ? '0.1' : p.toFixed(1);
  return `${s.replace(/\.0$/, '')}%`;
}

/** A due or completion time for people, in the report's zone to the minute; "–" when there is none. */
export function when(zone: Zone, ms: number): string {
  return Number.isFinite(ms) ? zone.formatShort(ms) : '–';
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

const MS_PER_SECOND = 1000;

/** Business time to the second: "17s", "10m 17s", "26h 5m 17s"; whole minutes as duration() writes them. */
function durationSeconds(seconds: number): string {
  const s = seconds % 60;
  const inMinutes = duration((seconds - s) * MS_PER_SECOND);
  if (s === 0) return inMinutes;
  return seconds < 60 ? `${s}s` : `${inMinutes} ${s}s`;
}

/** Business time to the nearest second ("10m 17s"): the parts of a clock shown beside a target it is under a minute from. */
export function secondsText(ms: number): string {
  return Number.isFinite(ms) ? durationSeconds(Math.round(ms / MS_PER_SECOND)) : '–';
}

/**
 * Business time past a target, for people: rounded up, so a breach never reads "0": to the minute,
 * or under a minute to the second ("17s", at least "1s").
 */
export function overText(ms: number): string {
  if (ms > 0 && ms < MS_PER_MINUTE) return durationSeconds(Math.max(1, Math.ceil(ms / MS_PER_SECOND)));
  return duration(Math.ceil(ms / MS_PER_MINUTE) * MS_PER_MINUTE);
}

/** Business time left before a target: rounded down (never more than is left), to the minute or under a minute to the second; negative when overdue, "-1s" at least. */
export function leftText(ms: number): string {
  if (ms < 0) return `-${overText(-ms)}`;
  // under a second left is "0s", not "0m": the clock is still within its target
  if (ms > 0 && ms < MS_PER_SECOND) return '0s';
  if (ms > 0 && ms < MS_PER_MINUTE) return durationSeconds(Math.floor(ms / MS_PER_SECOND));
  return duration(Math.floor(ms / MS_PER_MINUTE) * MS_PER_MINUTE);
}

/**
 * A clock's elapsed time and its target for people, side by side. One rule with overText and
 * leftText: the elapsed time is rounded up as over-by is (and time left down), so what is shown adds
 * up — target + over = elapsed, elapsed + left = target: 11m 17s past 10m reads "12m" beside "2m" over.
 * Under a minute apart (where to the minute they would print equal, or a minute apart beside "17s")
 * both are shown to the second: 10m 17.4s of 10m reads "10m 18s" beside "18s" over, 9m 42.6s reads
 * "9m 43s" beside "17s" left.
 */
export function clockTexts(elapsedMs: number, targetMs: number): [elapsed: string, target: string] {
  const apart = Math.abs(elapsedMs - targetMs);
  if (apart > 0 && apart < MS_PER_MINUTE) return [durationSeconds(Math.ceil(elapsedMs / MS_PER_SECOND)), durationSeconds(Math.round(targetMs / MS_PER_SECOND))];
  return [duration(Math.ceil(elapsedMs / MS_PER_MINUTE) * MS_PER_MINUTE), duration(targetMs)];
}

/** A breach's target and elapsed time, in the order the breach tables show them. */
export function targetAndElapsed(b: { elapsedMs: number; targetMs: number }): [target: string, elapsed: string] {
  const [elapsed, target] = clockTexts(b.elapsedMs, b.targetMs);
  return [target, elapsed];
}

/** Compliance for people: a percentage, "–" while nothing is measured yet, "not measured" when the metric cannot be. */
export function complianceText(c: Counts, t: Common = EN): string {
  if (c.compliance === null && c.not_measured > 0 && c.met + c.breached + c.overdue + c.running + c.at_risk === 0) return t.notMeasured;
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
export function tallyText(n: Tally, t: Common = EN): string {
  return t.tally(n.met, n.failed, n.notJudged, n.total);
}

/** The measured SLA metrics' counts, in the config's order (first_response, resolution, then any message metrics): what overall sums. */
export function metricRows(m: MetricCounts): [Metric, Counts][] {
  return (Object.entries(m) as [MetricName, Counts][]).filter(([k]) => !isOla(k)) as [Metric, Counts][];
}

/** The OLA metrics' counts (ola.<group>), in the config's order: shown after overall, which they are not part of. */
export function olaRows(m: MetricCounts): [OlaMetric, Counts][] {
  return (Object.entries(m) as [MetricName, Counts][]).filter(([k]) => isOla(k)) as [OlaMetric, Counts][];
}

/** A metric's name for people. */
export const METRIC_LABEL: Record<string, string> = { first_response: 'first response', resolution: 'resolution', next_reply: 'next reply', periodic_update: 'periodic update', overall: 'overall' };

/** A metric's name for people, an OLA's as "OLA <group>". */
export function metricLabel(m: string, t: Common = EN): string {
  return t.metric(m);
}

/**
 * The share of its target a clock used, for people: "175%" (whole percent, rounded down), "∞" past a
 * target of 0; past 999% a multiple, "×4,176 of target" (rounded down: to a tenth below ×100), as
 * "417600%" is hard to read.
 */
export function shareText(elapsedMs: number, targetMs: number, t: Common = EN): string {
  const share = shareDown(elapsedMs, targetMs, 2);
  if (share === Infinity) return '∞';
  const percent = Math.round(share * 100);
  if (percent <= 999) return `${percent}%`;
  const times = share < 100 ? Math.floor(share * 10) / 10 : Math.floor(share);
  return t.timesTarget(times.toLocaleString('en-US', { maximumFractionDigits: 1 }));
}

/** An amount with its currency: "CNY 12,500.00". */
export function money(x: number, currency: string): string {
  const n = x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${currency} ${n}` : n;
}

/**
 * A period's compliance beside its tier: rounded down to hundredths of a percent from the counts, so
 * it never reads as a tier's `below` it is under (449 of 499 is 89.97%, not "90%" beside "below 90%").
 */
function creditCompliance(p: CreditPeriod): string {
  if (p.compliance === null) return '–';
  const met = Math.round(p.compliance * p.tickets_judged);
  return `${Math.floor((met * 10_000) / p.tickets_judged) / 100}%`;
}

/** One contract period's cells: the figures, and a note when the cap applied or the period is still open. */
export function creditCells(p: CreditPeriod, c: Pick<CreditsResult, 'currency'>, t: Common = EN): string[] {
  const notes = [p.capped ? t.capped : '', p.provisional ? t.provisional : ''].filter(Boolean).join(t.noteJoin);
  return [
    p.period, creditCompliance(p), p.tier ? t.tierCell(fmtPct(p.tier.credit), fmtPct(p.tier.below)) : '–', String(p.breaches), String(p.hours_over),
    money(p.tier_amount, c.currency), money(p.breach_amount, c.currency), money(p.uncapped, c.currency), money(p.credit, c.currency), notes,
  ];
}

/** What a credits table is about, in one line. */
export function creditsTitle(c: CreditsResult, t: Common = EN): string {
  return t.creditsTitle({
    period: c.period, fee: money(c.fee, c.currency), metric: c.metric, cap: c.cap === undefined ? null : fmtPct(c.cap),
    policies: c.policies ? c.policies.join(', ') : null, leftOut: c.left_out?.length ? c.left_out.map((p) => p.period).join(', ') : null,
  });
}

/** The escalation table: a row per period and one for all tickets, a column per level; then how many of them are still open. */
export function escalationTable(e: EscalationResult, kind: string, t: Common = EN): { head: string[]; rows: string[][] } {
  return {
    head: [t.period(kind), ...e.levels],
    rows: [
      ...e.periods.map((p) => [p.period, ...p.reached.map(String)]),
      [t.escalationAll, ...e.reached.map((x) => String(x.tickets))],
      [t.escalationOpen, ...e.reached.map((x) => String(x.open))],
    ],
  };
}
