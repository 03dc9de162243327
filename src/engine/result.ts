/**
 * What the engine produces, and what reports read: per-ticket evaluations and the audit's result.
 * Types only (and the stable status list), so reports depend on nothing else of the engine.
 */
import type { Metric, MetricName } from '../config/schema.js';
import type { KpiDef } from '../config/kpis.js';
import type { Policy } from '../config/types.js';
import type { RowProblem, StatusHistory, Ticket } from '../model/ticket.js';
import type { Period } from './periods.js';

/** Stable status values (SPEC section 3). */
export const STATUSES = ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured'] as const;
export type Status = (typeof STATUSES)[number];

/** An interval the clock stood still: a pause, or a resolution later reopened. */
export interface Excluded {
  start: number;
  /** Infinity while it lasts */
  end: number;
  status: string;
  kind: 'paused' | 'resolved';
}

export interface MetricResult {
  metric: MetricName;
  status: Status;
  /** business ms allowed; NaN when not applicable */
  targetMs: number;
  /** business ms used (to completion, or to --as-of while open); NaN when not applicable */
  elapsedMs: number;
  /** the instant the target is used up; NaN when not applicable */
  due: number;
  /** completion instant, NaN while open */
  completed: number;
  /** when the clock starts (next opening when created outside hours) */
  clockStart: number;
  /** intervals the clock stood still (pauses, resolved-then-reopened), when there is a history */
  excluded: Excluded[] | undefined;
  /** the measurement came from a vendor's minutes column, not from timestamps */
  fromMinutes: boolean;
  /** message metrics: how many intervals the conversation had (this result is the worst); 1 for the other metrics, 0 when nothing was measured */
  intervals: number;
  /** message metrics: the interval still open at --as-of, when it is not the worst one reported */
  open: MetricResult | undefined;
  /** the highest share of its target any of its clocks used (NaN when nothing was measured): what escalation reads */
  peak: number;
}

/**
 * A ticket's times as the engine measures them at --as-of: the export's, corrected by its status
 * history, with everything after --as-of left out (NaN when there is none).
 */
export interface TicketTimes {
  created: number;
  firstResponse: number;
  /** the final resolution (none when the ticket is open again at --as-of) */
  resolved: number;
  /** the first resolution: a ticket never replied to has its first response fulfilled then */
  firstResolved: number;
  firstResponseMinutes: number;
  /** status changes up to --as-of */
  history?: StatusHistory;
}

/** What a ticket contributes beyond its statuses: category, channel, customer, creation day and hour, KPI inputs. */
export interface TicketFacts {
  category: string;
  channel: string;
  customer: string;
  /** local day number of creation (config zone) */
  day: number;
  hour: number;
  weekday: number;
  /** the rating as a number (text ratings through satisfaction.values); NaN when not rated */
  satisfaction: number;
  /** the 0-10 answer; NaN when none */
  nps: number;
  /** 1 resolved at first contact, 0 resolved otherwise, NaN not resolved or unknown (no history, no contacts) */
  fcr: number;
  /** 1 reopened, 0 not, NaN never resolved or no status history */
  reopened: number;
  /** still open at --as-of (resolution measured and not done) */
  open: boolean;
  /** group changes after the first assignment; NaN without a group history (no group column, or never assigned) */
  handoffs: number;
  /** per OLA (config order): business ms its group held the ticket, NaN when it never did; empty without OLAs */
  groupMs: number[];
  /** it has a status history (--events) with no row in it up to --as-of: taken as never paused or reopened */
  noHistory: boolean;
}

/** KPI name -> value (null: no data). Rates are fractions, times business minutes. */
export type KpiValues = Record<string, number | null>;

/** One ticket evaluated: everything it adds to the aggregates (evaluating it again and applying it with -1 takes it back out). */
export interface EvaluatedTicket {
  ticket: Ticket;
  times: TicketTimes;
  policy: Policy | undefined;
  /** one per metric, in METRICS order */
  results: MetricResult[];
  /** inside --since/--until */
  counted: boolean;
  /** the value of each --group-by field */
  groupValues: string[];
  facts: TicketFacts;
  /** per objective: whether the ticket is among those it judges */
  objectiveHits: boolean[];
  /** per scorecard: the group (its `by` value) the ticket scores for */
  scorecardKeys: string[];
  /** the highest escalation level any of its metrics reached (its place in config.levels), -1 for none */
  level: number;
  /** per custom KPI (config.customKpis): a share's 1 or 0, a mean's number; NaN for no value */
  custom: Float64Array;
  /** custom KPI cells that are not numbers (problems of those KPIs only: the ticket is evaluated) */
  cellProblems: RowProblem[] | undefined;
}

export type Counts = Record<Status, number> & { compliance: number | null };

