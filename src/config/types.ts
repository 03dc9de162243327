import type { BusinessCalendar } from '../calendar/calendar.js';
import type { Zone } from '../time/zone.js';
import type { KpiDef } from './kpis.js';
import type { CanonicalField, Metric, OlaMetric, Period } from './schema.js';
import type { Target } from './values.js';

/**
 * What a field's cell must be: one of the values (a value or a list, as written), none of them
 * (`not`), containing one of the texts (`contains`, NFKC and lower-cased like complaint keywords),
 * found by an RE2 regular expression (`matches`), or a number compared with `n` (gt, gte, lt, lte).
 */
export type FieldTest =
  | { op: 'in' | 'not'; values: Set<string>; shown: string[] }
  | { op: 'contains'; needles: string[]; shown: string[] }
  | { op: 'matches'; pattern: string; re: { test(input: string): boolean } }
  | { op: 'gt' | 'gte' | 'lt' | 'lte'; n: number };

/** A condition on a ticket: a field (canonical or raw header, lower-cased in `key`) and its test, or all/any of groups of conditions. */
export type Condition =
  | { kind: 'field'; key: string; label: string; test: FieldTest }
  /** each group is a `when` mapping of its own: all its conditions hold */
  | { kind: 'all' | 'any'; of: Condition[][] };

export interface Policy {
  name: string;
  index: number;
  /** Conditions: all must hold. */
  when: Condition[];
  from?: number;
  to?: number;
  fromText?: string;
  toText?: string;
  /** the policy's `calendar:` (24x7 when none): the calendar of every metric `calendars:` does not name */
  calendar: BusinessCalendar;
  /** metric -> canonical priority (or "default") -> target */
  targets: Record<Metric, Map<string, Target>>;
  warnAt: number;
  /** lower-cased statuses that pause every metric (`pause_on:` as a list, or the preset's); empty when `pause_on:` is a map */
  pauseOn: Set<string>;
  /** per metric, the calendar its clock runs on and the lower-cased statuses that pause it */
  clocks: Record<Metric, MetricClock>;
  /** where next_reply's waits may start: after the first agent reply (default), or from the first customer message (Zammad's update escalation) */
  replyFrom: ReplyFrom;
  /** escalation rungs, lowest `at` first (the default: warn_at "at risk", 100% "overdue") */
  escalation: Rung[];
}

export type ReplyFrom = 'first_agent_reply' | 'first_customer_message';

/** One metric's clock under a policy: its calendar and its pause statuses (lower-cased). */
interface MetricClock {
  calendar: BusinessCalendar;
  pauseOn: Set<string>;
  /** the pause statuses as written (for explain) */
  pauseText: string[];
}

/** An escalation rung: from this share of the target used, the ticket is at this level. */
export interface Rung {
  /** a share of the target: 0.5 for 50%, 1.5 for 150% */
  at: number;
  level: string;
  /** the level's place in config.levels (0 the lowest) */
  rank: number;
}

/** An objective on a KPI: its value over the tickets it covers must be at least min and at most max. */
export interface KpiObjective {
  kind: 'kpi';
  kpi: string;
  /** written in the short form `metric:` (compliance) */
  metric?: Metric | 'overall';
  /** in the KPI's unit: a fraction for rates, business minutes for times, a number otherwise */
  min?: number;
  max?: number;
  /** as written, for reports */
  minText?: string;
  maxText?: string;
  priority?: string;
  policy?: string;
  /** the tickets it covers: conditions on group fields or raw headers */
  where: Condition[];
  /** by creation time; with --period it is judged in every period inside this range */
  from?: number;
  to?: number;
  fromText?: string;
  toText?: string;
  minTickets: number;
  /** where it was given when not in the config, e.g. "--fail-under" */
  origin?: string;
}

/** Every scored group of a scorecard must reach a score. */
interface ScorecardObjective {
  kind: 'scorecard';
  scorecard: string;
  minScore: number;
  origin?: string;
}

export type Objective = KpiObjective | ScorecardObjective;

export interface Indicator {
  kpi: string;
  weight: number;
  /** in the KPI's unit */
  target: number;
  worst?: number;
  targetText: string;
  worstText?: string;
  higherIsBetter: boolean;
  /** the indicator group it belongs to (two-level scorecards) */
  group?: string;
}

export interface Scorecard {
  name: string;
  /** a group field: team, agent, channel, policy, priority, category, or a raw header */
  by: string;
  period?: Period;
  minTickets: number;
  method: 'weighted' | 'rsr';
  indicators: Indicator[];
  /** two-level scorecards: the indicator groups and their weights */
  groups?: { name: string; weight: number }[];
  /** highest line first */
  grades: { name: string; min: number }[];
  below: string;
}

export interface SatisfactionConfig {
  /** lower-cased text rating -> number */
  values: Map<string, number>;
  good: number;
}

