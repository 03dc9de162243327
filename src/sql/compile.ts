/**
 * The config compiled to one SQL script: sla_ticket_metrics (one row per ticket and metric, the
 * per-ticket CSV's columns and meaning), sla_summary (compliance per metric and group),
 * sla_objectives (each compliance objective's actual and verdict), and sla_problems (the rows the
 * engine would leave out, so nothing is left out silently). Times are epoch milliseconds
 * throughout; business time is looked up on the calendar spine (spine.ts), never computed per row
 * with date functions. What it cannot compile exactly is refused (refusals.ts) before any SQL is written.
 */
import type { Metric } from '../config/schema.js';
import { SQL_METRICS } from './metrics.js';
import { NUMBER_PATTERN, fieldConditions } from '../config/sections/conditions.js';
import type { Config, Condition, Policy } from '../config/types.js';

type FieldCondition = Extract<Condition, { kind: 'field' }>;
import { UsageError } from '../errors.js';
import { DIALECT, type Dialect, type DialectName } from './dialect.js';
import { refusals } from './refusals.js';
import type { CompileInput } from './input.js';
import { gateStatement, keepResults, keptRelations, preamble, staleRelations } from './operational.js';
import { withDrops } from './drops.js';
import { KPI_HEADER, KpiRelations } from './kpi-relations.js';
import { CUSTOM_HEADER, CUSTOM_NFKC, compilesCustomKpis } from './custom-kpis.js';
import { CalendarTargets } from './calendar-targets.js';
import { REPORT_RELATIONS, ReportAggregates } from './aggregates-report.js';

export type { CompileInput } from './input.js';
import { FAR_FUTURE, dayKey, spineViews, type SpineRange } from './spine.js';
import { AUTO_OTHER_SHAPE, AUTO_OTHER_SHAPES, instantOffsets, stepCase, timestampSql, timestampStages } from './timestamps.js';

export interface Compiled {
  dialect: DialectName;
  /** the whole script */
  sql: string;
  /** each statement, in order (for engines that run one at a time) */
  statements: string[];
  /** what the script leaves out on this dialect (also in its header), for the caller to say */
  notes: string[];
}

/**
 * Relations computed once and kept as tables where an engine could run a view (DuckDB): the small
 * ones, the parsed tickets (read twice), the history's runs and exclusions, and the results. The
 * rest (a row per ticket, or ticket and metric, flowing on) stay views. The same for every config,
 * so that a session can run one config's script after another's.
 */
const KEEP = new Set([
  'sla_params', 'sla_spine', 'sla_spine_range', 'sla_cover', 'sla_inverse', 'sla_numbers', 'sla_cover_days', 'sla_inverse_days', 'sla_bdays', 'sla_targets', 'sla_bday_days', 'sla_month_days',
  'sla_parsed', 'sla_checked', 'sla_events', 'sla_runs', 'sla_excluded', 'sla_ticket_metrics', 'sla_summary', 'sla_objectives', 'sla_problems',
  // the tickets (read by the metrics and by the facts of the KPIs and of the report) and every KPI relation
  'sla_tickets', 'sla_period_days', 'sla_facts', 'sla_fact_flags', 'sla_acc', 'sla_acc_sat', 'sla_acc_status', 'sla_acc_times', 'sla_kpi_times', 'sla_kpi_wide', 'sla_kpis',
  ...REPORT_RELATIONS,
]);

/**
 * Per-ticket relations whose statistics change no plan of the statements listed with each (their
 * only readers where the script has no others): each reads it by one scan that it groups, filters
 * or hashes as the probe side of a join, so the planner's row count from the table's pages is all
 * it needs. PostgreSQL's ANALYZE of one costs up to a second whatever the row count (it samples
 * 30,000 rows of every column). Where another statement reads one (sla_clock with a history), it
 * is analysed as every other table a later statement reads.
 */
const SCANNED: Record<string, Set<string>> = {
  sla_parsed: new Set(['sla_checked']),
  sla_clock: new Set(['sla_evaluated']),
  // sla_problems: a semi-join of its gap rows, hashed
  sla_evaluated: new Set(['sla_ticket_metrics', 'sla_problems']),
  // the facts and sla_days: hash joins on a ticket's row with tables of the same size
  sla_ticket_metrics: new Set(['sla_summary', 'sla_facts', 'sla_report_facts', 'sla_days', 'sla_worst_breaches']),
  sla_facts: new Set(['sla_fact_flags', 'sla_acc', 'sla_acc_status', 'sla_acc_times', 'sla_acc_custom']),
  sla_report_facts: new Set(['sla_days', 'sla_day_categories', 'sla_categories', 'sla_category_times', 'sla_channels', 'sla_hours', 'sla_escalation']),
};

/** Whether a later statement reads the relation where its statistics can change the plan (see SCANNED). */
function needsStats(name: string, later: [string, string][]): boolean {
  const read = new RegExp(`\\b${name}\\b`);
  const readers = later.filter(([, q]) => read.test(q)).map(([reader]) => reader);
  const scanned = SCANNED[name];
  return readers.some((reader) => !scanned?.has(reader));
}

const NOT_COMPILED = [
  'scorecard scores (their groups\' KPIs are in sla_acc, and sla_acc_custom for custom KPIs):',
  'the engine computes them from these relations (sla-audit check --engine postgres and report --from do).',
];
export function compileSql(input: CompileInput): Compiled {
  return compileWith(input, DIALECT[input.dialect]);
}

/** The compiler over a given dialect layer (a test wraps each dialect's pieces to see where they are). */
export function compileWith(input: CompileInput, d: Dialect): Compiled {
  const refused = refusals(input);
  if (refused.length) throw new UsageError(`sql: ${refused[0]}${refused.length > 1 ? ` (and ${refused.length - 1} more: ${refused.slice(1).join('; ')})` : ''}`);
  const c = new Compiler(input, d);
  const views = c.views();
  const known = ['sla_params', ...REPORT_RELATIONS.filter((t) => t !== 'sla_report_facts'), 'sla_acc_sat', 'sla_acc_custom'];
  const kept = keptRelations(new Set(views.map(([name]) => name)), known);
  const isTable = (name: string) => !d.views || KEEP.has(name);
  const definitions = views.map(([name, q], i) => d.define(name, q, isTable(name), needsStats(name, views.slice(i + 1))));
  const defined = input.keepIntermediates ? definitions : withDrops(d, views, definitions, isTable, new Set(kept));
  const statements = [...preamble(d, input.schema), ...defined, ...c.report.drops()];
  const stale = staleRelations(new Set(views.map(([name]) => name)), known);
  if (input.schema !== undefined) statements.push(...keepResults(d, input.schema, kept, stale));
  if (input.gate) statements.push(gateStatement(d));
  const header = [
    `-- sla-audit: ${commentText(input.configName ?? input.config.file)} compiled for ${input.dialect}`,
    `-- Tables: sla_ticket_metrics (one row per ticket and metric: the per-ticket CSV's columns, with times also as epoch ms),`,
    `--        sla_summary (compliance per metric, overall, by priority and by policy), sla_objectives (each KPI objective: actual, tickets, verdict), sla_problems.`,
    ...KPI_HEADER,
    ...(compilesCustomKpis(d, input.config) ? CUSTOM_HEADER : []),
    `-- Reads: ${commentText(input.table)} (tickets)${input.history ? `, ${commentText(input.history.table)} (status history)` : ''}${input.spineTable ? `, ${commentText(input.spineTable)} (the calendar spine)` : ''}.`,
    `-- As of: ${input.asOf === undefined ? 'the time the script runs (later timestamps are problems)' : new Date(input.asOf).toISOString()}; the spine covers ${new Date(input.range.from).toISOString()} to ${new Date(input.range.to).toISOString()}.`,
    `-- Not compiled: ${NOT_COMPILED[0]}`,
    `--   ${NOT_COMPILED[1]}`,
    ...(input.schema !== undefined ? [`-- Kept: ${kept.join(', ')} in schema ${commentText(input.schema)}, ${d.name === 'postgres' || d.name === 'duckdb' ? 'replacing the previous run\'s in one transaction' : d.name === 'spark' ? 'with every table of the run (each replaced in turn)' : 'each replacing the previous run\'s'}.`, `-- Dropped there: ${stale.join(', ')} (an earlier run's, which this one does not make).`] : []),
    ...(input.gate ? ['-- Gate: the last statement fails, naming each failed objective, when an objective fails (psql: -v ON_ERROR_STOP=1).'] : []),
    ...c.report.header(),
    ...customOmitted(input, d).map((n) => `-- Not compiled: ${n}`),
    ...(input.leftOut ? [`-- Left out on request: ${input.leftOut} objective${input.leftOut === 1 ? '' : 's'} on KPIs other than compliance or on scorecards (--compliance-objectives-only).`] : []),
    '',
  ].join('\n');
  const notes = [...(c.report.categoriesOmitted ? [c.report.categoriesOmitted] : []), ...customOmitted(input, d)];
  return { dialect: input.dialect, sql: `${header}\n${statements.join('\n\n')}\n`, statements, notes };
}

