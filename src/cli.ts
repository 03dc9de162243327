/**
 * The edge: argv to a command, and the command's exit code to the process. The only place that sets
 * the exit code or exits, including on a signal or a closed standard output.
 */
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UserError } from './errors.js';
import { checkCommand, reportCommand } from './commands/check.js';
import { validateCommand } from './commands/validate.js';
import { initCommand } from './commands/init.js';
import { schemaCommand } from './commands/schema.js';
import { explainCommand } from './commands/explain.js';
import { scorecardCommand } from './commands/scorecard.js';
import { calendarCommand } from './commands/calendar.js';
import { queueCommand } from './commands/queue.js';
import { sqlCommand } from './commands/sql.js';
import { removeTemps } from './output/files.js';
import { removeTempFolders } from './model/temp-folders.js';
import { interruptQueries } from './duckdb/driver.js';
import { osReason } from './output/targets.js';
import { safeText } from './report/escape.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The program; each command's action leaves its exit code in `exit.code`. */
export function program(exit: { code: number }): Command {
  const p = new Command('sla-audit')
    .description('Audit service level agreements: SLA definitions in YAML, ticket exports in CSV, every breach found and reported.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const { command, run } of [checkCommand(), reportCommand(), queueCommand(), scorecardCommand(), explainCommand(), validateCommand(), initCommand(), schemaCommand(), calendarCommand(), sqlCommand()]) {
    command.exitOverride();
    // commander passes the declared arguments, the options, then the command itself
    command.action(async (...args: unknown[]) => {
      exit.code = await run(...args.slice(0, -1));
    });
    p.addCommand(command);
  }
  p.addHelpText('after', `
Examples:
  $ sla-audit init                                   # a commented starter sla.yaml
  $ sla-audit validate tickets.csv                   # config and CSV header check
  $ sla-audit check tickets.csv                      # the audit; exit 1 when an objective fails
  $ sla-audit check -f json -o report.json tickets.csv

Exit codes: 0 objectives met · 1 an objective failed (queue: a clock reached --fail-on-level) · 2 usage, config or input error`);
  return p;
}

export async function main(argv: string[]): Promise<number> {
  const exit = { code: 0 };
  try {
    await program(exit).parseAsync(argv);
    return exit.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2; // commander already printed the message
    }
    if (e instanceof UserError) {
      process.stderr.write(e.message.split('\n').map((l) => `sla-audit: ${safeText(l)}`).join('\n') + '\n');
      return 2;
    }
    throw e;
  }
}

/** Ends the process now: temporary report files are removed first, so nothing half-written stays. */
function endNow(code: number): never {
  interruptQueries();
  removeTemps();
  removeTempFolders();
  process.exit(code);
}

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
for (const [sig, n] of Object.entries(SIGNALS)) process.once(sig, () => endNow(128 + n));
// A closed pipe (`| head`) is quiet and the run goes on: its report files are still written and the
// exit code is the run's. Any other failure of standard output (a full disk) is one line and exit 2.
let stdoutClosed = false;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE' || (stdoutClosed && e.code === 'ERR_STREAM_DESTROYED')) {
    stdoutClosed = true;
    return;
  }
  process.stderr.write(`sla-audit: cannot write standard output: ${osReason(e)}\n`);
  endNow(2);
});

process.exitCode = await main(process.argv);