/** Counts per measured metric: first_response and resolution always, next_reply and periodic_update when the config has targets for them. */
export type MetricCounts = Record<'first_response' | 'resolution', Counts> & Partial<Record<MetricName, Counts>>;

export interface Breach {
  id: string;
  metric: MetricName;
  status: 'breached' | 'overdue';
  policy: string;
  priority: string;
  targetMs: number;
  elapsedMs: number;
  due: number;
  completed: number;
  file: string;
  row: number;
}

export interface ObjectiveResult {
  /** the short form metric: (compliance) */
  metric?: Metric | 'overall';
  kpi?: string;
  scorecard?: string;
  priority?: string;
  policy?: string;
  /** where: as written, "team = 一线" */
  where?: string;
  /** the creation range it covers, as written */
  effective?: { from?: string; to?: string };
  /** the --period it was judged in (objectives with effective, under --period) */
  period?: string;
  /** where it was given when not in the config, e.g. "--fail-under" */
  origin?: string;
  min?: number;
  max?: number;
  min_score?: number;
  /** the KPI's value (a scorecard objective: the lowest composite) */
  actual: number | null;
  /** a scorecard objective: the group (and period) with that lowest composite */
  group?: string;
  /** tickets the KPI was measured on (compliance: met + breached + overdue) */
  tickets: number;
  passed: boolean;
  /** why it was not judged (too few tickets, no data): then it counts as passed */
  skipped?: string;
}

export interface ScoreIndicator {
  kpi: string;
  group?: string;
  weight: number;
  target: number;
  worst?: number;
  direction: 'higher' | 'lower';
  actual: number | null;
  /** 0..100, null when the KPI has no data (left out with its weight) */
  points: number | null;
  /** what the actual is made of */
  basis: string;
  /** rsr: this indicator's rank among the scored groups (1 worst .. n best) */
  rank?: number;
}

export interface ScoreRow {
  key: string;
  tickets: number;
  scored: boolean;
  /** why it is not scored (too few tickets) */
  reason?: string;
  indicators: ScoreIndicator[];
  /** two-level scorecards: each indicator group's score */
  groups?: { name: string; weight: number; score: number | null }[];
  /** weighted: Σ w·points / Σ w; rsr: RSR × 100 */
  composite: number | null;
  grade: string | null;
  /** by composite, descending; ties share a rank */
  rank: number | null;
  /** the indicators left out for lack of data */
  left_out: string[];
}

export interface ScoreCard {
  /** the period it covers; null: all tickets (the total) */
  period: string | null;
  rows: ScoreRow[];
}

export interface ScorecardResult {
  name: string;
  by: string;
  method: 'weighted' | 'rsr';
  period: string | null;
  grades: { name: string; min: number }[];
  below: string;
  cards: ScoreCard[];
}

/**
 * How far tickets went up the escalation ladders: per level, the tickets whose highest level was at
 * or above it (a ticket that reached 经理 also reached 组长 and 主管), and of them those still open.
 */
export interface EscalationResult {
  /** lowest first */
  levels: string[];
  reached: { level: string; tickets: number; open: number }[];
  /** by creation period (the trend's periods): tickets that reached each level, in `levels` order */
  periods: { period: string; reached: number[] }[];
}

/** A clock still running at --as-of, in the early-warning queue. */
export interface QueueRow {
  id: string;
  metric: MetricName;
  priority: string;
  policy: string;
  team: string;
  agent: string;
  status: 'running' | 'at_risk' | 'overdue';
  elapsedMs: number;
  targetMs: number;
  /** elapsed ÷ target */
  share: number;
  /** business time left before the target is used up (negative when overdue) */
  leftMs: number;
  /** Infinity while paused */
  due: number;
  /** the escalation level reached ('' below the first rung) and its place in config.levels (-1) */
  level: string;
  rank: number;
  file: string;
  row: number;
}

/** One contract period's service credit. Amounts in the config's currency, rounded to cents. */
export interface CreditPeriod {
  period: string;
  /** its first local day, and the first day of the next period */
  from: string;
  to: string;
  /** the period ends after --as-of: it may still change */
  provisional: boolean;
  /** the compliance the tiers read (null when nothing was judged) */
  compliance: number | null;
  /** ticket × metric judged (met + breached + overdue) */
  tickets_judged: number;
  /** the tier that applies: below which compliance, and its credit as a share of the fee */
  tier: { below: number; credit: number } | null;
  tier_amount: number;
  /** breached or overdue ticket × metric */
  breaches: number;
  /** started business hours over target, summed over the breaches */
  hours_over: number;
  breach_amount: number;
  uncapped: number;
  /** min(uncapped, cap · fee) */
  credit: number;
  capped: boolean;
}