/** Custom KPIs a dialect without NFKC leaves out (an objective on one is refused): said in the header and as a note. */
function customOmitted(input: CompileInput, d: Dialect): string[] {
  const kpis = input.config.customKpis;
  if (!kpis.length || compilesCustomKpis(d, input.config)) return [];
  return [`${kpis.map((k) => k.name).join(', ')}: ${CUSTOM_NFKC} ${d.name} cannot do; compile for postgres or bigquery, or run sla-audit check on the export`];
}

/**
 * A name (a file, a table) as it may stand in a `--` comment: a line break would end the comment
 * and run the rest as a statement, so every control character (and U+0085, U+2028, U+2029) is
 * written as \u{…}.
 */
function commentText(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]/g, (ch) => `\\u{${ch.codePointAt(0)!.toString(16)}}`);
}

/**
 * The later of two instants, NULL when the first is: GREATEST skips a NULL on every engine, so a
 * lookup past the spine's end would give the second (a due time at creation) where it must give none.
 */
function laterOf(a: string, b: string): string {
  return `CASE WHEN (${a}) IS NULL THEN NULL ELSE GREATEST(${a}, ${b}) END`;
}

/** The SQL list of lower-cased strings, or a never-true list. */
/** `LOWER(x) IN` the null values other than '' (which the caller tests as x = ''), or FALSE when there are none. */
function nullIn(d: Dialect, x: string, values: Iterable<string>): string {
  const v = [...values].filter((t) => t !== '');
  return v.length ? `LOWER(${x}) IN ${inList(d, v)}` : 'FALSE';
}

function inList(d: Dialect, values: Iterable<string>): string {
  const v = [...values];
  // no value starts with a space (every value and cell is trimmed): ' ' matches nothing
  return v.length ? `(${v.map((x) => d.str(x)).join(', ')})` : `(' ')`;
}

class Compiler {
  private readonly cfg: Config;
  private readonly hasHistory: boolean;
  /** canonical fields and raw headers the rows relation carries, by their alias there */
  private readonly cellAlias = new Map<string, string>();
  private readonly cells: [string, string][] = [];
  /** the report's aggregates beyond compliance (aggregates-report.ts) */
  readonly report: ReportAggregates;
  /** Nbd@end and Nmo targets (calendar-targets.ts) */
  private readonly calTargets: CalendarTargets;

  constructor(
    private readonly input: CompileInput,
    private readonly d: Dialect,
  ) {
    this.cfg = input.config;
    this.hasHistory = !!input.history || this.cfg.tickets.layout === 'events';
    this.report = new ReportAggregates({ input, d, cell: (k) => this.cell(k) });
    this.calTargets = new CalendarTargets(d, this.cfg, input.range);
  }

  private col(key: string): string | undefined {
    return this.input.columns.column(key);
  }

  /** The alias in sla_rows of the cell under a canonical field or raw header (NULL when the column is absent or the cell empty). */
  private cell(key: string): string {
    const k = key.trim().toLowerCase();
    let a = this.cellAlias.get(k);
    if (!a) {
      a = `c${this.cells.length}`;
      this.cellAlias.set(k, a);
      const col = this.col(key);
      this.cells.push([a, col === undefined ? `CAST(NULL AS ${this.d.text})` : this.nullable(col)]);
    }
    return a;
  }

  /** A cell trimmed, NULL when empty or one of tickets.null_values. */
  private nullable(col: string): string {
    const t = this.trimmed(col);
    const isNull = nullIn(this.d, t, this.cfg.tickets.nullValues);
    return `CASE WHEN ${t} = ''${isNull === 'FALSE' ? '' : ` OR ${isNull}`} THEN NULL ELSE ${t} END`;
  }

  /** source column -> its trimmed text, computed once in sla_rows' inner SELECT */
  private readonly trims = new Map<string, string>();

  private trimmed(col: string): string {
    let a = this.trims.get(col);
    if (!a) this.trims.set(col, (a = `tr.t${this.trims.size}`));
    return a;
  }

  private ts(expr: string, format: string, zone = this.cfg.tickets.zone): string {
    const r = this.input.parseRange ?? this.input.range;
    return timestampSql(this.d, expr, format, zone, r.from, r.to);
  }

  private str(s: string): string {
    return this.d.str(s);
  }

  /** An instant column's epoch ms, NULL outside the years the engine reads (1900-2199, as UTC). */
  private typedMs(x: string): string {
    const ms = this.d.typedMs(x);
    return `CASE WHEN ${ms} >= ${Date.UTC(1900, 0, 1)} AND ${ms} < ${Date.UTC(2200, 0, 1)} THEN ${ms} END`;
  }

  views(): [string, string][] {
    const d = this.d;
    const out: [string, string][] = [];
    const now = this.input.asOf === undefined || this.input.asOfIsNow;
    out.push(['sla_params', `SELECT CAST(${this.input.asOf === undefined ? d.nowMs : String(this.input.asOf)} AS ${d.bigint}) AS as_of, ${now ? 'TRUE' : 'FALSE'} AS as_of_now`]);
    out.push(...spineViews(d, this.usedCalendars(), this.input.range, this.input.spineTable));
    out.push(['sla_targets', this.targets()]);
    out.push(...this.calTargets.views());
    // touch every cell the policies and objectives read, so sla_rows carries it
    for (const p of this.cfg.policies) for (const w of fieldConditions(p.when)) this.cell(w.label);
    for (const o of this.input.objectives) if (o.kind === 'kpi') for (const w of fieldConditions(o.where)) if (w.key !== 'priority' && w.key !== 'policy') this.cell(w.label);
    const priorityCell = this.cell('priority');
    const kpis = new KpiRelations({ input: this.input, d, cell: (k) => this.cell(k), conditions: (c, f) => this.conditions(c, (w) => ({ text: f(w.key, w.label) })) });
    this.customProblems = kpis.custom.problems();
    this.report.touch();
    // the raw rows (sla_rows' query) and each ticket's metric rows (metricRows) are read by one
    // relation each, inlined there: written as tables of their own they cost a write and an ANALYZE
    out.push(['sla_parsed', this.parsed(priorityCell)]);
    out.push(['sla_checked', this.checked()]);
    if (this.hasHistory) out.push(['sla_events', this.events()]);
    out.push(['sla_tickets', this.tickets(priorityCell)]);
    if (this.hasHistory) {
      out.push(['sla_runs', this.runs()]);
      out.push(['sla_times', this.timesWithHistory()]);
    }
    out.push(['sla_clock', this.clock()]);
    if (this.hasHistory) {
      out.push(['sla_excluded', this.excluded()]);
      out.push(['sla_paused', this.paused()]);
      out.push(['sla_segments', this.segments()]);
    }
    out.push(['sla_evaluated', this.evaluated()]);
    // the problems and the totals are the last readers of sla_checked (as wide as the parsed rows):
    // made before the per-ticket metrics, so that it is dropped before they are written
    out.push(['sla_problems', this.problems()]);
    const report = this.report.views();
    out.push(...report.filter(([name]) => name === 'sla_totals'));
    out.push(['sla_ticket_metrics', this.ticketMetrics()]);
    out.push(['sla_summary', this.summary()]);
    out.push(...kpis.views());
    out.push(['sla_objectives', kpis.objectives()]);
    out.push(...report.filter(([name]) => name !== 'sla_totals'));
    return out;
  }

