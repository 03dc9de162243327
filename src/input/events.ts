/** Status history: the --events files, and the sorted history attached to each ticket. */
import type { Readable } from 'node:stream';
import type { Config } from '../config/types.js';
import type { RowProblem, StatusHistory, Ticket } from '../model/ticket.js';
import type { Zone } from '../time/zone.js';
import { quoteId } from './quote.js';
import { readSideFiles } from './side-file.js';

/** Raw status events of one ticket, in file order, with where they came from. */
export interface RawEvents {
  times: number[];
  statuses: string[];
  /** the group cell of each row ('' empty; undefined for a row of a file without the group column); absent when no file has one */
  groups?: (string | undefined)[];
  files: string[];
  rows: number[];
  /** the ticket's creation, as the last row read with its id (the one that wins) says */
  created?: number;
}

export interface EventsRead {
  byTicket: Map<string, RawEvents>;
  rows: number;
  problems: RowProblem[];
  /** about whole files (an encoding switch) */
  warnings: string[];
}

/**
 * Reads --events status-history files (ticket_id, timestamp, status; names mappable under
 * events.columns) into memory, grouped by ticket. Rows may come in any order. Events after
 * `notAfter` (now, when no --as-of was given) are problems; with --as-of they are kept and the
 * engine ignores what is later.
 */
export async function readEvents(paths: string[], config: Config, notAfter: number | undefined, stdin?: Readable): Promise<EventsRead> {
  const byTicket = new Map<string, RawEvents>();
  const ec = config.events;
  const spec = {
    section: 'events' as const, value: 'status', columns: { ticket_id: ec.columns.ticket_id, timestamp: ec.columns.timestamp, value: ec.columns.status },
    extra: { name: 'group', headers: ec.columns.group, required: ec.groupMapped }, zone: ec.zone, timestampFormat: ec.timestampFormat,
  };
  const { rows, problems, warnings } = await readSideFiles(paths, config, spec, notAfter, stdin, (r) => {
    let e = byTicket.get(r.id);
    if (!e) byTicket.set(r.id, (e = { times: [], statuses: [], files: [], rows: [] }));
    e.times.push(r.time);
    e.statuses.push(r.value);
    // a ticket's rows in a file without the group column say nothing of its group (the stint goes on)
    if (r.extra !== undefined && !e.groups) e.groups = e.statuses.slice(0, -1).map(() => undefined);
    e.groups?.push(r.extra);
    e.files.push(r.file);
    e.rows.push(r.row);
    return undefined;
  });
  return { byTicket, rows, problems, warnings };
}

/** Sorts events by time, then by sequence number when given, then file order. */
export function sortHistory(times: number[], statuses: string[], sequence?: number[], groups?: (string | undefined)[]): StatusHistory {
  const idx = times.map((_, i) => i).sort((a, b) => times[a] - times[b] || (sequence ? sequence[a] - sequence[b] : 0) || a - b);
  const h: StatusHistory = { times: idx.map((i) => times[i]), statuses: idx.map((i) => statuses[i]) };
  if (groups) h.groups = idx.map((i) => groups[i]);
  return h;
}

/**
 * A ticket's history from its --events rows, leaving out rows from before it was created. On the
 * first reading (`first`), the ticket's creation is remembered: a later row with the same id replaces
 * it, so the rows before creation are judged by the row that wins, once, at the end (`earlyEvents`).
 */
export function historyFromEvents(t: Ticket, raw: RawEvents, first: boolean): StatusHistory {
  if (first) raw.created = t.created;
  const times: number[] = [];
  const statuses: string[] = [];
  const groups: (string | undefined)[] | undefined = raw.groups ? [] : undefined;
  raw.times.forEach((time, i) => {
    if (time >= t.created) {
      times.push(time);
      statuses.push(raw.statuses[i]);
      groups?.push(raw.groups![i]);
    }
  });
  return sortHistory(times, statuses, undefined, groups);
}

/** The --events rows of a ticket from before it was created (by the row that won): a problem each. */
export function earlyEvents(id: string, raw: RawEvents, zone: Zone, report: (p: RowProblem) => void): void {
  const created = raw.created;
  if (created === undefined) return;
  raw.times.forEach((time, i) => {
    if (time < created) report({ file: raw.files[i], row: raw.rows[i], message: `event for ticket ${quoteId(id)} is before the ticket was created (${zone.formatShort(created)}); it is left out` });
  });
}
