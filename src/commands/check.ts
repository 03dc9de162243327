import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { parsePercent } from '../config/values.js';
import type { Objective } from '../config/types.js';
import { audit } from '../api.js';
import { DEFAULT_GROUP_BY } from '../engine/evaluate-ticket.js';
import { PERIODS, type Period } from '../engine/periods.js';
import { compareBaseline } from '../engine/baseline.js';
import type { AuditResult } from '../engine/result.js';
import { readBaseline } from '../input/baseline.js';
import { ALL_EXTENSIONS, FORMAT_NAMES, REPORT_FORMATS, formatOfFile, type FormatName, type ReportContext } from '../report/index.js';
import { problemLines } from '../report/problems.js';
import { copyIntoPlace, forgetTemp, moveIntoPlace, writeFileAtomic } from '../output/files.js';
import { useColor } from '../output/terminal.js';
import { TicketFile } from '../output/ticket-file.js';
import { parseInstant } from '../time/instant.js';
import { addInputOptions, asOfFrom, configFrom, type CliCommand } from './options.js';

const HELP = `
Examples:
  $ sla-audit check -c sla.yaml tickets.csv
  $ sla-audit check --as-of 2026-04-01T00:00 -f json tickets.csv > report.json
  $ sla-audit check -q -o report.json -o tickets-sla.csv -o summary.md exports/*.csv
  $ sla-audit check --fail-under 95 --group-by priority,team tickets.csv
  $ cat tickets.csv | sla-audit check -f csv - | head

Exit codes: 0 objectives met · 1 an objective failed · 2 usage, config or input error`;

interface CheckOptions {
  config?: string;
  events: string[];
  asOf?: string;
  since?: string;
  until?: string;
  format: FormatName;
  out: string[];
  failUnder?: string;
  groupBy?: string;
  strict?: boolean;
  quiet?: boolean;
  period?: Period;
  baseline?: string;
  maxDrop?: string;
  color?: boolean;
}

export function checkCommand(): CliCommand {
  const command = new Command('check')
    .description('evaluate tickets against the SLA, print a summary and write reports')
    .argument('[tickets...]', 'CSV files, or - for standard input (default: tickets.path from the config)');
  addInputOptions(command)
    .option('--since <date>', 'only tickets created at or after this')
    .option('--until <date>', 'only tickets created before this')
    .addOption(new Option('-f, --format <fmt>', 'what goes to standard output').choices(FORMAT_NAMES).default('table'))
    .option('-o, --out <file>', 'write a report file; repeatable; format from the extension (.json .csv .md .html .xml .txt)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--fail-under <percent>', 'objective: overall compliance must be at least this (95%, 95 or 0.95; 1 is ambiguous)')
    .addOption(new Option('--period <period>', 'add a trend grouped by creation period').choices([...PERIODS]))
    .option('--baseline <report.json>', 'compare compliance with an earlier JSON report')
    .option('--max-drop <points>', 'with --baseline: exit 1 when compliance fell by more than this many percentage points')
    .option('--group-by <fields>', `breakdown fields, comma-separated (default: ${DEFAULT_GROUP_BY.join(',')})`)
    .option('--strict', 'any input problem makes the run exit 2')
    .option('-q, --quiet', 'no summary on standard output (reports are still written)')
    .option('--no-color', 'no colour (also NO_COLOR; FORCE_COLOR forces it)')
    .addHelpText('after', HELP);
  return { command, run: runCheck };
}

function failUnderObjective(value: string): Objective {
  const min = parsePercent(value);
  if (typeof min === 'string') throw new UsageError(`--fail-under: ${min}`);
  return { metric: 'overall', min, minTickets: 0, origin: '--fail-under' };
}

interface Target {
  file: string;
  shown: string;
  fmt: FormatName;
}

/** -o targets with their formats, from the extensions. */
function outputTargets(out: string[]): Target[] {
  return out.map((file) => {
    const fmt = formatOfFile(file);
    if (!fmt) throw new UsageError(`-o ${file}: unknown extension (use ${ALL_EXTENSIONS.join(' ')})`);
    return { file: resolve(file), shown: file, fmt };
  });
}

