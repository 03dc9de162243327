/**
 * The --messages files: each ticket's public conversation (ticket_id, timestamp, author), held in
 * memory as compactly as the status history — a time, an author bit, a file and row per message in
 * typed arrays, chained per ticket — until the tickets are read and each takes its messages.
 */
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { Config } from '../config/types.js';
import type { Conversation, RowProblem, Ticket } from '../model/ticket.js';
import type { Zone } from '../time/zone.js';
import { quoteId } from './quote.js';
import { readSideFiles } from './side-file.js';

const MAX_FILES = 255;

/** Growable typed columns, one entry per message kept. */
class Columns {
  n = 0;
  times = new Float64Array(1024);
  agent = new Uint8Array(1024);
  /** the ticket's previous message, or -1 */
  prev = new Int32Array(1024);
  file = new Uint8Array(1024);
  row = new Uint32Array(1024);

  push(time: number, agent: boolean, prev: number, file: number, row: number): number {
    if (this.n === this.times.length) this.grow();
    const i = this.n++;
    this.times[i] = time;
    this.agent[i] = agent ? 1 : 0;
    this.prev[i] = prev;
    this.file[i] = file;
    this.row[i] = row;
    return i;
  }

  private grow(): void {
    const size = this.times.length * 2;
    const g = <T extends Float64Array | Uint8Array | Int32Array | Uint32Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(size);
      b.set(a);
      return b;
    };
    this.times = g(this.times, Float64Array);
    this.agent = g(this.agent, Uint8Array);
    this.prev = g(this.prev, Int32Array);
    this.file = g(this.file, Uint8Array);
    this.row = g(this.row, Uint32Array);
  }
}

export class MessageStore {
  /** ticket id -> its last message (the head of its chain) × 2, plus 1 once a ticket row took its messages */
  private readonly last = new Map<string, number>();
  private readonly m = new Columns();
  private readonly files: string[] = [];
  /**
   * ticket id -> its creation, as the last row read with that id (the one that wins) says; kept only
   * while some of the ticket's messages are before it (they are reported at the end)
   */
  private readonly createdOf = new Map<string, number>();
  rows = 0;
  problems: RowProblem[] = [];
  warnings: string[] = [];
  /** a ticket's message indexes, newest read first (reused) */
  private scratch = new Int32Array(64);

  /** Reads the files; a row whose author is neither customer nor agent (nor ignored) is a problem. */
  static async read(paths: string[], config: Config, notAfter: number | undefined, stdin?: Readable): Promise<MessageStore> {
    if (paths.length > MAX_FILES) throw new InputError(`--messages is given ${paths.length} times; at most ${MAX_FILES} files`);
    const store = new MessageStore();
    const mc = config.messages;
    const known = [...new Set(mc.authors.values())].map((who) => `${who}: ${[...mc.authors].filter(([, w]) => w === who).slice(0, 4).map(([v]) => v).join(', ')}`).join('; ');
    let lastId: string | undefined;
    let head = -1;
    let file = '';
    let f = -1;
    const spec = { section: 'messages' as const, value: 'author', columns: { ticket_id: mc.columns.ticket_id, timestamp: mc.columns.timestamp, value: mc.columns.author }, zone: mc.zone, timestampFormat: mc.timestampFormat };
    const { rows, problems, warnings } = await readSideFiles(paths, config, spec, notAfter, stdin, (r) => {
      const who = mc.authors.get(r.value.toLowerCase());
      if (who === undefined) {
        return `is neither a customer nor an agent (${known}); map it under messages.authors (customer, agent, or ignore for bots and notes)`;
      }
      if (who === 'ignore') return undefined;
      if (r.file !== file) {
        file = r.file;
        f = store.files.indexOf(file);
        if (f < 0) f = store.files.push(file) - 1;
      }
      // exports list a ticket's messages together: the ticket of the previous row needs no lookup
      if (r.id !== lastId) {
        if (lastId !== undefined) store.last.set(lastId, 2 * head);
        // a fresh copy of the id: csv-parse's strings may hold on to the chunk they were cut from
        lastId = (' ' + r.id).slice(1);
        const before = store.last.get(lastId);
        head = before === undefined ? -1 : Math.floor(before / 2);
      }
      head = store.m.push(r.time, who === 'agent', head, f, r.row);
      return undefined;
    });
    if (lastId !== undefined) store.last.set(lastId, 2 * head);
    store.rows = rows;
    store.problems = problems;
    store.warnings = warnings;
    return store;
  }

  /**
   * A ticket's conversation in time order (ties keep file order), leaving out messages from before
   * it was created; undefined when it has none. On the first reading (`first`), the ticket's creation
   * is remembered: a later row with the same id replaces it, so the messages before creation are
   * judged by the row that wins, once, at the end (`leftOver`).
   */
  take(t: Ticket, first: boolean): Conversation | undefined {
    const entry = this.last.get(t.id);
    if (entry === undefined) return undefined;
    if (entry % 2 === 0) this.last.set(t.id, entry + 1);
    const m = this.m;
    let n = 0;
    let early = 0;
    for (let i = Math.floor(entry / 2); i >= 0; i = m.prev[i]) {
      if (m.times[i] < t.created) {
        early++;
        continue;
      }
      if (n === this.scratch.length) {
        const bigger = new Int32Array(n * 2);
        bigger.set(this.scratch);
        this.scratch = bigger;
      }
      this.scratch[n++] = i;
    }
    if (first) {
      if (early) this.createdOf.set(t.id, t.created);
      else this.createdOf.delete(t.id);
    }
    if (!n) return undefined;
    // the chain runs newest-read first: reversed, it is file order; a stable sort by time keeps ties in it
    const idx = this.scratch.subarray(0, n).reverse();
    let sorted = true;
    for (let k = 1; k < n && sorted; k++) if (m.times[idx[k]] < m.times[idx[k - 1]]) sorted = false;
    const order = sorted ? idx : Array.from(idx).sort((a, b) => m.times[a] - m.times[b]);
    const times = new Float64Array(n);
    const agent = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      times[k] = m.times[order[k]];
      agent[k] = m.agent[order[k]];
    }
    return { times, agent };
  }

  /**
   * The messages no ticket used, a problem each: those before their ticket was created (by the row
   * that won), and those for tickets in no ticket file. `claimed` holds the ids of ticket rows left out
   * with a problem of their own: their messages go with them, as their --events rows do.
   */
  leftOver(zone: Zone, claimed: Set<string>, report: (p: RowProblem) => void): void {
    for (const [id, entry] of this.last) {
      const taken = entry % 2 === 1;
      if (!taken && claimed.has(id)) continue;
      const created = this.createdOf.get(id);
      const idx: number[] = [];
      for (let i = Math.floor(entry / 2); i >= 0; i = this.m.prev[i]) idx.push(i);
      for (const i of idx.reverse()) {
        if (!taken) report({ file: this.files[this.m.file[i]], row: this.m.row[i], message: `message for ticket ${quoteId(id)}, which is in none of the ticket files; it is left out` });
        else if (created !== undefined && this.m.times[i] < created) {
          report({ file: this.files[this.m.file[i]], row: this.m.row[i], message: `message for ticket ${quoteId(id)} is before the ticket was created (${zone.formatShort(created)}); it is left out` });
        }
      }
    }
  }
}
