/**
 * The input stage: ticket files or standard input (encodings, a worker thread for large files,
 * the event-log merge, --events history) as one stream of typed tickets and row problems, in
 * reading order. Duplicate ids are the input's business too: the later row wins, and the earlier
 * one comes out again at the end as a `replaced` item (found from id fingerprints, then a second
 * read of only the rows whose fingerprint repeats; standard input is spooled for it).
 */
import { mark } from '../model/timeline.js';
import type { Readable } from 'node:stream';
import { rmSync, statSync } from 'node:fs';
import { forgetTempFolder, makeTempFolder } from '../model/temp-folders.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { Config } from '../config/types.js';
import type { HandedKeys } from '../model/sorted-keys.js';
import type { InputItem, RowProblem, Ticket, TicketStream } from '../model/ticket.js';
import { KeyRuns } from '../store/key-runs.js';
import { Channel } from './channel.js';
import { ColumnMap, decideDateOrder } from './columns.js';
import { earlyEvents, historyFromEvents, readEvents, type EventsRead } from './events.js';
import { MessageStore } from './messages.js';
import { hashId } from './fingerprint.js';
import { EventLogMerge } from './merge.js';
import { TicketReader } from './reader.js';
import { quoteId } from './quote.js';
import { readTable, type TableInfo } from './table.js';

export interface ReadOptions {
  config: Config;
  /** CSV paths, or "-" for standard input; none: tickets.path from the config */
  inputs: string[];
  /** --events status-history files */
  events?: string[];
  /** --messages conversation files */
  messages?: string[];
  /** the worksheet to read in ticket files that are workbooks (.xlsx); default: the first */
  sheet?: string;
  /** the audited instant (epoch ms): the event-log layout takes each ticket's fields from its latest row up to it */
  asOf: number;
  /** timestamps after this are problems ("in the future"): now, when no --as-of was given; with --as-of, later timestamps are the engine's to ignore */
  notAfter?: number;
  stdin?: Readable;
  /** parse large files in a worker thread (default auto) */
  worker?: 'auto' | 'always' | 'never';
  /** called as the inputs are read (after each chunk, and every 16,384 rows): rows read, and bytes of the ticket files read so far */
  onProgress?: (rows: number, bytes: number) => void;
  /**
   * reads a ticket file's first pass elsewhere (in parts, on other threads), or says undefined to
   * leave it to this reading; given `progress` with the file's rows and bytes read so far
   */
  elsewhere?: (path: string, progress: (rows: number, bytes: number) => void) => Promise<ReadElsewhere | undefined>;
}

/** A ticket file's first pass done elsewhere: what this reading would have learned from it, and what it hands on. */
export interface ReadElsewhere {
  /** data rows read, the rows left out with problems included */
  rows: number;
  /** bytes of the file read */
  bytes: number;
  /** the fingerprints of its tickets' ids (hashId: high word, low word) as sorted runs handed over, in file order */
  ids: HandedKeys[];
  warnings: string[];
  /** goes on to the consumer as a `computed` item, in the file's place in the stream */
  result: unknown;
}

/** The files a run reads: the given ones, or tickets.path from the config. */
function inputFiles(config: Config, given: string[], events: string[] = [], messages: string[] = []): string[] {
  const inputs = given.length ? given : config.tickets.path ? [config.tickets.path] : [];
  if (!inputs.length) throw new InputError(`no tickets: pass a CSV file (or - for standard input), or set tickets.path in ${config.file}`);
  if ([...inputs, ...events, ...messages].filter((i) => i === '-').length > 1) throw new InputError('standard input ("-") can be given only once');
  noFileTwice(inputs, '');
  noFileTwice(events, '--events ');
  noFileTwice(messages, '--messages ');
  return inputs;
}

/**
 * Refuses a file given twice, by name or through a link (the same device and inode): read twice,
 * every row would replace itself as a duplicate id. Files that cannot be read are left to opening.
 */
function noFileTwice(paths: string[], what: string): void {
  const seen = new Map<string, string>();
  for (const path of paths) {
    if (path === '-') continue;
    let key: string;
    try {
      const st = statSync(path, { bigint: true });
      key = `${st.dev}:${st.ino}`;
    } catch {
      continue;
    }
    const first = seen.get(key);
    if (first === undefined) seen.set(key, path);
    else throw new InputError(`${what}${path} is given twice${first === path ? '' : ` (it is the same file as ${first})`}; pass each file once`);
  }
}

/** Tickets and problems from the inputs, in batches; the last item is `end`. */
export function readTickets(o: ReadOptions): TicketStream {
  return {
    [Symbol.asyncIterator]: () => stream(o),
  };
}

