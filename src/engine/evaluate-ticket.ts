/** One ticket evaluated: its policy, its times, a result per metric, its group values and facts. */
import type { Metric } from '../config/schema.js';
import type { Config, Objective, Policy } from '../config/types.js';
import type { Columns, Ticket } from '../model/ticket.js';
import { MS_PER_DAY, MS_PER_HOUR, weekdayOfDay } from '../time/civil.js';
import { CategoryResolver } from './categories.js';
import { CustomKpiCells } from './custom-kpis.js';
import { evaluateMetric } from './evaluate.js';
import { evaluateMessages } from './conversation.js';
import { evaluateOlas } from './olas.js';
import { reopenedIn, timesOf } from './history.js';
import { NONE_KEY, NO_POLICY, ObjectiveFilter, fieldColumn, fieldValue } from './filters.js';
import { PolicyMatcher } from './policy.js';
import { shareOf } from './share.js';
import type { EvaluatedTicket, MetricResult, TicketTimes } from './result.js';

export const DEFAULT_GROUP_BY = ['priority', 'policy'];

export interface EvaluationSettings {
  config: Config;
  asOf: number;
  since?: number;
  until?: number;
  groupBy: string[];
  /** the config's objectives and any added on the command line */
  objectives: Objective[];
  /** --messages files were given (the message metrics are measured) */
  messages: boolean;
}

/** Per input file: the policies, --group-by columns and category rules compiled against its columns. */
export class FileContext {
  readonly matcher: PolicyMatcher;
  readonly categories: CategoryResolver;
  /** column of each --group-by field (-1 for priority and policy) */
  readonly groupCols: number[];
  /** per metric: whether the file has anything to measure it from (else its status is not_measured) */
  readonly measured: boolean[];
  /** per objective: its test of a ticket (null for scorecard objectives) */
  readonly objectives: (ObjectiveFilter | null)[];
  /**
   * every ticket's hits when no objective tests anything of a ticket (each one covers every ticket,
   * or is a scorecard's): one list shared by every ticket, never written to
   */
  readonly sameHits: boolean[] | undefined;
  /** per scorecard: the column of its `by` field */
  readonly scorecardCols: number[];
  /** the custom KPIs' cells (undefined when the config has none) */
  readonly custom: CustomKpiCells | undefined;

  constructor(config: Config, columns: Columns, groupBy: string[], objectives: Objective[], messages: boolean) {
    this.matcher = new PolicyMatcher(config, columns);
    this.measured = config.metrics.map((m) => isMeasured(m, columns, config, messages));
    this.groupCols = groupBy.map((g) => fieldColumn(g, columns, `--group-by ${g}`));
    this.categories = new CategoryResolver(config.categories, columns);
    this.objectives = objectives.map((o, i) => (o.kind === 'kpi' ? new ObjectiveFilter(o, columns, `objectives[${i}]`) : null));
    this.sameHits = this.objectives.every((f) => !f || f.always) ? this.objectives.map((f) => !!f) : undefined;
    this.scorecardCols = config.scorecards.map((sc) => fieldColumn(sc.by, columns, `scorecard ${sc.name} by: ${sc.by}`));
    this.custom = config.customKpis.length ? new CustomKpiCells(config.customKpis, config, columns) : undefined;
  }
}

/**
 * A metric can be measured from a file when it has the metric's column, or (for first response by
 * status, and resolution) a status history; the message metrics need --messages and the resolution
 * (when replies stop being owed). Otherwise nothing would be measured but invented.
 */
function isMeasured(metric: Metric, columns: Columns, config: Config, messages: boolean): boolean {
  if (metric === 'resolution') return columns.at.resolved_at !== undefined || columns.history;
  if (metric === 'first_response') return columns.at.first_response_at !== undefined || columns.at.first_response_minutes !== undefined || (columns.history && config.tickets.firstResponseStatuses.size > 0);
  return messages && isMeasured('resolution', columns, config, messages);
}

/** File contexts by the columns object the input stage hands over (one per file and pass). */
export class FileContexts {
  private readonly byColumns = new Map<Columns, FileContext>();
  constructor(private readonly s: EvaluationSettings) {}

  of(columns: Columns): FileContext {
    let fc = this.byColumns.get(columns);
    if (!fc) this.byColumns.set(columns, (fc = new FileContext(this.s.config, columns, this.s.groupBy, this.s.objectives, this.s.messages)));
    return fc;
  }
}

