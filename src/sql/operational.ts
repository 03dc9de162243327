/**
 * What makes the script an operational step: `--schema NAME` keeps the result tables in a schema
 * (the previous run's replaced in one transaction where the engine has transactional DDL), and
 * `--gate` ends the script with a statement that fails when an objective fails, naming it, so
 * that `psql -v ON_ERROR_STOP=1 -f`, `duckdb -c` or `spark-sql -f` exits non-zero.
 */
import type { Dialect } from './dialect.js';

/** The relations a warehouse reads, kept by --schema (with the report's aggregates and sla_acc_custom where the script makes them: keptRelations). */
const RESULTS = ['sla_ticket_metrics', 'sla_summary', 'sla_objectives', 'sla_problems', 'sla_acc', 'sla_acc_status', 'sla_acc_times', 'sla_kpis'];

/**
 * What --schema keeps of a script that defines `defined`: the results, then every aggregate the
 * report reads (`later`, in its order) that this script makes — so that report --from can render
 * the whole report from the kept tables (categories the dialect leaves out, credits without
 * credits and custom KPIs without kpis: are not made, so not kept).
 */
export function keptRelations(defined: ReadonlySet<string>, later: readonly string[]): string[] {
  return [...RESULTS, ...later.filter((t) => defined.has(t) && !RESULTS.includes(t))];
}

/**
 * What --schema drops there: every relation of the known set (`later`) that this script does not
 * make — an earlier run's, with another config (credits, kpis:) or another dialect's categories,
 * would otherwise stay beside this run's tables and be exported with them.
 */
export function staleRelations(defined: ReadonlySet<string>, later: readonly string[]): string[] {
  return later.filter((t) => !defined.has(t) && !RESULTS.includes(t));
}

/** Statements the script starts with (Spark: every table goes into the schema). */
export function preamble(d: Dialect, schema: string | undefined): string[] {
  const out: string[] = [];
  if (d.prelude) out.push(d.prelude);
  // Spark's relations are tables of the current database already: the run's go into the schema
  if (d.name === 'spark' && schema !== undefined) out.push(`CREATE SCHEMA IF NOT EXISTS ${d.ident(schema)};`, `USE ${d.ident(schema)};`);
  return out;
}

/**
 * The statements that copy the results into the schema, replacing the previous run's, and drop
 * there the `stale` relations an earlier run kept that this one does not make.
 */
export function keepResults(d: Dialect, schema: string, kept: readonly string[], stale: readonly string[] = []): string[] {
  const s = d.ident(schema);
  const to = (t: string) => `${s}.${d.ident(t)}`;
  const drops = (qualify: (t: string) => string) => stale.map((t) => `DROP TABLE IF EXISTS ${qualify(t)};`);
  switch (d.name) {
    case 'postgres':
      // DDL is transactional: a reader sees the previous run's tables until COMMIT, and a failure
      // (a view of the user's that depends on one) leaves them as they were
      return [`CREATE SCHEMA IF NOT EXISTS ${s};`, `BEGIN;\n${[...kept.map((t) => `DROP TABLE IF EXISTS ${to(t)};\nCREATE TABLE ${to(t)} AS SELECT * FROM ${d.ident(t)};`), ...drops(to)].join('\n')}\nCOMMIT;`];
    case 'duckdb':
      return [`CREATE SCHEMA IF NOT EXISTS ${s};`, `BEGIN TRANSACTION;\n${[...kept.map((t) => `CREATE OR REPLACE TABLE ${to(t)} AS SELECT * FROM temp.${d.ident(t)};`), ...drops(to)].join('\n')}\nCOMMIT;`];
    case 'spark':
      // written there from the start (preamble); an earlier run's others dropped from it (USE NAME)
      return drops((t) => d.ident(t));
    default:
      // BigQuery and Snowflake: each table replaced at once, not all together
      return [`CREATE SCHEMA IF NOT EXISTS ${s};`, ...kept.map((t) => `CREATE OR REPLACE TABLE ${to(t)} AS SELECT * FROM ${d.ident(t)};`), ...drops(to)];
  }
}

/** Why --gate is not compiled for a dialect, naming what to do instead; undefined when it is. */
export function gateRefusal(d: Dialect): string | undefined {
  if (d.name === 'snowflake') return '--gate is not compiled for snowflake (it has no function that fails a query with a message); read sla_objectives after the run, or gate with sla-audit check on the export';
  return undefined;
}

/** The last statement with --gate: fails, naming each failed objective, its actual and its minimum. */
export function gateStatement(d: Dialect): string {
  // the actual against the bound, as sla_objectives words it (compliance: 87.56% < 90.00%)
  const desc = d.concat([
    "'objective '", d.intText('objective'), "' ('", 'kpi',
    `COALESCE(${d.concat(["', priority '", 'priority'])}, '')`, `COALESCE(${d.concat(["', policy '", 'policy'])}, '')`,
    `COALESCE(${d.concat(["', period '", 'period'])}, '')`,
    "'): '", 'detail',
  ]);
  const failed = "FROM sla_objectives WHERE passed = 'failed'";
  switch (d.name) {
    case 'postgres':
      return `DO $sla_gate$
DECLARE failed text;
BEGIN
  SELECT string_agg(${desc}, '; ' ORDER BY objective, period) INTO failed ${failed};
  IF failed IS NOT NULL THEN RAISE EXCEPTION 'sla-audit gate: % failed', failed; END IF;
END
$sla_gate$;`;
    case 'duckdb':
      return `SELECT CASE WHEN COUNT(*) > 0 THEN error('sla-audit gate: ' || string_agg(${desc}, '; ' ORDER BY objective, period) || ' failed') END AS gate ${failed};`;
    case 'spark':
      return `SELECT CASE WHEN COUNT(*) > 0 THEN raise_error(concat('sla-audit gate: ', concat_ws('; ', array_sort(collect_list(${desc}))), ' failed')) END AS gate ${failed};`;
    default:
      return `SELECT IF(COUNT(*) > 0, ERROR(CONCAT('sla-audit gate: ', STRING_AGG(${desc}, '; ' ORDER BY objective, period), ' failed')), NULL) AS gate ${failed};`;
  }
}
