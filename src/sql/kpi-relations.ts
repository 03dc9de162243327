/**
 * The engine's KPI accumulators (engine/kpi.ts, aggregate.ts kpiSlots) as set-based SQL:
 * sla_facts (one row per ticket the engine counts: its statuses, completed times and facts, with
 * evaluate-ticket.ts's definitions), then per scope — overall, each --group-by field, --period,
 * each objective's tickets, each scorecard group (and period) — the exact sums (sla_acc), status
 * counts (sla_acc_status) and histogram of completed times (sla_acc_times), and from those the
 * KPI catalogue's values (sla_kpis) and the objectives' verdicts (sla_objectives). Medians and
 * p90s are read off the histogram with window functions (the same SQL on every dialect, exact:
 * no percentile_approx), then turned into minutes as the engine's KpiValues are.
 */
import type { Condition, Config, KpiObjective, Scorecard } from '../config/types.js';
import type { Period } from '../config/schema.js';
import { MS_PER_DAY } from '../time/civil.js';
import { periodOf } from '../time/period-label.js';
import type { Dialect } from './dialect.js';
import type { CompileInput } from './input.js';
import { SQL_METRICS } from './metrics.js';
import { instantOffsets, stepCase } from './timestamps.js';
import { CustomKpiSql } from './custom-kpis.js';

/** What the relations read from the compiler: a cell's alias in sla_tickets, and conditions as SQL. */
export interface KpiContext {
  input: CompileInput;
  d: Dialect;
  cell(key: string): string;
  conditions(conds: Condition[], field: (key: string, label: string) => string): string[];
}

/** The KPIs sla_kpis holds (the catalogue of config/kpis.ts for the metrics the SQL measures). */
export const SQL_KPIS: readonly string[] = [
  ...[...SQL_METRICS, 'overall'].map((m) => `${m}.compliance`),
  ...SQL_METRICS.flatMap((m) => ['mean', 'median', 'p90'].map((s) => `${m}.${s}`)),
  'satisfaction.mean', 'satisfaction.good_share', 'nps', 'fcr', 'repeat_rate', 'reopen_rate', 'tickets', 'backlog', 'overdue',
];

/** The relations and their columns, for the script's header. */
export const KPI_HEADER = [
  '-- KPIs, per scope (scope, dimension, key, period_label: overall; group = a --group-by field and its value; period = the --period kind and label;',
  '--   objective = its index from 0; scorecard = its name, group and period label), from the tickets the engine counts:',
  '--   sla_acc (tickets, backlog, tickets_breached, tickets_overdue, sat_n, sat_sum, sat_good, nps_n, promoters, detractors, fcr_base, fcr_yes,',
  '--     reopen_base, reopened, repeats: NULL when unknown), sla_acc_status (metric, status, n), sla_acc_times (metric, elapsed_ms, n: completed',
  '--     met and breached business ms), sla_kpis (kpi, value: the catalogue\'s values as check reports them; times in business minutes, NULL without data),',
  '--   sla_acc_sat (value, n: each distinct rating and how many tickets have it; sla-audit sums them exactly, sat_sum is a SUM of doubles).',
];

const SPINE_GAP = 'outside the calendar spine (widen --from/--to)';
/** a number JavaScript's Number() reads, in decimal and of a size every engine casts (longer or hex forms are not read) */
const DECIMAL = '^[+-]?([0-9]{1,20}([.][0-9]{0,20})?|[.][0-9]{1,20})([eE][+-]?[0-9]{1,2})?$';
/** parseFloat's number: the longest decimal prefix */
const PREFIX = '^([+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?)';
/** the engine's limits on repeat keys (aggregate.ts): beyond them repeats are unknown */
const MAX_CATEGORIES = 512;
const MAX_CUSTOMERS = Math.floor(2 ** 32 / MAX_CATEGORIES);

interface Scope {
  scope: string;
  dimension: string;
  key: string;
  label: string;
  where?: string;
}

export class KpiRelations {
  private readonly cfg: Config;
  private readonly d: Dialect;
  private readonly groupBy: string[];
  private readonly kinds: Period[];
  private readonly kpiObjectives: [KpiObjective, number][];
  /** cells read, by what they hold (aliases in sla_tickets) */
  private readonly c: Record<string, string | undefined> = {};
  private readonly groupCells: string[];
  private readonly scorecardCells: string[];
  /** custom KPIs (kpis:), where the dialect compiles them */
  readonly custom: CustomKpiSql;