export function evaluateTicket(t: Ticket, fc: FileContext, s: EvaluationSettings): EvaluatedTicket {
  const { config, asOf } = s;
  const policy = fc.matcher.match(t);
  const times = timesOf(t, config, asOf);
  const pre = t.precomputed as MetricResult[] | undefined;
  // another engine's results (DuckDB): the share of target each clock used, which escalation reads, from them
  if (pre) for (const r of pre) if (r.intervals) r.peak = shareOf(r.elapsedMs, r.targetMs);
  const results = pre ?? metricResults(t, fc, s, times, policy);
  // OLAs: one result per group after the SLA metrics (another engine never computes them: OLAs keep the streaming engine)
  const ola = !pre && config.olasGiven ? evaluateOlas(config, times, policy, asOf) : undefined;
  if (ola) results.push(...ola.results);
  // created after --as-of: outside the audit, like outside --since/--until
  const counted = t.created <= asOf && (s.since === undefined || t.created >= s.since) && (s.until === undefined || t.created < s.until);
  const policyName = policy?.name;
  const groupValues = valuesOf(t, fc.groupCols, policyName);
  const wall = config.zone.instantToWall(t.created);
  const day = Math.floor(wall / MS_PER_DAY);
  const reopened = t.history && !Number.isNaN(times.firstResolved) ? (reopenedIn(t.history, config.tickets.resolvedStatuses, asOf) ? 1 : 0) : NaN;
  const contacts = t.columns.at.contacts === undefined ? NaN : numberIn(t.columns.text(t.cells, t.columns.at.contacts));
  // first contact: resolved, never reopened, at most one contact; unknown without a history or a contacts count
  const fcr = Number.isNaN(times.resolved) || (!t.history && Number.isNaN(contacts)) ? NaN : reopened === 1 || contacts > 1 ? 0 : 1;
  const custom = fc.custom ? new Float64Array(config.customKpis.length) : NO_VALUES;
  const cellProblems = fc.custom?.read(t, custom);
  return {
    ticket: t, times, policy, results, counted, groupValues,
    facts: {
      category: fc.categories.of(t),
      channel: t.channel,
      customer: t.customer,
      day,
      hour: Math.floor((wall - day * MS_PER_DAY) / MS_PER_HOUR),
      weekday: weekdayOfDay(day),
      satisfaction: rating(t.satisfaction, config),
      nps: npsIn(t.columns.at.nps === undefined ? '' : t.columns.text(t.cells, t.columns.at.nps)),
      fcr,
      reopened,
      open: fc.measured[RES] && Number.isNaN(times.resolved),
      handoffs: ola ? ola.handoffs : NaN,
      groupMs: ola ? ola.groupMs : NONE,
      noHistory: times.history !== undefined && times.history.times.length === 0,
    },
    objectiveHits: fc.objectives.length ? fc.sameHits ?? hitsOf(t, fc.objectives, policyName) : NONE,
    scorecardKeys: fc.scorecardCols.length ? valuesOf(t, fc.scorecardCols, policyName) : NONE,
    level: policy ? levelAt(policy, peakOf(results)) : -1,
    custom,
    cellProblems,
  };
}

/**
 * Each metric's result, in the config's order: first response and resolution on the ticket's
 * times, the message metrics on its conversation (a plain loop: no closure per ticket).
 */
function metricResults(t: Ticket, fc: FileContext, s: EvaluationSettings, times: TicketTimes, policy: Policy | undefined): MetricResult[] {
  const { config, asOf } = s;
  const metrics = config.metrics;
  const resolvedStatuses = config.tickets.resolvedStatuses;
  const results: MetricResult[] = [];
  for (let i = 0; i < metrics.length; i++) {
    const m = metrics[i];
    results.push(i < 2 ? evaluateMetric(times, t.priority, policy, m, asOf, resolvedStatuses, fc.measured[i])
      : fc.measured[i] ? evaluateMessages(m, t.messages, times, t.priority, policy, asOf, resolvedStatuses)
        : evaluateMetric(times, t.priority, policy, m, asOf, resolvedStatuses, false));
  }
  return results;
}

/** A ticket's value of each group field (fieldValue per column). */
function valuesOf(t: Ticket, cols: number[], policy: string | undefined): string[] {
  const out: string[] = [];
  for (let i = 0; i < cols.length; i++) out.push(fieldValue(t, cols[i], policy));
  return out;
}

/** Whether the ticket meets each objective's conditions (false for a scorecard objective). */
function hitsOf(t: Ticket, objectives: (ObjectiveFilter | null)[], policy: string | undefined): boolean[] {
  const out: boolean[] = [];
  for (let i = 0; i < objectives.length; i++) {
    const f = objectives[i];
    out.push(!!f && f.holds(t, policy));
  }
  return out;
}

/** The highest share of a target any metric of a ticket used (NaN when nothing was measured: no level, not even a rung at 0%). */
function peakOf(results: MetricResult[]): number {
  let peak = NaN;
  for (const r of results) if (r.peak > peak || (Number.isNaN(peak) && !Number.isNaN(r.peak))) peak = r.peak;
  return peak;
}

/** The escalation level (its place in config.levels) at a share of the target: the highest rung at or below it; -1 below the first (or for NaN). */
export function levelAt(policy: Policy, share: number): number {
  let rank = -1;
  for (const r of policy.escalation) {
    if (r.at <= share) rank = r.rank;
    else break;
  }
  return rank;
}

/** first_response and resolution come first in every config's metrics */
const RES = 1;
/** shared by every ticket when there are no objectives or scorecards (never written to) */
const NONE: never[] = [];
const NO_VALUES = new Float64Array(0);

/** A rating: a number, or text mapped under satisfaction.values; NaN when there is none. */
function rating(text: string, config: Config): number {
  if (!text) return NaN;
  const mapped = config.satisfaction.values.size ? config.satisfaction.values.get(text.normalize('NFKC').toLowerCase()) : undefined;
  return mapped ?? parseFloat(text);
}

/** A whole number of contacts, or NaN. */
function numberIn(text: string): number {
  const n = text === '' ? NaN : Number(text);
  return Number.isFinite(n) && n >= 0 ? n : NaN;
}

/** An NPS answer: a whole number 0-10, or NaN. */
function npsIn(text: string): number {
  const n = text === '' ? NaN : Number(text);
  return Number.isInteger(n) && n >= 0 && n <= 10 ? n : NaN;
}
