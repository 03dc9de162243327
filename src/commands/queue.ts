import { Command } from 'commander';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import type { Config } from '../config/types.js';
import { addInputOptions, addPageOptions, asOfFrom, configFrom, engineOption, langOption, reportLabels, type CliCommand, type InputOptions } from './options.js';
import { PAGE_EXTENSIONS, type PageFormat } from '../report/formats.js';
import type { EngineName } from '../engines.js';

const HELP = `
Examples:
  $ sla-audit queue -c sla.yaml tickets.csv                     # every open clock, overdue first
  $ sla-audit queue --within 4h tickets.csv                     # due within 4 business hours
  $ sla-audit queue --level 主管 -f markdown -o queue.md tickets.csv
  $ sla-audit queue --fail-on-level 经理 -q tickets.csv || page-someone   # hourly from cron

Every open ticket × metric that is running, at risk or overdue at --as-of (default now): elapsed,
target, share of target used, business time left (negative when overdue), due time, and the
escalation level (policies[].escalation; default: warn_at "at risk", 100% "overdue"). Sorted by due
time, overdue first; paused clocks last.
Exit codes: 0 listed · 1 a clock reached --fail-on-level · 2 usage, config or input error`;


interface QueueOptions extends InputOptions {
  within?: string;
  level?: string;
  failOnLevel?: string;
  format: PageFormat;
  out: string[];
  quiet?: boolean;
  allowEmpty?: boolean;
  color?: boolean;
  engine: EngineName;
}

export function queueCommand(): CliCommand {
  const command = new Command('queue')
    .description('the early-warning queue: open tickets running, at risk or overdue, with time left and escalation level')
    .argument('[tickets...]', 'CSV files, or - for standard input (default: tickets.path from the config)');
  addInputOptions(command)
    .option('--within <duration>', 'only clocks due within this much business time (4h, 30m, 1h30m); overdue ones included')
    .option('--level <level>', 'only clocks at this escalation level or above')
    .option('--fail-on-level <level>', 'exit 1 when any open clock reached this level (judged before --within and --level)');
  addPageOptions(command)
    .addOption(langOption())
    .option('--allow-empty', 'accept a run with no tickets (exit 0 instead of 2)')
    .addOption(engineOption())
    .addHelpText('after', HELP);
  return { command, run: runQueue };
}

/** A level named on the command line: the places in config.levels at it or above. */
async function ranksFrom(option: string, level: string, config: Config): Promise<Set<number>> {
  const rank = config.levels.indexOf(level.trim());
  if (rank < 0) throw new UsageError(`${option} ${level}: no such escalation level (levels, lowest first: ${config.levels.join(', ')})`);
  return (await import('../config/sections/policies.js')).ranksAtOrAbove(config.policies, config.levels, rank);
}

async function runQueue(tickets: string[], opts: QueueOptions): Promise<number> {
  const config = await configFrom(opts);
  const [{ parseDuration }, { configReads, reportTargets, runInputs }, { writeFileAtomic }] = await Promise.all([import('../config/values.js'), import('../output/targets.js'), import('../output/files.js')]);
  let withinMs: number | undefined;
  if (opts.within !== undefined) {
    const d = parseDuration(opts.within);
    if (typeof d === 'string' || d.kind !== 'time' || d.days) throw new UsageError(`--within ${opts.within}: ${typeof d === 'string' ? d : 'give business time in hours and minutes (4h, 30m, 1h30m)'}`);
    withinMs = d.ms;
  }
  const levelRanks = opts.level === undefined ? undefined : await ranksFrom('--level', opts.level, config);
  const failRanks = opts.failOnLevel === undefined ? undefined : await ranksFrom('--fail-on-level', opts.failOnLevel, config);
  const outputs = reportTargets(opts.out, PAGE_EXTENSIONS, runInputs(tickets, opts, config.tickets.path, resolve(config.file), configReads(config)));

  const [{ audit }, { QueueCollector }, { queueReport }, { problemLines }, { safeText }, { useColor }] = await Promise.all([
    import('../api.js'), import('../engine/queue.js'), import('../report/queue.js'), import('../report/problems.js'), import('../report/escape.js'), import('../output/terminal.js'),
  ]);
  const collector = new QueueCollector(config);
  const result = await audit({ config, inputs: tickets, events: opts.events, messages: opts.messages, sheet: opts.sheet, asOf: await asOfFrom(opts, config), observers: [collector],
    engine: opts.engine, onNote: (note) => process.stderr.write(`sla-audit: note: ${safeText(note)}\n`),
  });
  for (const w of result.warnings) process.stderr.write(`sla-audit: warning: ${safeText(w)}\n`);
  for (const line of problemLines(result.problems, result.totals.problems, result.problemsDropped, 20)) process.stderr.write(`sla-audit: ${line}\n`);
  if (result.totals.evaluated === 0 && !opts.allowEmpty) {
    const t = result.totals;
    throw new InputError(`no tickets to audit: ${t.rows} row${t.rows === 1 ? '' : 's'} read, ${t.problems} left out with problems, ${t.outside_range} created after --as-of; an empty queue from no tickets would say nothing (pass --allow-empty to accept it)`);
  }
  const all = collector.result();
  const rows = all.filter((r) => (withinMs === undefined || (r.due !== Infinity && r.leftMs <= withinMs)) && (levelRanks === undefined || levelRanks.has(r.rank)));
  const report = { asOf: result.asOf, config: config.file, inputs: result.inputs, levels: config.levels, open: all.length, within: opts.within, level: opts.level, rows };
  const ctx = { zone: config.zone, color: useColor(opts.color), generatedAt: Date.now(), ...reportLabels(opts, config) };
  for (const o of outputs) writeFileAtomic(o.path, queueReport(report, o.fmt, { ...ctx, color: false }));
  if (!opts.quiet) process.stdout.write(queueReport(report, opts.format, ctx));
  if (failRanks !== undefined) {
    const reached = all.filter((r) => failRanks.has(r.rank));
    if (reached.length) {
      process.stderr.write(`sla-audit: ${reached.length} open clock${reached.length === 1 ? '' : 's'} at ${safeText(opts.failOnLevel!)} or above (--fail-on-level)\n`);
      return 1;
    }
  }
  return 0;
}
