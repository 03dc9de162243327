/**
 * The event-log layout (`tickets.layout: events`): many rows per ticket, anywhere in the file. Each
 * ticket's fields come from its latest row (by updated_at, then a sequence column, then file
 * order), its status history from all its rows. Only that compact state is kept per ticket.
 */
import type { RowProblem, Ticket } from '../model/ticket.js';
import { sortHistory } from './events.js';
import { quoteId } from './quote.js';
import type { TicketReader } from './reader.js';

interface Merging {
  /** the row the ticket's fields come from: its latest at --as-of (or its first, when all are later) */
  fields: string[];
  row: number;
  line: number;
  updated: number;
  seq: number;
  rowCount: number;
  times: number[];
  statuses: string[];
  seqs: number[];
  /** the team (assignment group) cell of each status row; undefined when the file has no team column */
  groups: string[] | undefined;
}

export type Merged = { ticket: Ticket } | { problems: RowProblem[]; rows: number };

/**
 * Whether a row updated at `updated` describes the ticket better than the one kept: rows up to
 * --as-of beat later ones; among those, the latest (ties by sequence, then file order); among
 * rows all after --as-of, the earliest (the ticket is then outside the audit anyway).
 */
function later(updated: number, seq: number, m: Merging, asOf: number): boolean {
  const inNew = updated <= asOf;
  const inKept = m.updated <= asOf;
  if (inNew !== inKept) return inNew;
  if (!inNew) return updated < m.updated;
  return updated > m.updated || (updated === m.updated && seq >= m.seq);
}

export class EventLogMerge {
  private readonly byId = new Map<string, Merging>();

  constructor(
    private readonly reader: TicketReader,
    /** rows updated later describe the ticket after the audited instant */
    private readonly asOf: number,
  ) {}

  /** Takes one row in; returns the problems that keep it out (none when it was merged). */
  add(fields: string[], row: number, line: number): RowProblem[] {
    const { reader, asOf } = this;
    const out: RowProblem[] = [];
    const id = reader.idOf(fields);
    if (fields.length !== reader.width) {
      const p = reader.read(fields, row, line);
      if (Array.isArray(p)) out.push(...p);
    } else if (!id) out.push({ file: reader.file, row, ...(line !== row ? { line } : {}), column: reader.idColumn, message: 'is empty; every ticket needs an id' });
    const updated = out.length ? NaN : reader.time(fields, 'updated_at', row, out);
    if (!out.length && Number.isNaN(updated)) out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: 'is empty; in the events layout every row needs its update time' });
    if (!out.length && reader.future(updated)) out.push({ file: reader.file, row, column: reader.columnName('updated_at'), message: reader.inTheFuture(updated) });
    if (out.length) return out;
    const status = reader.statusOf(fields);
    const seq = reader.sequenceOf(fields);
    const group = reader.groupOf(fields);
    let m = this.byId.get(id!);
    if (!m) {
      m = { fields, row, line, updated, seq, rowCount: 0, times: [], statuses: [], seqs: [], groups: group === undefined ? undefined : [] };
      this.byId.set(id!, m);
    } else if (later(updated, seq, m, asOf)) {
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
      m.groups?.push(group!);
    }
    return out;
  }

  /** Every ticket, in order of first appearance: from its latest row with the history of all its rows, or its problems. */
  *tickets(): Generator<Merged> {
    for (const [id, m] of this.byId) {
      const t = this.reader.read(m.fields, m.row, m.line);
      if (Array.isArray(t)) {
        const problems = t.map((p) => (m.rowCount > 1 ? { ...p, message: `${p.message} (ticket ${quoteId(id)}, latest of its ${m.rowCount} rows; all are left out)` } : p));
        yield { problems, rows: m.rowCount };
        continue;
      }
      t.history = sortHistory(m.times, m.statuses, m.seqs, m.groups);
      yield { ticket: t };
    }
  }
}