  constructor(private readonly x: KpiContext) {
    const { input } = x;
    this.cfg = input.config;
    this.d = x.d;
    this.groupBy = input.groupBy ?? ['priority', 'policy'];
    this.kinds = [...new Set([input.period, ...this.cfg.scorecards.map((s) => s.period)].filter((p): p is Period => p !== undefined))];
    this.kpiObjectives = input.objectives.flatMap((o, i): [KpiObjective, number][] => (o.kind === 'kpi' ? [[o, i]] : []));
    // touch every cell the relations read, before sla_rows is written
    const has = (k: string) => input.columns.column(k) !== undefined;
    for (const k of ['customer', 'satisfaction', 'nps', 'contacts', 'subject', 'description']) if (has(k)) this.c[k] = x.cell(k);
    if (input.columns.column(this.cfg.categories.field) !== undefined) this.c.category = x.cell(this.cfg.categories.field);
    this.groupCells = this.groupBy.map((g) => this.fieldCell(g));
    this.scorecardCells = this.cfg.scorecards.map((s) => this.fieldCell(s.by));
    this.custom = new CustomKpiSql(x.d, this.cfg, x.cell);
  }

  private fieldCell(field: string): string {
    const f = field.trim().toLowerCase();
    return f === 'priority' || f === 'policy' ? f : this.x.cell(field);
  }

  /** A ticket's value of a group field in sla_facts' source (engine/filters.ts fieldValue). */
  private fieldValue(cell: string): string {
    if (cell === 'priority') return `CASE WHEN k.priority = '' THEN '(none)' ELSE k.priority END`;
    if (cell === 'policy') return `COALESCE(k.policy, '(no policy)')`;
    return `COALESCE(k.${cell}, '(none)')`;
  }

  views(): [string, string][] {
    const out: [string, string][] = [];
    if (this.kinds.length) out.push(['sla_period_days', this.periodDays()]);
    out.push(['sla_facts', this.facts()]);
    out.push(['sla_fact_flags', this.flags()]);
    const scopes = this.scopes();
    out.push(['sla_acc', this.acc(scopes)]);
    out.push(['sla_acc_sat', this.accSat(scopes)]);
    out.push(['sla_acc_status', scopes.flatMap((s) => SQL_METRICS.map((m, i) => this.scoped(s, `${this.str(m)} AS metric, f.${i ? 'res' : 'fr'}_status AS status, COUNT(*) AS n`, `f.${i ? 'res' : 'fr'}_status`))).join('\nUNION ALL\n')]);
    out.push(['sla_acc_times', scopes.flatMap((s) => SQL_METRICS.map((m, i) => {
      const p = i ? 'res' : 'fr';
      return this.scoped({ ...s, where: `f.${p}_status IN ('met', 'breached')${s.where ? ` AND ${s.where}` : ''}` }, `${this.str(m)} AS metric, f.${p}_ms AS elapsed_ms, COUNT(*) AS n`, `f.${p}_ms`);
    })).join('\nUNION ALL\n')]);
    if (this.custom.kpis.length) out.push(['sla_acc_custom', this.custom.acc((what, by, where) => scopes.map((s) => this.scoped({ ...s, where: s.where ? `${where} AND ${s.where}` : where }, what, by)))]);
    out.push(['sla_kpi_times', this.kpiTimes()]);
    out.push(['sla_kpi_wide', this.wide()]);
    out.push(['sla_kpis', this.kpis()]);
    return out;
  }

  private str(s: string): string {
    return this.d.str(s);
  }

  /** sla_period_days: each local day of the spine's range and its period labels (engine/periods.ts periodOf). */
  private periodDays(): string {
    const d = this.d;
    const { from, to } = this.x.input.range;
    const zone = this.cfg.zone;
    const first = Math.floor(zone.instantToWall(from) / MS_PER_DAY) - 1;
    const last = Math.floor(zone.instantToWall(to) / MS_PER_DAY) + 1;
    const rows: string[][] = [];
    for (let day = first; day <= last; day++) rows.push([String(day), ...this.kinds.map((k) => this.str(periodOf(day, k)))]);
    return d.values(rows, ['lday', ...this.kinds.map((k) => `p_${k}`)], [d.bigint, ...this.kinds.map(() => d.text)]);
  }

  /** The local day of an instant in the config zone, as a day number. */
  private localDay(ms: string): string {
    const { from, to } = this.x.input.range;
    const { bounds, offsets } = instantOffsets(this.cfg.zone, from, to);
    return `CAST(${this.d.floorDiv(`(${ms} + ${stepCase(ms, bounds, offsets.map(String))})`, MS_PER_DAY)} AS ${this.d.bigint})`;
  }

  /** Lower-cased NFKC text where the dialect can, else lower-cased (exact only for text the dialect is sure of). */
  private nfkc(s: string): string {
    return this.d.fold(s);
  }