  private usedCalendars() {
    const seen = new Map<string, Policy['calendar']>();
    for (const p of this.cfg.policies) {
      seen.set(p.calendar.name, p.calendar);
      for (const m of SQL_METRICS) seen.set(p.clocks[m].calendar.name, p.clocks[m].calendar);
    }
    return [...seen.values()];
  }

  /**
   * Per policy, a SQL expression of the metric (`metric`) giving what `of` says of the metric's
   * clock; one expression per policy when every metric has the same (the common case).
   */
  private perMetric(of: (p: Policy, m: Metric) => string, metric: string): string {
    return this.cfg.policies.map((p) => {
      const [a, b] = SQL_METRICS.map((m) => of(p, m));
      return `WHEN ${this.str(p.name)} THEN ${a === b ? a : `CASE ${metric} ${SQL_METRICS.map((m) => `WHEN ${this.str(m)} THEN ${of(p, m)}`).join(' ')} END`}`;
    }).join(' ');
  }

  private targets(): string {
    const d = this.d;
    const rows: string[][] = [];
    for (const p of this.cfg.policies) {
      for (const m of SQL_METRICS) {
        for (const [prio, t] of p.targets[m]) {
          // Nbd@end and Nmo: end_days and months (calendar-targets.ts), when the config has any
          const extra = this.calTargets.any ? this.calTargets.targetColumns(t) : [];
          rows.push([this.str(p.name), this.str(prio), this.str(m), t.kind === 'time' ? String(t.ms) : 'NULL', t.kind === 'bd' ? String(t.days) : 'NULL', ...extra]);
        }
      }
    }
    const more = this.calTargets.any ? ['end_days', 'months'] : [];
    return d.values(rows, ['policy', 'priority', 'metric', 'target_ms', 'target_days', ...more], [d.text, d.text, d.text, d.bigint, d.bigint, ...more.map(() => d.bigint)]);
  }

  private rows(): string {
    const d = this.d;
    const id = this.col('id')!;
    const row = this.input.rowColumn ? `CAST(${d.ident(this.input.rowColumn)} AS ${d.bigint})` : 'ROW_NUMBER() OVER ()';
    const fields: [string, string][] = [
      ['row_no', 'tr.row_no'],
      ['id', this.trimmed(id)],
      ['created_txt', this.timeCell('created_at')],
      ['fr_txt', this.timeCell('first_response_at')],
      ['res_txt', this.timeCell('resolved_at')],
      ['frm_txt', this.cellOrNull('first_response_minutes')],
    ];
    if (this.cfg.tickets.layout === 'events') {
      fields.push(['updated_txt', this.cellOrNull('updated_at')], ['status_txt', this.statusCell()], ['seq', this.sequence()]);
    }
    const inner = [`${row} AS row_no`, ...[...this.trims].map(([col, a]) => `${d.trimJs(`CAST(${d.ident(col)} AS ${d.text})`)} AS ${a.slice(3)}`), ...[...this.raws].map(([col, a]) => `${d.ident(col)} AS ${a.slice(3)}`)];
    return `SELECT ${[...fields, ...this.cells].map(([a, e]) => `${e} AS ${a}`).join(',\n  ')}\nFROM (SELECT ${inner.join(', ')} FROM ${this.input.table}) tr`;
  }

  /** source column -> its alias in sla_rows' inner SELECT, as is (--typed times) */
  private readonly raws = new Map<string, string>();

  /** A time field's cell: its text (NULL when empty), or with --typed the column itself (NULL when NULL). */
  private timeCell(field: string): string {
    const col = this.col(field);
    if (!this.input.typed || col === undefined) return this.cellOrNull(field);
    let a = this.raws.get(col);
    if (!a) this.raws.set(col, (a = `tr.r${this.raws.size}`));
    return a;
  }

  private cellOrNull(field: string): string {
    const col = this.col(field);
    return col === undefined ? `CAST(NULL AS ${this.d.text})` : this.nullable(col);
  }

  /** the status cell as the event log keeps it: trimmed, '' when empty or a null value */
  private statusCell(): string {
    return this.cellOrNull('status');
  }

  /** the sequence cell as a number, 0 when absent or not a number */
  private sequence(): string {
    const col = this.col('sequence');
    if (col === undefined) return `CAST(0 AS ${this.d.double})`;
    const t = this.trimmed(col);
    return `CASE WHEN ${this.d.matches(t, '^-?[0-9]{1,15}([.][0-9]{1,15})?$')} THEN CAST(${t} AS ${this.d.double}) ELSE 0 END`;
  }

  private parsed(priorityCell: string): string {
    const d = this.d;
    const fmt = this.cfg.tickets.timestampFormat;
    const frmOk = `${d.matches('z.frm_txt', '^[0-9]{1,15}([.,][0-9]{1,15})?$')}`;
    const frm = `CASE WHEN ${frmOk} THEN CAST(REPLACE(z.frm_txt, ',', '.') AS ${d.double}) END`;
    const all: [string, string][] = [['created', 'created_txt'], ['fr', 'fr_txt'], ['res', 'res_txt']];
    if (this.cfg.tickets.layout === 'events') all.push(['updated', 'updated_txt']);
    // --typed: the column is already an instant (its cell carried as is), read without parsing
    const times = all.filter(([, col]) => !this.input.typed || col === 'updated_txt');
    const typed = all.filter(([, col]) => this.input.typed && col !== 'updated_txt').map(([n, col]) => `${this.typedMs(`z.${col}`)} AS ${n}_ms`);
    // three nested stages: the fields of each text, then its wall time, then the instant
    const stages = times.map(([name, col]) => [name, timestampStages(d, `${col}`, fmt, this.cfg.tickets.zone, (this.input.parseRange ?? this.input.range).from, (this.input.parseRange ?? this.input.range).to)] as const);
    const pre = stages.flatMap(([n, st]) => st.pre.map(([f, e]) => `${e} AS ${n}__${f}`));
    const fields = stages.flatMap(([n, st]) => st.fields.map(([f, e]) => `${e.replace(/\b([a-z]+)__/g, (_, p: string) => `y0.${n}__${p}`)} AS ${n}__${f}`));
    const walls = stages.flatMap(([n, st]) => st.walls((f) => `y1.${n}__${f}`).map(([w, e]) => `${e} AS ${n}__${w}`));
    const instants = [...typed, ...stages.map(([n, st]) => `${st.instant((w) => `z.${n}__${w}`)} AS ${n}_ms`)];
    const keep = ['row_no', 'id', 'created_txt', 'fr_txt', 'res_txt', 'frm_txt', ...(this.cfg.tickets.layout === 'events' ? ['updated_txt', 'status_txt', 'seq'] : []), ...this.cells.map(([a]) => a)];
    const rows = `(${this.rows()})`;
    return `SELECT ${keep.map((k) => `z.${k}`).join(', ')}, ${instants.join(',\n  ')},
  ${frm} AS frm,
  ${this.priorityExpr(`z.${priorityCell}`)} AS priority
FROM ${!stages.length ? rows : `(
  SELECT y1.*, ${walls.join(',\n    ')}
  FROM (SELECT y0.*, ${fields.join(',\n      ')} FROM (SELECT r.*${pre.length ? ', ' : ''}${pre.join(', ')} FROM ${rows} r${d.fence}) y0${d.fence}) y1${d.fence}
)`} z`;
  }

