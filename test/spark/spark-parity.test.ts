/**
 * npm run test:spark (also in .ci/run): the compiled Spark SQL run by Spark itself in local mode on
 * the hand-worked fixtures gives the engine's per-ticket rows; the BigQuery and Snowflake scripts
 * parse in their own dialect (sqlglot). Needs the venv test/spark/setup.sh makes (SPARK_PYTHON).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadConfig, parseInstant } from '../../src/index.js';
import { compileSql } from '../../src/sql/index.js';
import { spineRangeFor } from '../../src/sql/range.js';
import { engineRows, readCsvText, type MetricRow, type SqlRunner } from '../helpers/sql-parity.js';
import { sqlBreaches, sqlCategories, sqlCredits, sqlEscalation, sqlHotspots, sqlPeriods, sqlTotals } from '../helpers/sql-report.js';
import { engineKpis, kpisOf } from '../helpers/sql-kpi-parity.js';
import { SQL_KPIS } from '../../src/sql/kpi-relations.js';
import { FIXTURES } from '../sql/fixtures.js';

const PYTHON = process.env.SPARK_PYTHON;

type SparkResult = Record<string, Record<string, unknown>[]> & { metrics: Record<string, unknown>[]; problems: { source: string; row_no: number }[] };

/** The report's relations each job reads back (the category ones only where the script has them: no text to fold). */
const REPORT_QUERIES = ['sla_days', 'sla_channels', 'sla_hours', 'sla_worst_breaches ORDER BY rank', 'sla_escalation ORDER BY day', 'sla_totals'];
const CATEGORY_QUERIES = ['sla_day_categories', 'sla_categories', 'sla_category_times'];

/** A runner over one job's fetched rows, for the helpers that read the report's relations. */
const fetched = (got: SparkResult): SqlRunner => ({
  name: 'spark',
  run: async (sql) => got[sql.replace(/^SELECT \* FROM /, '')] ?? [],
  close: async () => {},
});

async function job(dir: string, asOfText: string, events?: string) {
  const config = loadConfig(`fixtures/${dir}/sla.yaml`);
  const asOf = parseInstant('--as-of', asOfText, config.zone);
  const tickets = `fixtures/${dir}/tickets.csv`;
  const engine = await engineRows(config, [tickets], asOf, events ? [`fixtures/${dir}/${events}`] : []);
  const header = readCsvText(tickets).header.map((h) => h.trim());
  const find = (wanted: string[]) => wanted.map((w) => header.find((h) => h.toLowerCase() === w.trim().toLowerCase())).find((h) => h !== undefined);
  const columns = { column: (key: string) => find(config.tickets.columns[key as keyof typeof config.tickets.columns] ?? [key]) };
  let history;
  if (events) {
    const eh = readCsvText(`fixtures/${dir}/${events}`).header.map((h) => h.trim());
    const f = (w: string[]) => w.map((x) => eh.find((h) => h.toLowerCase() === x.toLowerCase())).find((h) => h !== undefined)!;
    history = { table: '`history`', id: f(config.events.columns.ticket_id), time: f(config.events.columns.timestamp), status: f(config.events.columns.status), order: '_row' };
  }
  const compiled = compileSql({
    config, dialect: 'spark', table: '`tickets`', columns, rowColumn: '_row', history, asOf, range: spineRangeFor(config, engine.first, engine.last),
    objectives: config.objectives.filter((o) => o.kind === 'kpi' && o.kpi.endsWith('.compliance')),
  });
  const folds = config.categories.aliases.size > 0 || config.categories.rules.length > 0 || config.satisfaction.values.size > 0;
  const report = [...REPORT_QUERIES, ...(folds ? [] : CATEGORY_QUERIES), ...(config.credits ? ['sla_credits'] : [])];
  return {
    engine, config, folds,
    job: {
      name: dir, statements: compiled.statements,
      tables: { tickets, ...(events ? { history: `fixtures/${dir}/${events}` } : {}) },
      queries: {
        metrics: 'SELECT * FROM sla_ticket_metrics ORDER BY row_no, metric', problems: 'SELECT * FROM sla_problems ORDER BY row_no', kpis: 'SELECT * FROM sla_kpis',
        ...Object.fromEntries(report.map((q) => [q, `SELECT * FROM ${q}`])),
      },
    },
  };
}