export interface CreditsResult {
  currency: string;
  period: Period;
  fee: number;
  metric: Metric | 'overall';
  /** as a share of the fee */
  cap?: number;
  policies?: string[];
  periods: CreditPeriod[];
  /** periods cut by --since/--until: not priced (a part of a period is no contract figure) */
  left_out?: { period: string; from: string; to: string; cut_by: string[] }[];
}

/** Before and after a date: every KPI, every category's share, every scorecard group. */
export interface SplitResult {
  at: string;
  rows: { what: string; before: number | null; after: number | null; change: number | null; worse: boolean }[];
}

/** A customer with repeat complaints in a category (-o repeats.csv). */
export interface RepeatCustomer {
  /** the customer column's value, as in the export */
  customer: string;
  category: string;
  /** the customer's tickets in the category, and how many of them were repeats (within repeat_within of the previous one) */
  tickets: number;
  repeats: number;
  /** the first and last ticket: id (null when a replaced row took that place and only its minute is known) and creation instant */
  firstId: string | null;
  firstAt: number;
  lastId: string | null;
  lastAt: number;
}

export interface GroupRow {
  key: string;
  kpis: KpiValues;
  tickets: number;
  /** tickets with at least one metric done after its target (the one meaning of "breached" in breakdowns and categories) */
  tickets_breached: number;
  /** tickets with at least one metric still open past its target */
  tickets_overdue: number;
  metrics: MetricCounts;
  overall: Counts;
}

export interface CategoryRow {
  name: string;
  tickets: number;
  share: number;
  cumulative_share: number;
  breached: number;
  breach_rate: number;
  median_resolution_minutes: number | null;
  p90_resolution_minutes: number | null;
  satisfaction: number | null;
  repeat: number | null;
}

export interface PeriodRow {
  period: string;
  /** every KPI of the period (under --period) */
  kpis?: KpiValues;
  metrics: MetricCounts;
  overall: Counts;
  categories: Record<string, number>;
}

export interface Hotspots {
  channels: { channel: string; tickets: number; breached: number; breach_rate: number }[];
  /** tickets created per weekday (Mon..Sun) and hour of day (0..23), config zone */
  hours: { weekday: string; counts: number[] }[];
}

export interface BaselineRow {
  metric: string;
  before: number | null;
  after: number | null;
  /** percentage points, after - before */
  change_points: number | null;
  failed: boolean;
}

export interface BaselineResult {
  file: string;
  /** --baseline-optional and the file did not exist yet: nothing was compared */
  missing?: true;
  asOf?: string;
  max_drop: number | null;
  rows: BaselineRow[];
  /** every KPI and scorecard composite against the earlier report (informational: only compliance can fail) */
  kpis: { what: string; before: number | null; after: number | null; change: number | null; worse: boolean }[];
  /** what differs between the two runs (config, inputs) */
  differs: string[];
  passed: boolean;
}

export interface Totals {
  rows: number;
  tickets: number;
  evaluated: number;
  problems: number;
  outside_range: number;
  event_rows?: number;
  event_problems?: number;
  message_rows?: number;
  message_problems?: number;
  /** with --events: evaluated tickets with no row in the history (up to --as-of), counted as never paused or reopened */
  without_history?: number;
  /** with custom KPIs (kpis:): cells a mean could not read as a number, each leaving its ticket out of that KPI only (not out of the counts) */
  kpi_cell_problems?: number;
}

export interface AuditResult {
  asOf: number;
  configFile: string;
  inputs: string[];
  zone: string;
  totals: Totals;
  overall: Counts;
  metrics: MetricCounts;
  /** every KPI over all tickets */
  kpis: KpiValues;
  /** customers with repeat complaints, most repeats first (only when asked for: -o repeats.csv) */
  repeatCustomers?: RepeatCustomer[];
  /** the config's custom KPIs (kpis:), in config order: their kind (rate or number) and direction, for reports */
  customKpis: KpiDef[];
  objectives: ObjectiveResult[];
  scorecards: ScorecardResult[];
  escalation: EscalationResult;
  /** service credits per contract period, when the config has credits: */
  credits?: CreditsResult;
  /** whether some policy has an escalation ladder of its own (reports show the table then) */
  ladders: boolean;
  split?: SplitResult;
  /** a fingerprint of the config's text, to tell runs of different configs apart */
  configDigest: string;
  groups: Record<string, GroupRow[]>;
  breaches: Breach[];
  categories: CategoryRow[];
  /** grouped by --period (or a period chosen for the trend chart when none was asked for) */
  periods: PeriodRow[];
  periodKind: Period;
  periodAsked: boolean;
  hotspots: Hotspots;
  problems: RowProblem[];
  /** problems beyond MAX_PROBLEMS_KEPT are counted but not kept */
  problemsDropped: number;
  /** about whole files (an encoding switch, replaced bytes, a history that covers few tickets) */
  warnings: string[];
  /**
   * With --events: how many evaluated tickets had no history row, said on standard error by check and
   * scorecard; a warning when more than half had none (fcr and reopen_rate then rest on an assumption)
   */
  historyCoverage?: { without: number; evaluated: number; warning: boolean; message: string };
  /** objectives (and the baseline comparison, when there is one) */
  passed: boolean;
  baseline?: BaselineResult;
}

