/** Status history: the --events files, and the sorted history attached to each ticket. */
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { Config } from '../config/types.js';
import type { RowProblem, StatusHistory, Ticket } from '../model/ticket.js';
import type { Zone } from '../time/zone.js';
import { openInput } from './source.js';
import { described, quotable, quoteId } from './quote.js';
import { readCsv } from './csv.js';
import { decideDateOrderOf, missingColumns, normHeader } from './columns.js';
import { failureReason, makeParser, type TimestampParser } from '../time/timestamp.js';

/** Raw status events of one ticket, in file order, with where they came from. */
export interface RawEvents {
  times: number[];
  statuses: string[];
  files: string[];
  rows: number[];
}

export interface EventsRead {
  byTicket: Map<string, RawEvents>;
  rows: number;
  problems: RowProblem[];
}

/**
 * Reads --events status-history files (ticket_id, timestamp, status; names mappable under
 * events.columns) into memory, grouped by ticket. Rows may come in any order.
 */
/** Events after `notAfter` (now, when no --as-of was given) are problems; with --as-of they are kept and the engine ignores what is later. */
export async function readEvents(paths: string[], config: Config, notAfter: number | undefined, stdin?: Readable): Promise<EventsRead> {
  const byTicket = new Map<string, RawEvents>();
  const problems: RowProblem[] = [];
  let rows = 0;
  const ec = config.events;
  for (const path of paths) {
    const input = await openInput(path, config.tickets.encoding, stdin);
    let cols: { id: number; ts: number; status: number; names: string[] } | undefined;
    let parse: TimestampParser | undefined;
    await readCsv(input, config.tickets.delimiter, {
      header(fields, delimiter) {
        const norm = fields.map(normHeader);
        const find = (key: 'ticket_id' | 'timestamp' | 'status') => {
          const i = ec.columns[key].map((c) => norm.indexOf(normHeader(c))).find((x) => x >= 0);
          if (i === undefined) throw missingColumns(input.name, fields, [{ field: key, wanted: ec.columns[key] }], 'events.columns', config.file);
          return i;
        };
        cols = { id: find('ticket_id'), ts: find('timestamp'), status: find('status'), names: fields.map((f) => f.trim()) };
        const order = decideDateOrderOf(input.name, input.head, delimiter, [{ index: cols.ts, name: cols.names[cols.ts] }]);
        const p = makeParser(ec.timestampFormat, ec.zone, order);
        if (typeof p === 'string') throw new InputError(p);
        parse = p;
      },
      record(fields, row, line) {
        rows++;
        const c = cols!;
        const where = { file: input.name, row, ...(line !== row ? { line } : {}) };
        if (fields.length !== c.names.length) {
          problems.push({ ...where, message: `has ${fields.length} fields, the header has ${c.names.length}` });
          return;
        }
        const id = fields[c.id].trim();
        const status = fields[c.status].trim();
        const tsText = fields[c.ts];
        if (!id) return void problems.push({ ...where, column: c.names[c.id], message: 'is empty; every event needs a ticket id' });
        if (!status) return void problems.push({ ...where, column: c.names[c.status], message: 'is empty; every event needs a status' });
        const t = parse!(tsText);
        if (Number.isNaN(t)) return void problems.push({ ...where, column: c.names[c.ts], message: quotable(tsText) ? failureReason(parse!, tsText) : described(tsText, 'a timestamp') });
        if (notAfter !== undefined && t > notAfter) {
          return void problems.push({ ...where, column: c.names[c.ts], message: `${config.zone.formatShort(t)} is in the future (now is ${config.zone.formatShort(notAfter!)}); the event is left out (pass --as-of to audit as of a later time)` });
        }
        let e = byTicket.get(id);
        if (!e) byTicket.set(id, (e = { times: [], statuses: [], files: [], rows: [] }));
        e.times.push(t);
        e.statuses.push(status);
        e.files.push(input.name);
        e.rows.push(row);
      },
      problem(p) {
        rows++;
        problems.push(p);
      },
    });
    if (!cols) throw new InputError(`${input.name}: has no header row; the first row must name the columns`);
  }
  return { byTicket, rows, problems };
}

/** Sorts events by time, then by sequence number when given, then file order. */
export function sortHistory(times: number[], statuses: string[], sequence?: number[]): StatusHistory {
  const idx = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || (sequence ? sequence[a] - sequence[b] : 0) || a - b);
  return { times: idx.map((i) => times[i]), statuses: idx.map((i) => statuses[i]) };
}

/** A ticket's history from its --events rows; rows before the ticket was created are reported (when `report`) and left out. */
export function historyFromEvents(t: Ticket, raw: RawEvents, zone: Zone, report: ((p: RowProblem) => void) | undefined): StatusHistory {
  const times: number[] = [];
  const statuses: string[] = [];
  raw.times.forEach((time, i) => {
    if (time < t.created) {
      report?.({ file: raw.files[i], row: raw.rows[i], message: `event for ticket ${quoteId(t.id)} is before the ticket was created (${zone.formatShort(t.created)}); it is left out` });
    } else {
      times.push(time);
      statuses.push(raw.statuses[i]);
    }
  });
  return sortHistory(times, statuses);
}
