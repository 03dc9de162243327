/**
 * The audit as one call: the input stage reads the files into a stream of typed tickets, the
 * engine evaluates and sums them up. What the CLI runs, and what other programs can import.
 */
import { mark } from './model/timeline.js';
import type { Readable } from 'node:stream';
import { InputError } from './errors.js';
import { beyondDataWarnings, forgetReach, listedYearsWarnings } from './calendar/coverage.js';
import type { Config } from './config/types.js';
import { auditStream, type EngineOptions, type TicketObserver } from './engine/audit.js';
import { explainScore, explainTicket } from './engine/explain.js';
import type { AuditResult, EvaluatedTicket, Explanation, ScoreExplanation } from './engine/result.js';
import { UsageError } from './errors.js';
import { readTickets } from './input/stream.js';
import { KeyRuns } from './store/key-runs.js';
import type { TicketStream } from './model/ticket.js';
import { chooseEngine, type EngineName } from './engines.js';
import { duckdbFormat } from './input/duckdb-formats.js';

/** The DuckDB engine's stream when it is chosen and takes the input; undefined for the streaming engine. */
async function engineStream(o: AuditOptions, asOf: number): Promise<TicketStream | undefined> {
  if (!o.engine || o.engine === 'streaming') return undefined;
  const inputs = o.inputs.length ? o.inputs : o.config.tickets.path ? [o.config.tickets.path] : [];
  const use = await chooseEngine(o.engine, inputs);
  if (use !== 'duckdb' || !inputs.length) return undefined;
  const { duckdbTickets } = await import('./duckdb/tickets.js');
  const r = await duckdbTickets({ config: o.config, inputs, table: o.table, events: o.events, messages: o.messages, asOf, asOfIsNow: o.asOf === undefined, since: o.since, until: o.until, onProgress: o.onProgress });
  if ('stream' in r) return r.stream;
  // the streaming engine cannot take over a Parquet, JSON lines or DuckDB input
  const only = inputs.find((p) => duckdbFormat(p));
  if (only) throw new InputError(`${only}: --engine ${o.engine} cannot compute this run as the streaming engine would (${r.fallback}), and the streaming engine does not read this file; export the tickets as CSV`);
  o.onNote?.(`--engine ${o.engine}: ${r.fallback}; the streaming engine reads this run (the same numbers)`);
  return undefined;
}

export interface AuditOptions extends Omit<EngineOptions, 'sortedKeys' | 'asOf' | 'messages'> {
  config: Config;
  /** CSV paths, or "-" for standard input; none: tickets.path from the config */
  inputs: string[];
  /** --events status-history files */
  events?: string[];
  /** --messages conversation files (ticket_id, timestamp, author): next_reply and periodic_update */
  messages?: string[];
  /** the worksheet to read in ticket files that are workbooks (.xlsx); default: the first */
  sheet?: string;
  /** the table to read in ticket files that are DuckDB databases (.duckdb, --engine duckdb); default: the only one */
  table?: string;
  /**
   * the audited instant, epoch ms (--as-of): tickets created later are outside the audit and later
   * timestamps are ignored. Without it, now: and a timestamp later than now is a problem.
   */
  asOf?: number;
  /** standard input, when an input is "-" (default: process.stdin) */
  stdin?: Readable;
  /** every evaluated ticket inside --since/--until, in reading order */
  onTicket?: (ev: EvaluatedTicket) => void;
  /** as the inputs are read: rows read, and bytes of the ticket files read (undefined where the engine cannot tell) */
  onProgress?: (rows: number, bytes?: number) => void;
  /** parse large files in a worker thread (default auto) */
  worker?: 'auto' | 'always' | 'never';
  /** who computes the per-ticket metrics: the streaming engine (default), the compiled SQL on embedded DuckDB, or auto (engines.ts) */
  engine?: EngineName;
  /** what the choice of engine has to say (why DuckDB handed a run to the streaming engine) */
  onNote?: (note: string) => void;
  /**
   * the file `config` was loaded from, unchanged since: with it, a large CSV file is read and
   * evaluated in parts on worker threads, which load the config from it (parallel/parallel.ts)
   */
  configPath?: string;
}

/** The reading in parts on worker threads, when this run can take it: per-ticket observers, side files and the event-log layout keep a run on one thread. */
async function inParts(o: AuditOptions, sql: TicketStream | undefined, asOf: number, notAfter: number | undefined) {
  const one = sql || !o.configPath || o.worker === 'never' || o.sheet !== undefined || o.events?.length || o.messages?.length || o.config.tickets.layout === 'events' || o.observers?.length || o.onTicket;
  if (one) return undefined;
  const parallel = await import('./parallel/parallel.js');
  if (!parallel.partsAllowed()) return undefined;
  const engine = { asOf, notAfter, since: o.since, until: o.until, groupBy: o.groupBy, extraObjectives: o.extraObjectives, maxBreaches: o.maxBreaches, period: o.period, split: o.split, listRepeats: o.listRepeats };
  return { audit: parallel.auditWithParts, elsewhere: parallel.readerInParts({ config: o.config, configPath: o.configPath!, engine }) };
}

