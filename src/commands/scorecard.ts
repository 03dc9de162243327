import { Command } from 'commander';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../output/files.js';
import { configReads, reportTargets, runInputs } from '../output/targets.js';
import { useColor } from '../output/terminal.js';
import { PAGE_EXTENSIONS, type PageFormat } from '../report/formats.js';
import { addInputOptions, addPageOptions, asOfFrom, configFrom, engineOption, langOption, reportLabels, type CliCommand, type InputOptions } from './options.js';
import { safeText } from '../report/escape.js';

const HELP = `
Examples:
  $ sla-audit scorecard -c sla.yaml tickets.csv --as-of 2026-10-01
  $ sla-audit scorecard --scorecard team-quarterly -f markdown tickets.csv
  $ sla-audit scorecard -f csv -o scores.csv tickets.csv
  $ sla-audit explain --scorecard team-quarterly --group 一线 tickets.csv

One row per group: each indicator's actual value and points, then the composite score, the grade
and the rank. Scorecards are configured under scorecards: in the config.
Exit codes: 0 · 1 a scorecard objective (min_score) failed · 2 usage, config or input error`;


interface ScorecardOptions extends InputOptions {
  scorecard?: string;
  format: PageFormat;
  out: string[];
  since?: string;
  until?: string;
  color?: boolean;
  quiet?: boolean;
  engine?: 'streaming' | 'duckdb' | 'auto';
}

export function scorecardCommand(): CliCommand {
  const command = new Command('scorecard')
    .description('weighted KPI scorecards per team, agent or vendor: points, composite, grade and rank')
    .argument('[tickets...]', 'CSV files, or - for standard input (default: tickets.path from the config)');
  addInputOptions(command)
    .option('--since <date>', 'only tickets created at or after this')
    .option('--until <date>', 'only tickets created before this')
    .option('-s, --scorecard <name>', 'only this scorecard (default: every one in the config)');
  addPageOptions(command)
    .addOption(langOption())
    .addOption(engineOption())
    .addHelpText('after', HELP);
  return { command, run: runScorecard };
}

async function runScorecard(tickets: string[], opts: ScorecardOptions): Promise<number> {
  const config = await configFrom(opts);
  if (!config.scorecards.length) throw new UsageError(`${config.file} has no scorecards; define them under scorecards: (see README, "Scorecards")`);
  if (opts.scorecard !== undefined && !config.scorecards.some((sc) => sc.name === opts.scorecard)) {
    throw new UsageError(`--scorecard ${opts.scorecard}: no such scorecard in ${config.file} (defined: ${config.scorecards.map((sc) => sc.name).join(', ')})`);
  }
  const outputs = reportTargets(opts.out, PAGE_EXTENSIONS, runInputs(tickets, opts, config.tickets.path, resolve(config.file), configReads(config)));
  const { audit } = await import('../api.js');
  const { parseInstant } = await import('../time/instant.js');
  const { scorecardReport } = await import('../report/scorecard-report.js');
  const result = await audit({
    config, inputs: tickets, events: opts.events, messages: opts.messages, sheet: opts.sheet, asOf: await asOfFrom(opts, config),
    since: opts.since ? parseInstant('--since', opts.since, config.zone) : undefined,
    until: opts.until ? parseInstant('--until', opts.until, config.zone) : undefined,
    engine: opts.engine, onNote: (note) => process.stderr.write(`sla-audit: note: ${safeText(note)}\n`),
  });
  if (opts.scorecard !== undefined) {
    result.scorecards = result.scorecards.filter((sc) => sc.name === opts.scorecard);
    result.objectives = result.objectives.filter((o) => o.scorecard === opts.scorecard);
  }
  const ctx = { zone: config.zone, color: useColor(opts.color), generatedAt: Date.now(), atRiskMargin: config.atRiskMargin, ...reportLabels(opts, config) };
  for (const o of outputs) writeFileAtomic(o.path, scorecardReport(result, o.fmt, { ...ctx, color: false }));
  for (const w of result.warnings) process.stderr.write(`sla-audit: warning: ${safeText(w)}\n`);
  const hc = result.historyCoverage;
  if (hc?.evaluated) process.stderr.write(`sla-audit: ${hc.warning ? 'warning' : 'note'}: ${hc.message}\n`);
  if (!opts.quiet) process.stdout.write(scorecardReport(result, opts.format, ctx));
  return result.objectives.some((o) => o.scorecard !== undefined && !o.passed) ? 1 : 0;
}