  /** The canonical priority of a cell: its alias, the cell itself without priorities, '' when empty; NULL when unknown. */
  private priorityExpr(cell: string): string {
    const cfg = this.cfg;
    if (!cfg.priorities.length) return `COALESCE(${cell}, '')`;
    const whens = [...cfg.priorityLookup].map(([alias, canon]) => `WHEN ${this.str(alias)} THEN ${this.str(canon)}`).join(' ');
    return `CASE WHEN ${cell} IS NULL THEN '' ELSE CASE LOWER(${cell}) ${whens} END END`;
  }

  /** Why a parsed row is left out, or NULL: the engine's problems, in its order. */
  private rowProblem(p: string): string {
    const q = (s: string) => this.str(s);
    const future = (x: string) => `(s.as_of_now AND ${x} > s.as_of)`;
    const checks = [
      [`${p}.id IS NULL OR ${p}.id = '' OR ${nullIn(this.d, `${p}.id`, this.cfg.tickets.nullValues)}`, 'id: is empty'],
      [`${p}.created_txt IS NULL`, 'created_at: is empty'],
      ...this.otherShape(p, 'created', 'created_at', `${p}.created_ms IS NULL`),
      [`${p}.created_ms IS NULL`, 'created_at: not a timestamp the SQL reads as the engine does'],
      ...this.otherShape(p, 'fr', 'first_response_at', `${p}.fr_txt IS NOT NULL AND ${p}.fr_ms IS NULL`),
      [`${p}.fr_txt IS NOT NULL AND ${p}.fr_ms IS NULL`, 'first_response_at: not a timestamp the SQL reads as the engine does'],
      ...this.otherShape(p, 'res', 'resolved_at', `${p}.res_txt IS NOT NULL AND ${p}.res_ms IS NULL`),
      [`${p}.res_txt IS NOT NULL AND ${p}.res_ms IS NULL`, 'resolved_at: not a timestamp the SQL reads as the engine does'],
      [future(`${p}.created_ms`), 'created_at: in the future'],
      [`${p}.fr_ms < ${p}.created_ms`, 'first_response_at: before the ticket was created'],
      [future(`${p}.fr_ms`), 'first_response_at: in the future'],
      [`${p}.res_ms < ${p}.created_ms`, 'resolved_at: before the ticket was created'],
      [future(`${p}.res_ms`), 'resolved_at: in the future'],
      [`${p}.frm_txt IS NOT NULL AND ${p}.frm IS NULL`, 'first_response_minutes: not a number of minutes'],
      [`${p}.priority IS NULL`, 'priority: unknown priority'],
      // only tickets in the audit are looked up on the spine (later times are ignored at --as-of)
      [`${this.inScope(p)} AND (${p}.created_ms < r0.from_ms OR s.as_of >= r0.to_ms)`, 'outside the calendar spine (widen --from/--to)'],
    ];
    return `CASE ${checks.map(([c, m]) => `WHEN ${c} THEN ${q(m)}`).join(' ')} END`;
  }

  /** With auto (text times), a time left unread that check's auto may read: a problem of its own (AUTO_OTHER_SHAPES). */
  private otherShape(p: string, name: string, field: string, unread: string): [string, string][] {
    const f = this.cfg.tickets.timestampFormat.trim();
    if (this.input.typed || (f !== '' && f !== 'auto')) return [];
    return [[`${unread} AND ${this.d.matches(`${p}.${name}_txt`, AUTO_OTHER_SHAPES)}`, `${field}: ${AUTO_OTHER_SHAPE}`]];
  }

  /** Whether a ticket is in the audit: created by --as-of, inside --since/--until. */
  private inScope(p: string): string {
    const since = this.input.since !== undefined ? ` AND ${p}.created_ms >= ${this.input.since}` : '';
    const until = this.input.until !== undefined ? ` AND ${p}.created_ms < ${this.input.until}` : '';
    return `(${p}.created_ms <= s.as_of${since}${until})`;
  }

  /** The spine's narrowest range over all calendars, as one row. */
  private rangeRow(): string {
    return `(SELECT MAX(from_ms) AS from_ms, MIN(to_ms) AS to_ms FROM sla_spine_range)`;
  }

  /** sla_problems' rows of custom KPI cells that are not numbers (custom-kpis.ts), or '' */
  private customProblems = '';

  /** sla_problems: the rows the engine would leave out (or that the spine does not cover), with why. */
  private problems(): string {
    const order = this.input.rowColumn ? 'TRUE' : 'FALSE';
    const ev = this.input.history ? `\nUNION ALL\nSELECT e.row_no, e.id, 'history' AS source, e.problem FROM sla_events e WHERE e.problem IS NOT NULL` : '';
    return `SELECT p.row_no, p.id, 'tickets' AS source, p.problem FROM (
  SELECT q.row_no, q.id, COALESCE(q.problem, CASE WHEN q.dup_rank > 1 AND ${order} THEN 'duplicate ticket id: a later row replaces this one'
    WHEN q.dups > 1 AND NOT ${order} THEN 'duplicate ticket id (no row order to tell which row wins)' END) AS problem
  FROM sla_checked q
) p WHERE p.problem IS NOT NULL${ev}
UNION ALL
${this.d.views
    // a view is computed again where it is read: one pass, the ticket's row (every metric row of a ticket has its row_no)
    ? `SELECT DISTINCT v.row_no, v.id, 'tickets' AS source, 'outside the calendar spine (widen --from/--to)' AS problem FROM sla_evaluated v
WHERE v.gap = 1`
    : `SELECT v.row_no, v.id, 'tickets' AS source, 'outside the calendar spine (widen --from/--to)' AS problem FROM sla_evaluated v
WHERE v.metric_no = 0 AND v.id IN (SELECT g.id FROM sla_evaluated g WHERE g.gap = 1)`}${this.customProblems}`;
  }

  /**
   * sla_checked: every parsed row with its problem, and for a problem-free row the number of
   * problem-free rows with its id (dups) and whether a later one replaces it (dup_rank 2).
   */
  private checked(): string {
    return `SELECT q.*, COALESCE(g.n, 1) AS dups, CASE WHEN g.last_row > q.row_no THEN 2 ELSE 1 END AS dup_rank
FROM (SELECT p.*, ${this.rowProblem('p')} AS problem FROM sla_parsed p CROSS JOIN sla_params s CROSS JOIN ${this.rangeRow()} r0) q
LEFT JOIN (
  SELECT p.id, COUNT(*) AS n, MAX(p.row_no) AS last_row
  FROM sla_parsed p CROSS JOIN sla_params s CROSS JOIN ${this.rangeRow()} r0
  WHERE ${this.rowProblem('p')} IS NULL
  GROUP BY p.id HAVING COUNT(*) > 1
) g ON g.id = q.id AND q.problem IS NULL`;
  }

