/**
 * The aggregate relations of the compiled script, as `check --engine postgres` fetches them and
 * `report --from DIR` reads them from CSV exports: names, the columns each must have, and the rows
 * (text, as an export gives them). Relations the script of this release does not yet compute are
 * said as report parts left empty; the totals and the compliance figures a script without the
 * accumulator relations has (sla_summary, sla_objectives) are read from those.
 */
import type { RowProblem } from '../model/ticket.js';
import type { CustomKpi } from '../config/types.js';
import { hiddenChars, shownEscape } from '../text/escape.js';

type Rows = Record<string, string | null>[];

/** relation -> the columns the CLI reads (SQL-CONTRACT; README "Running where your data is") */
export const RELATION_COLUMNS: Record<string, string[]> = {
  sla_params: ['as_of'],
  sla_totals: ['rows', 'tickets', 'evaluated', 'problems', 'outside_range', 'without_history', 'event_rows', 'event_problems', 'kpi_cell_problems'],
  sla_acc: ['scope', 'dimension', 'key', 'period_label', 'tickets', 'backlog', 'tickets_breached', 'tickets_overdue', 'sat_n', 'sat_sum', 'sat_good', 'nps_n', 'promoters', 'detractors', 'fcr_base', 'fcr_yes', 'reopen_base', 'reopened', 'repeats'],
  sla_acc_sat: ['scope', 'dimension', 'key', 'period_label', 'value', 'n'],
  sla_acc_status: ['scope', 'dimension', 'key', 'period_label', 'metric', 'status', 'n'],
  sla_acc_times: ['scope', 'dimension', 'key', 'period_label', 'metric', 'elapsed_ms', 'n'],
  sla_acc_custom: ['scope', 'dimension', 'key', 'period_label', 'kpi', 'value', 'n'],
  sla_days: ['day', 'metric', 'status', 'n'],
  sla_day_categories: ['day', 'category', 'tickets'],
  sla_categories: ['category', 'tickets', 'breached', 'sat_sum', 'sat_n', 'repeats'],
  sla_category_times: ['category', 'elapsed_ms', 'n'],
  sla_category_sat: ['category', 'value', 'n'],
  sla_channels: ['channel', 'tickets', 'breached'],
  sla_hours: ['weekday', 'hour', 'tickets'],
  sla_worst_breaches: ['rank', 'id', 'metric', 'status', 'policy', 'priority', 'target_ms', 'elapsed_ms', 'due_ms', 'completed_ms', 'row_no'],
  sla_escalation: ['day', 'level', 'tickets', 'open'],
  sla_credits: ['period', 'first_day', 'priority', 'met', 'judged', 'breaches', 'hours_over', 'per_breach', 'per_hour_over'],
  sla_summary: ['breakdown', 'group_key', 'metric', 'met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured', 'compliance'],
  sla_objectives: ['objective', 'kpi', 'actual', 'tickets', 'passed'],
  sla_problems: ['row_no', 'source', 'problem'],
};

/**
 * What each column holds, checked on every row read from an export (csv-dir.ts): count, a whole
 * number >= 0 written in digits; number, any finite number; ms, a whole number of milliseconds; day,
 * 'YYYY-MM-DD'; weekday 0-6 and hour 0-23, in digits; text, anything. Every kind but text may be NULL
 * (an empty cell), which the script writes for a sum over no row; a column not named here is text.
 */
