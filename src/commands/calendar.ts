import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { langOption, type CliCommand } from './options.js';

const HELP = `
Examples:
  $ sla-audit calendar support-hours --year 2026          # weekly hours, days off, make-up days
  $ sla-audit calendar support-hours --year 2026 -f csv
  $ sla-audit calendar support-hours --from 2026-10-01 --to 2026-11-01 -f csv > spine.csv

With --year: the year's weekly hours, every day off (public holidays with their names, and the
config's own), every make-up working day, and the business time in the year. With --from and --to
(dates or times in the calendar's zone; --to is exclusive): the business windows between them as
UTC instants, each with the business minutes before its start (the spine SQL loads).
Exit codes: 0 listed · 2 usage or config error`;

interface CalendarOptions {
  config?: string;
  year?: string;
  from?: string;
  to?: string;
  format: 'table' | 'json' | 'csv';
  lang?: string;
}

export function calendarCommand(): CliCommand {
  const command = new Command('calendar')
    .description("a calendar's days off, make-up working days and weekly hours for a year, or its business windows between two dates")
    .argument('<name>', 'the calendar (as named under calendars:, or 24x7)')
    .option('-c, --config <file>', 'config file (default: sla-audit.yaml, sla-audit.yml, sla.yaml or sla.yml here)')
    .option('--year <year>', 'the year to list (default: this year in the calendar\'s zone)')
    .option('--from <date>', 'with --to: list the business windows from this date or time (calendar zone)')
    .option('--to <date>', 'with --from: up to this date or time (exclusive)')
    .addOption(new Option('-f, --format <fmt>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .addOption(langOption('the language of the table\'s labels (overrides report.lang); JSON and CSV never change'))
    .addHelpText('after', HELP);
  return { command, run: runCalendar };
}

async function runCalendar(name: string, opts: CalendarOptions): Promise<number> {
  if ((opts.from === undefined) !== (opts.to === undefined)) throw new UsageError('--from and --to go together (the business windows between two dates)');
  if (opts.year !== undefined && opts.from !== undefined) throw new UsageError('give either --year or --from/--to, not both');
  const { configFrom, reportLabels } = await import('./options.js');
  const config = await configFrom(opts);
  const cal = config.calendars.get(name);
  if (!cal) throw new UsageError(`no calendar "${name}" in ${config.file} (calendars: ${[...config.calendars.keys()].join(', ')})`);
  const [{ calendarSpine, calendarYear }, { calendarSpineReport, calendarYearReport }, { beyondDataWarnings, forgetReach }, { parseInstant }, { civilFromDays }] = await Promise.all([
    import('../calendar/listing.js'), import('../report/calendar.js'), import('../calendar/coverage.js'), import('../time/instant.js'), import('../time/civil.js'),
  ]);
  forgetReach([cal]);
  let text: string;
  if (opts.from !== undefined && opts.to !== undefined) {
    const from = parseInstant('--from', opts.from, cal.zone);
    const to = parseInstant('--to', opts.to, cal.zone);
    if (to <= from) throw new UsageError('--to must be after --from');
    if (to - from > 3660 * 86_400_000) throw new UsageError('--from and --to are more than ten years apart; list a shorter span');
    text = calendarSpineReport(calendarSpine(cal, from, to), opts.format);
  } else {
    const year = opts.year === undefined ? civilFromDays(cal.zone.localDay(Date.now())).y : /^\s*\d{4}\s*$/.test(opts.year) ? Number(opts.year) : NaN;
    if (!Number.isInteger(year) || year < 1900 || year > 2199) throw new UsageError(`--year "${opts.year}" is not a year between 1900 and 2199`);
    text = calendarYearReport(calendarYear(cal, year), opts.format, (await import('../report/format.js')).labels(reportLabels(opts, config).lang));
  }
  for (const w of beyondDataWarnings([cal])) process.stderr.write(`sla-audit: warning: ${w}\n`);
  process.stdout.write(text);
  return 0;
}