  /** 1 when the text's NFKC form cannot be told on this dialect, else 0. */
  private unsure(s: string): string {
    return this.d.foldUnsure(s);
  }

  /** The complaint category (engine/categories.ts): the column through aliases, else the first keyword rule, else the default; and whether it is unsure. */
  private category(): [string, string] {
    const cat = this.cfg.categories;
    const cell = this.c.category ? `k.${this.c.category}` : undefined;
    const aliased = cell === undefined ? undefined : cat.aliases.size ? `COALESCE(CASE k.once_cat ${[...cat.aliases].map(([a, c]) => `WHEN ${this.str(a)} THEN ${this.str(c)}`).join(' ')} END, ${cell})` : cell;
    const texts = ['subject', 'description'].flatMap((f) => (this.c[f] ? [`COALESCE(k.${this.c[f]}, '')`] : []));
    let byRules = this.str(cat.default);
    const unsure: string[] = [];
    if (cat.rules.length && texts.length) {
      const norm = 'k.once_text';
      byRules = `CASE ${cat.rules.map((r) => `WHEN ${r.keywords.map((k) => `${this.d.position(norm, this.str(k))} > 0`).join(' OR ')} THEN ${this.str(r.category)}`).join(' ')} ELSE ${this.str(cat.default)} END`;
      unsure.push(...texts.map((t) => `CASE WHEN ${cell ?? 'NULL'} IS NULL THEN ${this.unsure(t)} ELSE 0 END`));
    }
    if (cell !== undefined && cat.aliases.size) unsure.push(this.unsure(cell));
    return [aliased === undefined ? byRules : `COALESCE(${aliased}, ${byRules})`, unsure.length ? `GREATEST(${unsure.join(', ')}, 0)` : '0'];
  }

  /** A rating (engine/evaluate-ticket.ts rating): mapped under satisfaction.values, else parseFloat's number; and whether it is unsure. */
  private satisfaction(): [string, string] {
    const d = this.d;
    if (!this.c.satisfaction) return [`CAST(NULL AS ${d.double})`, '0'];
    const s = `k.${this.c.satisfaction}`;
    const prefix = 'k.once_sat_number';
    // a prefix longer than a double's digits or with a 3-digit exponent is not read (no engine casts 1e400)
    const parsed = `CASE WHEN ${d.length(`COALESCE(${prefix}, '')`)} BETWEEN 1 AND 40 AND NOT ${d.matches(`COALESCE(${prefix}, '')`, '^.*[eE][+-]?[0-9]{3,}$')} THEN CAST(${prefix} AS ${d.double}) END`;
    const values = this.cfg.satisfaction.values;
    if (!values.size) return [parsed, '0'];
    return [`COALESCE(CASE k.once_sat ${[...values].map(([t, n]) => `WHEN ${this.str(t)} THEN CAST(${d.str(String(n))} AS ${d.double})`).join(' ')} END, ${parsed})`, this.unsure(s)];
  }

  /** A cell read as JavaScript's Number() reads it (decimal forms), or NULL. */
  private number(cell: string | undefined): string {
    if (!cell) return `CAST(NULL AS ${this.d.double})`;
    return `CASE WHEN ${this.d.matches(cell, DECIMAL)} THEN CAST(${cell} AS ${this.d.double}) END`;
  }

