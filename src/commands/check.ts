import { mark } from '../model/timeline.js';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appendFileSync, createReadStream, existsSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { ConfigError, InputError, UsageError, UserError } from '../errors.js';
import { parsePercent } from '../config/values.js';
import type { Config, Objective } from '../config/types.js';
import { PERIODS, type Period } from '../engine/periods.js';
import { compareBaseline } from '../engine/baseline.js';
import { judgedMetrics } from '../engine/olas.js';
import type { AuditResult } from '../engine/result.js';
import { readBaseline } from '../input/baseline.js';
import { ALL_EXTENSIONS, STDOUT_FORMATS, formatOfFile, type FormatName } from '../report/formats.js';
import { isCreditsFile } from '../report/credits-csv.js';
import { CUSTOMER_KEYS, customerKey, isRepeatsFile, type CustomerKey } from '../report/repeats-csv.js';
import type { ReportContext, TextFormat } from '../report/index.js';
import { problemLines } from '../report/problems.js';
import { safeText } from '../report/escape.js';
import { objectiveFailure, objectiveLabel, pct } from '../report/format.js';
import { copyIntoPlace, forgetTemp, moveIntoPlace, writeFileAtomic } from '../output/files.js';
import { useColor } from '../output/terminal.js';
import { TicketFile } from '../output/ticket-file.js';
import { checkTarget, configReads, osReason, refuseFolder, runInputs, type Input } from '../output/targets.js';
import { PROGRESS_WHEN, Progress, parseInterval, totalBytes, type ProgressWhen } from '../output/progress.js';
import { addInputOptions, asOfFrom, engineOption, langOption, reportLabels, type CliCommand } from './options.js';
import { isLang, messages } from '../report/i18n/index.js';

const HELP = `
Examples:
  $ sla-audit check -c sla.yaml tickets.csv
  $ sla-audit check --as-of 2026-04-01T00:00 -f json tickets.csv > report.json
  $ sla-audit check -q -o report.json -o tickets-sla.csv -o summary.md exports/*.csv
  $ sla-audit check --fail-under 95 --group-by priority,team tickets.csv
  $ cat tickets.csv | sla-audit check -f csv - | head
  $ sla-audit check -q -o report.xlsx -o wide.csv --wide tickets.csv      # for Excel: a workbook, a pivot-ready list
  $ SLA_AUDIT_HASH_KEY=… sla-audit check -q -o repeats.csv --customer-key hash tickets.csv   # repeat customers, keys hashed
  $ sla-audit check --engine postgres --db postgres://audit@db.internal/support --table tickets -o report.html   # in the database: only aggregates fetched

Exit codes: 0 objectives met · 1 an objective failed · 2 usage, config or input error`;

interface CheckOptions {
  engine?: 'streaming' | 'duckdb' | 'auto' | 'postgres';
  db?: string;
  historyTable?: string;
  rowColumn?: string;
  historyOrder?: string;
  statementTimeout?: string;
  /** report --from DIR: the aggregate relations exported as CSV */
  from?: string;
  config?: string;
  events: string[];
  messages: string[];
  sheet?: string;
  table?: string;
  asOf?: string;
  since?: string;
  until?: string;
  format: Exclude<FormatName, 'xlsx'>;
  out: string[];
  wide?: boolean;
  failUnder?: string;
  groupBy?: string;
  strict?: boolean;
  quiet?: boolean;
  period?: Period;
  baseline?: string;
  maxDrop?: string;
  color?: boolean;
  allowEmpty?: boolean;
  summary?: string;
  split?: string;
  customerKey?: CustomerKey;
  baselineOptional?: boolean;
  progress: ProgressWhen;
  progressInterval: string;
  lang?: string;
}