async function runCheck(tickets: string[], opts: CheckOptions): Promise<number> {
  const config = configFrom(opts);
  const asOf = asOfFrom(opts, config);
  const since = opts.since ? parseInstant('--since', opts.since, config.zone) : undefined;
  const until = opts.until ? parseInstant('--until', opts.until, config.zone) : undefined;
  if (since !== undefined && until !== undefined && until <= since) throw new UsageError('--until must be after --since');
  if (opts.maxDrop !== undefined && !opts.baseline) throw new UsageError('--max-drop needs --baseline <report.json>');
  const maxDrop = opts.maxDrop === undefined ? undefined : Number(opts.maxDrop);
  if (maxDrop !== undefined && !(maxDrop >= 0)) throw new UsageError(`--max-drop "${opts.maxDrop}" is not a number of percentage points (e.g. 2 or 0.5)`);
  const baseline = opts.baseline ? readBaseline(opts.baseline) : undefined;
  const groupBy = opts.groupBy ? opts.groupBy.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const outputs = outputTargets(opts.out);

  // the per-ticket CSV streams into one temporary file while tickets are evaluated
  const csvTargets = outputs.filter((o) => o.fmt === 'csv');
  const csvToStdout = !opts.quiet && opts.format === 'csv';
  let sink: TicketFile | undefined;
  if (csvTargets.length || csvToStdout) {
    const near = csvTargets.length ? csvTargets[0].file : join(tmpdir(), 'sla-audit-stdout.csv');
    try {
      sink = new TicketFile(near, REPORT_FORMATS.csv.rows, config.zone);
    } catch (e) {
      throw new UsageError(`cannot write ${csvTargets[0]?.shown ?? near}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  const progress = process.stderr.isTTY && !process.env.CI;
  let result: AuditResult;
  try {
    result = await audit({
      config, inputs: tickets, events: opts.events, asOf, since, until, groupBy, period: opts.period,
      extraObjectives: opts.failUnder !== undefined ? [failUnderObjective(opts.failUnder)] : [],
      observers: sink ? [sink] : [],
      onProgress: progress ? (rows) => process.stderr.write(`\r  ${rows.toLocaleString('en-US')} rows read…`) : undefined,
    });
  } catch (e) {
    await sink?.discard();
    throw e;
  } finally {
    if (progress) process.stderr.write('\r\x1b[K');
  }

  if (baseline) {
    result.baseline = compareBaseline(result, baseline, maxDrop);
    if (!result.baseline.passed) result.passed = false;
  }
  for (const w of result.warnings) process.stderr.write(`sla-audit: ${w}\n`);
  for (const line of problemLines(result.problems, result.totals.problems, result.problemsDropped, 20)) {
    process.stderr.write(`sla-audit: ${line}\n`);
  }

  const ctx: ReportContext = { zone: config.zone, color: useColor(opts.color), generatedAt: Date.now() };
  if (sink) await placeTicketFile(sink, csvTargets, csvToStdout);
  for (const o of outputs) {
    if (o.fmt !== 'csv') writeFileAtomic(o.file, REPORT_FORMATS[o.fmt].render(result, { ...ctx, color: false }));
  }
  if (!opts.quiet && opts.format !== 'csv') process.stdout.write(REPORT_FORMATS[opts.format].render(result, ctx));

  if (opts.strict && result.totals.problems > 0) {
    process.stderr.write(`sla-audit: --strict: ${result.totals.problems} row${result.totals.problems === 1 ? '' : 's'} had problems\n`);
    return 2;
  }
  return result.passed ? 0 : 1;
}

/** The finished per-ticket file: renamed onto the one target, copied to each of several, or sent to stdout. */
async function placeTicketFile(sink: TicketFile, targets: Target[], toStdout: boolean): Promise<void> {
  const done = await sink.finish();
  const renameLast = !toStdout;
  targets.forEach((o, i) => (renameLast && i === targets.length - 1 ? moveIntoPlace(done, o.file) : copyIntoPlace(done, o.file)));
  if (toStdout) {
    await pipeline(createReadStream(done), process.stdout, { end: false }).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
    });
    forgetTemp(done, true);
  }
}