  /** sla_facts: one row per ticket the engine counts, with what its accumulators read. */
  private facts(): string {
    const d = this.d;
    const input = this.x.input;
    const hist = !!input.history;
    const [category, catUnsure] = this.category();
    const [sat, satUnsure] = this.satisfaction();
    const nps = 'k.once_nps';
    const contacts = 'CASE WHEN k.once_contacts >= 0 THEN k.once_contacts END';
    // times.resolved: the resolution's completion (a ticket reopened after it has none)
    const resolved = `CASE WHEN m.res_status = 'not_measured' THEN NULL ELSE m.res_completed END`;
    const reopened = hist ? `CASE WHEN h.reopened = 1 THEN 1 WHEN h.any_res = 1 OR k.res_at IS NOT NULL THEN 0 END` : `CAST(NULL AS ${d.bigint})`;
    const fcr = `CASE WHEN ${resolved} IS NULL${hist ? '' : ` OR ${contacts} IS NULL`} THEN NULL WHEN ${hist ? 'h.reopened = 1 OR ' : ''}${contacts} > 1 THEN 0 ELSE 1 END`;
    const npsOk = `${nps} = FLOOR(${nps}) AND ${nps} >= 0 AND ${nps} <= 10`;
    const cols = [
      'k.row_no', 'k.id', 'k.created_ms', `${this.localDay('k.created_ms')} AS lday`,
      ...this.groupCells.map((c, i) => `${this.fieldValue(c)} AS g${i}`),
      ...this.scorecardCells.map((c, i) => `${this.fieldValue(c)} AS s${i}`),
      ...this.kpiObjectives.map(([o], i) => `CASE WHEN ${this.objectiveHolds(o)} THEN 1 ELSE 0 END AS o${i}`),
      'm.fr_status', 'm.fr_ms', 'm.res_status', 'm.res_ms',
      `${sat} AS sat`, `${satUnsure} AS sat_unsure`,
      `CASE WHEN ${npsOk} THEN ${nps} END AS nps`,
      `${fcr} AS fcr`, `${reopened} AS reopened`,
      `CASE WHEN m.res_status <> 'not_measured' AND ${resolved} IS NULL THEN 1 ELSE 0 END AS is_open`,
      `${this.c.customer ? `k.${this.c.customer}` : `CAST(NULL AS ${d.text})`} AS customer`,
      `${category} AS category`, `${catUnsure} AS cat_unsure`,
      `CAST(${d.floorDiv('k.created_ms', 60000)} AS ${d.bigint}) AS c_minute`,
      ...this.custom.factColumns(),
    ];
    const runs = hist ? `\n  LEFT JOIN (SELECT id, MAX(is_res) AS any_res, MAX(CASE WHEN is_res = 1 AND end_ms IS NOT NULL THEN 1 ELSE 0 END) AS reopened FROM sla_runs GROUP BY id) h ON h.id = k.id` : '';
    const window = Math.floor(this.cfg.categories.repeatWithinMs / 60_000);
    // one row per ticket (a ticket's row number is its key): one join, planned on the ticket count
    const pick = (m: string, col: string) => `MAX(CASE WHEN metric = ${this.str(m)} THEN ${col} END)`;
    const metricsByTicket = `SELECT row_no, ${pick('first_response', 'status')} AS fr_status, ${pick('first_response', 'elapsed_ms')} AS fr_ms,
    ${pick('resolution', 'status')} AS res_status, ${pick('resolution', 'elapsed_ms')} AS res_ms, ${pick('resolution', 'completed_at_ms')} AS res_completed
    FROM sla_ticket_metrics GROUP BY row_no`;
    const labels = this.kinds.length ? `\nLEFT JOIN sla_period_days pd ON pd.lday = f.lday` : '';
    return `SELECT f.*${this.kinds.map((k) => `, pd.p_${k}`).join('')},
  CASE WHEN f.customer IS NOT NULL AND LAG(f.c_minute) OVER (PARTITION BY f.customer, f.category ORDER BY f.c_minute, f.row_no) >= f.c_minute - ${window} THEN 1 ELSE 0 END AS is_repeat
FROM (
  SELECT ${cols.join(',\n    ')}
  FROM (SELECT k0.*, ${this.onceColumns()} FROM sla_tickets k0 WHERE k0.counted = 1${d.fence}) k
  JOIN (${metricsByTicket}) m ON m.row_no = k.row_no${runs}
  LEFT JOIN (SELECT DISTINCT row_no FROM sla_problems WHERE source = 'tickets' AND problem = ${this.str(SPINE_GAP)}) gap ON gap.row_no = k.row_no
  WHERE k.counted = 1 AND gap.row_no IS NULL
) f${labels}`;
  }

  /**
   * What the category, rating, NPS and contacts read, computed once per ticket in a subquery the
   * planner keeps (not once for each keyword or check that reads it): the category cell and the
   * subject and description NFKC and lower case, the rating folded and its number's text, the NPS
   * and contacts as numbers.
   */
  private onceColumns(): string {
    const d = this.d;
    const cat = this.cfg.categories;
    const cell = (k: string) => `k0.${this.c[k]}`;
    const number = (k: string) => this.number(this.c[k] && cell(k));
    const out = [`${number('nps')} AS once_nps`, `${number('contacts')} AS once_contacts`];
    if (this.c.category && cat.aliases.size) out.push(`${this.nfkc(cell('category'))} AS once_cat`);
    const texts = ['subject', 'description'].flatMap((f) => (this.c[f] ? [`COALESCE(${cell(f)}, '')`] : []));
    if (cat.rules.length && texts.length) out.push(`${this.nfkc(texts.length === 1 ? texts[0] : d.concat([texts[0], `'\n'`, texts[1]]))} AS once_text`);
    if (this.c.satisfaction) {
      out.push(`${d.leading(cell('satisfaction'), PREFIX, 4)} AS once_sat_number`);
      if (this.cfg.satisfaction.values.size) out.push(`${this.nfkc(cell('satisfaction'))} AS once_sat`);
    }
    return out.join(', ');
  }

