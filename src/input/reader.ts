/** One CSV row to a typed ticket, or the problems that keep it out (each naming row, column, value and fix). */
import { InputError } from '../errors.js';
import type { CanonicalField } from '../config/schema.js';
import type { Config } from '../config/types.js';
import { Ticket, type RowProblem } from '../model/ticket.js';
import { failureReason, makeParser, type DateOrder, type TimestampParser } from '../time/timestamp.js';
import { normHeader, type ColumnMap } from './columns.js';
import { described, quotable } from './quote.js';
import type { CellError } from './csv.js';
import { withDateCells } from './xlsx-cells.js';

const TIME_FIELDS = ['created_at', 'first_response_at', 'resolved_at'] as const;
/** Priority texts remembered per file (a file has a handful; a column of free text stops being remembered there). */
const PRIORITY_TEXTS = 256;
/** A row without error cells (never written to). */
const NO_PROBLEMS: RowProblem[] = [];

/** Turns CSV rows into tickets, or problems naming row, column, value and fix. */
export class TicketReader {
  private readonly parsers: TimestampParser;
  private readonly idx: Record<'id' | 'created_at' | 'first_response_at' | 'resolved_at' | 'priority' | 'first_response_minutes', number | undefined>;
  private readonly knownPriorities: string;

  constructor(
    private readonly map: ColumnMap,
    private readonly config: Config,
    order: DateOrder | undefined,
    /** timestamps after this are problems ("in the future"): now, when no --as-of was given */
    private readonly notAfter: number | undefined,
    /** the rows come from a workbook: its date cells are read whatever timestamp_format says */
    workbook = false,
  ) {
    const p = makeParser(config.tickets.timestampFormat, config.tickets.zone, order);
    if (typeof p === 'string') throw new InputError(p);
    this.parsers = workbook ? withDateCells(p, config.tickets.timestampFormat, config.tickets.zone) : p;
    this.idx = {
      id: map.index.get('id'),
      created_at: map.index.get('created_at'),
      first_response_at: map.index.get('first_response_at'),
      resolved_at: map.index.get('resolved_at'),
      priority: map.index.get('priority'),
      first_response_minutes: map.index.get('first_response_minutes'),
    };
    this.knownPriorities = config.priorities.join(', ');
  }

  get idColumn(): string {
    return this.map.name('id');
  }

  get width(): number {
    return this.map.header.length;
  }

  get file(): string {
    return this.map.file;
  }

  columnName(field: CanonicalField): string {
    return this.map.name(field);
  }

  /** The sequence cell as a number (0 when absent or not a number): orders rows with equal updated_at. */
  sequenceOf(fields: string[]): number {
    const i = this.map.index.get('sequence');
    const v = i === undefined ? NaN : Number(fields[i]);
    return Number.isFinite(v) ? v : 0;
  }

  /** The status cell, trimmed ('' when there is no status column or it is empty). */
  statusOf(fields: string[]): string {
    const i = this.map.index.get('status');
    return i === undefined || this.isNull(fields[i]) ? '' : fields[i].trim();
  }

  /** The team (assignment group) cell, trimmed ('' when empty or a null value); undefined when the file has no team column. */
  groupOf(fields: string[]): string | undefined {
    const i = this.map.index.get('team');
    return i === undefined ? undefined : this.isNull(fields[i]) ? '' : fields[i].trim();
  }

  private isNull(v: string | undefined): boolean {
    return this.map.isNull(v);
  }

  /** Whether a timestamp is later than now (only without --as-of). */
  future(t: number): boolean {
    return this.notAfter !== undefined && t > this.notAfter;
  }

  /** The message for a timestamp later than now (without --as-of). */
  inTheFuture(t: number): string {
    const z = this.config.zone;
    return `${z.formatShort(t)} is in the future (now is ${z.formatShort(this.notAfter!)}); check the timestamp, or pass --as-of to audit as of a later time`;
  }

  /** The ticket id of a row (even one with problems), or undefined. */
  idOf(fields: string[]): string | undefined {
    const v = fields[this.idx.id!];
    return v === undefined || this.isNull(v) ? undefined : v.trim();
  }

  /** Parses a timestamp cell; records a problem naming the column and value when it is not one. */
  time(fields: string[], field: (typeof TIME_FIELDS)[number] | 'updated_at', row: number, out: RowProblem[]): number {
    const i = field === 'updated_at' ? this.map.index.get('updated_at') : this.idx[field];
    if (i === undefined) return NaN;
    const v = fields[i];
    if (this.isNull(v)) {
      if (field === 'created_at') out.push(this.problem(row, field, `is empty; every ticket needs a creation time`));
      return NaN;
    }
    const ms = this.parsers(v);
    if (Number.isNaN(ms)) {
      if (!quotable(v)) {
        out.push(this.problem(row, field, described(v, 'a timestamp')));
        return NaN;
      }
      const fmt = this.config.tickets.timestampFormat;
      const reason = failureReason(this.parsers, v);
      out.push(this.problem(row, field, `${reason}${fmt !== 'auto' && !reason.includes('timestamp_format') ? ` (timestamp_format is ${fmt})` : ''}`));
      return NaN;
    }
    return ms;
  }