  private policyExpr(p: string, prioCell: string): string {
    const cases = this.cfg.policies.map((pol) => {
      const conds: string[] = [];
      if (pol.from !== undefined) conds.push(`${p}.created_ms >= ${pol.from}`);
      if (pol.to !== undefined) conds.push(`${p}.created_ms < ${pol.to}`);
      conds.push(...this.conditions(pol.when, (w) => (w.key === 'priority' ? { text: `${p}.${prioCell}`, canonical: `${p}.priority` } : { text: `${p}.${this.cell(w.label)}` })));
      return `WHEN ${conds.length ? conds.join(' AND ') : 'TRUE'} THEN ${this.str(pol.name)}`;
    });
    return cases.length ? `CASE ${cases.join(' ')} END` : `CAST(NULL AS ${this.d.text})`;
  }

  /**
   * Conditions that must all hold, as SQL (engine/conditions.ts is the reference): `text` is the
   * field's cell (NULL when empty) and, for a policy's priority, `canonical` the canonical priority.
   * Each dialect compiles what refusals.ts lets through.
   */
  private conditions(conds: Condition[], field: (w: FieldCondition) => { text: string; canonical?: string }): string[] {
    const d = this.d;
    return conds.map((c) => {
      if (c.kind !== 'field') return `(${c.of.map((g) => `(${this.conditions(g, field).join(' AND ') || 'TRUE'})`).join(c.kind === 'all' ? ' AND ' : ' OR ')})`;
      const { text, canonical } = field(c);
      const s = `COALESCE(${text}, '')`;
      // contains, matches and numbers read the canonical priority when there is one, else the cell
      const v = canonical === undefined ? s : `COALESCE(NULLIF(${canonical}, ''), ${s})`;
      const t = c.test;
      switch (t.op) {
        case 'in':
        case 'not': {
          const vals = inList(d, t.values);
          const hit = canonical === undefined ? `LOWER(${s}) IN ${vals}` : `(LOWER(${s}) IN ${vals} OR LOWER(COALESCE(${canonical}, '')) IN ${vals})`;
          return t.op === 'in' ? hit : `NOT ${hit}`;
        }
        case 'contains':
          // without NFKC in the engine, only where the caller has checked the cells (nfkcChecked): LOWER alone
          return `(${t.needles.map((n) => `STRPOS(${d.nfkcLower ? d.nfkcLower(v) : `LOWER(${v})`}, ${this.str(n)}) > 0`).join(' OR ')})`;
        case 'matches':
          return d.re2Find!(v, t.pattern);
        default: {
          const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[t.op];
          return `(CASE WHEN ${d.matches(v, NUMBER_PATTERN)} THEN CAST(${v} AS ${d.double}) ${op} CAST(${d.str(String(t.n))} AS ${d.double}) ELSE FALSE END)`;
        }
      }
    });
  }

  private tickets(prioCell: string): string {
    const rest = this.cfg.policies;
    const calendarOf = rest.length ? `CASE policy ${rest.map((p) => `WHEN ${this.str(p.name)} THEN ${this.str(p.calendar.name)}`).join(' ')} END` : 'NULL';
    const base = this.cfg.tickets.layout === 'events' ? 'sla_latest' : 'sla_checked';
    const keep = this.cfg.tickets.layout === 'events' ? 'problem IS NULL' : `problem IS NULL AND dup_rank = 1 AND (dups = 1 OR ${this.input.rowColumn ? 'TRUE' : 'FALSE'})`;
    // the texts and the checks' columns are read from sla_parsed and sla_checked, never again from
    // here: left out where the dialect can (a million tickets' times as text are ~100 MB on DuckDB)
    const read = this.cfg.tickets.layout === 'events' ? '' : this.d.starExcept?.(['created_txt', 'fr_txt', 'res_txt', 'frm_txt', 'problem', 'dups', 'dup_rank']) ?? '';
    return `SELECT t.*, ${calendarOf} AS calendar FROM (
  SELECT k.*${read}, ${this.policyExpr('k', prioCell)} AS policy,
    CASE WHEN ${this.inScope('k')} THEN 1 ELSE 0 END AS counted,
    CASE WHEN k.fr_ms <= s.as_of THEN k.fr_ms END AS fr_at,
    CASE WHEN k.res_ms <= s.as_of THEN k.res_ms END AS res_at,
    s.as_of
  FROM ${base} k CROSS JOIN sla_params s
  WHERE ${keep}
) t`;
  }

  // ---- status history ---------------------------------------------------------------------------

  /** sla_events: (id, t, status, ord) of every status change kept, with its problem. */
  private events(): string {
    const d = this.d;
    if (this.cfg.tickets.layout === 'events') {
      // the log's own rows: each row with a status is a change at its update time
      return `SELECT id, updated_ms AS t, status_txt AS status, seq, row_no AS ord FROM sla_parsed WHERE id IN (SELECT id FROM sla_latest WHERE problem IS NULL) AND status_txt IS NOT NULL AND status_txt <> ''`;
    }
    const h = this.input.history!;
    const t = d.trimJs(`CAST(${d.ident(h.time)} AS ${d.text})`);
    const ord = h.order ? `CAST(${d.ident(h.order)} AS ${d.bigint})` : 'ROW_NUMBER() OVER ()';
    const ec = this.cfg.events;
    return `SELECT e.*, CASE
    WHEN e.id IS NULL OR e.id = '' THEN 'ticket id: is empty'
    WHEN e.status IS NULL OR e.status = '' THEN 'status: is empty'
    WHEN e.t IS NULL THEN 'timestamp: not a timestamp the SQL reads as the engine does'
    WHEN s.as_of_now AND e.t > s.as_of THEN 'timestamp: in the future'
    WHEN k.id IS NULL THEN 'event for an unknown ticket'
    WHEN e.t < k.created_ms THEN 'event before the ticket was created'
  END AS problem
FROM (
  SELECT ${ord} AS row_no, ${d.trimJs(`CAST(${d.ident(h.id)} AS ${d.text})`)} AS id, ${this.input.typed ? this.typedMs(d.ident(h.time)) : this.ts(t, ec.timestampFormat, ec.zone)} AS t,
    ${d.trimJs(`CAST(${d.ident(h.status)} AS ${d.text})`)} AS status
  FROM ${h.table}
) e CROSS JOIN sla_params s
LEFT JOIN (SELECT id, created_ms FROM sla_checked WHERE problem IS NULL AND dup_rank = 1) k ON k.id = e.id`;
  }

  /** sla_runs: each ticket's history up to --as-of as runs of one status (consecutive resolved statuses are one run). */
  private runs(): string {
    const resolved = inList(this.d, this.cfg.tickets.resolvedStatuses);
    const src = this.cfg.tickets.layout === 'events'
      ? `SELECT e.id, e.t, e.status, e.seq, e.ord FROM sla_events e JOIN sla_tickets k ON k.id = e.id WHERE e.t <= k.as_of`
      : `SELECT e.id, e.t, e.status, 0 AS seq, e.row_no AS ord FROM sla_events e JOIN sla_tickets k ON k.id = e.id WHERE e.problem IS NULL AND e.t <= k.as_of`;
    const w = 'PARTITION BY id ORDER BY t, seq, ord';
    return `SELECT id, run, MIN(t) AS start_ms, MAX(t) AS last_t, MIN(CASE WHEN pos = first_pos THEN status END) AS status, MIN(is_res) AS is_res,
  LEAD(MIN(t)) OVER (PARTITION BY id ORDER BY run) AS end_ms
FROM (
  SELECT n.*, MIN(n.pos) OVER (PARTITION BY n.id, n.run) AS first_pos
  FROM (
    SELECT f.*, SUM(f.brk) OVER (${w} ROWS UNBOUNDED PRECEDING) AS run, ROW_NUMBER() OVER (${w}) AS pos
    FROM (
      SELECT h.*, CASE WHEN LAG(h.cls) OVER (${w}) = h.cls THEN 0 ELSE 1 END AS brk
      FROM (
        SELECT e.*, CASE WHEN LOWER(e.status) IN ${resolved} THEN 1 ELSE 0 END AS is_res,
          CASE WHEN LOWER(e.status) IN ${resolved} THEN '\u0001resolved' ELSE LOWER(e.status) END AS cls
        FROM (${src}) e
      ) h
    ) f
  ) n
) r
GROUP BY id, run`;
  }