  /** Whether a ticket is one a KPI objective covers (engine/filters.ts ObjectiveFilter). */
  private objectiveHolds(o: KpiObjective): string {
    const conds = ['TRUE'];
    if (o.from !== undefined) conds.push(`k.created_ms >= ${o.from}`);
    if (o.to !== undefined) conds.push(`k.created_ms < ${o.to}`);
    if (o.priority !== undefined) conds.push(`CASE WHEN k.priority = '' THEN '(none)' ELSE k.priority END = ${this.str(o.priority)}`);
    if (o.policy !== undefined) conds.push(`COALESCE(k.policy, '(no policy)') = ${this.str(o.policy)}`);
    conds.push(...this.x.conditions(o.where, (key, label) => (key === 'priority' ? 'k.priority' : key === 'policy' ? 'k.policy' : `k.${this.x.cell(label)}`)));
    return conds.join(' AND ');
  }

  /** sla_fact_flags: what makes satisfaction or repeat complaints unknowable for the whole run. */
  private flags(): string {
    return `SELECT MAX(sat_unsure) AS sat_unsure, MAX(CASE WHEN customer IS NOT NULL THEN cat_unsure ELSE 0 END) AS cat_unsure,
  COUNT(DISTINCT customer) AS customers, COUNT(DISTINCT CASE WHEN customer IS NOT NULL THEN category END) AS categories
FROM sla_facts`;
  }

  /** Every accumulator of the engine's kpiSlots, as a scope. */
  private scopes(): Scope[] {
    const out: Scope[] = [{ scope: 'overall', dimension: '', key: "''", label: "''" }];
    this.groupBy.forEach((g, i) => out.push({ scope: 'group', dimension: g, key: `f.g${i}`, label: "''" }));
    const period = this.x.input.period;
    if (period) out.push({ scope: 'period', dimension: period, key: `f.p_${period}`, label: "''" });
    this.kpiObjectives.forEach(([o, index], i) => {
      out.push({ scope: 'objective', dimension: String(index), key: "''", label: "''", where: `f.o${i} = 1` });
      if (period && (o.from !== undefined || o.to !== undefined)) out.push({ scope: 'objective', dimension: String(index), key: "''", label: `f.p_${period}`, where: `f.o${i} = 1` });
    });
    this.cfg.scorecards.forEach((sc: Scorecard, i) => {
      out.push({ scope: 'scorecard', dimension: sc.name, key: `f.s${i}`, label: "''" });
      if (sc.period) out.push({ scope: 'scorecard', dimension: sc.name, key: `f.s${i}`, label: `f.p_${sc.period}` });
    });
    return out;
  }

  /** One scope's SELECT: its name columns, `what`, grouped by its key and label (and `by`). */
  private scoped(s: Scope, what: string, by?: string): string {
    const keys = [s.key, s.label].filter((k) => k !== "''");
    if (by) keys.push(by);
    return `SELECT ${this.str(s.scope)} AS scope, ${this.str(s.dimension)} AS dimension, ${s.key} AS key, ${s.label} AS period_label, ${what}
FROM sla_facts f${s.where ? ` WHERE ${s.where}` : ''}${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''}`;
  }

