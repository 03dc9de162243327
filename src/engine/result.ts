/**
 * What the engine produces, and what reports read: per-ticket evaluations and the audit's result.
 * Types only (and the stable status list), so reports depend on nothing else of the engine.
 */
import type { Metric } from '../config/schema.js';
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
  metric: Metric;
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
  excluded?: Excluded[];
  /** the measurement came from a vendor's minutes column, not from timestamps */
  fromMinutes?: boolean;
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

/** What a ticket contributes beyond its statuses: category, channel, customer, creation day and hour. */
export interface TicketFacts {
  category: string;
  channel: string;
  customer: string;
  /** local day number of creation (config zone) */
  day: number;
  hour: number;
  weekday: number;
  /** NaN when absent */
  satisfaction: number;
}

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
}

export type Counts = Record<Status, number> & { compliance: number | null };

export interface Breach {
  id: string;
  metric: Metric;
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
  metric: Metric | 'overall';
  priority?: string;
  policy?: string;
  /** where it was given when not in the config, e.g. "--fail-under" */
  origin?: string;
  min: number;
  actual: number | null;
  /** met + breached + overdue under this objective */
  tickets: number;
  passed: boolean;
  /** why it was not judged (too few tickets): then it counts as passed */
  skipped?: string;
}

export interface GroupRow {
  key: string;
  tickets: number;
  /** tickets with at least one metric done after its target (the one meaning of "breached" in breakdowns and categories) */
  tickets_breached: number;
  /** tickets with at least one metric still open past its target */
  tickets_overdue: number;
  metrics: Record<Metric, Counts>;
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
  metrics: Record<Metric, Counts>;
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
  asOf?: string;
  max_drop: number | null;
  rows: BaselineRow[];
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
}

export interface AuditResult {
  asOf: number;
  configFile: string;
  inputs: string[];
  zone: string;
  totals: Totals;
  overall: Counts;
  metrics: Record<Metric, Counts>;
  objectives: ObjectiveResult[];
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
  /** about whole files (an encoding switch, replaced bytes) */
  warnings: string[];
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
    target: string | null;
    target_minutes: number | null;
    clock_start: string | null;
    due_at: string | null;
    completed_at: string | null;
    measured_to: string;
    elapsed_minutes: number | null;
    over_minutes: number | null;
    from_vendor_minutes?: boolean;
    pauses: { from: string; to: string | null; status: string; kind: string; business_minutes: number }[];
    per_day: { date: string; weekday: string; business_minutes: number; holiday?: string }[];
  }[];
}
