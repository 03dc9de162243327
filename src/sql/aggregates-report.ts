/**
 * The report's aggregates beyond compliance, set-based, from the per-ticket relations the script
 * already has (the streaming engine's aggregate.ts, summary.ts and categories.ts are the
 * reference): the trend by local day of creation, complaint categories with their repeat
 * complaints (LAG over customer and category by creation minute), channels and hours, escalation
 * levels, the worst breaches, the run's totals and the service credits' sums. Each ticket's facts
 * (local day, hour, category, level…) are computed once, in sla_report_facts.
 */
import type { CompileInput } from './input.js';
import type { Dialect } from './dialect.js';
import { instantOffsets, stepCase } from './timestamps.js';
import { breachViews } from './aggregates-breaches.js';
import { CustomKpiSql } from './custom-kpis.js';

/** What the compiler hands over: its input, dialect, and the cells sla_rows carries. */
export interface ReportSource {
  input: CompileInput;
  d: Dialect;
  /** the alias (in sla_rows and the relations built on it, sla_tickets too) of the cell under a canonical field or raw header: trimmed, NULL when empty */
  cell(key: string): string;
}

/** Every relation this module defines (kept as tables: several read each). */
export const REPORT_RELATIONS = [
  'sla_report_facts', 'sla_days', 'sla_day_categories', 'sla_categories', 'sla_category_times', 'sla_category_sat', 'sla_channels', 'sla_hours',
  'sla_worst_breaches', 'sla_escalation', 'sla_totals', 'sla_credits',
];

/** The relations and their columns, for the script's header. */
const DESCRIBED: [string, string][] = [
  ['sla_days', 'day, metric, status, n (the trend: local day of creation)'],
  ['sla_day_categories', 'day, category, tickets'],
  ['sla_categories', 'category, tickets, breached, sat_sum, sat_n, repeats'],
  ['sla_category_times', 'category, elapsed_ms, n (resolution of resolved tickets)'],
  ['sla_category_sat', 'category, value, n (each distinct rating and its count: sla-audit sums them exactly)'],
  ['sla_channels', "channel ('(none)' when empty), tickets, breached"],
  ['sla_hours', 'weekday (0 = Monday), weekday_name, hour, tickets (local creation time)'],
  ['sla_worst_breaches', 'rank, id, metric, status, policy, priority, target_ms, elapsed_ms, due_ms, completed_ms, row_no'],
  ['sla_escalation', 'day, level (0-based), tickets, open'],
  ['sla_totals', 'rows, tickets, evaluated, problems, outside_range, without_history, event_rows, event_problems'],
  ['sla_credits', 'period, first_day, priority, met, judged, breaches, hours_over, per_breach, per_hour_over, charges'],
];

/** the number JavaScript's parseFloat reads from the start of a rating */
const RATING_PREFIX = '^([+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?)';

/** A letter whose lower case differs by locale or engine: anything beyond ASCII that has a case. */
const casedNonAscii = (s: string) => [...s].some((ch) => ch.charCodeAt(0) > 127 && ch.toLowerCase() !== ch.toUpperCase());

export class ReportAggregates {
  /** the cells the facts read, by their alias in sla_tickets */
  private c!: { category: string; subject: string; description: string; channel: string; customer: string; satisfaction: string };
  /** the category relations are not compiled (why), or undefined */
  readonly categoriesOmitted: string | undefined;

  constructor(private readonly s: ReportSource) {
    this.categoriesOmitted = this.categoryRefusal();
  }

  /** Touches every cell the facts read, so sla_rows carries it: before sla_rows is built. */
  touch(): void {
    const cell = (k: string) => this.s.cell(k);
    const cfg = this.s.input.config;
    this.c = {
      category: cell(cfg.categories.field), subject: cell('subject'), description: cell('description'),
      channel: cell('channel'), customer: cell('customer'), satisfaction: cell('satisfaction'),
    };
  }

  /** Lines of the script's header: each relation with its columns, and what is not compiled. */
  header(): string[] {
    const shown = DESCRIBED.filter(([n]) => this.defines(n));
    const lines = ['-- Report relations:', ...shown.map(([n, cols]) => `--   ${n}: ${cols}`)];
    if (this.categoriesOmitted) lines.push(`-- Not compiled: ${this.categoriesOmitted}`);
    return lines;
  }

  /**
   * Statements that drop the relations this script does not define, so that an earlier script's
   * (another config's, in the same session) is not read as this one's.
   */
  drops(): string[] {
    const { d } = this.s;
    return DESCRIBED.filter(([n]) => !this.defines(n)).map(([n]) => d.drop(n));
  }

  private defines(name: string): boolean {
    if (name === 'sla_credits') return !!this.s.input.config.credits;
    if (this.categoriesOmitted && ['sla_day_categories', 'sla_categories', 'sla_category_times', 'sla_category_sat'].includes(name)) return false;
    return true;
  }