/** One ticket's story, for `explain`. */
export interface Explanation {
  id: string;
  file: string;
  row: number;
  policy: string | null;
  tried: { policy: string; matched: boolean; reason?: string }[];
  calendar: { name: string; timezone: string } | null;
  created_at: string;
  priority: string | null;
  metrics: {
    metric: string;
    status: string;
    /** the calendar this metric's clock runs on (the policy's `calendar:`, or its own under `calendars:`) */
    calendar: { name: string; timezone: string } | null;
    /** the statuses that pause this metric's clock, as the config writes them */
    pause_on: string[];
    target: string | null;
    target_minutes: number | null;
    clock_start: string | null;
    due_at: string | null;
    completed_at: string | null;
    measured_to: string;
    elapsed_minutes: number | null;
    over_minutes: number | null;
    /** the exact time past the target, in milliseconds; not enumerable, so never in the JSON */
    readonly over_ms?: number;
    from_vendor_minutes?: boolean;
    /**
     * how a day or month target names its due instant (before pauses): `Nbd@end` the close of the
     * Nth business day after `after` (a local date of the calendar); `Nmo` the same wall time
     * `months` months after `from`, `to` (clamped to the month's last day when `month_end`)
     */
    due_rule?:
      | { kind: 'close_of_business_day'; business_days: number; after: string }
      | { kind: 'calendar_months'; months: number; from: string; to: string; month_end: boolean };
    pauses: { from: string; to: string | null; status: string; kind: string; business_minutes: number }[];
    per_day: { date: string; weekday: string; business_minutes: number; holiday?: string }[];
    /** the highest share of its target used, and the escalation level that reached (null below the first rung) */
    share_of_target?: number;
    level?: string | null;
    /** next_reply and periodic_update: every interval of the conversation (the reported one is `worst`) */
    /** next_reply: where its waits start (after the first agent reply, or from the first customer message) */
    reply_from?: 'first_agent_reply' | 'first_customer_message';
    intervals?: { from: string; to: string | null; status: string; elapsed_minutes: number; target_minutes: number; due_at: string | null; share_of_target: number; worst: boolean }[];
  }[];
  /** the ticket's group history (when its history has a group column): stints, hand-offs */
  groups?: {
    stints: { group: string; from: string; to: string | null; business_minutes: number | null; ola: string | null; status: string | null; target_minutes: number | null; due_at: string | null }[];
    handoffs: number;
    first_handoff_at: string | null;
    /** business minutes (the policy's calendar, its pauses left out) from the first hand-off to the final resolution */
    handoff_to_resolution_minutes: number | null;
  };
  /** the highest escalation level any metric reached (null: none) */
  level: string | null;
  /**
   * what the ticket gives each custom KPI (kpis:): a share's hit (1) or miss (0), a mean's number;
   * null when its cell is empty or, for a mean, not a number (then `problem` says so)
   */
  custom_kpis?: { kpi: string; stat: 'share' | 'mean'; column: string; value: number | null; problem?: string }[];
  /** the ticket's part in its contract period's service credit (when the config has credits and the ticket has breaches there) */
  credit?: {
    period: string;
    provisional: boolean;
    currency: string;
    charges: { metric: string; status: string; per_breach: number; hours_over: number; per_hour_over: number; amount: number }[];
    /** Σ charges */
    amount: number;
    /** the period's figures */
    period_breach_amount: number;
    period_tier_amount: number;
    period_uncapped: number;
    period_credit: number;
    capped: boolean;
    /** amount × credit ÷ uncapped: the ticket's charges as the cap leaves them (the tier's part is the period's, not a ticket's) */
    share: number;
  };
}

/** How one group's score came about: each indicator's inputs and arithmetic, then the composite, grade and rank. */
export interface ScoreExplanation {
  scorecard: string;
  by: string;
  group: string;
  period: string | null;
  method: 'weighted' | 'rsr';
  tickets: number;
  scored: boolean;
  reason?: string;
  indicators: { kpi: string; group?: string; basis: string; actual: number | null; target: number; worst?: number; direction: string; weight: number; arithmetic: string; points: number | null }[];
  composite: { arithmetic: string; value: number | null };
  grade: string | null;
  grades: { name: string; min: number }[];
  rank: number | null;
  of: number;
}