type Kind = 'count' | 'number' | 'ms' | 'day' | 'weekday' | 'hour';
const KINDS: Record<string, Record<string, Kind>> = {
  sla_params: { as_of: 'ms' },
  sla_totals: Object.fromEntries(RELATION_COLUMNS.sla_totals.map((c) => [c, 'count'])),
  sla_acc: Object.fromEntries(RELATION_COLUMNS.sla_acc.slice(4).map((c) => [c, c === 'sat_sum' ? 'number' : 'count'])),
  sla_acc_sat: { value: 'number', n: 'count' },
  sla_acc_status: { n: 'count' },
  sla_acc_times: { elapsed_ms: 'ms', n: 'count' },
  sla_acc_custom: { value: 'number', n: 'count' },
  sla_days: { day: 'day', n: 'count' },
  sla_day_categories: { day: 'day', tickets: 'count' },
  sla_categories: { tickets: 'count', breached: 'count', sat_sum: 'number', sat_n: 'count', repeats: 'count' },
  sla_category_times: { elapsed_ms: 'ms', n: 'count' },
  sla_category_sat: { value: 'number', n: 'count' },
  sla_channels: { tickets: 'count', breached: 'count' },
  sla_hours: { weekday: 'weekday', hour: 'hour', tickets: 'count' },
  sla_worst_breaches: { rank: 'count', target_ms: 'ms', elapsed_ms: 'ms', due_ms: 'ms', completed_ms: 'ms', row_no: 'count' },
  sla_escalation: { day: 'day', level: 'count', tickets: 'count', open: 'count' },
  sla_credits: { first_day: 'day', met: 'count', judged: 'count', breaches: 'count', hours_over: 'number', per_breach: 'number', per_hour_over: 'number' },
  sla_summary: { met: 'count', breached: 'count', overdue: 'count', running: 'count', at_risk: 'count', not_applicable: 'count', not_measured: 'count', compliance: 'number' },
  sla_objectives: { objective: 'count', actual: 'number', tickets: 'count' },
  sla_problems: { row_no: 'count' },
};

const EXPECTED: Record<Kind, string> = {
  count: 'a whole number >= 0 (a count)',
  number: 'a number',
  ms: 'a whole number of milliseconds',
  day: "a day 'YYYY-MM-DD'",
  weekday: 'a whole number from 0 (Monday) to 6',
  hour: 'a whole number from 0 to 23',
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/**
 * A count (weekday, hour) as exports write one: digits, never an exponent, a sign or a fraction (no
 * exporter writes 1e3 for a count: it is an edit). `.0` is allowed: the README's Spark route
 * (toPandas().to_csv) writes an integer column that has a NULL as doubles, 12 as 12.0.
 */
const WHOLE = /^\d+(\.0+)?$/;

function fits(kind: Kind, v: string): boolean {
  if (kind === 'day') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$/.exec(v);
    return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12 && Number(m[3]) >= 1 && Number(m[3]) <= 31;
  }
  const t = v.trim();
  const n = Number(t);
  if (!NUMBER.test(t) || !Number.isFinite(n)) return false;
  if (kind === 'number') return true;
  if (!Number.isSafeInteger(n)) return false;
  if (kind === 'ms') return true;
  return WHOLE.test(t) && (kind === 'weekday' ? n <= 6 : kind === 'hour' ? n <= 23 : true);
}

/** A cell as a message shows it: its first 40 characters, control and direction characters escaped. */
function shownCell(v: string): string {
  const cut = [...v].length > 40 ? `${[...v].slice(0, 40).join('')}…` : v;
  return JSON.stringify(cut).replace(hiddenChars(), shownEscape);
}

/**
 * The first cell of a relation's rows that is not of its column's kind, as a message naming the row
 * (the header is row 1), the column, the value and what is expected; undefined when every cell fits.
 */
export function badCell(name: string, rows: Record<string, string | null>[]): string | undefined {
  const kinds = Object.entries(KINDS[name] ?? {});
  for (let i = 0; i < rows.length; i++) {
    for (const [column, kind] of kinds) {
      const v = rows[i][column];
      if (v === null || v === undefined || fits(kind, v)) continue;
      return `row ${i + 2}, column "${column}": ${shownCell(v)} is not ${EXPECTED[kind]}`;
    }
  }
  return undefined;
}

/** sla_acc_custom's scopes (engine/restore.ts reads each) */
const SCOPES = ['overall', 'group', 'period', 'objective', 'scorecard'];

/**
 * The first row of sla_acc_custom the config cannot take, as a message naming the row, the column,
 * the value and what is allowed; undefined when every row fits. The script writes every row with
 * its KPI (one of the config's), scope, value and count (never empty: a ticket without a value has
 * no row), a share's value 1 (a hit) or 0; a row left out would change the KPI without a word.
 */