  /** sla_times: the export's times corrected by the history up to --as-of, as the engine's timesOf does. */
  private timesWithHistory(): string {
    const d = this.d;
    const cfg = this.cfg;
    const frStatuses = cfg.tickets.firstResponseStatuses.size > 0;
    const respOrRes = inList(d, cfg.tickets.responseOrResolved);
    return `SELECT k.*,
  CASE WHEN k.fr_at IS NULL AND ${frStatuses ? 'TRUE' : 'FALSE'} AND h.fr_status_at >= k.created_ms THEN h.fr_status_at ELSE k.fr_at END AS fr_t,
  CASE WHEN h.first_res_at >= k.created_ms AND NOT COALESCE(h.first_res_at > k.res_at, FALSE) THEN h.first_res_at ELSE k.res_at END AS first_res_t,
  CASE WHEN k.res_at IS NOT NULL THEN CASE WHEN h.last_at > k.res_at AND h.last_is_res = 0 THEN NULL ELSE k.res_at END
       WHEN h.last_is_res = 1 AND h.final_res_at >= k.created_ms THEN h.final_res_at END AS res_t
FROM sla_tickets k LEFT JOIN (
  SELECT r.id,
    MIN(CASE WHEN LOWER(r.status) IN ${respOrRes} OR r.is_res = 1 THEN r.start_ms END) AS fr_status_at,
    MIN(CASE WHEN r.is_res = 1 THEN r.start_ms END) AS first_res_at,
    MAX(CASE WHEN r.end_ms IS NULL THEN r.is_res END) AS last_is_res,
    MAX(CASE WHEN r.end_ms IS NULL THEN r.start_ms END) AS final_res_at,
    MAX(r.last_t) AS last_at
  FROM sla_runs r
  GROUP BY r.id
) h ON h.id = k.id`;
  }

  // ---- per ticket and metric --------------------------------------------------------------------

  /** What each metric is completed by, and whether the file can measure it. */
  private measured(m: Metric): boolean {
    const cfg = this.cfg;
    const has = (f: string) => this.col(f) !== undefined;
    if (m === 'resolution') return has('resolved_at') || this.hasHistory;
    return has('first_response_at') || has('first_response_minutes') || (this.hasHistory && cfg.tickets.firstResponseStatuses.size > 0);
  }

  private metricRows(): string {
    const d = this.d;
    const src = this.hasHistory ? 'sla_times' : 'sla_tickets';
    const fr = this.hasHistory ? 'k.fr_t' : 'k.fr_at';
    const firstRes = this.hasHistory ? 'k.first_res_t' : 'k.res_at';
    const res = this.hasHistory ? 'k.res_t' : 'k.res_at';
    const metrics = d.values(SQL_METRICS.map((m, i) => [this.str(m), String(i), this.measured(m) ? '1' : '0']), ['metric', 'metric_no', 'measured'], [d.text, d.bigint, d.bigint]);
    // each metric's own calendar (calendars:), else the policy's
    const own = this.cfg.policies.some((p) => SQL_METRICS.some((m) => p.clocks[m].calendar !== p.calendar));
    const calendar = own ? `CASE k.policy ${this.perMetric((p, m) => this.str(p.clocks[m].calendar.name), 'm.metric')} END` : 'k.calendar';
    return `SELECT k.row_no, k.id, k.policy, k.priority, ${calendar} AS calendar, k.counted, k.created_ms, k.as_of, k.frm, m.metric, m.metric_no, m.measured,
  CASE WHEN m.metric = 'resolution' THEN ${res} ELSE COALESCE(${fr}, ${firstRes}) END AS completed_ms,
  CASE WHEN m.metric = 'first_response' AND ${fr} IS NULL AND k.frm IS NOT NULL THEN 1 ELSE 0 END AS by_minutes,
  CASE WHEN m.metric = 'first_response' AND ${fr} IS NULL AND k.frm IS NOT NULL THEN k.as_of
    WHEN m.metric = 'resolution' THEN COALESCE(${res}, k.as_of) ELSE COALESCE(${fr}, ${firstRes}, k.as_of) END AS end_ms,
  CASE WHEN t1.metric IS NULL THEN t0.target_ms ELSE t1.target_ms END AS target_fixed,
  CASE WHEN t1.metric IS NULL THEN t0.target_days ELSE t1.target_days END AS target_days,
  CASE WHEN t1.metric IS NULL AND t0.metric IS NULL THEN 0 ELSE 1 END AS has_target${this.calTargets.any ? this.calTargets.metricColumns() : ''}
FROM ${src} k CROSS JOIN (${metrics}) m
LEFT JOIN sla_targets t1 ON t1.policy = k.policy AND t1.metric = m.metric AND t1.priority = k.priority
LEFT JOIN sla_targets t0 ON t0.policy = k.policy AND t0.metric = m.metric AND t0.priority = 'default'`;
  }

  /** B(t) of a cover row joined as `c`: the business ms from the spine's start up to t. */
  private B(c: string, t: string): string {
    return `(${c}.cum_ms + CASE WHEN ${c}.start_ms IS NULL OR ${t} <= ${c}.start_ms THEN 0 ELSE ${t} - ${c}.start_ms END)`;
  }

  /** The cover row of instant t: an equi-join on the calendar and t's UTC day, then the range. */
  private coverJoin(alias: string, t: string, cal = 'k.calendar'): string {
    return `LEFT JOIN sla_cover_days ${alias} ON ${alias}.calendar = ${cal} AND ${alias}.dkey = ${dayKey(this.d, t)} AND ${t} >= ${alias}.lo AND ${t} < ${alias}.hi`;
  }

  /** The window that holds business time x: the first whose running total reaches it. */
  private inverseJoin(alias: string, x: string, cal = 'k.calendar'): string {
    return `LEFT JOIN sla_inverse_days ${alias} ON ${alias}.calendar = ${cal} AND ${alias}.kkey = ${dayKey(this.d, x)} AND ${x} > ${alias}.lo AND ${x} <= ${alias}.hi`;
  }

  /** sla_clock: clock start, B(created), the target in business ms (Nbd through the business-day index), B(end). */
  private clock(): string {
    // Nbd: N business days after the clock start's day, at the same business offset into the day,
    // clamped to that day's close; the target is the business time from creation to there
    const x = `(b1.first_cum + LEAST(b.bc - b0.first_cum, b1.total))`;
    // no row for the target day (past the spine's end): no target, and the ticket a gap, never 0
    let target = `CASE WHEN b.target_days IS NULL THEN b.target_fixed WHEN b1.bday IS NULL OR b0.bday IS NULL THEN NULL ELSE GREATEST(${x} - b.bc, 0) END`;
    // Nbd@end and Nmo (calendar-targets.ts), when the config has any
    const ct = this.calTargets.any ? this.calTargets.clockTarget(target) : undefined;
    const inner = this.calTargets.any ? this.calTargets.clockInner() : { cols: '', joins: '' };
    if (ct) target = ct.target;
    return `SELECT b.*, ${target} AS target_ms
FROM (
  SELECT k.*, ${this.B('c', 'k.created_ms')} AS bc,
    CASE WHEN c.start_ms IS NULL THEN NULL ELSE GREATEST(k.created_ms, c.start_ms) END AS clock_start, c.bday AS start_bday,
    ${this.B('e', 'k.end_ms')} AS b_end${inner.cols}
  FROM (${this.metricRows()}) k
  ${this.coverJoin('c', 'k.created_ms')}
  ${this.coverJoin('e', 'k.end_ms')}${inner.joins}
) b
LEFT JOIN sla_bdays b0 ON b0.calendar = b.calendar AND b0.bday = b.start_bday
LEFT JOIN sla_bdays b1 ON b1.calendar = b.calendar AND b1.bday = b.start_bday + b.target_days${ct?.join ?? ''}`;
  }