  /** What cannot be compiled exactly about categories on this dialect, naming what to do instead. */
  private categoryRefusal(): string | undefined {
    const { input, d } = this.s;
    const cfg = input.config;
    const has = (k: string) => input.columns.column(k) !== undefined;
    const needs: string[] = [];
    if (cfg.categories.aliases.size && has(cfg.categories.field)) needs.push('categories.aliases');
    if (cfg.categories.rules.length && (has('subject') || has('description'))) needs.push('categories.rules');
    if (cfg.satisfaction.values.size && has('satisfaction')) needs.push('satisfaction.values');
    if (!needs.length) return undefined;
    const what = `complaint categories (sla_day_categories, sla_categories, sla_category_times): ${needs.join(' and ')} match NFKC-normalised, lower-cased text`;
    if (!d.nfkcLower && !input.nfkcChecked) return `${what}, which ${d.name} cannot do; compile for postgres or bigquery, or run sla-audit check on the export`;
    if (d.name === 'postgres') {
      const texts = [...cfg.categories.aliases.keys(), ...cfg.categories.rules.flatMap((r) => r.keywords), ...cfg.satisfaction.values.keys()];
      const bad = texts.find(casedNonAscii);
      if (bad !== undefined) return `${what}, and "${bad}" has a non-ASCII letter with a case, which PostgreSQL lower-cases by its locale, not as the engine does; compile for bigquery, or run sla-audit check on the export`;
    }
    return undefined;
  }

  views(): [string, string][] {
    const out: [string, string][] = [['sla_report_facts', this.facts()]];
    out.push(['sla_days', `SELECT f.day, m.metric, m.status, COUNT(*) AS n FROM sla_ticket_metrics m JOIN sla_report_facts f ON f.row_no = m.row_no GROUP BY f.day, m.metric, m.status`]);
    if (!this.categoriesOmitted) {
      out.push(['sla_day_categories', 'SELECT day, category, COUNT(*) AS tickets FROM sla_report_facts GROUP BY day, category']);
      out.push(['sla_categories', this.categories()]);
      out.push(['sla_category_times', `SELECT category, res_elapsed AS elapsed_ms, COUNT(*) AS n FROM sla_report_facts WHERE res_status IN ('met', 'breached') GROUP BY category, res_elapsed`]);
      out.push(['sla_category_sat', 'SELECT category, sat AS value, COUNT(*) AS n FROM sla_report_facts WHERE sat IS NOT NULL GROUP BY category, sat']);
    }
    out.push(['sla_channels', 'SELECT channel, COUNT(*) AS tickets, SUM(breached) AS breached FROM sla_report_facts GROUP BY channel']);
    const names = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    out.push(['sla_hours', `SELECT weekday, CASE weekday ${names.map((n, i) => `WHEN ${i} THEN '${n}'`).join(' ')} END AS weekday_name, hour, COUNT(*) AS tickets FROM sla_report_facts GROUP BY weekday, hour`]);
    out.push(['sla_escalation', 'SELECT day, level, COUNT(*) AS tickets, SUM(open_now) AS open FROM sla_report_facts WHERE level >= 0 GROUP BY day, level']);
    out.push(['sla_totals', this.totals()]);
    out.push(...breachViews(this.s.d, this.s.input));
    return out;
  }

