/** A file's header resolved against the config's column mapping, and the day/month order of its dates. */
import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import { RECORD_DELIMITERS } from './csv.js';
import { closest } from '../config/messages.js';
import { CANONICAL_FIELDS, REQUIRED_FIELDS, type CanonicalField } from '../config/schema.js';
import type { Config } from '../config/types.js';
import type { Columns } from '../model/ticket.js';
import { dateOrderEvidence, needsDateOrder, type DateOrder } from '../time/timestamp.js';

const TIME_FIELDS = ['created_at', 'first_response_at', 'resolved_at', 'updated_at'] as const;

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
export class ColumnMap implements Columns {
  readonly index = new Map<CanonicalField, number>();
  readonly at: Partial<Record<CanonicalField, number>> = {};
  readonly byHeader = new Map<string, number>();
  /** normalised header -> every column named so, when more than one is */
  private readonly repeated = new Map<string, number[]>();
  private readonly nullValues: Set<string>;
  private readonly longestNull: number;
  constructor(
    readonly file: string,
    readonly header: string[],
    config: Config,
    /** its tickets carry a status history (the event-log layout, or --events) */
    readonly history = false,
  ) {
    header.forEach((h, i) => {
      const k = normHeader(h);
      if (!this.byHeader.has(k)) this.byHeader.set(k, i);
      else this.repeated.set(k, [...(this.repeated.get(k) ?? [this.byHeader.get(k)!]), i]);
    });
    this.nullValues = config.tickets.nullValues;
    this.longestNull = Math.max(0, ...[...this.nullValues].map((v) => v.length));
    const missing: CanonicalField[] = [];
    for (const field of CANONICAL_FIELDS) {
      const wanted = config.tickets.columns[field];
      const candidates = wanted !== undefined ? wanted : [field, field.replace(/_/g, ' ')];
      const i = candidates.map((c) => this.byHeader.get(normHeader(c))).find((x) => x !== undefined);
      if (i !== undefined) {
        this.refuseRepeated(this.header[i], `tickets.columns.${field}`);
        this.index.set(field, i);
        this.at[field] = i;
      }
      else if (REQUIRED_FIELDS.includes(field) || (config.tickets.layout === 'events' && (field === 'updated_at' || field === 'status'))) missing.push(field);
      else if (config.tickets.userColumns.has(field)) missing.push(field);
    }
    if (missing.length) {
      throw missingColumns(file, header, missing.map((field) => ({ field, wanted: config.tickets.columns[field] ?? [field] })), 'tickets.columns', config.file);
    }
  }

  /** A header that names several columns cannot say which one a mapping means. */
  private refuseRepeated(header: string, usedBy: string): void {
    const cols = this.repeated.get(normHeader(header));
    if (!cols) return;
    const numbers = cols.map((c) => c + 1);
    throw new InputError(
      `${this.file}: columns ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]} are all named "${header.trim()}", and ${usedBy} uses that name; rename the columns in the export so that each name is used once`,
    );
  }

  /** Column index of a canonical field or a raw header (case-insensitive), or undefined. */
  resolve(key: string): number | undefined {
    const k = key.trim().toLowerCase();
    if ((CANONICAL_FIELDS as readonly string[]).includes(k)) {
      const i = this.index.get(k as CanonicalField);
      if (i !== undefined) return i;
    }
    const i = this.byHeader.get(k);
    if (i !== undefined) this.refuseRepeated(this.header[i], `"${key}" (a policy's when, --group-by or categories.field)`);
    return i;
  }

  /** Whether a cell is empty or one of tickets.null_values (case-insensitive, trimmed). */
  isNull(v: string | undefined): boolean {
    if (v === undefined || v === '') return true;
    // trimmed as String.prototype.trim trims (tabs, no-break and ideographic spaces too), only when an end has one
    const t = trimmable(v.charCodeAt(0)) || trimmable(v.charCodeAt(v.length - 1)) ? v.trim() : v;
    if (t === '') return true;
    if (t.length > this.longestNull) return false;
    return this.nullValues.has(t.toLowerCase());
  }

  /** A cell's text, trimmed; '' when it is empty or a null value, or when there is no such column. */
  text(cells: string[], i: number | undefined): string {
    if (i === undefined) return '';
    const v = cells[i];
    return this.isNull(v) ? '' : v.trim();
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
  const cols = TIME_FIELDS.flatMap((f) => {
    const i = map.index.get(f);
    return i === undefined ? [] : [{ index: i, name: map.header[i].trim() }];
  });
  return decideDateOrderOf(file, headText, delimiter, cols);
}

/** decideDateOrder for any set of timestamp columns. */
export function decideDateOrderOf(file: string, headText: string, delimiter: string, cols: { index: number; name: string }[]): DateOrder | undefined {
  // no text of the aa/bb/yyyy form anywhere in the first rows: nothing to decide, and nothing to parse
  if (!/(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.]\d{4}/.test(headText)) return undefined;
  let rows: string[][] = [];
  try {
    // the sample's last line may be cut short: leave it out
    const cut = Math.max(headText.lastIndexOf('\n'), headText.lastIndexOf('\r'));
    rows = parseSync(cut > 0 ? headText.slice(0, cut) : headText, { delimiter, record_delimiter: RECORD_DELIMITERS, relax_column_count: true, relax_quotes: true, skip_records_with_error: true, to: 5000 });
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

/** Whether String.prototype.trim removes this UTF-16 unit: white space and line terminators (ECMA-262). */
function trimmable(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
