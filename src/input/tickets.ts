import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { closest } from '../config/load.js';
import { CANONICAL_FIELDS, REQUIRED_FIELDS, type CanonicalField } from '../config/schema.js';
import type { Config } from '../config/types.js';
import { dateOrderEvidence, failureReason, makeParser, needsDateOrder, type DateOrder, type TimestampParser } from './timestamp.js';
import type { RowProblem } from './csv.js';
import type { StatusHistory } from '../engine/history.js';

export interface Ticket {
  id: string;
  /** status history (from --events or an event-log layout), sorted */
  history?: StatusHistory;
  /** first response measured by the vendor in business minutes (e.g. Zendesk's column); NaN when absent */
  firstResponseMinutes: number;
  file: string;
  row: number;
  created: number;
  /** NaN when there is none */
  firstResponse: number;
  resolved: number;
  /** canonical priority, or '' when the cell is empty */
  priority: string;
  fields: string[];
}

const TIME_FIELDS = ['created_at', 'first_response_at', 'resolved_at'] as const;

/** Normalises a header for matching: trimmed, lower-case. */
export const normHeader = (h: string) => h.replace(/^\uFEFF/, '').trim().toLowerCase();

/** The error for columns a file lacks: each with the names tried and the closest header, then the headers found. */
export function missingColumns(file: string, header: string[], missing: { field: string; wanted: string[] }[], section: string, configFile: string): InputError {
  const trimmed = header.map((h) => h.trim());
  const lines = missing.map(({ field, wanted }) => {
    const near = closest(wanted[0], trimmed);
    return `${file}: no column ${wanted.map((w) => `"${w}"`).join(' or ')} for ${field}${near ? ` (closest: "${near}")` : ''}; map it under ${section}.${field} in ${configFile}`;
  });
  return new InputError(`${lines.join('\n')}\n${file}: headers found: ${trimmed.map((h) => `"${h}"`).join(', ')}`);
}

/** Column indexes of a file's header, resolved against the config's mapping. */
export class ColumnMap {
  readonly index = new Map<CanonicalField, number>();
  readonly byHeader = new Map<string, number>();
  constructor(
    readonly file: string,
    readonly header: string[],
    config: Config,
  ) {
    header.forEach((h, i) => {
      const k = normHeader(h);
      if (!this.byHeader.has(k)) this.byHeader.set(k, i);
    });
    const missing: CanonicalField[] = [];
    for (const field of CANONICAL_FIELDS) {
      const wanted = config.tickets.columns[field];
      const candidates = wanted !== undefined ? wanted : [field, field.replace(/_/g, ' ')];
      const i = candidates.map((c) => this.byHeader.get(normHeader(c))).find((x) => x !== undefined);
      if (i !== undefined) this.index.set(field, i);
      else if (REQUIRED_FIELDS.includes(field) || (config.tickets.layout === 'events' && (field === 'updated_at' || field === 'status'))) missing.push(field);
      else if (config.tickets.userColumns.has(field)) missing.push(field);
    }
    if (missing.length) {
      throw missingColumns(file, header, missing.map((field) => ({ field, wanted: config.tickets.columns[field] ?? [field] })), 'tickets.columns', config.file);
    }
  }

  /** Column index of a canonical field or a raw header (case-insensitive), or undefined. */
  resolve(key: string): number | undefined {
    const k = key.trim().toLowerCase();
    if ((CANONICAL_FIELDS as readonly string[]).includes(k)) {
      const i = this.index.get(k as CanonicalField);
      if (i !== undefined) return i;
    }
    return this.byHeader.get(k);
  }

  name(field: CanonicalField): string {
    const i = this.index.get(field);
    return i === undefined ? field : this.header[i].trim();
  }
}

/**
 * Decides "dd/MM/yyyy" versus "MM/dd/yyyy" for `auto` from the first rows of a file; throws when
 * the file uses such dates and they do not tell (or contradict each other).
 */
export function decideDateOrder(file: string, headText: string, delimiter: string, map: ColumnMap): DateOrder | undefined {
  const cols = [...TIME_FIELDS, 'updated_at' as const].flatMap((f) => {
    const i = map.index.get(f);
    return i === undefined ? [] : [{ index: i, name: map.header[i].trim() }];
  });
  return decideDateOrderOf(file, headText, delimiter, cols);
}

