/**
 * The files read beside the tickets — --events (ticket_id, timestamp, status) and --messages
 * (ticket_id, timestamp, author) — read alike: named columns (mappable in the config), a timestamp
 * per row in any order, a problem with row and column for every row that cannot be used.
 */
import type { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import type { Config } from '../config/types.js';
import type { RowProblem } from '../model/ticket.js';
import type { Zone } from '../time/zone.js';
import { failureReason, makeParser, type TimestampParser } from '../time/timestamp.js';
import { described, quotable } from './quote.js';
import { withDateCells } from './xlsx-cells.js';
import { readTable, type TableInfo } from './table.js';
import { decideDateOrderOf, missingColumns, normHeader } from './columns.js';

export interface SideFileSpec {
  /** the config section that maps its columns: events or messages */
  section: 'events' | 'messages';
  /** the third column's key: status or author */
  value: string;
  columns: { ticket_id: string[]; timestamp: string[]; value: string[] };
  /** an optional fourth column (events: the assignment group); `required` when the config maps it by name */
  extra?: { name: string; headers: string[]; required: boolean };
  zone: Zone;
  timestampFormat: string;
}

/** A usable row: its ticket id, instant and third cell (trimmed, not empty). */
export interface SideRow {
  id: string;
  time: number;
  value: string;
  /** the optional fourth cell, trimmed ('' when empty or a null value); undefined when the file has no such column */
  extra: string | undefined;
  file: string;
  row: number;
}

/**
 * Reads side files row by row. `accept` takes a usable row and returns a problem message about its
 * value cell, or undefined when it keeps it. Rows after `notAfter` (now, when no --as-of was given)
 * are problems; with --as-of they are kept and the engine ignores what is later.
 */
export async function readSideFiles(
  paths: string[], config: Config, spec: SideFileSpec, notAfter: number | undefined, stdin: Readable | undefined,
  accept: (r: SideRow) => string | undefined,
): Promise<{ rows: number; problems: RowProblem[]; warnings: string[] }> {
  const problems: RowProblem[] = [];
  const warnings: string[] = [];
  const what = spec.section === 'events' ? 'event' : 'message';
  let rows = 0;
  for (const path of paths) {
    let input: TableInfo | undefined;
    let cols: { id: number; ts: number; value: number; extra: number; names: string[] } | undefined;
    let parse: TimestampParser | undefined;
    // a large file is parsed in a worker thread while this one keeps what it needs of each row
    const read = await readTable({ path, encoding: config.tickets.encoding, delimiter: config.tickets.delimiter, stdin }, {
      open(info) {
        input = info;
      },
      header(fields, delimiter) {
        const norm = fields.map(normHeader);
        const find = (key: 'ticket_id' | 'timestamp' | 'value') => {
          const i = spec.columns[key].map((c) => norm.indexOf(normHeader(c))).find((x) => x >= 0);
          if (i === undefined) throw missingColumns(input!.name, fields, [{ field: key === 'value' ? spec.value : key, wanted: spec.columns[key] }], `${spec.section}.columns`, config.file);
          return i;
        };
        const ex = spec.extra;
        const extra = ex ? ex.headers.map((c) => norm.indexOf(normHeader(c))).find((x) => x >= 0) ?? -1 : -1;
        if (ex?.required && extra < 0) throw missingColumns(input!.name, fields, [{ field: ex.name, wanted: ex.headers }], `${spec.section}.columns`, config.file);
        cols = { id: find('ticket_id'), ts: find('timestamp'), value: find('value'), extra, names: fields.map((f) => f.trim()) };
        // a header that names several columns cannot say which one is meant (as in the tickets file)
        for (const [i, key] of [[cols.id, 'ticket_id'], [cols.ts, 'timestamp'], [cols.value, spec.value], [extra, ex?.name]] as const) {
          const same = i < 0 ? [] : norm.flatMap((n, j) => (n === norm[i] ? [j + 1] : []));
          if (same.length > 1) {
            throw new InputError(`${input!.name}: columns ${same.slice(0, -1).join(', ')} and ${same.at(-1)} are all named "${fields[i].trim()}", and ${spec.section}.columns.${key} uses that name; rename the columns in the export so that each name is used once`);
          }
        }
        const order = decideDateOrderOf(input!.name, input!.head, delimiter, [{ index: cols.ts, name: cols.names[cols.ts] }]);
        const p = makeParser(spec.timestampFormat, spec.zone, order);
        if (typeof p === 'string') throw new InputError(p);
        parse = input!.sheet === undefined ? p : withDateCells(p, spec.timestampFormat, spec.zone);
      },
      record(fields, row, line, errors) {
        rows++;
        const c = cols!;
        const where = { file: input!.name, row, ...(line !== row ? { line } : {}) };
        if (fields.length !== c.names.length) return void problems.push({ ...where, message: `has ${fields.length} fields, the header has ${c.names.length}` });
        const bad = errors?.find((e) => e.index === c.id || e.index === c.ts || e.index === c.value || e.index === c.extra);
        if (bad) return void problems.push({ ...where, column: c.names[bad.index], message: `holds ${bad.what}, not a value; fix the cell in the workbook` });
        const id = fields[c.id].trim();
        const value = fields[c.value].trim();
        const tsText = fields[c.ts];
        if (!id) return void problems.push({ ...where, column: c.names[c.id], message: `is empty; every ${what} needs a ticket id` });
        if (!value) return void problems.push({ ...where, column: c.names[c.value], message: `is empty; every ${what} needs ${spec.value === 'author' ? 'an author' : `a ${spec.value}`}` });
        const t = parse!(tsText);
        if (Number.isNaN(t)) return void problems.push({ ...where, column: c.names[c.ts], message: quotable(tsText) ? failureReason(parse!, tsText) : described(tsText, 'a timestamp') });
        if (notAfter !== undefined && t > notAfter) {
          return void problems.push({ ...where, column: c.names[c.ts], message: `${config.zone.formatShort(t)} is in the future (now is ${config.zone.formatShort(notAfter!)}); the ${what} is left out (pass --as-of to audit as of a later time)` });
        }
        const extraCell = c.extra < 0 ? undefined : fields[c.extra].trim();
        const extraValue = extraCell === undefined ? undefined : config.tickets.nullValues.has(extraCell.toLowerCase()) ? '' : extraCell;
        const wrong = accept({ id, time: t, value, extra: extraValue, file: input!.name, row });
        if (wrong) problems.push({ ...where, column: c.names[c.value], message: wrong });
      },
      problem(p) {
        rows++;
        problems.push(p);
      },
    });
    if (!cols) throw new InputError(`${read.name}: has no header row; the first row must name the columns`);
    warnings.push(...read.warnings);
  }
  return { rows, problems, warnings };
}
