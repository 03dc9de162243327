import { Command } from 'commander';
import { InputError } from '../errors.js';
import { findConfig, loadConfig } from '../config/load.js';
import { CANONICAL_FIELDS } from '../config/schema.js';
import { openInput } from '../input/source.js';
import { sniffDelimiter } from '../input/source.js';
import { parse as parseSync } from 'csv-parse/sync';
import { ColumnMap, decideDateOrder } from '../input/tickets.js';
import { PolicyMatcher } from '../engine/policy.js';

const HELP = `
Examples:
  $ sla-audit validate                      # the config found in this directory
  $ sla-audit validate -c sla.yaml tickets.csv

Checks the config (every problem on its own line with file:line:col and YAML path) and, when a
CSV is given (or tickets.path is set), its header against tickets.columns and the policies' when:.
Exit codes: 0 valid · 2 a problem was found`;

export function validateCommand(): Command {
  return new Command('validate')
    .description('check the config, and a CSV header against the column mapping, without evaluating')
    .argument('[tickets]', 'a CSV file to check the header of (default: tickets.path from the config)')
    .option('-c, --config <file>', 'config file')
    .addHelpText('after', HELP)
    .action(async (ticketsPath: string | undefined, opts: { config?: string }) => {
      const path = findConfig(opts.config);
      const config = loadConfig(path);
      const cals = [...config.calendars.keys()].filter((c) => c !== '24x7');
      process.stdout.write(
        `${config.file}: valid (${config.policies.length} polic${config.policies.length === 1 ? 'y' : 'ies'}, ${cals.length} calendar${cals.length === 1 ? '' : 's'}${cals.length ? ` (${cals.join(', ')})` : ''}, ${config.objectives.length} objective${config.objectives.length === 1 ? '' : 's'}, timezone ${config.zone.name})\n`,
      );
      const file = ticketsPath ?? config.tickets.path;
      if (!file) return;
      const input = await openInput(file, config.tickets.encoding);
      const delimiter = config.tickets.delimiter === 'auto' ? sniffDelimiter(input.head) : config.tickets.delimiter;
      let header: string[] | undefined;
      try {
        header = parseSync(input.head.split(/\r?\n/)[0] ?? '', { delimiter, relax_quotes: true })[0];
      } catch {
        /* reported below */
      }
      if (!header?.length) throw new InputError(`${input.name}: the first line is not a CSV header`);
      const map = new ColumnMap(input.name, header, config);
      new PolicyMatcher(config, map);
      decideDateOrder(input.name, input.head, delimiter, map);
      const mapped = CANONICAL_FIELDS.filter((f) => map.index.has(f)).map((f) => `${f} ← "${map.name(f)}"`);
      process.stdout.write(
        `${input.name}: header matches (${header.length} columns, ${input.encoding}, delimiter ${JSON.stringify(delimiter)}): ${mapped.join(', ')}\n`,
      );
    });
}