  /** sla_acc: the counters of each scope (a scope without key always has its row, as the engine's accumulator does). */
  private acc(scopes: Scope[]): string {
    const d = this.d;
    const sum = (e: string) => `COALESCE(SUM(${e}), 0)`;
    const what = [
      'COUNT(*) AS tickets', `${sum('f.is_open')} AS backlog`,
      `${sum(`CASE WHEN f.fr_status = 'breached' OR f.res_status = 'breached' THEN 1 ELSE 0 END`)} AS tickets_breached`,
      `${sum(`CASE WHEN f.fr_status = 'overdue' OR f.res_status = 'overdue' THEN 1 ELSE 0 END`)} AS tickets_overdue`,
      `${sum('CASE WHEN f.sat IS NOT NULL THEN 1 ELSE 0 END')} AS sat_n`, `COALESCE(SUM(f.sat), 0) AS sat_sum`,
      `${sum(`CASE WHEN f.sat >= CAST(${d.str(String(this.cfg.satisfaction.good))} AS ${d.double}) THEN 1 ELSE 0 END`)} AS sat_good`,
      `${sum('CASE WHEN f.nps IS NOT NULL THEN 1 ELSE 0 END')} AS nps_n`, `${sum('CASE WHEN f.nps >= 9 THEN 1 ELSE 0 END')} AS promoters`, `${sum('CASE WHEN f.nps <= 6 THEN 1 ELSE 0 END')} AS detractors`,
      `${sum('CASE WHEN f.fcr IS NOT NULL THEN 1 ELSE 0 END')} AS fcr_base`, `${sum('f.fcr')} AS fcr_yes`,
      `${sum('CASE WHEN f.reopened IS NOT NULL THEN 1 ELSE 0 END')} AS reopen_base`, `${sum('f.reopened')} AS reopened`,
      `${sum('f.is_repeat')} AS repeats`,
    ].join(', ');
    const noCustomer = this.c.customer ? 'FALSE' : 'TRUE';
    const repeatsUnknown = `${noCustomer} OR x.customers = 0 OR x.customers > ${MAX_CUSTOMERS} OR x.categories > ${MAX_CATEGORIES} OR x.cat_unsure = 1`;
    return `SELECT a.scope, a.dimension, a.key, a.period_label, a.tickets, a.backlog, a.tickets_breached, a.tickets_overdue,
  CASE WHEN x.sat_unsure = 1 THEN NULL ELSE a.sat_n END AS sat_n, CASE WHEN x.sat_unsure = 1 THEN NULL ELSE a.sat_sum END AS sat_sum, CASE WHEN x.sat_unsure = 1 THEN NULL ELSE a.sat_good END AS sat_good,
  a.nps_n, a.promoters, a.detractors, a.fcr_base, a.fcr_yes, a.reopen_base, a.reopened,
  CASE WHEN ${repeatsUnknown} THEN NULL ELSE a.repeats END AS repeats
FROM (
${scopes.map((s) => this.scoped(s, what)).join('\nUNION ALL\n')}
) a CROSS JOIN sla_fact_flags x`;
  }

  /**
   * sla_acc_sat: per scope, each distinct rating and its count (none when ratings are unsure, as
   * sla_acc's sat_n is NULL then). The CLI sums them exactly (engine/exact-sum.ts) as check sums the
   * ratings one by one; a SUM of doubles depends on the order the engine adds them in.
   */
  private accSat(scopes: Scope[]): string {
    const rows = scopes.map((s) => this.scoped({ ...s, where: s.where ? `f.sat IS NOT NULL AND ${s.where}` : 'f.sat IS NOT NULL' }, 'f.sat AS value, COUNT(*) AS n', 'f.sat'));
    return `SELECT a.scope, a.dimension, a.key, a.period_label, a.value, a.n FROM (
${rows.join('\nUNION ALL\n')}
) a CROSS JOIN sla_fact_flags x WHERE x.sat_unsure = 0`;
  }

  /** sla_kpi_times: per scope and metric, the count, sum, the two middle values and the nearest-rank p90 of the completed times. */
  private kpiTimes(): string {
    const part = 'PARTITION BY t.scope, t.dimension, t.key, t.period_label, t.metric';
    const at = (rank: string) => `MIN(CASE WHEN c.cum >= ${rank} THEN c.elapsed_ms END)`;
    return `SELECT c.scope, c.dimension, c.key, c.period_label, c.metric, MAX(c.total) AS n, MAX(c.sum_ms) AS sum_ms,
  ${at('FLOOR((c.total + 1) / 2.0)')} AS mid_lo, ${at('FLOOR(c.total / 2.0) + 1')} AS mid_hi, ${at('FLOOR((9 * c.total + 9) / 10.0)')} AS p90
FROM (
  SELECT t.*, SUM(t.n) OVER (${part} ORDER BY t.elapsed_ms ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum,
    SUM(t.n) OVER (${part}) AS total, SUM(t.elapsed_ms * t.n) OVER (${part}) AS sum_ms
  FROM sla_acc_times t
) c
GROUP BY c.scope, c.dimension, c.key, c.period_label, c.metric`;
  }