export function badCustomRow(rows: Record<string, string | null>[], custom: readonly CustomKpi[]): string | undefined {
  const empty = (v: string | null | undefined) => v === null || v === undefined || v === '';
  const at = (i: number, column: string, v: string | null | undefined) => `row ${i + 2}, column "${column}": ${empty(v) ? 'an empty cell' : shownCell(v!)}`;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const kpi = custom.find((k) => k.name === r.kpi);
    if (!kpi) {
      const names = custom.map((k) => k.name).join(', ');
      return `${at(i, 'kpi', r.kpi)} is not a custom KPI of the config (${names ? `kpis: ${names}` : 'it has no kpis:'}); compile the script with this config, or report with the config the script was compiled with`;
    }
    if (!SCOPES.includes(r.scope ?? '')) return `${at(i, 'scope', r.scope)} is not a scope (${SCOPES.join(', ')}); export the relation as the script computes it`;
    if (empty(r.value)) return `${at(i, 'value', r.value)} is not ${kpi.stat === 'share' ? `1 or 0 (share ${kpi.name}: a hit or not)` : EXPECTED.number}; export the relation as the script computes it`;
    if (kpi.stat === 'share' && Number(r.value) !== 0 && Number(r.value) !== 1) return `${at(i, 'value', r.value)} is not 1 or 0 (share ${kpi.name}: a hit or not); export the relation as the script computes it`;
    if (empty(r.n)) return `${at(i, 'n', r.n)} is not ${EXPECTED.count}; export the relation as the script computes it`;
  }
  return undefined;
}

/** The report parts each aggregate relation carries (what is left empty without it). */
const PARTS: [string[], string][] = [
  [['sla_acc', 'sla_acc_status', 'sla_acc_times'], 'KPIs other than compliance and tickets (backlog, overdue and breached tickets among them, also per breakdown), breakdowns by fields other than priority and policy, per-period KPIs and scorecards'],
  [['sla_days', 'sla_day_categories'], 'the trend by period'],
  [['sla_categories', 'sla_category_times'], 'complaint categories'],
  [['sla_channels', 'sla_hours'], 'hotspots by channel and hour'],
  [['sla_worst_breaches'], 'the worst breaches'],
  [['sla_escalation'], 'escalation levels'],
];

export interface Fetched {
  relations: Partial<Record<string, Rows>>;
  problems: RowProblem[];
  /** report parts no relation of the script computes (said on stderr, left empty) */
  missing: string[];
  /** the compiled objectives' places among the run's (scorecard objectives are judged here, not compiled) */
  objectiveIndex?: number[];
}

export type Query = (sql: string) => Promise<{ columns: string[]; rows: (string | null)[][] }>;

const asObjects = (r: { columns: string[]; rows: (string | null)[][] }): Rows => r.rows.map((row) => Object.fromEntries(r.columns.map((c, i) => [c, row[i]])));

/** The problems kept in the report (the first 10,000, as the engine keeps). */
const MAX_PROBLEMS = 10_000;

/**
 * The aggregate relations the script defines, fetched (never sla_ticket_metrics' rows).
 */
export async function fetchRelations(query: Query, statements: string[]): Promise<Fetched> {
  const defined = new Set(statements.flatMap((s) => [...s.matchAll(/CREATE (?:TEMP |OR REPLACE TEMP )?(?:TABLE|VIEW) "(sla_[a-z_]+)"/g)].map((m) => m[1])));
  const relations: Fetched['relations'] = {};
  for (const name of Object.keys(RELATION_COLUMNS)) {
    if (!defined.has(name) || name === 'sla_problems') continue;
    relations[name] = asObjects(await query(`SELECT * FROM ${name}`));
  }
  relations.sla_problems = asObjects(await query(`SELECT row_no, id, source, problem FROM sla_problems ORDER BY source DESC, row_no LIMIT ${MAX_PROBLEMS}`));
  return { relations, problems: [], missing: missingParts(relations) };
}

/** The report parts without their relations. */
export function missingParts(relations: Fetched['relations']): string[] {
  return PARTS.filter(([names]) => names.some((n) => !relations[n])).map(([, what]) => what);
}

