import { Command } from 'commander';
import { safeText } from '../report/escape.js';
import { configFrom, type CliCommand } from './options.js';

const HELP = `
Examples:
  $ sla-audit validate                      # the config found in this directory
  $ sla-audit validate -c sla.yaml tickets.csv
  $ sla-audit validate -c sla.yaml export.xlsx --sheet Tickets

Checks the config (every problem on its own line with file:line:col and YAML path) and, when a
CSV is given (or tickets.path is set), its header against tickets.columns, the policies' when: and
the custom KPIs' columns (kpis:). A calendar whose holidays: lists dates by hand for some years
is warned about for a year between them with none, and for a year the CSV's tickets were created
in with none.
Exit codes: 0 valid · 2 a problem was found`;

export function validateCommand(): CliCommand {
  const command = new Command('validate')
    .description('check the config, and a CSV header against the column mapping, without evaluating')
    .argument('[tickets]', 'a CSV file to check the header of (default: tickets.path from the config)')
    .option('-c, --config <file>', 'config file (default: sla-audit.yaml, sla-audit.yml, sla.yaml or sla.yml here)')
    .option('--sheet <name>', 'the worksheet to check when the file is an .xlsx workbook (default: the first)')
    .addHelpText('after', HELP);
  return { command, run: runValidate };
}

async function runValidate(ticketsPath: string | undefined, opts: { config?: string; sheet?: string }): Promise<number> {
  const config = await configFrom(opts);
  const cals = [...config.calendars.keys()].filter((c) => c !== '24x7');
  const extra = [
    config.metrics.length > 2 ? `metrics ${config.metrics.join(', ')} (${config.metrics.slice(2).join(' and ')} need --messages)` : '',
    config.ladders ? `escalation levels ${config.levels.join(' < ')}` : '',
    config.credits ? `credits per ${config.credits.period}` : '',
    config.olas.length ? `OLAs for ${config.olas.map((o) => o.group).join(', ')} (need a group column in the history: events.columns.group, or team in the event-log layout)` : '',
    config.customKpis.length ? `custom KPIs ${config.customKpis.map((k) => k.name).join(', ')}` : '',
  ].filter(Boolean);
  // names from the config (OLA groups, calendars, levels) reach the terminal: escape control characters
  process.stdout.write(
    safeText(`${config.file}: valid (${config.policies.length} polic${config.policies.length === 1 ? 'y' : 'ies'}, ${cals.length} calendar${cals.length === 1 ? '' : 's'}${cals.length ? ` (${cals.join(', ')})` : ''}, ${config.objectives.length} objective${config.objectives.length === 1 ? '' : 's'}, timezone ${config.zone.name}${extra.map((x) => `, ${x}`).join('')})`) + '\n',
  );
  for (const w of config.warnings) process.stderr.write(`sla-audit: warning: ${config.file}: ${w}\n`);
  const file = ticketsPath ?? config.tickets.path;
  // years a calendar's hand-listed holidays leave out: between the listed ones, and those the tickets were created in
  const holidayYears = async (years: readonly number[], name?: string) => {
    const { listedYearsProblems } = await import('../calendar/coverage.js');
    for (const w of listedYearsProblems(config.calendars.values(), years, name)) process.stderr.write(safeText(`sla-audit: warning: ${config.file}: ${w}`) + '\n');
  };
  if (!file) return await holidayYears([]), 0;
  const [{ CANONICAL_FIELDS }, { PolicyMatcher }, { CustomKpiCells }, { inspectHeader, repeatedIds }, { quoteId }] = await Promise.all([
    import('../config/schema.js'), import('../engine/policy.js'), import('../engine/custom-kpis.js'), import('../input/header.js'), import('../input/quote.js'),
  ]);
  const h = await inspectHeader(file, config, opts.sheet);
  new PolicyMatcher(config, h.columns); // a `when` on a column the file lacks is refused here
  if (config.customKpis.length) new CustomKpiCells(config.customKpis, config, h.columns); // and a custom KPI's column
  const mapped = CANONICAL_FIELDS.filter((f) => h.columns.index.has(f)).map((f) => `${f} ← "${h.columns.name(f)}"`);
  process.stdout.write(
    safeText(`${h.name}: header matches (${h.columns.header.length} columns, ${h.sheet !== undefined ? `sheet ${JSON.stringify(h.sheet)}` : `${h.encoding}, delimiter ${JSON.stringify(h.delimiter)}`}): ${mapped.join(', ')}`) + '\n',
  );
  let years: number[] = [];
  if (config.tickets.layout === 'rows' && file !== '-') {
    // an event log read as one row per ticket would report every later row as a duplicate
    const ids = await repeatedIds(file, config, h);
    years = ids.years;
    if (ids.repeated) {
      process.stderr.write(
        `sla-audit: warning: ${h.name}: ${ids.repeated.toLocaleString('en-US')} of ${ids.rows.toLocaleString('en-US')} rows repeat an id seen earlier (e.g. ${quoteId(ids.example!)}); if this is an event log with many rows per ticket, set tickets.layout: events\n`,
      );
    }
  }
  await holidayYears(years, h.name);
  return 0;
}