export interface TicketsConfig {
  path?: string;
  layout: 'rows' | 'events';
  /** canonical field -> CSV headers to try, in order (matched case-insensitively, trimmed) */
  columns: Partial<Record<CanonicalField, string[]>>;
  /** fields the user mapped in tickets.columns (a preset's other columns may be absent) */
  userColumns: Set<string>;
  /** lower-cased statuses that mean resolved */
  resolvedStatuses: Set<string>;
  /** lower-cased statuses whose first appearance counts as the first response */
  firstResponseStatuses: Set<string>;
  /** both of the above: the first of them in a history is the first response */
  responseOrResolved: Set<string>;
  zone: Zone;
  timestampFormat: string;
  nullValues: Set<string>;
  encoding: string;
  delimiter: string;
}

export interface EventsConfig {
  columns: { ticket_id: string[]; timestamp: string[]; status: string[]; group: string[] };
  /** events.columns.group is written in the config: a file without that column is an error (else the column is optional) */
  groupMapped: boolean;
  zone: Zone;
  timestampFormat: string;
}

/** Who wrote a message: the customer, an agent, or nobody who counts (a bot, a system note). */
export type Author = 'customer' | 'agent' | 'ignore';

export interface MessagesConfig {
  columns: { ticket_id: string[]; timestamp: string[]; author: string[] };
  /** lower-cased author value -> who it is */
  authors: Map<string, Author>;
  zone: Zone;
  timestampFormat: string;
}

/** Service credits: what a contract period's breaches cost. */
export interface CreditsConfig {
  currency: string;
  period: Period;
  fee: number;
  /** whose compliance the tiers read */
  metric: Metric | 'overall';
  /** highest credit first */
  tiers: { below: number; credit: number }[];
  /** canonical priority (or "default") -> amount per breached or overdue ticket × metric */
  perBreach: Map<string, number>;
  /** canonical priority (or "default") -> amount per started business hour over target */
  perHourOver: Map<string, number>;
  /** a share of the fee; Infinity when there is none */
  cap: number;
  /** the policies covered; undefined: all */
  policies?: Set<string>;
}

export interface CategoriesConfig {
  field: string;
  /** NFKC + lower-cased value -> category name */
  aliases: Map<string, string>;
  rules: { category: string; keywords: string[] }[];
  default: string;
  repeatWithinMs: number;
}

/** An operational level agreement of one assignment group: every stint the group holds a ticket is judged against its target. */
export interface Ola {
  /** as written in the config */
  group: string;
  /** NFKC, trimmed, lower-cased: what history cells are matched by */
  key: string;
  metric: OlaMetric;
  target: Target;
  /** its own calendar; undefined: the ticket's policy's */
  calendar?: BusinessCalendar;
  /** lower-cased statuses that stop its clock; undefined: the policy's resolution clock's */
  pauseOn?: Set<string>;
  /** its pause_on as written (for explain) */
  pauseText?: string[];
  /** undefined: the policy's */
  warnAt?: number;
}

/** A custom KPI (top-level kpis:): read from one column of every ticket. */
export interface CustomKpi {
  name: string;
  /** share: tickets whose cell is one of `values` ÷ tickets with a non-empty cell; mean: the mean of the numeric cells */
  stat: 'share' | 'mean';
  /** the column as written: a canonical field or raw header */
  column: string;
  /** share: the hits, NFKC-normalised, trimmed and lower-cased */
  values: Set<string>;
  /** share: the values as written, for reports */
  shown: string[];
  /** its catalogue entry: share is a rate (a fraction), mean a number */
  def: KpiDef;
}

export interface Config {
  file: string;
  /** what the config means that its author may not have meant (said on every run, never an error) */
  warnings: string[];
  /** the first 12 hex digits of the SHA-256 of the config's text: runs of different configs tell apart */
  digest: string;
  /** the other files the config reads (its calendars' ical: files), resolved: inputs no report may overwrite */
  reads?: string[];
  dir: string;
  zone: Zone;
  calendars: Map<string, BusinessCalendar>;
  tickets: TicketsConfig;
  events: EventsConfig;
  preset?: string;
  /** canonical priority names in config order */
  priorities: string[];
  /** lower-cased alias (or canonical name) -> canonical priority */
  priorityLookup: Map<string, string>;
  policies: Policy[];
  /** the metrics measured: first_response and resolution, then next_reply and periodic_update when a policy has targets for them */
  metrics: Metric[];
  /** OLAs per assignment group, in config order; their metrics come after `metrics` in every ticket's results */
  olas: Ola[];
  /** the config has an olas: section (even an empty one): hand-off and group-time KPIs are reported */
  olasGiven: boolean;
  /** every escalation level of every policy, lowest first (each policy's rungs keep this order) */
  levels: string[];
  /** some policy has an escalation ladder of its own (not only the default at risk / overdue) */
  ladders: boolean;
  messages: MessagesConfig;
  credits?: CreditsConfig;
  objectives: Objective[];
  categories: CategoriesConfig;
  satisfaction: SatisfactionConfig;
  scorecards: Scorecard[];
  /** custom KPIs (kpis:), in config order */
  customKpis: CustomKpi[];
  /** report.at_risk_margin: how near its line a met objective is at risk, in points (percent of the line for non-rates); absent: the default */
  atRiskMargin?: number;
  /** report: the language and title of reports for people */
  report: ReportConfig;
}

export interface ReportConfig {
  /** en or zh-CN; absent: English unless --lang says otherwise */
  lang?: 'en' | 'zh-CN';
  title?: string;
}
