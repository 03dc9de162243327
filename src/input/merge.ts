/**
 * The event-log layout (`tickets.layout: events`): many rows per ticket, anywhere in the file. Each
 * ticket's fields come from its latest row (by updated_at, then a sequence column, then file
 * order), its status history from all its rows. Only that compact state is kept per ticket.
 */
import type { RowProblem, Ticket } from '../model/ticket.js';
import type { Zone } from '../time/zone.js';
import { sortHistory } from './events.js';
import type { TicketReader } from './reader.js';

interface Merging {
  fields: string[];
  row: number;
  line: number;
  updated: number;
  seq: number;
  rowCount: number;
  times: number[];
  statuses: string[];
  seqs: number[];
}

export type Merged = { ticket: Ticket } | { problems: RowProblem[]; rows: number };

export class EventLogMerge {
  private readonly byId = new Map<string, Merging>();

  constructor(
    private readonly reader: TicketReader,
    private readonly asOf: number,
    private readonly zone: Zone,
  ) {}

  /** Takes one row in; returns the problems that keep it out (none when it was merged). */
  add(fields: string[], row: number, line: number): RowProblem[] {
    const { reader, zone, asOf } = this;
    const out: RowProblem[] = [];
    const id = reader.idOf(fields);
    if (fields.length !== reader.width) {
      const p = reader.read(fields, row, line);
      if (Array.isArray(p)) out.push(...p);
    } else if (!id) out.push({ file: reader.file, row, ...(line !== row ? { line } : {}), column: reader.idColumn, message: 'is empty; every ticket needs an id' });
    const updated = out.length ? NaN : reader.time(fields, 'updated_at', row, out);
    if (!out.length && Number.isNaN(updated)) out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: 'is empty; in the events layout every row needs its update time' });
    if (!out.length && updated > asOf) {
      out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: `${zone.formatShort(updated)} is after --as-of ${zone.formatShort(asOf)}; the row is left out` });
    }
    if (out.length) return out;
    const status = reader.statusOf(fields);
    const seq = reader.sequenceOf(fields);
    let m = this.byId.get(id!);
    if (!m) {
      m = { fields, row, line, updated, seq, rowCount: 0, times: [], statuses: [], seqs: [] };
      this.byId.set(id!, m);
    } else if (updated > m.updated || (updated === m.updated && seq >= m.seq)) {
      m.fields = fields;
      m.row = row;
      m.line = line;
      m.updated = updated;
      m.seq = seq;
    }
    m.rowCount++;
    if (status) {
      m.times.push(updated);
      m.statuses.push(status);
      m.seqs.push(seq);
    }
    return out;
  }

  /** Every ticket, in order of first appearance: from its latest row with the history of all its rows, or its problems. */
  *tickets(): Generator<Merged> {
    for (const [id, m] of this.byId) {
      const t = this.reader.read(m.fields, m.row, m.line);
      if (Array.isArray(t)) {
        const problems = t.map((p) => (m.rowCount > 1 ? { ...p, message: `${p.message} (ticket "${id}", latest of its ${m.rowCount} rows; all are left out)` } : p));
        yield { problems, rows: m.rowCount };
        continue;
      }
      t.history = sortHistory(m.times, m.statuses, m.seqs);
      yield { ticket: t };
    }
  }
}