describe.skipIf(!PYTHON)('Spark SQL (local mode) gives the engine\'s rows', () => {
  // One Spark session runs every fixture's job in turn (starting Spark is the slow part) and says
  // each job's rows as soon as that job ends: a test per fixture waits for its own job only.
  const results = new Map<string, { resolve: (v: SparkResult) => void; reject: (e: Error) => void; promise: Promise<SparkResult> }>();
  const jobs = new Map<string, Awaited<ReturnType<typeof job>>>();
  beforeAll(async () => {
    for (const [dir, asOf, events] of FIXTURES) {
      let resolve!: (v: SparkResult) => void, reject!: (e: Error) => void;
      const promise = new Promise<SparkResult>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {}); // a failure is reported by the test that awaits it
      results.set(dir, { resolve, reject, promise });
      jobs.set(dir, await job(dir, asOf, events));
    }
    const spark = spawn(PYTHON!, ['test/spark/run_jobs.py'], { stdio: ['pipe', 'pipe', 'inherit'] });
    createInterface({ input: spark.stdout }).on('line', (line) => {
      if (!line.startsWith('SLA_JOB ')) return;
      const { name, result } = JSON.parse(line.slice(8));
      results.get(name)?.resolve(result);
    });
    spark.on('close', (code) => {
      for (const r of results.values()) r.reject(new Error(`Spark exited ${code} before this job's rows`));
    });
    spark.stdin.end(JSON.stringify([...jobs.values()].map((j) => j.job)));
  });

  test.each(FIXTURES.map(([dir]) => dir))('%s', async (dir) => {
    const got = await results.get(dir)!.promise;
    const { engine, job: j } = jobs.get(dir)!;
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const rows = got.metrics.map((r: Record<string, unknown>): MetricRow => ({
      ticket_id: String(r.ticket_id), policy: String(r.policy), priority: String(r.priority), metric: String(r.metric), status: String(r.status),
      target_ms: n(r.target_ms), elapsed_ms: n(r.elapsed_ms), due_ms: n(r.due_ms), completed_ms: n(r.completed_at_ms),
    }));
    expect(rows, j.name).toEqual(engine.rows);
    const text = got.metrics.map((r: Record<string, unknown>) => [r.ticket_id, r.policy, r.priority, r.metric, r.status, r.target_minutes === null ? '' : Number(r.target_minutes), r.elapsed_minutes === null ? '' : Number(r.elapsed_minutes), r.due_at ?? '', r.completed_at ?? ''].join(','));
    expect(text, j.name).toEqual(engine.csv);
    const left = (xs: string[]) => [...new Set(xs)].sort();
    expect(left(got.problems.map((p: { source: string; row_no: number }) => `${p.source} ${p.row_no}`)), j.name)
      .toEqual(left(engine.result.problems.map((p) => `${p.file.endsWith('tickets.csv') ? 'tickets' : 'history'} ${p.row}`)));
    // the report's aggregates (test/sql/report-parity.test.ts does the same on DuckDB and PostgreSQL)
    const db = fetched(got);
    const res = engine.result;
    const { config, folds } = jobs.get(dir)!;
    const periods = await sqlPeriods(db, res.periodKind, !folds);
    expect([...periods.keys()].sort(), j.name).toEqual(res.periods.map((p) => p.period).sort());
    for (const p of res.periods) {
      for (const m of ['first_response', 'resolution'] as const) expect(periods.get(p.period)!.metrics[m], j.name).toEqual(Object.fromEntries(Object.entries(p.metrics[m]).filter(([k]) => k !== 'compliance')));
      if (!folds) expect(periods.get(p.period)!.categories, j.name).toEqual(p.categories);
    }
    if (!folds) expect(await sqlCategories(db), j.name).toEqual(res.categories);
    expect(await sqlHotspots(db), j.name).toEqual(res.hotspots);
    expect(await sqlBreaches(db), j.name).toEqual(res.breaches.map(({ file: _file, ...b }) => b));
    expect(await sqlEscalation(db, config.levels, res.periodKind), j.name).toEqual(res.escalation);
    if (res.credits) expect(await sqlCredits(db), j.name).toEqual(res.credits.periods.map((p) => ({ period: p.period, tickets_judged: p.tickets_judged, compliance: p.compliance, breaches: p.breaches, hours_over: p.hours_over, breach_amount: p.breach_amount })));
    const t = res.totals;
    expect(await sqlTotals(db, t.without_history !== undefined), j.name).toEqual({ rows: t.rows, tickets: t.tickets, evaluated: t.evaluated, problems: t.problems, outside_range: t.outside_range, ...(t.without_history !== undefined ? { without_history: t.without_history } : {}) });
    // sla_kpis: every KPI overall and per priority and policy, as the engine's (Spark cannot NFKC-normalise:
    // a category read from full-width text leaves repeat complaints unknown, as on DuckDB)
    const kpis = [...SQL_KPIS];
    const want = (v: Record<string, number | null>) => ({ ...engineKpis(v, kpis), ...(dir === 'reports/categories' ? { repeat_rate: null } : {}) });
    expect(kpisOf(got.kpis, 'overall', '', ''), j.name).toEqual(want(res.kpis));
    for (const field of ['priority', 'policy']) for (const g of res.groups[field]) expect(kpisOf(got.kpis, 'group', field, g.key), `${j.name} ${field} ${g.key}`).toEqual(want(g.kpis));
    // the first job waits for Spark to start, and each job's dozens of statements run one after another on a shared machine
  }, 900_000);

  test('the BigQuery and Snowflake scripts parse in their dialects (sqlglot)', () => {
    const config = loadConfig('fixtures/events/pauses-from-history/sla.yaml');
    const range = { from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 6, 1) };
    const mapped = config.tickets.columns as Record<string, string[] | undefined>;
    const columns = { column: (k: string) => mapped[k]?.[0] ?? (['id', 'created_at', 'first_response_at', 'resolved_at'].includes(k) ? undefined : undefined) };
    const scripts = Object.fromEntries((['bigquery', 'snowflake', 'spark', 'duckdb', 'postgres'] as const).map((d) => [d, compileSql({
      config, dialect: d, table: d === 'bigquery' || d === 'spark' ? '`tickets`' : '"tickets"', columns, rowColumn: '_row',
      history: { table: d === 'bigquery' || d === 'spark' ? '`history`' : '"history"', id: 'Ticket', time: 'Changed', status: 'New Status' },
      asOf: Date.UTC(2026, 5, 8, 12), range, objectives: config.objectives,
    }).sql]));
    const errors = JSON.parse(execFileSync(PYTHON!, ['test/spark/parse_dialects.py'], { input: JSON.stringify(scripts), encoding: 'utf8' }));
    expect(errors).toEqual({ bigquery: [], snowflake: [], spark: [], duckdb: [], postgres: [] });
  });
});
