import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { PRESET_DATA } from '../config/presets.js';
import { UsageError } from '../errors.js';
import { writeFileAtomic } from '../output/files.js';
import { checkTarget } from '../output/targets.js';
import type { CliCommand } from './options.js';

export const STARTER = `# sla-audit config: what your SLA promises, and how to read your ticket export.
# Check it with: sla-audit validate tickets.csv      Run it with: sla-audit check tickets.csv
version: 1
timezone: Asia/Shanghai            # IANA zone: calendars and timestamps without an offset use it

calendars:                         # "24x7" is always there; define your business hours here
  support-hours:
    hours:
      mon-fri: [09:00-12:00, 13:00-18:00]   # several windows a day (lunch break); 22:00-06:00 crosses midnight
    holidays:                                # or a country's list: - { country: CN } (days off and 调休 make-up days)
      - 2026-01-01
      - 2026-10-01..2026-10-07               # inclusive range
    workdays:                                # make-up working days on days normally off
      - 2026-10-10                           # short form: Monday's hours

tickets:
  columns:                         # canonical field: header in your CSV (case-insensitive)
    id: Ticket ID
    created_at: Created
    first_response_at: First Reply
    resolved_at: Resolved
    priority: Priority
    channel: Channel
  timestamp_format: auto           # or e.g. "dd-MM-yyyy HH:mm", "MM/dd/yyyy hh:mm a", epoch, epoch-ms
  null_values: ["", "-", "N/A"]

priorities:                        # canonical priority: the values your export uses
  P1: [Urgent, 紧急]
  P2: [High, 高]
  P3: [Normal, 中]
  P4: [Low, 低]

policies:                          # the first policy whose "when" matches a ticket applies
  - name: Urgent-24x7
    when: { priority: P1 }
    calendar: 24x7
    targets:
      first_response: { P1: 30m }
      resolution: { P1: 4h }
  - name: Standard                 # no "when": every other ticket
    calendar: support-hours
    targets:
      first_response: { P2: 2h, P3: 4h, P4: 8h }
      resolution: { P2: 16h, P3: 3bd, P4: 5bd }
    warn_at: 75%                   # open tickets past 75% of their target are "at risk"
    # 2bd@end: due at the close of the 2nd business day; 1mo: a calendar month (24x7 only)
    # next_reply: 4h and periodic_update: 1bd under targets measure a --messages conversation
    # escalation:                  # who hears of a ticket as its clock runs down (sla-audit queue)
    #   - { at: 50%, level: 组长 }
    #   - { at: 100%, level: 主管 }

objectives:                        # any objective missed -> exit code 1
  - { metric: first_response, min: 95% }
  - { metric: resolution, min: 90% }

# credits:                         # service credits per contract month (see README, "Service credits")
#   currency: CNY
#   fee: 200000
#   tiers: [{ below: 95%, credit: 5% }, { below: 90%, credit: 10% }]
#   per_breach: { P1: 2000, default: 500 }
#   cap: 25%
`;

const SERVICENOW_TICKETS = `
tickets:
  layout: events                   # an audit (event) log: many rows per incident, each ticket from its latest row,
                                   # ordered by sys_updated_on/sys_updated_at, ties by sys_mod_count (the preset maps them);
                                   # write "rows" for a plain incident list with one row per incident
`;

/** A starter on a vendor preset: the preset supplies columns, priorities and pause statuses. */
function presetStarter(name: string): string {
  const p = PRESET_DATA[name];
  const cols = Object.entries(p.columns).map(([k, v]) => `#   ${k}: ${JSON.stringify(v)}`).join('\n');
  const prios = Object.entries(p.priorities).map(([k, v]) => `#   ${k}: ${JSON.stringify(v)}`).join('\n');
  return `# sla-audit config on the ${name} preset (${p.source}).
# Check it with: sla-audit validate export.csv      Run it with: sla-audit check export.csv
version: 1
preset: ${name}
# The preset maps these columns (override any under tickets.columns):
${cols}
# priorities (override a line under priorities:):
${prios}
# and pauses the clock while the status is one of: ${p.pauseOn.join(', ')}
timezone: UTC                      # IANA zone of your business hours and of timestamps without an offset

calendars:
  support-hours:
    hours:
      mon-fri: [09:00-18:00]
    holidays: []
${name === 'servicenow' ? SERVICENOW_TICKETS : ''}
policies:
  - name: Standard
    calendar: support-hours
    targets:
      first_response: { P1: 30m, P2: 2h, default: 8h }
      resolution: { P1: 8h, P2: 16h, default: 5bd }

objectives:
  - { metric: first_response, min: 95% }
  - { metric: resolution, min: 90% }
`;
}

export function initCommand(): CliCommand {
  const command = new Command('init')
    .description('write a commented starter sla.yaml that validate accepts')
    .argument('[file]', 'where to write it', 'sla.yaml')
    .option('--force', 'overwrite an existing file')
    .addOption(new Option('--preset <vendor>', "start from a vendor's export names").choices(Object.keys(PRESET_DATA)))
    .addHelpText('after', `
Examples:
  $ sla-audit init
  $ sla-audit init --preset zendesk
  $ sla-audit init config/sla.yaml --force`);
  return { command, run: runInit };
}

async function runInit(file: string, opts: { force?: boolean; preset?: string }): Promise<number> {
  const path = resolve(file);
  if (existsSync(path) && !opts.force) throw new UsageError(`${file} already exists; pass --force to overwrite it`);
  checkTarget(path, file, 'init', []); // a folder that does not exist is created
  writeFileAtomic(path, opts.preset ? presetStarter(opts.preset) : STARTER);
  process.stdout.write(`wrote ${file}; edit the columns to match your export, then run: sla-audit validate -c ${file} <tickets.csv>\n`);
  return 0;
}
