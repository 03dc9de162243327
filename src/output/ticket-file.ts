/**
 * A per-ticket report written while tickets are evaluated: synchronous, buffered writes into a
 * temporary file (it is fed from inside the reading), then, when ids turned out to be duplicated,
 * one filtering pass that keeps only each id's winning rows.
 */
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import type { TicketObserver } from '../engine/audit.js';
import type { EvaluatedTicket } from '../engine/result.js';
import type { TicketRows } from '../report/index.js';
import type { Zone } from '../time/zone.js';
import { UsageError } from '../errors.js';
import { forgetTemp, tempPathFor, writeTemp } from './files.js';
import { osReason } from './targets.js';

export class TicketFile implements TicketObserver {
  private readonly fd: number;
  private buf: string;
  private readonly replacedIds = new Map<string, number>();

  /** Opens a temporary file beside `near` (the first target; `shown` names it in messages). */
  constructor(
    near: string,
    private readonly shown: string,
    private readonly rows: TicketRows,
    private readonly zone: Zone,
    /** lines each ticket writes (one per measured metric) */
    private readonly linesPerTicket: number,
    readonly path = tempPathFor(near),
  ) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      forgetTemp(path, false);
      throw new UsageError(`cannot write ${shown}: ${osReason(e)}`);
    }
    this.buf = rows.header + '\n';
  }

  ticket(ev: EvaluatedTicket): void {
    this.buf += this.rows.lines(ev, this.zone);
    if (this.buf.length > 1 << 16) this.flush();
  }

  replaced(ev: EvaluatedTicket): void {
    const k = this.rows.idCell(ev.ticket.id);
    this.replacedIds.set(k, (this.replacedIds.get(k) ?? 0) + 1);
  }

  private flush(): void {
    try {
      if (this.buf) writeSync(this.fd, this.buf);
    } catch (e) {
      // a full disk or a size limit: the run stops with one line, and the temporary file goes
      this.buf = '';
      closeSync(this.fd);
      forgetTemp(this.path, true);
      this.closed = true;
      throw new UsageError(`cannot write ${this.shown}: ${osReason(e)}`);
    }
    this.buf = '';
  }

  private closed = false;

  /** Finishes the file; returns the path of the final content (filtered when ids were replaced). */
  async finish(): Promise<string> {
    if (this.closed) throw new UsageError(`cannot write ${this.shown}: it failed earlier`);
    this.flush();
    closeSync(this.fd);
    this.closed = true;
    if (!this.replacedIds.size) return this.path;
    const source = this.path;
    const keep = this.rows.keep(this.replacedIds, this.linesPerTicket);
    async function* kept(): AsyncIterable<string> {
      // node:readline is loaded only for this pass, when ids were replaced
      const { createInterface } = await import('node:readline');
      const rl = createInterface({ input: createReadStream(source), crlfDelay: Infinity });
      let header = true;
      let pending = '';
      for await (const line of rl) {
        pending = pending ? `${pending}\n${line}` : line;
        // a record may span lines when an id holds a quoted line break
        if ((pending.split('"').length - 1) % 2 === 1) continue;
        const record = pending;
        pending = '';
        if (header) header = false;
        else if (!keep(record)) continue;
        yield record + '\n';
      }
    }
    try {
      return await writeTemp(this.path, this.shown, kept());
    } finally {
      forgetTemp(this.path, true);
    }
  }

  /** Closes and removes the temporary file (the run failed). */
  discard(): void {
    if (!this.closed) {
      this.closed = true;
      closeSync(this.fd);
    }
    forgetTemp(this.path, true);
  }
}
