import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UserError } from './errors.js';
import { checkCommand } from './commands/check.js';
import { validateCommand } from './commands/validate.js';
import { initCommand } from './commands/init.js';
import { schemaCommand } from './commands/schema.js';
import { explainCommand } from './commands/explain.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

export function program(): Command {
  const p = new Command('sla-audit')
    .description('Audit service level agreements: SLA definitions in YAML, ticket exports in CSV, every breach found and reported.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const c of [checkCommand(), explainCommand(), validateCommand(), initCommand(), schemaCommand()]) {
    c.exitOverride();
    p.addCommand(c);
  }
  p.addHelpText('after', `
Examples:
  $ sla-audit init                                   # a commented starter sla.yaml
  $ sla-audit validate tickets.csv                   # config and CSV header check
  $ sla-audit check tickets.csv                      # the audit; exit 1 when an objective fails
  $ sla-audit check -f json -o report.json tickets.csv

Exit codes: 0 objectives met · 1 an objective failed · 2 usage, config or input error`);
  return p;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2; // commander already printed the message
    }
    if (e instanceof UserError) {
      process.stderr.write(e.message.split('\n').map((l) => `sla-audit: ${l}`).join('\n') + '\n');
      return 2;
    }
    throw e;
  }
}

const code = await main(process.argv);
process.exitCode = code;
