import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { DIALECTS } from '../sql/dialect.js';
import { PERIODS, type Period } from '../config/schema.js';
import type { CliCommand } from './options.js';


const HELP = `
Examples:
  $ sla-audit sql --dialect postgres --from 2026-01-01 --to 2027-01-01 --as-of 2026-11-01 > sla.sql
  $ sla-audit sql --dialect postgres --typed --schema sla_report --gate --from 2026-01-01 --to 2027-01-01 -o sla.sql
  $ sla-audit sql --dialect duckdb --table tickets --history status_changes --row-column row_no --from 2026-01-01 --to 2027-01-01
  $ sla-audit sql --dialect spark --spine-table sla_spine --from 2026-01-01 --to 2027-01-01   # the spine loaded from sla-audit calendar -f csv

The script reads a tickets table whose columns are named as in tickets.columns (the first header
of each), and with --history a status-history table named as in events.columns. It leaves
sla_ticket_metrics (one row per ticket and metric: the per-ticket CSV's columns), sla_summary,
sla_objectives, sla_problems (rows the engine would leave out), and the KPI relations sla_acc,
sla_acc_status, sla_acc_times and sla_kpis (overall, per --group-by field, per --period, per
objective and per scorecard group) as temporary tables; with
--schema NAME as tables in that schema, replacing the previous run's. The report's aggregates
(sla_days, sla_categories, sla_channels, sla_hours, sla_worst_breaches, sla_escalation, sla_totals,
sla_credits, …) are temporary tables too, each named with its columns in the script's header. --gate ends the script with a
statement that fails when an objective fails (psql -v ON_ERROR_STOP=1 -f then exits non-zero).
--typed: the time columns hold instants (timestamptz) already, read without parsing text.
--from and --to bound the creation times the spine covers (it reaches past --to far enough for
every target). What the SQL cannot compute as the engine does is refused with exit 2, never
approximated (README: "Running where your data is").
Exit codes: 0 written · 2 usage or config error, or a feature the SQL does not compile`;

interface SqlOptions {
  config?: string;
  dialect: string;
  table: string;
  history?: string;
  rowColumn?: string;
  historyOrder?: string;
  asOf?: string;
  since?: string;
  until?: string;
  from?: string;
  to?: string;
  spineTable?: string;
  typed?: boolean;
  schema?: string;
  gate?: boolean;
  complianceObjectivesOnly?: boolean;
  groupBy?: string;
  period?: Period;
  out?: string;
}

export function sqlCommand(): CliCommand {
  const command = new Command('sql')
    .description('the config compiled to SQL for a warehouse: per-ticket metrics, KPIs, objectives')
    .addOption(new Option('--dialect <name>', 'the SQL engine').choices([...DIALECTS]).makeOptionMandatory())
    .option('-c, --config <file>', 'config file (default: sla-audit.yaml, sla-audit.yml, sla.yaml or sla.yml here)')
    .option('--table <name>', 'the tickets table (may be qualified: schema.table)', 'tickets')
    .option('--history <name>', 'a status-history table (the --events columns) for pauses and reopens')
    .option('--row-column <name>', "a column of the tickets table giving each row's order: for a repeated id the later row wins (without it every row of a repeated id is a problem)")
    .option('--history-order <name>', 'a column of the history table giving the order of changes at the same time')
    .option('--as-of <time>', 'the instant open tickets are measured at (default: when the script runs)')
    .option('--since <date>', 'only tickets created from this date')
    .option('--until <date>', 'only tickets created before this date')
    .option('--from <date>', 'the first creation date to audit: the spine written into the script starts a few days before (required)')
    .option('--to <date>', 'the creation date to audit up to (exclusive): the spine reaches past it to the last due time (required)')
    .option('--schema <name>', 'keep the result tables (sla_ticket_metrics, sla_summary, sla_objectives, sla_problems, sla_acc, sla_acc_status, sla_acc_times, sla_kpis) in this schema, replacing the previous run\'s')
    .option('--gate', 'end with a statement that fails when an objective fails, naming it (psql -v ON_ERROR_STOP=1 then exits non-zero)')
    .option('--typed', 'the time columns are already instants (TIMESTAMPTZ, or the engine\'s equivalent): read as they are, not parsed from text')
    .option('--spine-table <name>', 'read the spine from this table (loaded from sla-audit calendar -f csv) instead of writing it into the script')
    .option('--group-by <fields>', 'the breakdown fields of sla_acc and sla_kpis, comma-separated, as check\'s (default: priority,policy)')
    .addOption(new Option('--period <period>', 'KPIs per creation period too (sla_acc scope period), as check\'s').choices([...PERIODS]))
    .option('--compliance-objectives-only', 'leave out objectives on other KPIs and scorecards (the script says so) instead of refusing them')
    .option('-o, --out <file>', 'write the script to this file instead of standard output')
    .addHelpText('after', HELP);
  return { command, run: runSql };
}

