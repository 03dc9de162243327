import { closeSync, createReadStream, createWriteStream, openSync, unlinkSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Policy } from '../config/types.js';
import type { Ticket } from '../input/tickets.js';
import type { MetricResult } from '../engine/evaluate.js';
import type { Zone } from '../time/zone.js';
import { minutes } from './format.js';

/** Stable header of the per-ticket CSV report. */
export const CSV_HEADER = 'ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at';

/**
 * A cell safe for spreadsheets: a leading = + - @ (or tab / carriage return) is neutralised with a
 * leading apostrophe so that Excel and LibreOffice do not run it as a formula; then RFC 4180 quoting.
 */
export function csvCell(v: string): string {
  let s = v;
  if (s.length && '=+-@\t\r'.includes(s[0])) s = `'${s}`;
  if (/[",\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

export function csvLines(t: Ticket, policy: Policy | undefined, results: MetricResult[], zone: Zone): string {
  let out = '';
  for (const r of results) {
    const na = r.status === 'not_applicable';
    out +=
      [
        csvCell(t.id),
        csvCell(policy?.name ?? ''),
        csvCell(t.priority),
        r.metric,
        r.status,
        na ? '' : String(minutes(r.targetMs)),
        na ? '' : String(minutes(r.elapsedMs)),
        na ? '' : zone.format(r.due),
        Number.isNaN(r.completed) ? '' : zone.format(r.completed),
      ].join(',') + '\n';
  }
  return out;
}

/**
 * Writes the per-ticket CSV to a file while tickets stream by (synchronous, buffered writes, so it
 * can be fed from inside the parser). Rows of a ticket later replaced by a row with the same id are
 * dropped in a final filtering pass, run only when that happened.
 */
export class CsvSink {
  private readonly fd: number;
  private buf = '';
  private written = 0;
  /** ordinals in write order, to find a replaced ticket's lines */
  private ordinals = new Int32Array(1024);
  private readonly dropped = new Set<number>();
  private linesPer = 2;

  constructor(
    readonly path: string,
    private readonly zone: Zone,
  ) {
    this.fd = openSync(path, 'w');
    this.buf = CSV_HEADER + '\n';
  }

  add(t: Ticket, policy: Policy | undefined, results: MetricResult[], ordinal: number): void {
    this.linesPer = results.length;
    if (this.written >= this.ordinals.length) {
      const bigger = new Int32Array(this.ordinals.length * 2);
      bigger.set(this.ordinals);
      this.ordinals = bigger;
    }
    this.ordinals[this.written++] = ordinal;
    this.buf += csvLines(t, policy, results, this.zone);
    if (this.buf.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf) writeSync(this.fd, this.buf);
    this.buf = '';
  }

  replaced(ordinal: number): void {
    // binary search: ordinals are written in increasing order
    let lo = 0, hi = this.written - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.ordinals[mid] === ordinal) {
        this.dropped.add(mid);
        return;
      }
      if (this.ordinals[mid] < ordinal) lo = mid + 1;
      else hi = mid - 1;
    }
  }

  /** Finishes the file; returns the path of the final content (filtered when tickets were replaced). */
  async finish(): Promise<string> {
    this.flush();
    closeSync(this.fd);
    if (!this.dropped.size) return this.path;
    const filtered = this.path + '.f';
    const w = createWriteStream(filtered);
    const rl = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    let n = -1; // record index, header = -1
    let pending = '';
    for await (const line of rl) {
      pending = pending ? `${pending}\n${line}` : line;
      // a record may span lines when an id holds a quoted line break
      if ((pending.split('"').length - 1) % 2 === 1) continue;
      const ticket = n < 0 ? -1 : Math.floor(n / this.linesPer);
      if (n < 0 || !this.dropped.has(ticket)) {
        if (!w.write(pending + '\n')) await once(w, 'drain');
      }
      n++;
      pending = '';
    }
    w.end();
    await once(w, 'finish');
    unlinkSync(this.path);
    return filtered;
  }
}
