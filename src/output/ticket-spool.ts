/**
 * The run's tickets, one compact line each in a temporary file, written while they are evaluated
 * (synchronously: it is fed from inside the reading), for the reports that are written after the
 * audit from one row per ticket: the `--wide` CSV and the workbook's Tickets sheet. Reading them
 * back leaves out every ticket that a later row with the same id replaced, so memory stays flat
 * and a replaced ticket never shows.
 */
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TicketObserver } from '../engine/audit.js';
import type { EvaluatedTicket, Status } from '../engine/result.js';
import { WIDE_TEXT, wideTicket, type WideTicket } from '../report/tickets-wide.js';
import { measureTicket } from '../report/xlsx.js';
import { UsageError } from '../errors.js';
import { forgetTemp, tempPathFor, writeTemp } from './files.js';
import { osReason } from './targets.js';

const num = (v: number | null) => (v === null ? NaN : v);

export class TicketSpool implements TicketObserver {
  readonly path: string;
  /** the widest text per WIDE_TEXT field (measured only when asked: the workbook's column widths) */
  readonly widths: number[] = [...WIDE_TEXT, 'customer'].map(() => 0);
  /** whether some ticket had a satisfaction rating, or a customer (the workbook shows those columns then) */
  readonly has = { satisfaction: false, customer: false };
  private readonly fd: number;
  private buf = '';
  private closed = false;
  private readonly replacedIds = new Map<string, number>();

  /** Opens a temporary file beside `near` (`shown` names the report in messages). */
  constructor(
    near: string,
    private readonly shown: string,
    private readonly measure: boolean,
  ) {
    this.path = tempPathFor(near);
    try {
      this.fd = openSync(this.path, 'w');
    } catch (e) {
      forgetTemp(this.path, false);
      throw new UsageError(`cannot write ${shown}: ${osReason(e)}`);
    }
  }

  ticket(ev: EvaluatedTicket): void {
    const t = wideTicket(ev);
    if (this.measure) measureTicket(t, this.widths);
    if (!Number.isNaN(t.satisfaction)) this.has.satisfaction = true;
    if (t.customer) this.has.customer = true;
    const flat: (string | number)[] = [t.id, t.created, t.priority, t.policy, t.team, t.agent, t.channel, t.category, t.satisfaction, t.customer];
    for (const m of t.metrics) flat.push(m.status, m.targetMs, m.elapsedMs, m.due, m.completed);
    this.buf += JSON.stringify(flat) + '\n'; // NaN is written as null
    if (this.buf.length > 1 << 16) this.flush();
  }

  replaced(ev: EvaluatedTicket): void {
    this.replacedIds.set(ev.ticket.id, (this.replacedIds.get(ev.ticket.id) ?? 0) + 1);
  }

  private flush(): void {
    try {
      if (this.buf) writeSync(this.fd, this.buf);
      this.buf = '';
    } catch (e) {
      this.discard();
      throw new UsageError(`cannot write ${this.shown}: ${osReason(e)}`);
    }
  }

  /** Ends the writing (before reading back). */
  finish(): void {
    if (this.closed) throw new UsageError(`cannot write ${this.shown}: it failed earlier`);
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  /** The tickets in reading order, without replaced ones (each read starts from the beginning). */
  async *rows(): AsyncIterable<WideTicket> {
    const skip = new Map(this.replacedIds); // id -> earlier rows of it still to leave out
    const rl = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line) continue;
      const f = JSON.parse(line) as (string | number | null)[];
      const id = f[0] as string;
      const left = skip.get(id);
      if (left) {
        skip.set(id, left - 1);
        continue;
      }
      const metrics: WideTicket['metrics'] = [];
      for (let i = 10; i < f.length; i += 5) {
        metrics.push({ status: f[i] as Status, targetMs: num(f[i + 1] as number | null), elapsedMs: num(f[i + 2] as number | null), due: num(f[i + 3] as number | null), completed: num(f[i + 4] as number | null) });
      }
      yield {
        id, created: num(f[1] as number | null), priority: f[2] as string, policy: f[3] as string, team: f[4] as string, agent: f[5] as string, channel: f[6] as string, category: f[7] as string,
        satisfaction: num(f[8] as number | null), customer: f[9] as string, metrics,
      };
    }
  }

  /**
   * Writes a text report of the tickets (a header, then a line per ticket) into a temporary file
   * beside `near`, and returns its path; the caller puts it into place.
   */
  async writeText(near: string, header: string, line: (t: WideTicket) => string): Promise<string> {
    const tickets = this.rows();
    async function* chunks(): AsyncIterable<string> {
      let chunk = header;
      for await (const t of tickets) {
        chunk += line(t);
        if (chunk.length > 1 << 16) {
          yield chunk;
          chunk = '';
        }
      }
      yield chunk;
    }
    return writeTemp(near, this.shown, chunks());
  }

  /** Closes and removes the spool (the run is over, or failed). */
  discard(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        closeSync(this.fd);
      } catch {
        /* already closed */
      }
    }
    forgetTemp(this.path, true);
  }
}