/** The rows with a row's custom KPI problems in the config's order of the KPIs, as the engine finds them (the rest as fetched). */
function inKpiOrder(rows: Rows, custom: readonly CustomKpi[]): Rows {
  if (!custom.length) return rows;
  const rank = (r: Record<string, string | null>) => custom.findIndex((k) => k.name === CUSTOM_CELL.exec(r.problem ?? '')?.[1]) + 1;
  const out: Rows = [];
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (j < rows.length && rows[j].row_no === rows[i].row_no && rows[j].source === rows[i].source) j++;
    out.push(...rows.slice(i, j).sort((a, b) => rank(a) - rank(b)));
    i = j;
  }
  return out;
}

/** sla_problems' wording of a custom KPI cell that is not a number (engine/custom-kpis.ts) */
export const CUSTOM_CELL = /; custom KPI (\S+) leaves this ticket out \(it is evaluated for everything else\)\./;

/** The column a row problem is about: the canonical field it names, as the table (or the config) calls it. */
export type ProblemColumn = (source: 'tickets' | 'history', field: string) => string | undefined;

/** sla_problems' rows as the report's row problems: the table (or file) and row, the column as the table names it, the message. */
export function problemsOf(rows: Rows, tickets: string, history: string | undefined, column: ProblemColumn, custom: readonly CustomKpi[] = []): RowProblem[] {
  return inKpiOrder(rows, custom).map((r) => {
    const source = r.source === 'history' ? 'history' : 'tickets';
    const text = r.problem ?? '';
    // a custom KPI's cell that is not a number: the column the KPI reads, the message as it is
    const kpi = source === 'tickets' ? CUSTOM_CELL.exec(text)?.[1] : undefined;
    const k = kpi === undefined ? undefined : custom.find((x) => x.name === kpi);
    if (k) return { file: tickets, row: Number(r.row_no), column: column('tickets', k.column) ?? k.column, message: text };
    const dup = /^duplicate ticket id/.test(text);
    const m = dup ? null : /^([a-z_ ]+): (.*)$/.exec(text);
    const field = dup ? 'id' : m ? m[1].replace(/ /g, '_') : undefined;
    const col = field === undefined ? undefined : column(source, field);
    return { file: source === 'history' ? history ?? 'history' : tickets, row: Number(r.row_no), ...(col !== undefined ? { column: col } : {}), message: m ? m[2] : text };
  });
}

/**
 * A script without the accumulator relations: the compliance counts of sla_summary (all tickets,
 * by priority and by policy) and each compliance objective's met and judged tickets of
 * sla_objectives, as accumulator rows; nothing else is made up (the rest stays empty, and is said).
 */
export function fromSummary(relations: Fetched['relations']): void {
  if (relations.sla_acc_status || !relations.sla_summary) return;
  const status: Rows = [];
  const acc: Rows = [];
  const scope = (r: Record<string, string | null>) => (r.breakdown === 'all' ? { scope: 'overall', dimension: '', key: '' } : { scope: 'group', dimension: r.breakdown, key: r.group_key });
  const statuses = ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured'];
  for (const r of relations.sla_summary) {
    if (r.metric === 'overall') continue;
    const s = scope(r);
    for (const st of statuses) status.push({ ...s, period_label: '', metric: r.metric, status: st, n: r[st] });
    // each ticket has one status per metric: the first response's statuses add up to the tickets
    if (r.metric === 'first_response') acc.push({ ...s, period_label: '', tickets: String(statuses.reduce((a, st) => a + Number(r[st] ?? 0), 0)), repeats: null });
  }
  for (const r of relations.sla_objectives ?? []) {
    // numbered from 1 among the objectives compiled; the objective scope counts from 0
    const i = Number(r.objective) - 1;
    const judged = Number(r.tickets ?? 0);
    const met = r.actual === null || r.actual === '' ? 0 : Math.round(Number(r.actual) * judged);
    const metric = (r.kpi ?? '').split('.')[0];
    const s = { scope: 'objective', dimension: String(i), key: '', period_label: '', metric: metric === 'overall' ? 'first_response' : metric };
    status.push({ ...s, status: 'met', n: String(met) }, { ...s, status: 'breached', n: String(judged - met) });
  }
  relations.sla_acc_status = status;
  relations.sla_acc = acc;
}
