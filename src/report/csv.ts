/** The per-ticket CSV (stable header): one row per ticket and metric, written while tickets stream by. */
import type { EvaluatedTicket } from '../engine/result.js';
import type { Zone } from '../time/zone.js';
import { minutes } from './format.js';
import { safeText } from './escape.js';

/** Stable header of the per-ticket CSV report. */
export const CSV_HEADER = 'ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at';

/**
 * A cell safe for spreadsheets and terminals: control characters shown as escapes; a leading = + - @
 * (or tab) is neutralised with a leading apostrophe so that Excel and LibreOffice do not run it as a
 * formula; then RFC 4180 quoting.
 */
export function csvCell(v: string): string {
  let s = safeText(v);
  if (s.length && '=+-@\t\r'.includes(s[0])) s = `'${s}`;
  if (/[",\r\n]/.test(s)) s = `"${s.replace(/"/g, '""')}"`;
  return s;
}

/** One evaluated ticket's rows, a line per metric. */
export function csvLines(ev: EvaluatedTicket, zone: Zone): string {
  const { ticket: t, policy } = ev;
  let out = '';
  for (const r of ev.results) {
    const na = r.status === 'not_applicable' || r.status === 'not_measured';
    out +=
      [
        csvCell(t.id),
        csvCell(policy?.name ?? ''),
        csvCell(t.priority),
        csvCell(r.metric),
        r.status,
        na ? '' : String(minutes(r.targetMs)),
        na ? '' : String(minutes(r.elapsedMs)),
        na || !Number.isFinite(r.due) ? '' : zone.format(r.due),
        Number.isFinite(r.completed) ? zone.format(r.completed) : '',
      ].join(',') + '\n';
  }
  return out;
}

/**
 * Which records of a finished per-ticket CSV to keep once some tickets were replaced by later rows
 * with the same id: fed every record after the header, in order, it drops the rows of the first
 * `replaced` tickets of each such id (ids given as written, i.e. through csvCell); every ticket wrote
 * `linesPerTicket` lines (one per measured metric).
 */
export function keepAfterReplacing(replaced: Map<string, number>, linesPerTicket: number): (record: string) => boolean {
  const seen = new Map<string, number>(); // id cell -> tickets of it passed so far
  let lastId = '';
  let lastMetricLines = 0;
  return (record) => {
    const idCell = firstCell(record);
    const r = replaced.get(idCell);
    if (r === undefined) {
      lastId = idCell;
      lastMetricLines = 0;
      return true;
    }
    // each ticket writes one line per metric, consecutively: count tickets at their first line
    if (idCell !== lastId || lastMetricLines >= linesPerTicket) {
      seen.set(idCell, (seen.get(idCell) ?? 0) + 1);
      lastMetricLines = 0;
    }
    lastMetricLines++;
    lastId = idCell;
    return seen.get(idCell)! > r;
  };
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
