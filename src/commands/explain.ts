import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { addInputOptions, asOfFrom, configFrom, langOption, reportLabels, type CliCommand, type InputOptions } from './options.js';

const HELP = `
Examples:
  $ sla-audit explain T10005 -c sla.yaml tickets.csv --as-of 2026-11-01
  $ sla-audit explain INC0000045 --events history.csv -f json
  $ sla-audit explain --scorecard team-quarterly --group 一线 tickets.csv
  $ sla-audit explain --scorecard team-quarterly --group 一线 --period 2026-Q3 tickets.csv

A ticket: the matched policy (and why earlier ones did not match), the calendar, when the clock
started, every pause, business time counted per day, the target, the due time, and the verdict.
A scorecard group (--scorecard, --group): each indicator's inputs and arithmetic, the composite,
grade and rank; with --scorecard every argument is a tickets file.`;

interface ExplainOptions extends InputOptions {
  format: string;
  scorecard?: string;
  group?: string;
  period?: string;
}

export function explainCommand(): CliCommand {
  const command = new Command('explain')
    .description("one ticket's timeline (policy, calendar, clock start, pauses, business time per day, due time, verdict), or how a scorecard group's score came about")
    .argument('[ticket-id]', 'the ticket id as in the export')
    .argument('[tickets...]', 'CSV files (default: tickets.path from the config)');
  addInputOptions(command)
    .addOption(new Option('-f, --format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .option('--scorecard <name>', 'explain a scorecard group instead of a ticket')
    .option('--group <value>', 'with --scorecard: the group (a value of its by: field)')
    .option('--period <label>', 'with --scorecard: a period card such as 2026-Q3 (default: all tickets)')
    .addOption(langOption())
    .addHelpText('after', HELP);
  return { command, run: runExplain };
}

async function runExplain(id: string | undefined, tickets: string[], opts: ExplainOptions): Promise<number> {
  const config = await configFrom(opts);
  const asOf = await asOfFrom(opts, config);
  const [api, text, { safeJson, safeText }] = await Promise.all([import('../api.js'), import('../report/explain.js'), import('../report/escape.js')]);
  const onWarning = (w: string) => process.stderr.write(`sla-audit: warning: ${safeText(w)}\n`);
  if (opts.scorecard !== undefined) {
    if (opts.group === undefined) throw new UsageError('--scorecard needs --group <value> (the group to explain)');
    const inputs = id === undefined ? tickets : [id, ...tickets];
    const e = await api.explainScorecard({ config, scorecard: opts.scorecard, group: opts.group, period: opts.period, inputs, events: opts.events, messages: opts.messages, sheet: opts.sheet, asOf, onWarning });
    process.stdout.write(opts.format === 'json' ? safeJson(JSON.stringify(e, null, 2)) + '\n' : text.scoreExplainText(e, config.customKpis.map((k) => k.def), (await import('../report/format.js')).labels(reportLabels(opts, config).lang)));
    return 0;
  }
  if (id === undefined) throw new UsageError('explain needs a ticket id (or --scorecard and --group)');
  if (opts.group !== undefined || opts.period !== undefined) throw new UsageError('--group and --period go with --scorecard');
  const e = await api.explain({ config, id, inputs: tickets, events: opts.events, messages: opts.messages, sheet: opts.sheet, asOf, onWarning });
  const { labels } = await import('../report/format.js');
  process.stdout.write(opts.format === 'json' ? safeJson(JSON.stringify(e, null, 2)) + '\n' : text.explainText(e, labels(reportLabels(opts, config).lang)));
  return 0;
}