  private line = 0;

  private problem(row: number, field: CanonicalField | undefined, message: string): RowProblem {
    return { file: this.map.file, row, ...(this.line !== row ? { line: this.line } : {}), ...(field ? { column: this.map.name(field) } : {}), message };
  }

  /** A later time of the ticket (first response, resolution): before its creation, or in the future, is a problem. */
  private after(created: number, field: 'first_response_at' | 'resolved_at', t: number, row: number, out: RowProblem[]): void {
    if (t < created) {
      const z = this.config.zone;
      out.push(this.problem(row, field, `${z.formatShort(t)} is before the ticket was created (${z.formatShort(created)})`));
    } else if (this.future(t)) {
      out.push(this.problem(row, field, this.inTheFuture(t)));
    }
  }

  /** canonical priorities by the cell's text as written (trimmed): the same few texts on every row */
  private readonly priorityOf = new Map<string, string>();

  /** The canonical priority of a trimmed cell (priorities' aliases, case-insensitive), or undefined. */
  private canonical(raw: string): string | undefined {
    let canon = this.priorityOf.get(raw);
    if (canon !== undefined) return canon;
    canon = this.config.priorityLookup.get(raw.toLowerCase());
    if (canon !== undefined && this.priorityOf.size < PRIORITY_TEXTS) this.priorityOf.set(raw, canon);
    return canon;
  }

  /** The problems of a workbook row's error cells in the columns the config maps (none when it has none there). */
  cellErrors(errors: CellError[] | undefined, row: number): RowProblem[] {
    if (!errors) return NO_PROBLEMS;
    const mapped = new Set(this.map.index.values());
    return errors.filter((e) => mapped.has(e.index)).map((e) => ({ file: this.map.file, row, column: this.map.header[e.index].trim(), message: `holds ${e.what}, not a value; fix the cell in the workbook` }));
  }

  /** A ticket, or the problems that keep this row out of the counts. */
  read(fields: string[], row: number, line = row): Ticket | RowProblem[] {
    this.line = line;
    const width = this.map.header.length;
    if (fields.length && fields[0].charCodeAt(0) === 0xfeff) {
      // a byte-order mark in the middle of the file: two exports joined together
      fields[0] = fields[0].slice(1);
      if (fields.length === width && fields.every((f, i) => normHeader(f) === normHeader(this.map.header[i]))) {
        return [this.problem(row, undefined, 'repeats the header row after a byte-order mark (two exports joined together?); left out')];
      }
    }
    if (fields.length === width && fields[0] === this.map.header[0] && fields.every((f, i) => normHeader(f) === normHeader(this.map.header[i]))) {
      return [this.problem(row, undefined, 'repeats the header row (two exports joined together?); left out')];
    }
    if (fields.length !== width) {
      if (fields.length === 1 && fields[0].trim() === '') return [this.problem(row, undefined, 'empty row')];
      return [this.problem(row, undefined, `has ${fields.length} field${fields.length === 1 ? '' : 's'}, the header has ${width}; check for an unquoted delimiter or a line break inside a field`)];
    }
    const out: RowProblem[] = [];
    const id = fields[this.idx.id!].trim();
    if (this.isNull(id)) out.push(this.problem(row, 'id', 'is empty; every ticket needs an id'));
    const created = this.time(fields, 'created_at', row, out);
    const firstResponse = this.time(fields, 'first_response_at', row, out);
    const resolved = this.time(fields, 'resolved_at', row, out);
    if (this.future(created)) out.push(this.problem(row, 'created_at', this.inTheFuture(created)));
    this.after(created, 'first_response_at', firstResponse, row, out);
    this.after(created, 'resolved_at', resolved, row, out);
    let firstResponseMinutes = NaN;
    const fm = this.idx.first_response_minutes;
    if (fm !== undefined && !this.isNull(fields[fm])) {
      const v = Number(fields[fm].trim().replace(',', '.'));
      const cell = fields[fm];
      if (!Number.isFinite(v) || v < 0) out.push(this.problem(row, 'first_response_minutes', quotable(cell) ? `"${cell.trim()}" is not a number of minutes` : described(cell, 'a number of minutes')));
      else firstResponseMinutes = v;
    }
    let priority = '';
    if (this.idx.priority !== undefined && !this.isNull(fields[this.idx.priority])) {
      const raw = fields[this.idx.priority].trim();
      if (this.config.priorities.length) {
        const canon = this.canonical(raw);
        if (canon === undefined && !quotable(raw)) {
          out.push(this.problem(row, 'priority', `${described(raw, 'a known priority')} (known: ${this.knownPriorities})`));
        } else if (canon === undefined) {
          out.push(this.problem(row, 'priority', `unknown priority "${raw}" (known: ${this.knownPriorities}); add it as an alias under priorities in ${this.config.file}, e.g. ${this.config.priorities[0]}: [..., "${raw}"]`));
        } else priority = canon;
      } else priority = raw;
    }
    if (out.length) return out;
    return new Ticket(id, this.map.file, row, created, firstResponse, resolved, firstResponseMinutes, priority, fields, this.map);
  }
}