async function* stream(o: ReadOptions): AsyncGenerator<InputItem[]> {
  const ch = new Channel<InputItem>();
  const producing = new Reading(o, ch).run().then(
    () => ch.close(),
    (e) => ch.close(e),
  );
  try {
    yield* ch.batches();
  } finally {
    // the consumer stopped (or finished): let the reading unwind and clean up before going on
    await producing;
  }
}

class Reading {
  private readonly inputs: string[];
  private rows = 0;
  /** bytes of the ticket files read in the first pass: the files done, and the one being read */
  private bytesDone = 0;
  private bytes = 0;
  private readonly warnings: string[] = [];
  private events: EventsRead | undefined;
  private messages: MessageStore | undefined;
  /**
   * ids of ticket rows read: with --events every one (to find events for tickets that are in no
   * file); with --messages those left out with a problem (a message of theirs goes with them)
   */
  private readonly claimed = new Set<string>();
  private readonly ids = new KeyRuns();
  private spoolDir: string | undefined;
  private stdinSpool: string | undefined;

  constructor(
    private readonly o: ReadOptions,
    private readonly ch: Channel<InputItem>,
  ) {
    this.inputs = inputFiles(o.config, o.inputs, o.events, o.messages);
  }

  private problems(ps: RowProblem[], rows: number, side?: 'event' | 'message'): void {
    ps.forEach((problem, i) => this.ch.push({ kind: 'problem', problem, rows: i === 0 ? rows : 0, ...(side ? { [side]: true } : {}) }));
  }

  async run(): Promise<void> {
    const { o, ch } = this;
    try {
      if (o.events?.length) {
        this.events = await readEvents(o.events, o.config, o.notAfter, o.stdin);
        this.problems(this.events.problems, 0, 'event');
        this.warnings.push(...this.events.warnings);
      }
      if (o.messages?.length) {
        this.messages = await MessageStore.read(o.messages, o.config, o.notAfter, o.stdin);
        this.problems(this.messages.problems, 0, 'message');
        this.warnings.push(...this.messages.warnings);
        this.messages.problems = [];
      }
      const words = new Uint32Array(2);
      for (const path of this.inputs) {
        if (await this.readElsewhere(path)) continue;
        await this.scan(path, true, (t) => {
          hashId(t.id, words);
          this.ids.add(words[1], words[0]);
          ch.push({ kind: 'ticket', ticket: t });
        });
      }
      mark('input: first pass read');
      await this.replaceDuplicates();
      mark('input: duplicate ids done');
      this.unclaimedEvents();
      this.messages?.leftOver(o.config.zone, this.claimed, (p) => this.problems([p], 0, 'message'));
      ch.push({
        kind: 'end',
        inputs: this.inputs.map((i) => (i === '-' ? '(stdin)' : i)),
        rows: this.rows,
        ...(this.events ? { eventRows: this.events.rows } : {}),
        ...(this.messages ? { messageRows: this.messages.rows } : {}),
        warnings: this.warnings,
      });
    } finally {
      this.ids.dispose();
      if (this.spoolDir) {
        rmSync(this.spoolDir, { recursive: true, force: true });
        forgetTempFolder(this.spoolDir);
      }
    }
  }

  /** The first pass of a ticket file done by `elsewhere`, when it takes the file: true. */
  private async readElsewhere(path: string): Promise<boolean> {
    const { o } = this;
    if (!o.elsewhere || path === '-') return false;
    const done = await o.elsewhere(path, (rows, bytes) => o.onProgress?.(this.rows + rows, this.bytesDone + bytes));
    if (!done) return false;
    // sorted there: their runs merge with the ones here, not sorted again
    for (const h of done.ids) this.ids.adopt(h);
    this.rows += done.rows;
    this.bytes = this.bytesDone += done.bytes;
    o.onProgress?.(this.rows, this.bytes);
    this.warnings.push(...done.warnings);
    this.ch.push({ kind: 'computed', result: done.result });
    return true;
  }