async function runSql(opts: SqlOptions): Promise<number> {
  if (opts.from === undefined || opts.to === undefined) throw new UsageError('sql needs --from and --to: the creation dates the calendar spine must cover, e.g. --from 2026-01-01 --to 2027-01-01');
  const [{ configFrom }, { parseInstant }, { compileSql, quoteTableName, spineRangeFor }, { CANONICAL_FIELDS }] = await Promise.all([
    import('./options.js'), import('../time/instant.js'), import('../sql/index.js'), import('../config/schema.js'),
  ]);
  const config = await configFrom(opts);
  const at = (name: string, v: string | undefined) => (v === undefined ? undefined : parseInstant(name, v, config.zone));
  const from = at('--from', opts.from)!;
  const to = at('--to', opts.to)!;
  if (to <= from) throw new UsageError('--to must be after --from');
  if (to - from > 3660 * 86_400_000) throw new UsageError('--from and --to are more than ten years apart; compile for a shorter span');
  const asOf = at('--as-of', opts.asOf);
  const canonical = new Set<string>(CANONICAL_FIELDS);
  const columns = {
    column(key: string) {
      const k = key.trim().toLowerCase();
      if (canonical.has(k)) return config.tickets.columns[k as keyof typeof config.tickets.columns]?.[0];
      return key.trim();
    },
  };
  const quoteTable = (name: string) => quoteTableName(opts.dialect as never, name);
  const ec = config.events.columns;
  const compiled = compileSql({
    config, dialect: opts.dialect as never, table: quoteTable(opts.table), columns, rowColumn: opts.rowColumn,
    history: opts.history ? { table: quoteTable(opts.history), id: ec.ticket_id[0], time: ec.timestamp[0], status: ec.status[0], order: opts.historyOrder } : undefined,
    asOf, since: at('--since', opts.since), until: at('--until', opts.until), typed: !!opts.typed, schema: opts.schema, gate: opts.gate,
    range: spineRangeFor(config, from, Math.max(to, asOf ?? to)), spineTable: opts.spineTable ? quoteTable(opts.spineTable) : undefined,
    groupBy: opts.groupBy ? opts.groupBy.split(',').map((x) => x.trim()).filter(Boolean) : undefined, period: opts.period,
    objectives: opts.complianceObjectivesOnly ? config.objectives.filter((o) => o.kind === 'kpi' && o.kpi.endsWith('.compliance')) : config.objectives,
    leftOut: opts.complianceObjectivesOnly ? config.objectives.length - config.objectives.filter((o) => o.kind === 'kpi' && o.kpi.endsWith('.compliance')).length : 0,
    configName: config.file,
  });
  // what the script leaves out on this dialect (its header says so too)
  for (const note of compiled.notes) process.stderr.write(`sla-audit: note: not compiled: ${note}\n`);
  if (opts.out) {
    const [{ writeFileAtomic }, { checkTarget, configReads }, { resolve }] = await Promise.all([import('../output/files.js'), import('../output/targets.js'), import('node:path')]);
    // never over the config or a holiday file it reads (sql -o sla.yaml replaced the config with the script)
    checkTarget(resolve(opts.out), opts.out, '-o', [{ path: config.file, what: 'the config' }, ...configReads(config)]);
    writeFileAtomic(opts.out, compiled.sql);
  } else process.stdout.write(compiled.sql);
  return 0;
}