  /**
   * sla_report_facts: one row per ticket in the audit, with what the engine's facts and aggregates
   * read: local day, hour and weekday of creation (config zone), category, channel, customer,
   * rating, whether an SLA metric breached, the resolution's status and business ms, whether it is
   * still open, and its escalation level (-1: none).
   */
  private facts(): string {
    const { d, input } = this.s;
    const cfg = input.config;
    const { bounds, offsets } = instantOffsets(cfg.zone, input.range.from, input.range.to);
    const wall = `k.created_ms + ${stepCase('k.created_ms', bounds, offsets.map(String))}`;
    const dayNo = `CAST(${d.floorDiv('w.wall_ms', 86400000)} AS ${d.bigint})`;
    const c = this.c;
    return `SELECT w.row_no, w.id, w.policy, w.priority, w.created_ms, ${dayNo} AS day_no, ${d.substr(d.formatWall(`${dayNo} * 86400000`), 1, 10)} AS day,
  CAST(${d.floorDiv(`(w.wall_ms - ${dayNo} * 86400000)`, 3600000)} AS ${d.bigint}) AS hour, MOD(MOD(${dayNo} + 3, 7) + 7, 7) AS weekday,
  w.category, w.channel, w.customer, w.sat, w.breached, w.res_status, w.res_elapsed, w.open_now, w.level
FROM (
  SELECT k.row_no, k.id, k.policy, k.priority, k.created_ms, ${wall} AS wall_ms,
    ${this.categoryExpr(c)} AS category,
    COALESCE(k.${c.channel}, '(none)') AS channel, k.${c.customer} AS customer, ${this.rating(`k.${c.satisfaction}`)} AS sat,
    COALESCE(m.breached, 0) AS breached, m.res_status, m.res_elapsed, COALESCE(m.open_now, 0) AS open_now,
    ${this.level()} AS level
  FROM (SELECT k0.*, ${this.onceColumns(c)} FROM sla_tickets k0 WHERE k0.counted = 1${d.fence}) k
  LEFT JOIN (
    SELECT row_no,
      MAX(CASE WHEN status = 'breached' THEN 1 ELSE 0 END) AS breached,
      MAX(CASE WHEN metric = 'resolution' THEN status END) AS res_status,
      MAX(CASE WHEN metric = 'resolution' THEN elapsed_ms END) AS res_elapsed,
      MAX(CASE WHEN metric = 'resolution' AND status <> 'not_measured' AND completed_at_ms IS NULL THEN 1 ELSE 0 END) AS open_now,
      MAX(CASE WHEN target_ms > 0 THEN CAST(elapsed_ms AS ${d.double}) / target_ms WHEN target_ms = 0 AND elapsed_ms <= 0 THEN 1 END) AS peak,
      MAX(CASE WHEN target_ms = 0 AND elapsed_ms > 0 THEN 1 ELSE 0 END) AS peak_inf,
      MAX(CASE WHEN target_ms IS NULL OR elapsed_ms IS NULL THEN 0 ELSE 1 END) AS has_peak
    FROM sla_ticket_metrics GROUP BY row_no
  ) m ON m.row_no = k.row_no
) w`;
  }

  /**
   * What the category and the rating read, computed once per ticket in a subquery the planner
   * keeps (each keyword test and the rating's checks read these columns instead of normalising
   * the text or matching the rating again): the category cell, subject and description, NFKC and
   * lower case; the rating folded and its number's text.
   */
  private onceColumns(c: ReportAggregates['c']): string {
    const { d, input } = this.s;
    const cfg = input.config;
    const out = [`${d.leading(`k0.${c.satisfaction}`, RATING_PREFIX, 3)} AS once_sat_number`];
    if (cfg.categories.aliases.size) out.push(`${d.fold(`k0.${c.category}`)} AS once_cat`);
    if (cfg.categories.rules.some((r) => r.keywords.length)) out.push(...(['subject', 'description'] as const).map((f) => `${d.fold(`COALESCE(k0.${c[f]}, '')`)} AS once_${f}`));
    if (cfg.satisfaction.values.size) out.push(`${d.fold(`k0.${c.satisfaction}`)} AS once_sat`);
    return out.join(', ');
  }

  /**
   * The category: the column's value through the aliases (NFKC, lower case); when empty, the first
   * rule with a keyword in the subject or description; else the default (engine/categories.ts).
   */
  private categoryExpr(c: ReportAggregates['c']): string {
    const { d, input } = this.s;
    const cat = input.config.categories;
    const str = (t: string) => d.str(t);
    const col = `k.${c.category}`;
    const aliased = cat.aliases.size ? `COALESCE(CASE k.once_cat ${[...cat.aliases].map(([k, v]) => `WHEN ${str(k)} THEN ${str(v)}`).join(' ')} END, ${col})` : col;
    const texts = ['k.once_subject', 'k.once_description'];
    // a keyword is found in the subject or the description (the engine joins them with a line break, which no keyword holds)
    const found = (kw: string) => texts.map((t) => `${d.position(t, str(kw))} > 0`).join(' OR ');
    const rules = cat.rules.filter((r) => r.keywords.length);
    const byRules = rules.length ? `CASE ${rules.map((r) => `WHEN ${r.keywords.map(found).join(' OR ')} THEN ${str(r.category)}`).join(' ')} ELSE ${str(cat.default)} END` : str(cat.default);
    return `CASE WHEN ${col} IS NOT NULL THEN ${aliased} ELSE ${byRules} END`;
  }

  /**
   * A rating as the engine reads it: a text mapped under satisfaction.values (NFKC, lower case),
   * else the number JavaScript's parseFloat reads from its start; NULL when none (or not finite).
   * An exponent of three digits or more is left out (1e400 is Infinity to the engine too; 1e-400,
   * 0 to the engine, is the one value read differently), so that no cast can fail the script.
   */
  private rating(s: string): string {
    const { d, input } = this.s;
    const values = input.config.satisfaction.values;
    const prefix = 'k.once_sat_number';
    const numeric = `CASE WHEN ${d.matches(prefix, '^[^eE]*[eE][+-]?[0-9]{3,}$')} OR ${d.length(prefix)} > 300 THEN NULL ELSE CAST(${prefix} AS ${d.double}) END`;
    const mapped = values.size ? `WHEN k.once_sat IN (${[...values.keys()].map((k) => d.str(k)).join(', ')}) THEN CASE k.once_sat ${[...values].map(([k, v]) => `WHEN ${d.str(k)} THEN CAST(${d.str(String(v))} AS ${d.double})`).join(' ')} END ` : '';
    return `CASE WHEN ${s} IS NULL THEN NULL ${mapped}ELSE ${numeric} END`;
  }