  /** sla_kpi_wide: one row per scope with every figure a KPI or an objective's basis needs. */
  private wide(): string {
    const k = 'key';
    const on = (a: string) => `${a}.scope = a.scope AND ${a}.dimension = a.dimension AND ${a}.${k} = a.${k} AND ${a}.period_label = a.period_label`;
    const st = SQL_METRICS.map((m, i) => {
      const p = i ? 'res' : 'fr';
      return `SUM(CASE WHEN metric = ${this.str(m)} AND status = 'met' THEN n ELSE 0 END) AS ${p}_met, SUM(CASE WHEN metric = ${this.str(m)} AND status IN ('met', 'breached', 'overdue') THEN n ELSE 0 END) AS ${p}_judged`;
    }).join(', ');
    const times = SQL_METRICS.map((m, i) => `LEFT JOIN sla_kpi_times t${i} ON ${on(`t${i}`)} AND t${i}.metric = ${this.str(m)}`).join('\n');
    const custom = this.custom.wideJoin(on);
    const tcols = SQL_METRICS.map((_, i) => `COALESCE(t${i}.n, 0) AS ${i ? 'res' : 'fr'}_n, t${i}.sum_ms AS ${i ? 'res' : 'fr'}_sum, t${i}.mid_lo AS ${i ? 'res' : 'fr'}_mid_lo, t${i}.mid_hi AS ${i ? 'res' : 'fr'}_mid_hi, t${i}.p90 AS ${i ? 'res' : 'fr'}_p90`).join(', ');
    return `SELECT a.*, COALESCE(s.fr_met, 0) AS fr_met, COALESCE(s.fr_judged, 0) AS fr_judged, COALESCE(s.res_met, 0) AS res_met, COALESCE(s.res_judged, 0) AS res_judged, ${tcols}${custom.cols}
FROM sla_acc a
LEFT JOIN (SELECT scope, dimension, ${k}, period_label, ${st} FROM sla_acc_status GROUP BY scope, dimension, ${k}, period_label) s ON ${on('s')}
${times}${custom.join}`;
  }

  /** Each KPI's value as the engine's KpiValues has it (rates as fractions, times in business minutes to 2 decimals), and its basis n. */
  kpiExprs(): Map<string, { value: string; n: string }> {
    const dbl = this.d.double;
    const ratio = (a: string, b: string) => `CASE WHEN (${b}) = 0 THEN NULL ELSE CAST(${a} AS ${dbl}) / (${b}) END`;
    const minutes = (ms: string) => `CASE WHEN (${ms}) IS NULL THEN NULL ELSE FLOOR(CAST(${ms} AS ${dbl}) / 60000 * 100 + 0.5) / 100 END`;
    const out = new Map<string, { value: string; n: string }>();
    SQL_METRICS.forEach((m, i) => {
      const p = i ? 'res' : 'fr';
      out.set(`${m}.compliance`, { value: ratio(`w.${p}_met`, `w.${p}_judged`), n: `w.${p}_judged` });
    });
    out.set('overall.compliance', { value: ratio('w.fr_met + w.res_met', 'w.fr_judged + w.res_judged'), n: 'w.fr_judged + w.res_judged' });
    SQL_METRICS.forEach((m, i) => {
      const p = i ? 'res' : 'fr';
      const n = `w.${p}_n`;
      out.set(`${m}.mean`, { value: `CASE WHEN ${n} = 0 THEN NULL ELSE ${minutes(`CAST(w.${p}_sum AS ${dbl}) / ${n}`)} END`, n });
      out.set(`${m}.median`, { value: minutes(`(CAST(w.${p}_mid_lo AS ${dbl}) + w.${p}_mid_hi) / 2`), n });
      out.set(`${m}.p90`, { value: minutes(`w.${p}_p90`), n });
    });
    out.set('satisfaction.mean', { value: ratio('w.sat_sum', 'w.sat_n'), n: 'w.sat_n' });
    out.set('satisfaction.good_share', { value: ratio('w.sat_good', 'w.sat_n'), n: 'w.sat_n' });
    out.set('nps', { value: `CASE WHEN w.nps_n = 0 THEN NULL ELSE CAST(w.promoters - w.detractors AS ${dbl}) / w.nps_n * 100 END`, n: 'w.nps_n' });
    out.set('fcr', { value: ratio('w.fcr_yes', 'w.fcr_base'), n: 'w.fcr_base' });
    out.set('repeat_rate', { value: `CASE WHEN w.repeats IS NULL OR w.tickets = 0 THEN NULL ELSE CAST(w.repeats AS ${dbl}) / w.tickets END`, n: 'w.tickets' });
    out.set('reopen_rate', { value: ratio('w.reopened', 'w.reopen_base'), n: 'w.reopen_base' });
    out.set('tickets', { value: `CAST(w.tickets AS ${dbl})`, n: 'w.tickets' });
    out.set('backlog', { value: `CAST(w.backlog AS ${dbl})`, n: 'w.tickets' });
    out.set('overdue', { value: `CAST(w.tickets_overdue AS ${dbl})`, n: 'w.tickets' });
    for (const [name, e] of this.custom.exprs()) out.set(name, e);
    return out;
  }

  /** sla_kpis: every scope's KPI values, one row per KPI. */
  private kpis(): string {
    const k = 'key';
    return [...this.kpiExprs()].map(([name, e]) => `SELECT w.scope, w.dimension, w.${k}, w.period_label, ${this.str(name)} AS kpi, ${e.value} AS value FROM sla_kpi_wide w`).join('\nUNION ALL\n');
  }