  /** sla_excluded: per ticket and metric, the intervals the clock stood still (end NULL: still), clipped at completion. */
  private excluded(): string {
    // each metric's own pause statuses (pause_on per metric)
    const pauseBy = this.perMetric((p, m) => `LOWER(r.status) IN ${inList(this.d, p.clocks[m].pauseOn)}`, 'k.metric');
    const paused = pauseBy ? `CASE k.policy ${pauseBy} ELSE FALSE END` : 'FALSE';
    return `SELECT k.id, k.metric, k.calendar, r.start_ms AS s,
  CASE WHEN k.completed_ms IS NULL THEN r.end_ms WHEN r.end_ms IS NULL THEN k.completed_ms ELSE LEAST(r.end_ms, k.completed_ms) END AS e
FROM sla_clock k JOIN sla_runs r ON r.id = k.id
WHERE (${paused} OR (k.metric = 'resolution' AND r.is_res = 1 AND r.end_ms IS NOT NULL))
  AND (k.completed_ms IS NULL OR r.start_ms < k.completed_ms)
  AND (r.end_ms IS NULL OR r.end_ms > r.start_ms)`;
  }

  /** sla_paused: business ms inside exclusions between creation and the end (completion or --as-of). */
  private paused(): string {
    const lo = 'GREATEST(x.s, k.created_ms)';
    const hi = `CASE WHEN x.e IS NULL THEN k.end_ms ELSE LEAST(x.e, k.end_ms) END`;
    return `SELECT q.id, q.metric, SUM(CASE WHEN q.hi > q.lo THEN q.b_hi - q.b_lo ELSE 0 END) AS paused_ms
FROM (
  SELECT x.id, x.metric, ${lo} AS lo, ${hi} AS hi, ${this.B('c1', lo)} AS b_lo, ${this.B('c2', hi)} AS b_hi
  FROM sla_excluded x JOIN sla_clock k ON k.id = x.id AND k.metric = x.metric
  ${this.coverJoin('c1', lo, 'x.calendar')}
  ${this.coverJoin('c2', hi, 'x.calendar')}
) q
GROUP BY q.id, q.metric`;
  }

  /**
   * sla_segments: the stretches the clock runs between exclusions, in order: from creation (or the
   * end of the previous exclusion: the cursor) to the start of the next exclusion, with the business
   * ms each holds (avail; NULL for the last, which runs on) and the total before it (before_ms).
   * After an exclusion that lasts, the last stretch has no cursor: no due time.
   */
  private segments(): string {
    return `SELECT h.*, COALESCE(SUM(h.avail) OVER (PARTITION BY h.id, h.metric ORDER BY h.seg ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before_ms
FROM (
  SELECT g.*, ${this.B('c1', 'g.cursor_ms')} AS b_cursor, CASE WHEN g.until_ms IS NULL THEN NULL ELSE ${this.B('c2', 'g.until_ms')} - ${this.B('c1', 'g.cursor_ms')} END AS avail
  FROM (
    SELECT x.id, x.metric, x.calendar, x.seg, x.target_ms, x.until_ms,
      CASE WHEN x.seg = 1 THEN x.created_ms ELSE LAG(x.e) OVER (PARTITION BY x.id, x.metric ORDER BY x.seg) END AS cursor_ms
    FROM (
      SELECT y.*, ROW_NUMBER() OVER (PARTITION BY y.id, y.metric ORDER BY y.s) AS seg,
        CASE WHEN y.is_tail = 1 THEN NULL ELSE GREATEST(y.s, y.created_ms) END AS until_ms
      FROM (
        SELECT x.id, x.metric, x.calendar, k.created_ms, k.target_ms, x.s, x.e, 0 AS is_tail
        FROM sla_excluded x JOIN sla_clock k ON k.id = x.id AND k.metric = x.metric
        WHERE x.e IS NULL OR x.e > k.created_ms
        UNION ALL
        SELECT k.id, k.metric, k.calendar, k.created_ms, k.target_ms, ${FAR_FUTURE} AS s, CAST(NULL AS ${this.d.bigint}) AS e, 1 AS is_tail
        FROM sla_clock k
      ) y
    ) x
  ) g
  ${this.coverJoin('c1', 'g.cursor_ms', 'g.calendar')}
  ${this.coverJoin('c2', 'g.until_ms', 'g.calendar')}
) h`;
  }

  /** The due time: without exclusions the inverse of B(created) + target; with them, in the first stretch whose running total reaches the target. */
  private dueJoin(): string {
    if (!this.hasHistory) return this.inverseJoin('i', 'k.bc + k.target_ms');
    return `LEFT JOIN sla_paused p ON p.id = k.id AND p.metric = k.metric
LEFT JOIN (
  SELECT f.id, f.metric, CASE WHEN f.cursor_ms IS NULL THEN 1 ELSE 0 END AS stands_still,
    CASE WHEN f.cursor_ms IS NULL THEN NULL ELSE ${laterOf('i.start_ms + (f.b_cursor + f.target_ms - f.before_ms - i.cum_ms)', 'f.cursor_ms')} END AS due_ms
  FROM (
    SELECT s.*, ROW_NUMBER() OVER (PARTITION BY s.id, s.metric ORDER BY s.seg) AS pick
    FROM sla_segments s
    WHERE s.avail IS NULL OR s.before_ms + s.avail >= s.target_ms
  ) f
  ${this.inverseJoin('i', 'f.b_cursor + f.target_ms - f.before_ms', 'f.calendar')}
  WHERE f.pick = 1
) u ON u.id = k.id AND u.metric = k.metric`;
  }

  /** sla_evaluated: status, elapsed and due time of each ticket and metric; gap = 1 where the spine did not cover a lookup. */
  private evaluated(): string {
    const d = this.d;
    const warn = this.cfg.policies.map((p) => `WHEN ${this.str(p.name)} THEN CAST(${d.str(String(p.warnAt))} AS ${d.double})`).join(' ');
    const warnAt = warn ? `CASE k.policy ${warn} END` : `CAST(NULL AS ${d.double})`;
    const vendor = `CAST(FLOOR(k.frm * 60000 + 0.5) AS ${d.bigint})`;
    const hasVendor = this.col('first_response_minutes') !== undefined;
    const vendorJoin = hasVendor ? `\n${this.inverseJoin('v', `k.bc + ${vendor}`)}` : '';
    // no window holds the reply's business time: it lies past the spine's end, so after --as-of (not yet done)
    const vendorAt = hasVendor ? laterOf(`v.start_ms + (k.bc + ${vendor} - v.cum_ms)`, 'k.created_ms') : `CAST(NULL AS ${d.bigint})`;
    const due = this.hasHistory ? 'u.due_ms' : laterOf('i.start_ms + (k.bc + k.target_ms - i.cum_ms)', 'k.created_ms');
    const stands = this.hasHistory ? 'COALESCE(u.stands_still, 0)' : '0';
    const elapsed = `GREATEST(k.b_end - k.bc, 0)${this.hasHistory ? ' - COALESCE(p.paused_ms, 0)' : ''}`;
    const core = `SELECT k.*, ${warnAt} AS warn_at, ${elapsed} AS net_elapsed, ${vendorAt} AS vendor_at, ${vendor} AS vendor_ms, ${due} AS due_raw, ${stands} AS stands_still
FROM sla_clock k
${this.dueJoin()}${vendorJoin}`;
    return `SELECT z.*,
  CASE WHEN z.measured = 0 THEN 'not_measured' WHEN z.policy IS NULL OR z.has_target = 0 THEN 'not_applicable'
    WHEN z.done_ms IS NOT NULL THEN CASE WHEN z.elapsed_ms <= z.target_ms THEN 'met' ELSE 'breached' END
    WHEN z.elapsed_ms >= z.target_ms THEN 'overdue'
    WHEN z.elapsed_ms >= z.warn_at * z.target_ms THEN 'at_risk' ELSE 'running' END AS status,
  CASE WHEN z.counted = 1 AND z.measured = 1 AND z.policy IS NOT NULL AND z.has_target = 1
    AND (z.bc IS NULL OR z.b_end IS NULL OR z.target_ms IS NULL OR z.elapsed_ms IS NULL OR (z.due_raw IS NULL AND z.stands_still = 0)) THEN 1 ELSE 0 END AS gap
FROM (
  SELECT y.*,
    CASE WHEN y.by_minutes = 1 THEN CASE WHEN y.vendor_at <= y.as_of THEN y.vendor_at END ELSE y.completed_ms END AS done_ms,
    CASE WHEN y.by_minutes = 1 AND y.vendor_at <= y.as_of THEN y.vendor_ms ELSE y.net_elapsed END AS elapsed_ms
  FROM (${core}) y
) z`;
  }

