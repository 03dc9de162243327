/**
 * A per-ticket report written while tickets are evaluated: synchronous, buffered writes into a
 * temporary file (it is fed from inside the reading), then, when ids turned out to be duplicated,
 * one filtering pass that keeps only each id's winning rows.
 */
import { closeSync, createReadStream, createWriteStream, openSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { TicketObserver } from '../engine/audit.js';
import type { EvaluatedTicket } from '../engine/result.js';
import type { TicketRows } from '../report/index.js';
import type { Zone } from '../time/zone.js';
import { forgetTemp, tempPathFor } from './files.js';

export class TicketFile implements TicketObserver {
  private readonly fd: number;
  private buf: string;
  private readonly replacedIds = new Map<string, number>();

  /** Opens a temporary file beside `near` (the first target). */
  constructor(
    near: string,
    private readonly rows: TicketRows,
    private readonly zone: Zone,
    readonly path = tempPathFor(near),
  ) {
    this.fd = openSync(path, 'w');
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
    if (this.buf) writeSync(this.fd, this.buf);
    this.buf = '';
  }

  /** Finishes the file; returns the path of the final content (filtered when ids were replaced). */
  async finish(): Promise<string> {
    this.flush();
    closeSync(this.fd);
    if (!this.replacedIds.size) return this.path;
    const filtered = tempPathFor(this.path);
    const w = createWriteStream(filtered);
    const rl = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    const keep = this.rows.keep(this.replacedIds);
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
      if (!w.write(record + '\n')) await once(w, 'drain');
    }
    w.end();
    await once(w, 'finish');
    forgetTemp(this.path, true);
    return filtered;
  }

  /** Closes and removes the temporary file (the run failed). */
  async discard(): Promise<void> {
    await this.finish().then((p) => forgetTemp(p, true)).catch(() => undefined);
  }
}