/** decideDateOrder for any set of timestamp columns. */
export function decideDateOrderOf(file: string, headText: string, delimiter: string, cols: { index: number; name: string }[]): DateOrder | undefined {
  let rows: string[][] = [];
  try {
    const cut = headText.lastIndexOf('\n');
    rows = parseSync(cut > 0 ? headText.slice(0, cut) : headText, { delimiter, relax_column_count: true, relax_quotes: true, skip_records_with_error: true, to: 5000 });
  } catch {
    return undefined;
  }
  let seen: string | undefined;
  let seenCol = '';
  const votes = { dmy: 0, mdy: 0 };
  let exampleDmy = '', exampleMdy = '';
  for (const { index: i, name } of cols) {
    for (let r = 1; r < rows.length; r++) {
      const v = rows[r][i];
      if (v === undefined || !needsDateOrder(v)) continue;
      if (!seen) {
        seen = v;
        seenCol = name;
      }
      const e = dateOrderEvidence(v);
      if (e === 'dmy') {
        votes.dmy++;
        exampleDmy ||= v;
      } else if (e === 'mdy') {
        votes.mdy++;
        exampleMdy ||= v;
      }
    }
  }
  if (!seen) return undefined;
  if (votes.dmy && votes.mdy) {
    throw new InputError(`${file}: dates are day-first in some rows ("${exampleDmy}") and month-first in others ("${exampleMdy}"); set tickets.timestamp_format, e.g. "dd/MM/yyyy HH:mm"`);
  }
  if (votes.dmy) return 'dmy';
  if (votes.mdy) return 'mdy';
  throw new InputError(`${file}: dates like "${seen}" in column "${seenCol}" could be day/month or month/day, and the first rows do not tell; set tickets.timestamp_format to "dd/MM/yyyy HH:mm" or "MM/dd/yyyy HH:mm" (or the form your export uses)`);
}

/** Turns CSV rows into tickets, or problems naming row, column, value and fix. */
export class TicketReader {
  private readonly parsers: TimestampParser;
  private readonly idx: Record<'id' | 'created_at' | 'first_response_at' | 'resolved_at' | 'priority' | 'first_response_minutes', number | undefined>;
  private readonly knownPriorities: string;

  constructor(
    private readonly map: ColumnMap,
    private readonly config: Config,
    order: DateOrder | undefined,
    private readonly asOf: number,
  ) {
    const p = makeParser(config.tickets.timestampFormat, config.tickets.zone, order);
    if (typeof p === 'string') throw new InputError(p);
    this.parsers = p;
    this.idx = {
      id: map.index.get('id'),
      created_at: map.index.get('created_at'),
      first_response_at: map.index.get('first_response_at'),
      resolved_at: map.index.get('resolved_at'),
      priority: map.index.get('priority'),
      first_response_minutes: map.index.get('first_response_minutes'),
    };
    this.knownPriorities = config.priorities.join(', ');
    this.nulls = [...config.tickets.nullValues].filter((v) => v !== '');
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

  private readonly nulls: string[];

  private isNull(v: string | undefined): boolean {
    if (v === undefined || v === '') return true;
    const c = v.charCodeAt(0);
    const t = c === 32 || c === 9 || v.charCodeAt(v.length - 1) === 32 ? v.trim() : v;
    if (t === '') return true;
    if (this.nulls.length === 0 || t.length > 8) return false;
    return this.config.tickets.nullValues.has(t.toLowerCase());
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
    const z = this.config.zone;
    if (created > this.asOf) {
      out.push(this.problem(row, 'created_at', `${z.formatShort(created)} is after --as-of ${z.formatShort(this.asOf)}; check the timestamp or pass a later --as-of`));
    }
    for (const [field, t] of [['first_response_at', firstResponse], ['resolved_at', resolved]] as const) {
      if (t < created) {
        out.push(this.problem(row, field, `${z.formatShort(t)} is before the ticket was created (${z.formatShort(created)})`));
      } else if (t > this.asOf) {
        out.push(this.problem(row, field, `${z.formatShort(t)} is after --as-of ${z.formatShort(this.asOf)}; check the timestamp or pass a later --as-of`));
      }
    }
    let firstResponseMinutes = NaN;
    const fm = this.idx.first_response_minutes;
    if (fm !== undefined && !this.isNull(fields[fm])) {
      const v = Number(fields[fm].trim().replace(',', '.'));
      if (!Number.isFinite(v) || v < 0) out.push(this.problem(row, 'first_response_minutes', `"${fields[fm].trim()}" is not a number of minutes`));
      else firstResponseMinutes = v;
    }
    let priority = '';
    if (this.idx.priority !== undefined && !this.isNull(fields[this.idx.priority])) {
      const raw = fields[this.idx.priority].trim();
      if (this.config.priorities.length) {
        const canon = this.config.priorityLookup.get(raw.toLowerCase());
        if (canon === undefined) {
          out.push(this.problem(row, 'priority', `unknown priority "${raw}" (known: ${this.knownPriorities}); add it as an alias under priorities in ${this.config.file}, e.g. ${this.config.priorities[0]}: [..., "${raw}"]`));
        } else priority = canon;
      } else priority = raw;
    }
    if (out.length) return out;
    return { id, file: this.map.file, row, created, firstResponse, resolved, priority, fields, firstResponseMinutes };
  }
}