export function checkCommand(): CliCommand {
  const command = new Command('check')
    .description('evaluate tickets against the SLA, print a summary and write reports')
    .argument('[tickets...]', 'CSV files, or - for standard input (default: tickets.path from the config); with --engine duckdb also .parquet, .jsonl/.ndjson and .duckdb files');
  addInputOptions(command)
    .option('--since <date>', 'only tickets created at or after this')
    .option('--until <date>', 'only tickets created before this')
    .addOption(new Option('-f, --format <fmt>', 'what goes to standard output').choices(STDOUT_FORMATS).default('table'))
    .option('-o, --out <file>', 'write a report file; repeatable; format from the extension (.json .csv .md .html .xml .txt .xlsx); a .csv named repeats.csv or credits.csv (or ending -repeats.csv, -credits.csv) gets the repeat customers or the service credits', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .addOption(new Option('--customer-key <how>', 'the customer column of -o repeats.csv and of the workbook Tickets sheet: raw (as in the export), hash (HMAC-SHA-256 under $SLA_AUDIT_HASH_KEY) or short (its first characters)').choices([...CUSTOMER_KEYS]))
    .option('--wide', 'the per-ticket CSV (-f csv, -o .csv) as one row per ticket for Excel: created, team, agent, channel, category, hours and local times per metric')
    .option('--fail-under <percent>', 'objective: overall compliance must be at least this (95%, 95 or 0.95; 1 is ambiguous)')
    .addOption(new Option('--period <period>', 'add a trend grouped by creation period').choices([...PERIODS]))
    .option('--baseline <report.json>', 'compare compliance, every KPI and scorecard with an earlier JSON report')
    .option('--baseline-optional', 'with --baseline: a baseline file that does not exist yet is a notice, not an error (the first run compares nothing, and says so)')
    .option('--split <date>', 'compare every KPI, category share and scorecard group before and after this creation date')
    .option('--max-drop <points>', 'with --baseline: exit 1 when compliance fell by more than this many percentage points')
    .option('--group-by <fields>', 'breakdown fields, comma-separated (default: priority,policy)')
    .option('--strict', 'any input problem makes the run exit 2')
    .option('--allow-empty', 'a run that evaluates no ticket is not an error (default: exit 2, "no tickets to audit")')
    .option('--summary <file>', 'append the markdown summary to this file whatever the exit code ($GITHUB_STEP_SUMMARY is used when set)')
    .option('-q, --quiet', 'no summary on standard output (reports are still written)')
    .addOption(new Option('--progress <when>', 'progress on standard error: on a terminal a live line; without one a dated line every --progress-interval; auto: unless -q').choices([...PROGRESS_WHEN]).default('auto'))
    .option('--progress-interval <duration>', 'how often the progress line is written without a terminal (30s, 2m, 500ms)', '30s')
    .option('--no-color', 'no colour (also NO_COLOR; FORCE_COLOR forces it)')
    .addOption(langOption())
    .addOption(engineOption(true))
    .option('--table <name>', 'with --engine duckdb: the table to read in a ticket file that is a DuckDB database (.duckdb) (default: its only table); with --engine postgres: the tickets table (default: tickets; schema.table)')
    .option('--db <url>', 'with --engine postgres: the database, postgres://user[:password]@host[:port]/database (the password is never shown; PGPASSWORD also works)')
    .option('--history-table <name>', 'with --engine postgres: a status-history table (the --events columns) for pauses and reopens')
    .option('--row-column <name>', "with --engine postgres: a column giving each row's order, so that of two rows with the same id the later wins as in a file (without it both are problems)")
    .option('--history-order <name>', 'with --engine postgres: a column of the history table giving the order of changes at the same time')
    .option('--statement-timeout <duration>', 'with --engine postgres: cancel a statement that runs longer (30s, 10m, 1h; default: the server\'s, or PGOPTIONS=-cstatement_timeout=…); the run then exits 2 and leaves nothing behind')
    .addHelpText('after', HELP);
  return { command, run: runCheck };
}

const REPORT_HELP = `
The aggregate relations of the compiled script (sla-audit sql), exported as CSV files into one
folder, a <relation>.csv each with a header row: every report of check, and its exit code, for
engines sla-audit does not drive (Spark, BigQuery, Snowflake). README: "Running where your data is".

Examples:
  $ sla-audit report --from exports/ -c sla.yaml -o report.html -o report.json
  $ sla-audit report --from exports/ -c sla.yaml --fail-under 95 -f markdown >> "$GITHUB_STEP_SUMMARY"

Exit codes: 0 objectives met · 1 an objective failed · 2 usage, config or input error (a relation's file or column missing)`;

/** report --from DIR: check's reports and exit code from exported aggregate relations. */
export function reportCommand(): CliCommand {
  const command = new Command('report')
    .description('every report of check, and its exit code, from the aggregate relations of the compiled SQL exported as CSV files')
    .requiredOption('--from <dir>', 'the folder of exports: <relation>.csv each (sla_params, sla_totals, sla_problems, sla_acc, sla_acc_status, sla_acc_times, …)')
    .option('-c, --config <file>', 'the config the script was compiled from (default: sla-audit.yaml, sla-audit.yml, sla.yaml or sla.yml here)')
    .option('--as-of <time>', "the script's --as-of, when sla_params.csv is not exported")
    .addOption(new Option('-f, --format <fmt>', 'what goes to standard output').choices(STDOUT_FORMATS.filter((f) => f !== 'csv')).default('table'))
    .option('-o, --out <file>', 'write a report file; repeatable; format from the extension (.json .md .html .xml .txt .xlsx)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--fail-under <percent>', 'objective: overall compliance must be at least this (95%, 95 or 0.95)')
    .addOption(new Option('--period <period>', 'the trend by this creation period (the script computed it with the same --period)').choices([...PERIODS]))
    .option('--group-by <fields>', 'breakdown fields, as the script was compiled with (default: priority,policy)')
    .option('--baseline <report.json>', 'compare with an earlier JSON report')
    .option('--baseline-optional', 'with --baseline: a baseline file that does not exist yet is a notice')
    .option('--max-drop <points>', 'with --baseline: exit 1 when compliance fell by more than this many percentage points')
    .option('--strict', 'any row problem (sla_problems) makes the run exit 2')
    .option('--allow-empty', 'a run that evaluated no ticket is not an error')
    .option('--summary <file>', 'append the markdown summary to this file whatever the exit code ($GITHUB_STEP_SUMMARY is used when set)')
    .option('-q, --quiet', 'no summary on standard output (reports are still written)')
    .option('--no-color', 'no colour (also NO_COLOR; FORCE_COLOR forces it)')
    .addOption(langOption())
    .addHelpText('after', REPORT_HELP);
  return { command, run: (opts: CheckOptions) => runCheck([], { ...opts, events: [], messages: [], progress: 'never', progressInterval: '30s' }) };
}

/**
 * --baseline: the earlier report; under --baseline-optional a file that does not exist yet is the
 * first run's case: a notice, and the run compares nothing (any other reason it cannot be read is
 * still an error).
 */
function baselineOf(opts: CheckOptions): ReturnType<typeof readBaseline> | 'missing' | undefined {
  if (opts.baselineOptional && !opts.baseline) throw new UsageError('--baseline-optional needs --baseline <report.json>');
  if (!opts.baseline) return undefined;
  if (opts.baselineOptional && !existsSync(opts.baseline)) {
    process.stderr.write(`sla-audit: notice: --baseline ${safeText(opts.baseline)}: no such file yet; nothing is compared on this run (--baseline-optional)\n`);
    return 'missing';
  }
  return readBaseline(opts.baseline);
}

/** --progress-interval in ms (a usage error before anything is read). */
function intervalOf(opts: CheckOptions): number {
  const intervalMs = parseInterval(opts.progressInterval);
  if (typeof intervalMs === 'string') throw new UsageError(intervalMs);
  return intervalMs;
}

function failUnderObjective(value: string): Objective {
  const min = parsePercent(value);
  if (typeof min === 'string') throw new UsageError(`--fail-under: ${min}`);
  return { kind: 'kpi', kpi: 'overall.compliance', metric: 'overall', min, where: [], minTickets: 0, origin: '--fail-under' };
}

interface Target {
  file: string;
  shown: string;
  fmt: FormatName | 'credits' | 'repeats';
}

/** -o targets with their formats, from the extensions; a CSV named credits.csv (or *-credits.csv) gets the service credits. */
function outputTargets(out: string[], config: Config): Target[] {
  return out.map((file) => {
    const fmt = formatOfFile(file);
    if (!fmt) {
      refuseFolder(file, '-o');
      throw new UsageError(`-o ${file}: unknown extension (use ${ALL_EXTENSIONS.join(' ')})`);
    }
    if (fmt === 'csv' && isCreditsFile(file)) {
      if (!config.credits) throw new UsageError(`-o ${file}: a file named credits.csv gets the service credits, and ${config.file} has no credits: section (name the file otherwise for the per-ticket CSV)`);
      return { file: resolve(file), shown: file, fmt: 'credits' };
    }
    if (fmt === 'csv' && isRepeatsFile(file)) {
      return { file: resolve(file), shown: file, fmt: 'repeats' };
    }
    return { file: resolve(file), shown: file, fmt };
  });
}

/** Where the markdown summary is appended whatever the exit code: --summary, and $GITHUB_STEP_SUMMARY in GitHub Actions. */
function summaryFiles(opts: CheckOptions): { path: string; shown: string }[] {
  const given = [opts.summary, process.env.GITHUB_STEP_SUMMARY].filter((f): f is string => !!f);
  return [...new Set(given.map((f) => resolve(f)))].map((path) => ({ path, shown: given.find((g) => resolve(g) === path)! }));
}

function appendSummaries(files: { path: string; shown: string }[], markdown: string): void {
  for (const f of files) {
    try {
      appendFileSync(f.path, markdown.endsWith('\n') ? markdown : markdown + '\n');
    } catch (e) {
      throw new SummaryError(`--summary ${f.shown}: cannot append: ${osReason(e)}`);
    }
  }
}

/** A summary file that cannot be written: not itself reported into the summary. */
class SummaryError extends UsageError {}

/**
 * The summary files that may take a "not run" note: none that is an input or a folder (a refused
 * --summary writes nothing anywhere). The inputs are those the run knew when it stopped; before the
 * config is read, the tickets, side files, --baseline and the config file itself (and the ical: files
 * a config with errors named).
 */
async function safeSummaries(summaries: { path: string; shown: string }[], tickets: string[], opts: CheckOptions, known: Input[] | undefined, reads: string[]): Promise<{ path: string; shown: string }[]> {
  let configPath = opts.config ?? 'sla.yaml';
  try {
    configPath = (await import('../config/load.js')).findConfig(opts.config);
  } catch {
    /* no config found: the name given (or the default) is what is guarded */
  }
  const inputs = known ?? runInputs(tickets, opts, undefined, configPath, [...(opts.baseline ? [{ path: opts.baseline, what: 'the --baseline report' }] : []), ...configReads({ reads })]);
  return summaries.filter((f) => {
    try {
      checkTarget(f.path, f.shown, '--summary', inputs);
      return true;
    } catch {
      return false;
    }
  });
}

/** The step summary's heading of a run that did not happen, in --lang's language (the config may be what failed). */
function notRunHeadline(lang: string | undefined): string {
  const m = messages(lang !== undefined && isLang(lang) ? lang : 'en').common;
  return m.mdHeadline(m.mdNotRun);
}

async function runCheck(tickets: string[], opts: CheckOptions): Promise<number> {
  const summaries = summaryFiles(opts);
  const known: { inputs?: Input[] } = {};
  try {
    const code = await check(tickets, opts, summaries, known);
    mark('check: reports written');
    return code;
  } catch (e) {
    // the job summary says the run failed, too (the error itself goes to stderr as ever)
    if (e instanceof UserError && !(e instanceof SummaryError)) {
      try {
        appendSummaries(await safeSummaries(summaries, tickets, opts, known.inputs, e instanceof ConfigError ? e.reads : []), `## ${notRunHeadline(opts.lang)}\n\n\`\`\`\n${safeText(e.message)}\n\`\`\`\n`);
      } catch {
        /* the original error matters more */
      }
    }
    throw e;
  }
}

interface Settings {
  asOf: number | undefined;
  since?: number;
  until?: number;
  split?: number;
  maxDrop?: number;
  groupBy?: string[];
}

async function settingsOf(opts: CheckOptions, config: Config): Promise<Settings> {
  const asOf = await asOfFrom(opts, config);
  const { parseInstant } = await import('../time/instant.js');
  const since = opts.since ? parseInstant('--since', opts.since, config.zone) : undefined;
  const until = opts.until ? parseInstant('--until', opts.until, config.zone) : undefined;
  if (since !== undefined && until !== undefined && until <= since) throw new UsageError('--until must be after --since');
  if (opts.maxDrop !== undefined && !opts.baseline) throw new UsageError('--max-drop needs --baseline <report.json>');
  const maxDrop = opts.maxDrop === undefined ? undefined : Number(opts.maxDrop);
  if (maxDrop !== undefined && !(maxDrop >= 0)) throw new UsageError(`--max-drop "${opts.maxDrop}" is not a number of percentage points (e.g. 2 or 0.5)`);
  const groupBy = opts.groupBy ? opts.groupBy.split(',').map((x) => x.trim()).filter(Boolean) : undefined;
  const split = opts.split ? parseInstant('--split', opts.split, config.zone) : undefined;
  return { asOf, since, until, split, maxDrop, groupBy };
}

type Warehouse = typeof import('./warehouse.js');

/** --engine postgres and report --from: the module that computes from aggregates, once the options are checked. */
async function warehouseOf(tickets: string[], opts: CheckOptions, outputs: Target[]): Promise<Warehouse | undefined> {
  const perTicket = outputs.filter((o) => o.fmt === 'csv' || o.fmt === 'repeats').map((o) => o.shown);
  if (opts.from !== undefined) {
    const warehouse = await import('./warehouse.js');
    warehouse.refuseTicketOptions('report --from', opts, perTicket);
    return warehouse;
  }
  if (opts.engine !== 'postgres') {
    const only = (['db', 'historyTable', 'rowColumn', 'historyOrder', 'statementTimeout'] as const).find((k) => opts[k] !== undefined);
    if (only) throw new UsageError(`--${only.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is read with --engine postgres`);
    return undefined;
  }
  if (!opts.db) throw new UsageError('--engine postgres needs --db postgres://user@host[:port]/database (and --table, default tickets)');
  if (tickets.length) throw new UsageError(`--engine postgres reads the tickets from --table in the database, not from ${safeText(tickets[0])}; leave out the files, or leave out --engine postgres`);
  const warehouse = await import('./warehouse.js');
  warehouse.refuseTicketOptions('--engine postgres', opts, perTicket);
  return warehouse;
}

/** The workbook of a run on aggregates: every sheet but Tickets. */
async function aggregateWorkbook(result: AuditResult, ctx: ReportContext, o: Target): Promise<void> {
  const [{ REPORT_FORMATS }, { writeWorkbook }] = await Promise.all([import('../report/index.js'), import('../output/workbook.js')]);
  await writeWorkbook(o.file, o.shown, REPORT_FORMATS.xlsx.workbook(result, { ...ctx, color: false }, undefined), new Date(ctx.generatedAt!), undefined, ctx.title);
}

/** The result from the database's aggregates (--engine postgres) or their exports (report --from). */
async function warehouseAudit(warehouse: Warehouse, opts: CheckOptions, config: Config, set: Settings, outputs: Target[]): Promise<AuditResult> {
  const onPostgres = opts.engine === 'postgres';
  const how = onPostgres ? '--engine postgres' : `--from ${opts.from}`;
  const note = (text: string) => process.stderr.write(`sla-audit: note: ${safeText(how)}: ${safeText(text)}\n`);
  const common = { config, since: set.since, until: set.until, groupBy: set.groupBy, period: opts.period, extraObjectives: opts.failUnder !== undefined ? [failUnderObjective(opts.failUnder)] : [], note };
  const result = onPostgres
    ? await warehouse.postgresResult(opts as Parameters<Warehouse['postgresResult']>[0], { ...common, asOf: set.asOf ?? Date.now(), asOfIsNow: set.asOf === undefined })
    : await warehouse.dirResult(opts.from!, set.asOf, common);
  const credits = outputs.find((o) => o.fmt === 'credits');
  if (credits && !result.credits) throw new UsageError(`-o ${credits.shown}: the service credits are not among the aggregates (sla_credits)`);
  const book = outputs.find((o) => o.fmt === 'xlsx');
  if (book) note(`${book.shown}: the workbook has no Tickets sheet (the per-ticket rows stay in the ${onPostgres ? 'database' : 'warehouse'})`);
  return result;
}

async function check(tickets: string[], opts: CheckOptions, summaries: { path: string; shown: string }[], known: { inputs?: Input[] }): Promise<number> {
  // the config, the audit and the renderers load when this runs (and the renderers only when something is rendered)
  const { findConfig, loadConfig } = await import('../config/load.js');
  const configPath = findConfig(opts.config);
  const config = loadConfig(configPath);
  const set = await settingsOf(opts, config);
  const baseline = baselineOf(opts);
  const intervalMs = intervalOf(opts);
  const outputs = outputTargets(opts.out, config);
  const warehouse = await warehouseOf(tickets, opts, outputs);
  const inputs = runInputs(tickets, opts, config.tickets.path, configPath, [...(opts.baseline ? [{ path: opts.baseline, what: 'the --baseline report' }] : []), ...configReads(config)]);
  known.inputs = inputs;
  for (const o of outputs) checkTarget(o.file, o.shown, '-o', inputs);
  // a baseline not there yet is still an input: a report over its name would fail the next run
  const over = baseline === 'missing' && [...outputs.map((o) => ({ ...o, option: '-o' })), ...summaries.map((f) => ({ file: f.path, shown: f.shown, option: '--summary' }))].find((o) => o.file === resolve(opts.baseline!));
  // (a --summary refused so is not then written into with the error)
  if (over) throw new (over.option === '--summary' ? SummaryError : UsageError)(`${over.option} ${safeText(over.shown)}: is the --baseline report (${safeText(opts.baseline!)}, not there yet); a report is never written over an input: write the report under another name and copy it to ${safeText(opts.baseline!)} for the next run`);
  for (const f of summaries) checkTarget(f.path, f.shown, '--summary', inputs);

  // the per-ticket CSV streams into one temporary file while tickets are evaluated; for the --wide
  // CSV and a workbook the tickets are spooled, and the files are written from the spool afterwards
  const csvTargets = outputs.filter((o) => o.fmt === 'csv');
  const csvToStdout = !opts.quiet && opts.format === 'csv';
  const xlsxTargets = outputs.filter((o) => o.fmt === 'xlsx');
  const wide = !!opts.wide && (csvTargets.length > 0 || csvToStdout);
  if (opts.wide && !wide) throw new UsageError('--wide shapes the per-ticket CSV, and this run writes none (add -f csv, or -o tickets.csv)');
  const repeatTargets = outputs.filter((o) => o.fmt === 'repeats');
  const how = opts.customerKey ?? 'raw';
  const secret = hashSecret(how);
  if (opts.customerKey && !repeatTargets.length && !xlsxTargets.length) throw new UsageError('--customer-key shapes the customers of the repeat list and of the workbook, and this run writes neither (add -o repeats.csv or -o report.xlsx)');
  const nearFirst = (ts: Target[]) => (ts.length ? ts[0].file : join(tmpdir(), 'sla-audit-stdout.csv'));
  const shownFirst = (ts: Target[]) => ts[0]?.shown ?? 'a temporary file for standard output';
  const { audit } = await import('../api.js');
  const sink = (csvTargets.length || csvToStdout) && !wide
    ? new TicketFile(nearFirst(csvTargets), shownFirst(csvTargets), (await import('../report/index.js')).REPORT_FORMATS.csv.rows, config.zone, judgedMetrics(config).length)
    : undefined;
  const spooled = [...(wide ? csvTargets : []), ...xlsxTargets];
  const spool = wide || (xlsxTargets.length && !warehouse)
    ? new (await import('../output/ticket-spool.js')).TicketSpool(nearFirst(spooled), shownFirst(spooled), xlsxTargets.length > 0)
    : undefined;
  const progress = new Progress({ when: opts.progress, quiet: !!opts.quiet, intervalMs, total: totalBytes(warehouse ? [] : tickets.length ? tickets : config.tickets.path ? [config.tickets.path] : []) });
  let result: AuditResult;
  try {
    if (warehouse) result = await warehouseAudit(warehouse, opts, config, set, outputs);
    else result = await audit({
      config, inputs: tickets, events: opts.events, messages: opts.messages, sheet: opts.sheet, table: opts.table, asOf: set.asOf, since: set.since, until: set.until, groupBy: set.groupBy, period: opts.period, split: set.split,
      extraObjectives: opts.failUnder !== undefined ? [failUnderObjective(opts.failUnder)] : [],
      observers: [sink, spool].filter((o) => o !== undefined),
      onProgress: progress.active ? progress.update : undefined,
      engine: opts.engine as Exclude<CheckOptions['engine'], 'postgres'>, onNote: (note) => process.stderr.write(`sla-audit: note: ${safeText(note)}\n`), listRepeats: repeatTargets.length > 0, configPath,
    });
  } catch (e) {
    sink?.discard();
    spool?.discard();
    throw e;
  } finally {
    progress.stop();
  }
  if (baseline === 'missing') {
    result.baseline = { file: opts.baseline!, missing: true, max_drop: set.maxDrop ?? null, rows: [], kpis: [], differs: [], passed: true };
  } else if (baseline) {
    result.baseline = compareBaseline(result, baseline, set.maxDrop);
    if (!result.baseline.passed) result.passed = false;
    for (const d of result.baseline.differs) process.stderr.write(`sla-audit: warning: --baseline ${safeText(baseline.file)}: ${safeText(d)}; the comparison may not be like with like\n`);
  }
  for (const w of result.warnings) process.stderr.write(`sla-audit: warning: ${safeText(w)}\n`);
  const hc = result.historyCoverage;
  if (hc?.evaluated) process.stderr.write(`sla-audit: ${hc.warning ? 'warning' : 'note'}: ${hc.message}\n`);
  for (const line of problemLines(result.problems, result.totals.problems, result.problemsDropped, 20)) process.stderr.write(`sla-audit: ${line}\n`);
  if (result.totals.evaluated === 0 && !opts.allowEmpty) {
    sink?.discard();
    spool?.discard();
    const t = result.totals;
    throw new InputError(`no tickets to audit: ${t.rows} row${t.rows === 1 ? '' : 's'} read, ${t.problems} left out with problems, ${t.outside_range} outside --since/--until or created after --as-of; nothing is judged on no tickets (pass --allow-empty to accept an empty run)`);
  }
  if (process.env.GITHUB_ACTIONS === 'true') for (const line of annotations(result)) process.stderr.write(line + '\n');

  const ctx: ReportContext = { zone: config.zone, color: useColor(opts.color), generatedAt: Date.now(), atRiskMargin: config.atRiskMargin, ...reportLabels(opts, config) };
  if (sink) await placeTicketFile(await sink.finish(), csvTargets, csvToStdout);
  if (spool) {
    try {
      spool.finish();
      const [{ REPORT_FORMATS }, { writeWorkbook }] = await Promise.all([import('../report/index.js'), import('../output/workbook.js')]);
      if (wide) {
        const w = REPORT_FORMATS.csv.wide(result, config.zone);
        await placeTicketFile(await spool.writeText(nearFirst(csvTargets), w.header, w.line), csvTargets, csvToStdout);
      }
      for (const o of xlsxTargets) {
        const tickets = {
          rows: spool.rows(), widths: spool.widths, has: spool.has, customer: (c: string) => customerKey(c, how, secret()), customerWidth: how === 'hash' ? 16 : undefined,
          repeats: { reread: () => spool.rows(), withinMs: config.categories.repeatWithinMs },
        };
        await writeWorkbook(o.file, o.shown, REPORT_FORMATS.xlsx.workbook(result, { ...ctx, color: false }, tickets), new Date(ctx.generatedAt!), undefined, ctx.title);
      }
    } finally {
      spool.discard();
    }
  }
  if (warehouse) for (const o of xlsxTargets) await aggregateWorkbook(result, ctx, o);
  for (const o of outputs) if (o.fmt === 'credits') writeFileAtomic(o.file, (await import('../report/credits-csv.js')).creditsCsv(result.credits!));
  if (repeatTargets.length) await writeRepeats(result, config, repeatTargets, how, secret());
  const rendered = outputs.filter((o) => o.fmt !== 'csv' && o.fmt !== 'xlsx' && o.fmt !== 'credits' && o.fmt !== 'repeats');
  const toStdout = !opts.quiet && opts.format !== 'csv';
  if (rendered.length || toStdout || summaries.length) {
    const { REPORT_FORMATS } = await import('../report/index.js');
    for (const o of rendered) writeFileAtomic(o.file, REPORT_FORMATS[o.fmt as TextFormat].render(result, { ...ctx, color: false }));
    if (toStdout) process.stdout.write(REPORT_FORMATS[opts.format as TextFormat].render(result, ctx));
    if (summaries.length) appendSummaries(summaries, REPORT_FORMATS.markdown.render(result, { ...ctx, color: false }));
  }
  // --strict: a problem in any row, of the tickets or of an --events or --messages file, or in a custom KPI's cell
  const t = result.totals;
  const side = [[t.event_problems ?? 0, '--events files'], [t.message_problems ?? 0, '--messages files'], [t.kpi_cell_problems ?? 0, 'custom KPI cells (kpis:) of evaluated tickets']].filter(([n]) => n) as [number, string][];
  const problemRows = t.problems + side.reduce((a, [n]) => a + n, 0);
  if (opts.strict && problemRows > 0) {
    const where = side.length ? ` (${side.map(([n, what]) => `${n} in ${what}`).join(', ')})` : '';
    process.stderr.write(`sla-audit: --strict: ${problemRows} row${problemRows === 1 ? '' : 's'} had problems${where}\n`);
    return 2;
  }
  return result.passed ? 0 : 1;
}

/**
 * -o repeats.csv: the customers with repeat complaints (keyed as hashSecret says).
 */
async function writeRepeats(result: AuditResult, config: Config, targets: Target[], how: CustomerKey, secret: string): Promise<void> {
  const { repeatsCsv } = await import('../report/repeats-csv.js');
  if (result.kpis.repeat_rate === null && result.totals.evaluated > 0) {
    process.stderr.write(`sla-audit: warning: -o ${safeText(targets[0].shown)}: repeat complaints are unknown (no customer column in the tickets, or more customers or categories than can be counted), so the list is empty; map tickets.columns.customer in ${safeText(config.file)}\n`);
  }
  const text = repeatsCsv(result.repeatCustomers ?? [], config.zone, how, secret);
  for (const o of targets) writeFileAtomic(o.file, text);
}

/**
 * The key of --customer-key hash (the repeat list and the workbook hash with the same one in a run):
 * $SLA_AUDIT_HASH_KEY (the same hashes run after run); without it a key made for this run only,
 * which is said once.
 */
function hashSecret(how: CustomerKey): () => string {
  let secret: string | undefined;
  return () => {
    if (secret === undefined) {
      secret = process.env.SLA_AUDIT_HASH_KEY ?? '';
      if (how === 'hash' && !secret) {
        secret = randomBytes(32).toString('hex');
        process.stderr.write('sla-audit: note: --customer-key hash: SLA_AUDIT_HASH_KEY is not set, so the customers are hashed with a key made for this run only (another run gives other hashes); set it to a secret of your own to compare lists between runs\n');
      }
    }
    return secret;
  };
}

/** GitHub Actions annotations for failed objectives and baseline drops (at most 10). */
function annotations(r: AuditResult): string[] {
  // workflow-command escaping: % CR LF in the message; also : and , in properties
  const data = (v: string) => safeText(v).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const prop = (v: string) => data(v).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const out = r.objectives.filter((o) => !o.passed).map((o) => `::error title=${prop('SLA objective failed')}::${data(`${objectiveLabel(o, r.customKpis)}: ${objectiveFailure(o, r.customKpis)}`)}`);
  for (const b of r.baseline?.rows.filter((x) => x.failed) ?? []) {
    out.push(`::error title=${prop('SLA compliance dropped')}::${data(`${b.metric} fell from ${pct(b.before)} to ${pct(b.after)} (${b.change_points} points; allowed -${r.baseline!.max_drop})`)}`);
  }
  return out.slice(0, 10);
}

/** A finished per-ticket file: renamed onto the one target, copied to each of several, or sent to stdout. */
async function placeTicketFile(done: string, targets: Target[], toStdout: boolean): Promise<void> {
  try {
    const renameLast = !toStdout;
    targets.forEach((o, i) => (renameLast && i === targets.length - 1 ? moveIntoPlace(done, o.file) : copyIntoPlace(done, o.file)));
    if (toStdout) {
      await pipeline(createReadStream(done), process.stdout, { end: false }).catch((e: NodeJS.ErrnoException) => {
        // a closed pipe (| head) is not an error: the run goes on and writes its report files
        if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw new UsageError(`cannot write standard output: ${osReason(e)}`);
      });
    }
  } finally {
    forgetTemp(done, true);
  }
}