  /**
   * Reads one input and calls `visit` for every ticket in reading order (a row, or in the event-log
   * layout a merged ticket). The first pass counts rows and reports problems; the second (for
   * duplicate ids) only visits again.
   */
  private async scan(path: string, first: boolean, visit: (t: Ticket) => void): Promise<void> {
    const { o, ch } = this;
    const { config, asOf } = o;
    let source = path;
    if (!first && path === '-') source = this.stdinSpool!;
    else if (first && path === '-') {
      this.spoolDir ??= makeTempFolder(tmpdir(), 'sla-audit-');
      this.stdinSpool = join(this.spoolDir, 'stdin.csv');
    }
    const name = path === '-' ? '(stdin)' : path;
    let info: TableInfo | undefined;
    let reader: TicketReader | undefined;
    let merge: EventLogMerge | undefined;
    const events = this.events;
    const messages = this.messages;
    const sideFiles = !!events || !!messages;
    const take = (t: Ticket) => {
      if (messages) t.messages = messages.take(t, first);
      visit(t);
    };
    const read = await readTable(
      {
        path: source, encoding: config.tickets.encoding, delimiter: config.tickets.delimiter, stdin: o.stdin, sheet: o.sheet,
        spool: first && path === '-' ? this.stdinSpool : undefined,
        // the second pass reads only a few rows' worth of work: keep it in this thread
        worker: first ? o.worker ?? 'auto' : 'never',
      },
      {
        open: (i) => {
          info = i;
        },
        pace: () => ch.pace(),
        header: (fields, delimiter) => {
          const map = new ColumnMap(name, fields, config, config.tickets.layout === 'events' || !!events);
          const order = decideDateOrder(name, info!.head, delimiter, map);
          reader = new TicketReader(map, config, order, o.notAfter, info!.sheet !== undefined);
          if (config.tickets.layout === 'events') merge = new EventLogMerge(reader, asOf);
          ch.push({ kind: 'source', columns: map });
        },
        record: (fields, row, line, errors) => {
          if (first) {
            this.rows++;
            if (o.onProgress && (this.rows & 0x3fff) === 0) o.onProgress(this.rows, this.bytes);
          }
          const bad = reader!.cellErrors(errors, row);
          if (bad.length) {
            if (first) {
              this.problems(bad, 1);
              const id = reader!.idOf(fields);
              if (id && sideFiles) this.claimed.add(id);
            }
            return;
          }
          if (merge) {
            const out = merge.add(fields, row, line);
            if (out.length && first) this.problems(out, 1);
            return;
          }
          const t = reader!.read(fields, row, line);
          if (Array.isArray(t)) {
            if (first) {
              this.problems(t, 1);
              const id = reader!.idOf(fields);
              if (id && sideFiles) this.claimed.add(id);
            }
            return;
          }
          if (events) {
            if (first) this.claimed.add(t.id);
            const raw = events.byTicket.get(t.id);
            // no row in the --events files: an empty history (never paused, never reopened), not an unknown one
            t.history = raw ? historyFromEvents(t, raw, first) : { times: [], statuses: [] };
          }
          take(t);
        },
        problem: (p) => {
          if (!first) return;
          this.rows++;
          this.problems([p], 1);
        },
        progress: (bytes) => {
          if (!first) return;
          this.bytes = this.bytesDone + bytes;
          o.onProgress?.(this.rows, this.bytes);
        },
      },
    );
    if (first) this.bytesDone = this.bytes;
    if (!reader) throw new InputError(`${name}: has no header row; the first row must name the columns`);
    if (first) this.warnings.push(...read.warnings.map((w) => w.replace(read.name, name)));
    if (merge) {
      let n = 0;
      for (const m of merge.tickets()) {
        if ('ticket' in m) take(m.ticket);
        else if (first) this.problems(m.problems, m.rows);
        if ((++n & 0x3ff) === 0) await ch.pace();
      }
    }
  }

  /** Ids read more than once: the later row wins; every earlier one comes out as `replaced`. */
  private async replaceDuplicates(): Promise<void> {
    const dups = new Set<string>();
    let ph = -1, pl = -1;
    this.ids.merge((hi, lo) => {
      if (hi === ph && lo === pl) dups.add(`${hi}:${lo}`);
      ph = hi;
      pl = lo;
    });
    if (!dups.size) return;
    const seen = new Map<string, Ticket[]>();
    const words = new Uint32Array(2);
    for (const path of this.inputs) {
      await this.scan(path, false, (t) => {
        hashId(t.id, words);
        if (!dups.has(`${words[1]}:${words[0]}`)) return;
        let list = seen.get(t.id);
        if (!list) seen.set(t.id, (list = []));
        list.push(t);
      });
    }
    for (const [id, list] of seen) {
      // one ticket alone: a fingerprint collision between different ids
      for (let i = 0; i < list.length - 1; i++) {
        const earlier = list[i];
        const later = list[i + 1];
        this.ch.push({
          kind: 'replaced',
          ticket: earlier,
          problem: {
            file: earlier.file,
            row: earlier.row,
            column: earlier.columns.name('id'),
            message: `duplicate ticket id ${quoteId(id)}: ${later.file === earlier.file ? `row ${later.row}` : `${later.file} row ${later.row}`} has the same id and replaces this row`,
          },
        });
      }
    }
  }

  /** --events rows no ticket used: before their ticket was created (by the row that won), or for tickets in no file. */
  private unclaimedEvents(): void {
    if (!this.events) return;
    const report = (p: RowProblem) => this.problems([p], 0, 'event');
    for (const [id, raw] of this.events.byTicket) {
      if (this.claimed.has(id)) {
        earlyEvents(id, raw, this.o.config.zone, report);
        continue;
      }
      raw.rows.forEach((row, i) => report({ file: raw.files[i], row, message: `event for ticket ${quoteId(id)}, which is in none of the ticket files; it is left out` }));
    }
  }
}