export async function audit(o: AuditOptions): Promise<AuditResult> {
  const asOf = o.asOf ?? Date.now();
  const notAfter = o.asOf === undefined ? asOf : undefined;
  const sql = await engineStream(o, asOf);
  const parts = await inParts(o, sql, asOf, notAfter);
  const stream = sql ?? readTickets({ config: o.config, inputs: o.inputs, events: o.events, messages: o.messages, sheet: o.sheet, asOf, notAfter, stdin: o.stdin, worker: o.worker, onProgress: o.onProgress, elsewhere: parts?.elsewhere });
  const observers: TicketObserver[] = [...(o.observers ?? []), ...(o.onTicket ? [{ ticket: o.onTicket }] : []), ...(sql ? [clockSpans(asOf)] : [])];
  forgetReach(o.config.calendars.values());
  const engine = { ...o, asOf, observers, messages: !!o.messages?.length, sortedKeys: () => new KeyRuns() };
  const result = await (parts ? parts.audit(stream, engine) : auditStream(stream, engine));
  // days beyond a country's holiday data: said once per run, with the other warnings
  result.warnings.push(...beyondDataWarnings(o.config.calendars.values()));
  // a year a calendar's hand-listed holidays leave out: said once per calendar and year
  result.warnings.push(...listedYearsWarnings(o.config.calendars.values()));
  result.warnings.unshift(...o.config.warnings);
  mark('audit: done');
  return result;
}

/**
 * The compiled SQL measures business time without asking the calendars: each clock's span (from its
 * start to its completion, or --as-of, and its due time) is told to its calendar, so the coverage
 * warnings (holiday data, hand-listed years) are the same on either engine.
 */
function clockSpans(asOf: number): TicketObserver {
  return {
    ticket: (ev) => {
      if (!ev.policy) return;
      for (const r of ev.results) {
        const cal = ev.policy.clocks[r.metric as keyof typeof ev.policy.clocks]?.calendar;
        if (!cal) continue;
        const from = Number.isFinite(r.clockStart) ? Math.min(ev.ticket.created, r.clockStart) : ev.ticket.created;
        const end = Number.isFinite(r.completed) ? r.completed : asOf;
        cal.noteSpan(from, Number.isFinite(r.due) ? Math.max(end, r.due) : end);
      }
    },
  };
}

export interface ExplainOptions {
  config: Config;
  id: string;
  inputs: string[];
  events?: string[];
  messages?: string[];
  sheet?: string;
  /** as for audit: without it, now */
  asOf?: number;
  stdin?: Readable;
  /** the run's calendar coverage warnings (holiday data or hand-listed years the run reached beyond), as check says them */
  onWarning?: (warning: string) => void;
}

/** One ticket's timeline (the last row with that id wins, as in check). */
export async function explain(o: ExplainOptions): Promise<Explanation> {
  let found: EvaluatedTicket | undefined;
  // the last counted row with the id, unless a later row replaced it (one outside the audit, say)
  const result = await audit({
    config: o.config, inputs: o.inputs, events: o.events, messages: o.messages, sheet: o.sheet, asOf: o.asOf, stdin: o.stdin,
    observers: [{
      ticket: (ev) => {
        if (ev.ticket.id === o.id) found = ev;
      },
      replaced: (ev) => {
        if (found && ev.ticket.file === found.ticket.file && ev.ticket.row === found.ticket.row) found = undefined;
      },
    }],
  });
  coverageWarnings(o);
  if (!found) {
    const related = result.problems.find((p) => p.message.includes(`"${o.id}"`));
    throw new InputError(
      `ticket "${o.id}" is not among the ${result.totals.evaluated} tickets evaluated from ${result.inputs.join(', ')}${related ? ` (row ${related.row}: ${related.message})` : '; check the id, or run check to see rows left out with problems'}`,
    );
  }
  return explainTicket(found, o.config, result.asOf, result.credits);
}

/** The calendar coverage warnings of the run just audited (its calendars remember what it reached), to onWarning. */
function coverageWarnings(o: Pick<ExplainOptions, 'config' | 'onWarning'>): void {
  for (const w of [...beyondDataWarnings(o.config.calendars.values()), ...listedYearsWarnings(o.config.calendars.values())]) o.onWarning?.(w);
}

export interface ExplainScoreOptions extends Omit<ExplainOptions, 'id'> {
  scorecard: string;
  group: string;
  /** a period label of the scorecard's period (e.g. 2026-Q3); none: the card over all tickets */
  period?: string;
}

/** How one group's scorecard score came about. */
export async function explainScorecard(o: ExplainScoreOptions): Promise<ScoreExplanation> {
  if (!o.config.scorecards.some((s) => s.name === o.scorecard)) {
    throw new UsageError(`--scorecard ${o.scorecard}: no such scorecard (defined: ${o.config.scorecards.map((s) => s.name).join(', ') || 'none'})`);
  }
  const result = await audit({ config: o.config, inputs: o.inputs, events: o.events, messages: o.messages, sheet: o.sheet, asOf: o.asOf, stdin: o.stdin });
  coverageWarnings(o);
  const sc = result.scorecards.find((s) => s.name === o.scorecard)!;
  const e = explainScore(sc, o.group, o.period ?? null);
  if (!e) {
    const card = sc.cards.find((c) => c.period === (o.period ?? null));
    const where = card ? `groups: ${card.rows.map((r) => r.key).join(', ')}` : `periods: ${sc.cards.filter((c) => c.period).map((c) => c.period).join(', ') || 'none (the scorecard has no period)'}`;
    throw new UsageError(`--group ${o.group}${o.period ? ` --period ${o.period}` : ''}: not in scorecard ${o.scorecard} (${where})`);
  }
  return e;
}