  /** sla_ticket_metrics: the per-ticket CSV's columns (times in the config zone), and the same as epoch ms. */
  private ticketMetrics(): string {
    const d = this.d;
    const zone = this.cfg.zone;
    const { from, to } = this.input.range;
    const { bounds, offsets } = instantOffsets(zone, from, to);
    const fmt = (ms: string) => {
      const off = stepCase(ms, bounds, offsets.map(String));
      const wholeMinutes = offsets.every((o) => o % 60000 === 0);
      const wall = (o: string) => d.formatWall(`CAST(${d.floorDiv(ms, 1000)} * 1000 + ${o} AS ${d.bigint})`);
      const msPart = `(${ms} - ${d.floorDiv(ms, 1000)} * 1000)`;
      const frac = `CASE WHEN ${msPart} = 0 THEN '' ELSE ${d.concat(["'.'", d.substr(d.intText(`CAST(1000 + ${msPart} AS ${d.bigint})`), 2, 3)])} END`;
      const sign = `CASE WHEN ${off} < 0 THEN '-' ELSE '+' END`;
      const hh = d.substr(d.intText(`CAST(100 + ${d.floorDiv(`ABS(${off})`, 3600000)} AS ${d.bigint})`), 2, 2);
      const mm = d.substr(d.intText(`CAST(100 + MOD(CAST(${d.floorDiv(`ABS(${off})`, 60000)} AS ${d.bigint}), 60) AS ${d.bigint})`), 2, 2);
      const local = d.concat([wall(off), frac, sign, hh, "':'", mm]);
      const utcText = d.concat([wall('0'), frac, "'Z'"]);
      return `CASE WHEN ${ms} IS NULL THEN NULL ${wholeMinutes ? '' : `WHEN MOD(${off}, 60000) <> 0 THEN ${utcText} `}ELSE ${local} END`;
    };
    const minutes = (ms: string) => `CAST(${d.floorDiv(`(${ms} + 300)`, 600)} AS ${d.double}) / 100`;
    return `SELECT e.id AS ticket_id, COALESCE(e.policy, '') AS policy, e.priority, e.metric, e.status,
  CASE WHEN e.status IN ('not_applicable', 'not_measured') THEN NULL ELSE ${minutes('e.target_ms')} END AS target_minutes,
  CASE WHEN e.status IN ('not_applicable', 'not_measured') THEN NULL ELSE ${minutes('e.elapsed_ms')} END AS elapsed_minutes,
  ${fmt('e.due_ms')} AS due_at,
  ${fmt('e.completed_at_ms')} AS completed_at,
  e.row_no, e.created_ms, e.target_ms AS target_ms, e.elapsed_ms AS elapsed_ms, e.due_ms, e.completed_at_ms, e.clock_start_ms
FROM (
  SELECT v.row_no, v.id, v.policy, v.priority, v.metric, v.metric_no, v.status, v.created_ms,
    CASE WHEN v.status IN ('not_applicable', 'not_measured') THEN NULL ELSE v.target_ms END AS target_ms,
    CASE WHEN v.status IN ('not_applicable', 'not_measured') THEN NULL ELSE v.elapsed_ms END AS elapsed_ms,
    CASE WHEN v.status IN ('not_applicable', 'not_measured') THEN NULL ELSE v.due_raw END AS due_ms,
    CASE WHEN v.status = 'not_measured' THEN NULL WHEN v.status = 'not_applicable' THEN v.completed_ms ELSE v.done_ms END AS completed_at_ms,
    CASE WHEN v.status IN ('not_applicable', 'not_measured') THEN NULL ELSE v.clock_start END AS clock_start_ms
  FROM sla_evaluated v
  WHERE v.counted = 1
) e`;
  }

  /**
   * sla_summary: the status counts by metric and overall, for all tickets, by priority and by
   * policy. On PostgreSQL and DuckDB one scan groups the five keyed sets (GROUPING SETS; GROUPING()
   * tells a set's NULL from a NULL priority or policy; the grouped columns are named apart from the
   * output's, which BigQuery's GROUP BY would read first) and the all-tickets overall row is a plain
   * aggregate of its own, which gives its row on an empty table where a grouping set need not
   * (Spark's does not). The other dialects keep a scan per set: the grouped form is not yet run on Spark.
   */
  private summary(): string {
    const statuses = ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured'];
    const counts = statuses.map((s) => `SUM(CASE WHEN status = ${this.str(s)} THEN 1 ELSE 0 END) AS ${s}`).join(', ');
    const pk = `CASE WHEN priority = '' THEN '(none)' ELSE priority END`;
    const pol = `CASE WHEN policy = '' THEN '(no policy)' ELSE policy END`;
    const overall = `SELECT 'all' AS breakdown, '' AS group_key, 'overall' AS metric, ${counts} FROM sla_ticket_metrics`;
    const by = (label: string, key: string) => [
      `SELECT ${this.str(label)} AS breakdown, ${key} AS group_key, metric, ${counts} FROM sla_ticket_metrics GROUP BY ${key}, metric`,
      `SELECT ${this.str(label)} AS breakdown, ${key} AS group_key, 'overall' AS metric, ${counts} FROM sla_ticket_metrics GROUP BY ${key}`,
    ];
    const grouped = this.d.groupingSets === true;
    const parts = grouped
      ? [`SELECT CASE WHEN GROUPING(pk) = 0 THEN 'priority' WHEN GROUPING(pol) = 0 THEN 'policy' ELSE 'all' END AS breakdown,
  CASE WHEN GROUPING(pk) = 0 THEN pk WHEN GROUPING(pol) = 0 THEN pol ELSE '' END AS group_key,
  CASE WHEN GROUPING(mt) = 0 THEN mt ELSE 'overall' END AS metric, ${counts}
FROM (SELECT metric AS mt, status, ${pk} AS pk, ${pol} AS pol FROM sla_ticket_metrics) m
GROUP BY GROUPING SETS ((mt), (pk, mt), (pk), (pol, mt), (pol))`, overall]
      : [`SELECT 'all' AS breakdown, '' AS group_key, metric, ${counts} FROM sla_ticket_metrics GROUP BY metric`, overall, ...by('priority', pk), ...by('policy', pol)];
    return `SELECT u.*, CASE WHEN u.met + u.breached + u.overdue = 0 THEN NULL ELSE CAST(u.met AS ${this.d.double}) / (u.met + u.breached + u.overdue) END AS compliance
FROM (\n${parts.join('\nUNION ALL\n')}\n) u`;
  }


}