  /**
   * sla_objectives: each KPI objective judged as the engine's judge() does: not judged without
   * data or under min_tickets; with --period and an effective range, once per period it has tickets.
   */
  objectives(): string {
    const d = this.d;
    // a number as text with two decimals, the same on every engine (87.56, 90.00)
    const pct = (x: string) => {
      const h = `CAST(FLOOR(${x} * 10000 + 0.5) AS ${d.bigint})`;
      return d.concat([d.intText(`CAST(FLOOR(${h} / 100.0) AS ${d.bigint})`), "'.'", d.substr(d.intText(`100 + MOD(${h}, 100)`), 2, 2)]);
    };
    const exprs = this.kpiExprs();
    const none = `SELECT CAST(NULL AS ${d.bigint}) AS objective, CAST(NULL AS ${d.text}) AS kpi, CAST(NULL AS ${d.text}) AS priority, CAST(NULL AS ${d.text}) AS policy,
  CAST(NULL AS ${d.double}) AS min, CAST(NULL AS ${d.double}) AS actual, CAST(NULL AS ${d.bigint}) AS tickets, CAST(NULL AS ${d.text}) AS passed,
  CAST(NULL AS ${d.double}) AS max, CAST(NULL AS ${d.text}) AS period, CAST(NULL AS ${d.text}) AS detail FROM sla_params WHERE 1 = 0`;
    if (!this.kpiObjectives.length) return none;
    const num = (v: number | undefined) => (v === undefined ? `CAST(NULL AS ${d.double})` : `CAST(${d.str(String(v))} AS ${d.double})`);
    const parts = this.kpiObjectives.map(([o, index]) => {
      const e = exprs.get(o.kpi)!;
      const perPeriod = this.x.input.period !== undefined && (o.from !== undefined || o.to !== undefined);
      const head = `SELECT ${index + 1} AS objective, ${this.str(o.kpi)} AS kpi, ${o.priority === undefined ? `CAST(NULL AS ${d.text})` : this.str(o.priority)} AS priority,
  ${o.policy === undefined ? `CAST(NULL AS ${d.text})` : this.str(o.policy)} AS policy, ${num(o.min)} AS min, ${num(o.max)} AS max, ${o.minTickets} AS min_tickets, ${e.value} AS actual, ${e.n} AS n,
  CASE WHEN w.period_label = '' THEN NULL ELSE w.period_label END AS period, ${isRate(o.kpi) || this.custom.isShare(o.kpi) ? 1 : 0} AS is_rate
FROM sla_kpi_wide w WHERE w.scope = 'objective' AND w.dimension = ${this.str(String(index))}`;
      // per period when any period has tickets, else the total once (never left out)
      if (!perPeriod) return `${head} AND w.period_label = ''`;
      return `${head} AND (w.period_label <> '' OR NOT EXISTS (SELECT 1 FROM sla_acc p WHERE p.scope = 'objective' AND p.dimension = ${this.str(String(index))} AND p.period_label <> ''))`;
    });
    const shown = (x: string) => `CASE WHEN o.is_rate = 1 THEN ${d.concat([pct(x), "'%'"])} ELSE ${d.concat([`CASE WHEN ${x} < 0 THEN '-' ELSE '' END`, pct(`ABS(${x}) / 100`)])} END`;
    return `SELECT o.objective, o.kpi, o.priority, o.policy, o.min, o.actual, o.n AS tickets, o.passed, o.max, o.period,
  CASE WHEN o.passed = 'failed' THEN ${d.concat([shown('o.actual'), `CASE WHEN o.min IS NOT NULL AND o.actual < o.min - 1e-12 THEN ${d.concat(["' < '", shown('o.min')])} ELSE ${d.concat(["' > '", shown('o.max')])} END`])} END AS detail
FROM (
  SELECT q.*, CASE WHEN q.actual IS NULL OR q.n = 0 OR q.n < q.min_tickets THEN 'not judged'
    WHEN (q.min IS NULL OR q.actual >= q.min - 1e-12) AND (q.max IS NULL OR q.actual <= q.max + 1e-12) THEN 'passed' ELSE 'failed' END AS passed
  FROM (\n${parts.join('\nUNION ALL\n')}\n  ) q
) o`;
  }
}

/** Whether a KPI is a share (shown as a percentage). */
function isRate(kpi: string): boolean {
  return kpi.endsWith('.compliance') || kpi.endsWith('good_share') || kpi === 'fcr' || kpi.endsWith('_rate');
}
