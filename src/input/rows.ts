/**
 * Where a CSV reader's records go once split into fields: row and line numbers, the header, blank
 * lines held back (at the very end of the file they are not rows), and the rows that are problems
 * as a whole (a NUL byte, bytes that were not UTF-8, a record over the size limit, an unreadable
 * record). The csv-parse reading and the byte scanner share one, so that a reading begun by the
 * scanner can be taken over by csv-parse at a record boundary with row and line numbers running on.
 */
import { InputError } from '../errors.js';
import type { OpenedInput } from './source.js';
import type { RowProblem } from '../model/ticket.js';

/** A cell of a workbook row that holds no value to read (an error value such as #N/A): its field index and what it holds. */
export interface CellError {
  index: number;
  what: string;
}

export interface CsvHandlers {
  /** Awaited after each chunk is fed to the parser: lets a consumer slow the reading down. */
  pace?(): Promise<void> | void;
  header(fields: string[], delimiter: string): void;
  /**
   * Called for every data row in file order; `row` counts rows as a spreadsheet shows them. `errors`:
   * a workbook row's cells that hold an error value (their fields hold its text, or nothing).
   */
  record(fields: string[], row: number, line: number, errors?: CellError[]): void;
  problem(p: RowProblem): void;
  /** After each chunk: the bytes of the input read so far (as in the file) */
  progress?(bytes: number): void;
  /** At the end: the rows (the header included) and physical lines read */
  end?(rows: number, lines: number): void;
}

/**
 * A later part of a file read apart (parts.ts): it starts at a record, after the header, which is
 * given; its rows and lines are numbered from 1 within the part (the reader of the parts adds the
 * rows and lines of those before it: `shiftProblem`).
 */
export interface Continuing {
  header: string[];
}

const quoteNeverClosed = (line: number) => `a quote opened in this row (line ${line}) is never closed, so the rest of the file could not be split into rows; fix the quoting and export again`;

/**
 * A problem of a part read apart (`Continuing`), numbered within the part, as one pass numbers it:
 * the rows and lines of the parts before it added (also where the message names its line).
 */
export function shiftProblem(p: RowProblem, rows: number, lines: number): RowProblem {
  const line = p.line ?? p.row;
  return { ...p, row: p.row + rows, line: line + lines, ...(p.message === quoteNeverClosed(line) ? { message: quoteNeverClosed(line + lines) } : {}) };
}

/** Line breaks in a text: CRLF, LF and a lone CR each count once. */
export function lineBreaks(f: string): number {
  let n = 0;
  for (let j = f.indexOf('\n'); j !== -1; j = f.indexOf('\n', j + 1)) n++;
  for (let j = f.indexOf('\r'); j !== -1; j = f.indexOf('\r', j + 1)) if (f.charCodeAt(j + 1) !== 10) n++;
  return n;
}

/** Physical lines a record spans beyond its first (line breaks inside quoted fields). */
export function extraLines(fields: string[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) if (fields[i].length > 0) n += lineBreaks(fields[i]);
  return n;
}

const sizeText = (n: number) => (n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`);

export class RowSink {
  /** the last row handed over (the header is row 1) */
  row = 0;
  /** the last physical line consumed */
  line = 0;
  private header: string[] = [];
  /** a NUL byte was seen in the file: from then on every row is looked at for one */
  sawNul = false;
  /** blank lines held back: at the very end of the file they are not rows, before a row they are (each an "empty row" problem) */
  private blanks: string[][] = [];
  readonly limit: string;

  constructor(
    private readonly input: OpenedInput,
    private readonly delimiter: string,
    private readonly h: CsvHandlers,
    maxRecordBytes: number,
    private readonly continuing?: Continuing,
  ) {
    this.limit = sizeText(maxRecordBytes);
    if (continuing) this.header = continuing.header;
  }

  /** Past the header: a blank line is held back from here on (a later part of a file read apart starts so). */
  get started(): boolean {
    return this.row > 0 || !!this.continuing;
  }

  /** The reading is over: the rows and lines read go to the `end` handler. */
  end(): void {
    this.h.end?.(this.row, this.line);
  }

  get holdsBlanks(): boolean {
    return this.blanks.length > 0;
  }

  /**
   * A record read whole: a blank line is held back, anything else goes on (after the blank lines
   * held before it, each looked at for line breaks). `multiline`: the record may span lines (its
   * fields are looked at for breaks).
   */
  accept(fields: string[], multiline: boolean): void {
    if (fields.length === 1 && this.started && fields[0].trim() === '') {
      this.blanks.push(fields);
      return;
    }
    if (this.blanks.length) this.flushBlanks((f) => this.take(f, true));
    this.take(fields, multiline);
  }

  /** The blank lines held back are rows after all (a record follows them): each goes to `take`. */
  flushBlanks(take: (fields: string[]) => void): void {
    const held = this.blanks;
    this.blanks = [];
    for (const b of held) take(b);
  }

  take(fields: string[], multiline: boolean): void {
    this.row++;
    const startLine = this.line + 1;
    this.line = multiline ? startLine + extraLines(fields) : startLine;
    if (this.row === 1 && !this.continuing) {
      this.header = fields;
      this.h.header(fields, this.delimiter);
    } else if (this.input.notUtf8 && this.notUtf8(fields, this.row, startLine)) return;
    else if (this.sawNul && this.nul(fields, this.row, startLine)) return;
    else this.h.record(fields, this.row, startLine);
  }

  /** A record the parser could not read (a quote never closed, or its own error). */
  skipped(s: { code?: string; message: string }): void {
    this.row++;
    const startLine = this.line + 1;
    const { name } = this.input;
    this.h.problem(
      s.code === 'CSV_QUOTE_NOT_CLOSED'
        ? { file: name, row: this.row, line: startLine, message: quoteNeverClosed(startLine) }
        : { file: name, row: this.row, line: startLine, message: `not valid CSV: ${s.message}` },
    );
  }

  /** The oversized record: a problem at its row (the header: the whole file is refused). */
  oversized(): void {
    if (!this.started) {
      throw new InputError(`${this.input.name}: the first row (the header) is over ${this.limit}; this is not a CSV ticket export, or a quote in it is never closed`);
    }
    this.row++;
    const startLine = this.line + 1;
    this.line = startLine;
    this.h.problem({ file: this.input.name, row: this.row, line: startLine, message: `is over ${this.limit}; no ticket row is that large (a quote that is never closed, or a file that is not a ticket export?); it is left out` });
  }

  /** A row holding a NUL byte (never in ticket text: a damaged export) is a problem, named at its first such cell. */
  private nul(fields: string[], r: number, startLine: number): boolean {
    const i = fields.findIndex((f) => f.includes('\0'));
    if (i === -1) return false;
    const column = this.header[i]?.trim();
    this.h.problem({ file: this.input.name, row: r, line: startLine, ...(column ? { column } : {}), message: 'has a NUL byte, which no ticket text holds (a damaged export?); the row is left out' });
    return true;
  }

  /** A row holding bytes that were not UTF-8 (read as U+FFFD) is a problem, named at its first such cell. */
  private notUtf8(fields: string[], r: number, startLine: number): boolean {
    const i = fields.findIndex((f) => f.includes('\uFFFD'));
    if (i === -1) return false;
    const column = this.header[i]?.trim();
    this.h.problem({ file: this.input.name, row: r, line: startLine, ...(column ? { column } : {}), message: 'has bytes that are not valid UTF-8 (the file is read as UTF-8); set tickets.encoding if the file is in another encoding' });
    return true;
  }
}
