/**
 * Options every command that reads tickets shares (check, explain), and how they become a config and
 * an instant. The config loader and the timestamp parser are loaded when a command runs, not when
 * the CLI starts.
 */
import { Option, type Command } from 'commander';
import { ENGINES } from '../engines.js';
import { PAGE_EXTENSIONS, PAGE_FORMATS } from '../report/formats.js';
import { UsageError } from '../errors.js';
import { safeText } from '../report/escape.js';
import type { Config } from '../config/types.js';

export interface InputOptions {
  config?: string;
  asOf?: string;
  events: string[];
  messages: string[];
  /** --lang, on the commands with reports for people */
  lang?: string;
  sheet?: string;
}

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'config file (default: sla-audit.yaml, sla-audit.yml, sla.yaml or sla.yml here)')
    .option('--as-of <time>', 'the instant open tickets are measured at (ISO 8601; naive = config timezone)', undefined)
    .option('--events <file>', 'status-history CSV (ticket_id,timestamp,status, and group for olas:); repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--messages <file>', 'public-conversation CSV (ticket_id,timestamp,author) for next_reply and periodic_update; repeatable', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--sheet <name>', 'the worksheet to read in a ticket file that is an .xlsx workbook (default: the first)');
}

export async function configFrom(opts: { config?: string }): Promise<Config> {
  const { findConfig, loadConfig } = await import('../config/load.js');
  return loadConfig(findConfig(opts.config));
}

/** --as-of as an instant; undefined without it (the audit then runs as of now, and later timestamps are problems). */
export async function asOfFrom(opts: { asOf?: string }, config: Config): Promise<number | undefined> {
  if (!opts.asOf) return undefined;
  const { parseInstant } = await import('../time/instant.js');
  return parseInstant('--as-of', opts.asOf, config.zone);
}

/** A command for the CLI: its definition, and what running it returns (the exit code). */
export interface CliCommand {
  command: Command;
  // commander hands the action its arguments and options positionally
  run: (...args: any[]) => Promise<number>;
}

/** --engine: who computes the per-ticket metrics (src/engines.ts); the same numbers either way. */
/** -f, -o, -q and --no-color of a command with a report of its own (scorecard, queue). */
export function addPageOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <fmt>', 'what goes to standard output').choices([...PAGE_FORMATS]).default('table'))
    .option('-o, --out <file>', `write a file; repeatable; format from the extension (${Object.keys(PAGE_EXTENSIONS).join(' ')})`, (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('-q, --quiet', 'nothing on standard output (files and the exit code only)')
    .option('--no-color', 'no colour (also NO_COLOR; FORCE_COLOR forces it)');
}

const LANGS = ['en', 'zh-CN'];

/**
 * --lang: the language of the report's labels; it overrides the config's report.lang. Checked here,
 * not by commander, so a wrong value is a usage error like the others, its control characters escaped.
 */
export function langOption(description = 'the language of labels in reports for people (terminal, markdown, HTML, workbook); overrides report.lang; JSON keys, CSV columns and KPI names never change'): Option {
  return new Option('--lang <lang>', `${description} (choices: ${LANGS.join(', ')})`).argParser((v: string) => {
    if (!LANGS.includes(v)) throw new UsageError(`--lang "${safeText(v)}" is not a language of the reports (use ${LANGS.join(' or ')})`);
    return v;
  });
}

/** The report's language and title: --lang over the config's report.lang; English when neither says. */
export function reportLabels(opts: { lang?: string }, config: Config): { lang: 'en' | 'zh-CN'; title?: string } {
  const lang = opts.lang === 'en' || opts.lang === 'zh-CN' ? opts.lang : config.report.lang ?? 'en';
  return { lang, ...(config.report.title !== undefined ? { title: config.report.title } : {}) };
}

export function engineOption(postgres = false): Option {
  return new Option('--engine <engine>', `who computes: the streaming engine (CSV, .xlsx; the faster), the compiled SQL on embedded DuckDB (needs @duckdb/node-api; the same numbers; also reads .parquet, .jsonl/.ndjson and a .duckdb table), or auto: DuckDB only for the files the streaming engine cannot read${postgres ? '; postgres: the compiled SQL in a PostgreSQL database (--db, --table), fetching only aggregates' : ''}`)
    .choices([...ENGINES, ...(postgres ? ['postgres'] : [])])
    .default('streaming');
}
