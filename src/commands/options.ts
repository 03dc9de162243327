/** Options every command that reads tickets shares (check, explain), and how they become a config and an instant. */
import type { Command } from 'commander';
import { findConfig, loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { parseInstant } from '../time/instant.js';

export interface InputOptions {
  config?: string;
  asOf?: string;
  events: string[];
}

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: sla-audit.yaml, sla-audit.yml, sla.yaml or sla.yml here)')
    .option('--as-of <time>', 'the instant open tickets are measured at (ISO 8601; naive = config timezone)', undefined)
    .option('--events <file>', 'status-history CSV (ticket_id,timestamp,status); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[]);
}

export function configFrom(opts: { config?: string }): Config {
  return loadConfig(findConfig(opts.config));
}

/** --as-of as an instant; undefined without it (the audit then runs as of now, and later timestamps are problems). */
export function asOfFrom(opts: { asOf?: string }, config: Config): number | undefined {
  return opts.asOf ? parseInstant('--as-of', opts.asOf, config.zone) : undefined;
}

/** A command for the CLI: its definition, and what running it returns (the exit code). */
export interface CliCommand {
  command: Command;
  // commander hands the action its arguments and options positionally
  run: (...args: any[]) => Promise<number>;
}
