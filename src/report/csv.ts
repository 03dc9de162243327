import { closeSync, createReadStream, createWriteStream, openSync, unlinkSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Policy } from '../config/types.js';
import type { Ticket } from '../input/tickets.js';
import type { MetricResult } from '../engine/evaluate.js';
import type { Zone } from '../time/zone.js';
import { minutes } from './format.js';
import { METRICS } from '../config/schema.js';

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
 * can be fed from inside the parser). When ticket ids turned out to be duplicated, a final pass
 * keeps only the rows of each id's last (winning) ticket.
 */
export class CsvSink {
  private readonly fd: number;
  private buf = '';
  private drop: Map<string, { counted: number; keepLast: boolean }> | undefined;

  constructor(
    readonly path: string,
    private readonly zone: Zone,
  ) {
    this.fd = openSync(path, 'w');
    this.buf = CSV_HEADER + '\n';
  }

  add(t: Ticket, policy: Policy | undefined, results: MetricResult[]): void {
    this.buf += csvLines(t, policy, results, this.zone);
    if (this.buf.length > 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buf) writeSync(this.fd, this.buf);
    this.buf = '';
  }

  /** Ids read more than once: their earlier tickets' rows are left out when finishing. */
  duplicates(ids: Map<string, { counted: number; keepLast: boolean }>): void {
    this.drop = new Map([...ids].map(([id, v]) => [csvCell(id), v]));
  }

  /** Finishes the file; returns the path of the final content (filtered when ids were duplicated). */
  async finish(): Promise<string> {
    this.flush();
    closeSync(this.fd);
    if (!this.drop?.size) return this.path;
    const filtered = this.path + '.f';
    const w = createWriteStream(filtered);
    const rl = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    const seen = new Map<string, number>(); // id cell -> tickets of it passed so far
    let header = true;
    let pending = '';
    let lastId = '';
    let lastMetricLines = 0;
    for await (const line of rl) {
      pending = pending ? `${pending}\n${line}` : line;
      // a record may span lines when an id holds a quoted line break
      if ((pending.split('"').length - 1) % 2 === 1) continue;
      const record = pending;
      pending = '';
      if (header) {
        header = false;
        if (!w.write(record + '\n')) await once(w, 'drain');
        continue;
      }
      const idCell = firstCell(record);
      const d = this.drop.get(idCell);
      if (d) {
        // each ticket writes one line per metric, consecutively: count tickets at their first line
        if (idCell !== lastId || lastMetricLines >= METRICS.length) {
          seen.set(idCell, (seen.get(idCell) ?? 0) + 1);
          lastMetricLines = 0;
        }
        lastMetricLines++;
        lastId = idCell;
        const nth = seen.get(idCell)!;
        if (!(d.keepLast && nth === d.counted)) continue;
      } else {
        lastId = idCell;
        lastMetricLines = 0;
      }
      if (!w.write(record + '\n')) await once(w, 'drain');
    }
    w.end();
    await once(w, 'finish');
    unlinkSync(this.path);
    return filtered;
  }
}

/** The first cell of a CSV record, as written (quotes kept). */
function firstCell(record: string): string {
  if (record[0] !== '"') {
    const i = record.indexOf(',');
    return i < 0 ? record : record.slice(0, i);
  }
  let i = 1;
  for (;;) {
    const q = record.indexOf('"', i);
    if (q < 0) return record;
    if (record[q + 1] === '"') i = q + 2;
    else return record.slice(0, q + 1);
  }
}