  /** The escalation level: the highest rung of the ticket's policy at or below the largest share of a target any metric used. */
  private level(): string {
    const { d, input } = this.s;
    const cases = input.config.policies.filter((p) => p.escalation.length).map((p) => {
      const rungs = [...p.escalation].reverse();
      const top = rungs[0];
      const whens = rungs.map((r) => `WHEN m.peak >= CAST(${d.str(String(r.at))} AS ${d.double}) THEN ${r.rank}`).join(' ');
      return `WHEN ${d.str(p.name)} THEN CASE WHEN m.peak_inf = 1 THEN ${top.rank} ${whens} ELSE -1 END`;
    });
    return cases.length ? `CASE WHEN m.has_peak = 1 THEN CASE k.policy ${cases.join(' ')} ELSE -1 END ELSE -1 END` : '-1';
  }

  /**
   * sla_categories: per category its tickets, breached (an SLA metric breached), ratings, and repeat
   * complaints: a ticket whose customer had one in the same category at most repeat_within earlier,
   * by creation minute (NULL, as the engine, past 512 categories or 8,388,608 customers).
   */
  private categories(): string {
    const { d, input } = this.s;
    const window = Math.floor(input.config.categories.repeatWithinMs / 60_000);
    return `SELECT f.category, COUNT(*) AS tickets, SUM(f.breached) AS breached, SUM(f.sat) AS sat_sum, COUNT(f.sat) AS sat_n,
  CASE WHEN MAX(u.too_many) = 1 THEN NULL ELSE COALESCE(MAX(r.repeats), 0) END AS repeats
FROM sla_report_facts f
LEFT JOIN (
  SELECT category, SUM(CASE WHEN minute - prev <= ${window} THEN 1 ELSE 0 END) AS repeats
  FROM (
    SELECT category, minute, LAG(minute) OVER (PARTITION BY customer, category ORDER BY minute) AS prev
    FROM (SELECT customer, category, CAST(${d.floorDiv('created_ms', 60000)} AS ${d.bigint}) AS minute FROM sla_report_facts WHERE customer IS NOT NULL) x
  ) y
  GROUP BY category
) r ON r.category = f.category
CROSS JOIN (
  SELECT CASE WHEN COUNT(DISTINCT category) > 512 OR COUNT(DISTINCT customer) > 8388608 THEN 1 ELSE 0 END AS too_many
  FROM sla_report_facts WHERE customer IS NOT NULL
) u
GROUP BY f.category`;
  }

  /** sla_totals: the run's counts as check's totals (and the history's rows with --history). */
  private totals(): string {
    const { d, input } = this.s;
    const order = input.rowColumn ? 'TRUE' : 'FALSE';
    // ROWS is a reserved word in BigQuery and Snowflake
    const rows = d.ident('rows');
    const left = `q.problem IS NOT NULL OR q.dup_rank > 1 OR (q.dups > 1 AND NOT ${order})`;
    const hist = input.history
      ? `(SELECT COUNT(*) FROM sla_tickets k WHERE k.counted = 1 AND k.id NOT IN (SELECT r.id FROM sla_runs r)) AS without_history,
  (SELECT COUNT(*) FROM sla_events) AS event_rows, (SELECT COUNT(*) FROM sla_events e WHERE e.problem IS NOT NULL) AS event_problems`
      : `CAST(NULL AS ${d.bigint}) AS without_history, CAST(NULL AS ${d.bigint}) AS event_rows, CAST(NULL AS ${d.bigint}) AS event_problems`;
    const cells = new CustomKpiSql(d, input.config, this.s.cell).totalsColumn();
    return `SELECT t.n_rows AS ${rows}, t.tickets, t.evaluated, t.problems, t.tickets - t.evaluated AS outside_range,
  ${hist}${cells}
FROM (
  SELECT (SELECT COUNT(*) FROM sla_checked) AS n_rows,
    (SELECT COUNT(*) FROM sla_tickets) AS tickets,
    (SELECT COUNT(*) FROM sla_tickets WHERE counted = 1) AS evaluated,
    (SELECT COUNT(*) FROM sla_checked q WHERE ${left}) AS problems
  FROM sla_params
) t`;
  }
}
