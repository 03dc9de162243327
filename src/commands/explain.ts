import { Command, Option } from 'commander';
import { addInputOptions, asOfFrom, configFrom, type CliCommand, type InputOptions } from './options.js';

const HELP = `
Examples:
  $ sla-audit explain T10005 -c sla.yaml tickets.csv --as-of 2026-11-01
  $ sla-audit explain INC0000045 --events history.csv -f json

Shows the matched policy (and why earlier ones did not match), the calendar, when the clock
started, every pause, business time counted per day, the target, the due time, and the verdict.`;

export function explainCommand(): CliCommand {
  const command = new Command('explain')
    .description("one ticket's timeline: policy, calendar, clock start, pauses, business time per day, due time, verdict")
    .argument('<ticket-id>', 'the ticket id as in the export')
    .argument('[tickets...]', 'CSV files (default: tickets.path from the config)');
  addInputOptions(command)
    .addOption(new Option('-f, --format <fmt>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText('after', HELP);
  return { command, run: runExplain };
}

async function runExplain(id: string, tickets: string[], opts: InputOptions & { format: string }): Promise<number> {
  const config = await configFrom(opts);
  const [{ explain }, { explainText }] = await Promise.all([import('../api.js'), import('../report/explain.js')]);
  const e = await explain({ config, id, inputs: tickets, events: opts.events, asOf: await asOfFrom(opts, config) });
  process.stdout.write(opts.format === 'json' ? JSON.stringify(e, null, 2) + '\n' : explainText(e));
  return 0;
}
