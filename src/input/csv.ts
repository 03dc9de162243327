import { parse, type Parser } from 'csv-parse';
import { MAX_RECORD_BYTES } from './limits.js';
import { InputError } from '../errors.js';
import type { OpenedInput } from './source.js';
import { sniffDelimiter } from './source.js';
import type { RowProblem } from '../model/ticket.js';

export interface CsvHandlers {
  /** Awaited after each chunk is fed to the parser: lets a consumer slow the reading down. */
  pace?(): Promise<void> | void;
  header(fields: string[], delimiter: string): void;
  /** Called for every data row in file order; `row` counts rows as a spreadsheet shows them. */
  record(fields: string[], row: number, line: number): void;
  problem(p: RowProblem): void;
  /** After each chunk: the bytes of the input read so far (as in the file) */
  progress?(bytes: number): void;
  /** At the end: the rows (the header included) and physical lines read */
  end?(rows: number, lines: number): void;
}

/**
 * The line endings a file may use, in any mix: CRLF (before CR, so it counts once), LF, and CR
 * alone. Naming them keeps csv-parse from settling on the first line's ending, which would read a
 * CRLF header followed by LF rows as one row.
 */
export const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];

const LF = 10, CR = 13;

/**
 * The line endings csv-parse is told about grow with what the file has shown so far: it compares
 * every byte with each of them, so a file of only LF (or only CRLF) lines is parsed with that one
 * alone, and the first chunk holding another kind adds all three before that chunk is parsed.
 */
class LineEndings {
  private started = false;
  private mixed = false;
  /** the previous chunk ended in CR (its LF may open the next chunk) */
  private crBefore = false;

  private set: Buffer[] = [Buffer.from('\n')];

  /**
   * Hands the endings seen so far to a parser: `list` is its own record_delimiter list (its
   * normalised options), created as [LF] so that it sizes its look-ahead for a known ending, and
   * changed in place from now on.
   */
  attach(list: Buffer[]): void {
    list.splice(0, list.length, ...this.set);
    this.set = list;
  }

  /** Looks at a chunk before it is parsed; widens the set when the chunk ends lines another way. */
  see(b: Buffer): void {
    if (this.mixed || b.length === 0) return;
    if (!this.started) {
      this.started = true;
      if (b.indexOf(CR) !== -1) this.set[0] = Buffer.from('\r\n');
    }
    if (this.set[0].length === 1 ? b.indexOf(CR) !== -1 : this.bareEnding(b)) {
      this.mixed = true;
      this.set.length = 0;
      for (const d of RECORD_DELIMITERS) this.set.push(Buffer.from(d));
    }
    this.crBefore = b[b.length - 1] === CR;
  }

  /** An LF without a CR before it, or a CR without an LF after it. */
  private bareEnding(b: Buffer): boolean {
    if (this.crBefore && b[0] !== LF) return true;
    for (let i = b.indexOf(LF); i !== -1; i = b.indexOf(LF, i + 1)) if (i === 0 ? !this.crBefore : b[i - 1] !== CR) return true;
    for (let i = b.indexOf(CR); i !== -1 && i + 1 < b.length; i = b.indexOf(CR, i + 1)) if (b[i + 1] !== LF) return true;
    return false;
  }
}

/** Line breaks in a text: CRLF, LF and a lone CR each count once. */
function lineBreaks(f: string): number {
  let n = 0;
  for (let j = f.indexOf('\n'); j !== -1; j = f.indexOf('\n', j + 1)) n++;
  for (let j = f.indexOf('\r'); j !== -1; j = f.indexOf('\r', j + 1)) if (f.charCodeAt(j + 1) !== 10) n++;
  return n;
}

/** Line breaks in bytes (CRLF, LF and a lone CR once each); a CR at the very end counts. */
function lineBreaksIn(b: Buffer): number {
  let n = 0;
  for (let j = b.indexOf(LF); j !== -1; j = b.indexOf(LF, j + 1)) n++;
  for (let j = b.indexOf(CR); j !== -1; j = b.indexOf(CR, j + 1)) if (b[j + 1] !== LF) n++;
  return n;
}

/** Physical lines a record spans beyond its first (line breaks inside quoted fields). */
function extraLines(fields: string[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) if (fields[i].length > 0) n += lineBreaks(fields[i]);
  return n;
}

/** Chunks are parsed in pieces of at most this size, so a record's size is checked at least this often. */
const PIECE = 64 << 10;

/**
 * What csv-parse holds of the record it is in the middle of. Its parser keeps this `state` public
 * for compatibility but leaves it out of its typings; only these fields are read, never written.
 */
interface PartialRecord {
  quoting: boolean;
  wasQuoting: boolean;
  escaping: boolean;
  /** the field being read, as bytes */
  field: { buf: Buffer; length: number };
  /** the record's fields read so far */
  record: string[];
  /** bytes not parsed yet (a possible delimiter at the end of a chunk) */
  previousBuf: Buffer | undefined;
}

function partialRecord(parser: Parser): PartialRecord {
  const st = (parser as unknown as { state?: PartialRecord }).state;
  if (!st || typeof st.quoting !== 'boolean' || typeof st.field?.length !== 'number' || !Array.isArray(st.record)) {
    throw new Error('csv-parse no longer exposes its parser state; the record size limit cannot be checked');
  }
  return st;
}

const sizeText = (n: number) => (n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`);

/**
 * Streams one input through csv-parse and hands every record over in file order. Records are read
 * from the parser's stream (no per-record info objects); rows the parser had to skip are slotted
 * back in at their place, so row and line numbers stay exact.
 *
 * A record over `maxRecordBytes` (16 MiB) is a row problem and reading goes on after it: the size
 * of the record being read is checked after every piece of at most 64 KiB, and once it is over,
 * that parser (with the record's bytes) is dropped and a new one goes on from where it stopped, in
 * the same state (inside quotes or not), its first record being the rest of the oversized one.
 */
export async function readCsv(input: OpenedInput, delimiterSetting: string, h: CsvHandlers, maxRecordBytes = MAX_RECORD_BYTES, continuing?: Continuing): Promise<void> {
  await new CsvReading(input, delimiterSetting === 'auto' ? sniffDelimiter(input.head) : delimiterSetting, h, maxRecordBytes, continuing).run();
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

/**
 * A later part of a file read apart (parts.ts): it starts at a record, after the header, which is
 * given; its rows and lines are numbered from 1 within the part (the reader of the parts adds the
 * rows and lines of those before it).
 */
export interface Continuing {
  header: string[];
}

/** One reading of one input: the parser in use, where rows and lines stand, what is held back. */
class CsvReading {
  private readonly limit: string;
  private row = 0;
  /** the last physical line consumed */
  private line = 0;
  /** records taken from the parsers */
  private emitted = 0;
  private readonly skips: { after: number; code?: string; message: string }[] = [];
  private si = 0;
  private readonly endings = new LineEndings();
  /**
   * While no record has spanned several lines, the parser's own counters say so and the fields need
   * no scanning for line breaks; from the first such record on, every record is scanned.
   */
  private multiline = false;
  /** set while a piece is parsed that may complete a record over the limit: records are measured */
  private near = false;
  /** the rest of an oversized record comes first from a new parser: it is dropped */
  private dropFirst = false;
  /** the part of an oversized record already counted ended in CR (an LF opening the rest is its pair) */
  private crAtCut = false;
  private header: string[] = [];
  /** a NUL byte was seen in the file: from then on every row is looked at for one */
  private sawNul = false;
  /** blank lines held back: at the very end of the file they are not rows, before a row they are (each an "empty row" problem) */
  private blanks: string[][] = [];
  private parser!: Parser;
  /** records emitted before the current parser */
  private base = 0;
  private failure: unknown;
  private settle!: () => void;
  private done!: Promise<void>;
  /** the record being read: bytes of its fields so far (those already read measured once each) */
  private measured: string[] | undefined;
  private measuredFields = 0;
  private measuredBytes = 0;

  constructor(
    private readonly input: OpenedInput,
    private readonly delimiter: string,
    private readonly h: CsvHandlers,
    private readonly maxRecordBytes: number,
    private readonly continuing?: Continuing,
  ) {
    this.limit = sizeText(maxRecordBytes);
    if (continuing) this.header = continuing.header;
  }

  async run(): Promise<void> {
    this.start(!this.continuing);
    for await (const text of this.input.chunks) {
      if (this.failure) break;
      const chunk = typeof text === 'string' ? Buffer.from(text) : text;
      if (!this.sawNul && chunk.indexOf(0) !== -1) this.sawNul = true;
      for (let at = 0; at < chunk.length && !this.failure; at += PIECE) await this.piece(chunk.length <= PIECE ? chunk : chunk.subarray(at, at + PIECE));
      this.h.progress?.(this.input.bytesRead);
      if (this.h.pace && !this.failure) await this.h.pace();
    }
    if (!this.failure) {
      this.near = true; // the last record is completed by end(), from bytes the last size check did not see
      this.parser.end();
    }
    await this.done;
    if (this.failure) throw this.failure;
    if (this.si < this.skips.length && this.blanks.length) this.flushBlanks();
    while (this.si < this.skips.length) this.skipped(this.skips[this.si++]);
    this.h.end?.(this.row, this.line);
  }

  /** Parses a piece of at most PIECE bytes, hands its records over, and cuts a record that grew over the limit. */
  private async piece(piece: Buffer): Promise<void> {
    this.endings.see(piece);
    const before = this.recordSize(partialRecord(this.parser));
    this.near = before + piece.length > this.maxRecordBytes;
    await this.feed(piece);
    if (this.failure) return;
    try {
      this.drain();
      this.near = false;
      if (this.recordSize(partialRecord(this.parser)) > this.maxRecordBytes) await this.cut();
    } catch (e) {
      this.failure = e;
      this.parser.destroy();
      this.settle();
    }
  }

  private skipped(s: { code?: string; message: string }): void {
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
  private oversized(): void {
    if (this.row === 0 && !this.continuing) {
      throw new InputError(`${this.input.name}: the first row (the header) is over ${this.limit}; this is not a CSV ticket export, or a quote in it is never closed`);
    }
    this.row++;
    const startLine = this.line + 1;
    this.line = startLine;
    this.h.problem({ file: this.input.name, row: this.row, line: startLine, message: `is over ${this.limit}; no ticket row is that large (a quote that is never closed, or a file that is not a ticket export?); it is left out` });
  }

  private take(fields: string[]): void {
    if (this.near) {
      let size = 0;
      for (let i = 0; i < fields.length; i++) size += Buffer.byteLength(fields[i]);
      if (size > this.maxRecordBytes) {
        this.oversized();
        this.line += extraLines(fields);
        return;
      }
    }
    this.row++;
    const startLine = this.line + 1;
    this.line = this.multiline ? startLine + extraLines(fields) : startLine;
    if (this.row === 1 && !this.continuing) {
      this.header = fields;
      this.h.header(fields, this.delimiter);
    } else if (this.input.notUtf8 && this.notUtf8(fields, this.row, startLine)) return;
    else if (this.sawNul && this.nul(fields, this.row, startLine)) return;
    else this.h.record(fields, this.row, startLine);
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

  private flushBlanks(): void {
    const held = this.blanks;
    this.blanks = [];
    for (const b of held) this.take(b);
  }

  private drain(): void {
    const parser = this.parser;
    if (!this.multiline && parser.info.lines > parser.info.records + this.skips.length + 1) this.multiline = true;
    let fields: string[] | null;
    while ((fields = parser.read() as string[] | null) !== null) {
      while (this.si < this.skips.length && this.skips[this.si].after <= this.emitted) {
        if (this.blanks.length) this.flushBlanks();
        this.skipped(this.skips[this.si++]);
      }
      this.emitted++;
      if (this.dropFirst) {
        this.dropFirst = false;
        this.line += extraLines(fields) - (this.crAtCut && fields[0].charCodeAt(0) === LF ? 1 : 0);
        continue;
      }
      if (fields.length === 1 && (this.row > 0 || this.continuing) && fields[0].trim() === '') {
        this.blanks.push(fields);
        continue;
      }
      if (this.blanks.length) this.flushBlanks();
      this.take(fields);
    }
  }

  private start(bom: boolean): void {
    const p = parse({
      delimiter: this.delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      skip_empty_lines: false,
      bom,
      on_skip: (err: { code?: string; message: string } | undefined) => {
        // the rest of an oversized record could not be read (its quote never closes): already reported
        if (this.dropFirst && p.info.records === 0) this.dropFirst = false;
        else this.skips.push({ after: this.base + p.info.records, code: err?.code, message: err?.message ?? 'unreadable row' });
        return undefined;
      },
    });
    this.endings.attach(p.options.record_delimiter);
    this.parser = p;
    this.base = this.emitted;
    this.done = new Promise<void>((resolve, reject) => {
      this.settle = resolve;
      p.on('end', resolve);
      p.on('error', reject);
    });
    p.on('readable', () => {
      if (this.failure || p !== this.parser) return;
      try {
        this.drain();
      } catch (e) {
        // a handler refused the input (e.g. a missing column): stop reading and report it
        this.failure = e;
        p.destroy();
        this.settle();
      }
    });
  }

  /** Resolves once the parser has taken the piece in (parsed it), or stopped. */
  private feed(piece: Buffer): Promise<void> {
    return Promise.race([new Promise<void>((resolve) => this.parser.write(piece, () => resolve())), this.done]);
  }

  private recordSize(st: PartialRecord): number {
    if (st.record !== this.measured) {
      this.measured = st.record;
      this.measuredFields = 0;
      this.measuredBytes = 0;
    }
    for (; this.measuredFields < st.record.length; this.measuredFields++) this.measuredBytes += Buffer.byteLength(st.record[this.measuredFields]);
    return this.measuredBytes + st.field.length;
  }

  /** The record being read is over the limit: report it, drop this parser and go on with a new one. */
  private async cut(): Promise<void> {
    this.drain(); // the records before it
    const st = partialRecord(this.parser);
    if (!this.dropFirst) {
      if (this.blanks.length) this.flushBlanks();
      this.oversized();
    }
    const read = st.field.buf.subarray(0, st.field.length);
    let breaks = lineBreaksIn(read);
    for (const f of st.record) breaks += lineBreaks(f);
    if (st.record.length || read.length) {
      // a CRLF split by the previous cut was counted there as a CR: its LF is not another line
      if (this.dropFirst && this.crAtCut && (st.record.length ? st.record[0].charCodeAt(0) : read[0]) === LF) breaks--;
      // (while escaping, the quote of "" after the CR is still to come: no pair)
      this.crAtCut = st.quoting && !st.escaping && read.length > 0 && read[read.length - 1] === CR;
    }
    this.line += breaks;
    const prefix = st.quoting ? '"' : st.field.length === 0 && !st.wasQuoting ? '' : 'x';
    let rest = st.previousBuf ?? Buffer.alloc(0);
    if (st.escaping) rest = rest.subarray(1); // the second quote of "" was not parsed yet
    const old = this.parser;
    old.removeAllListeners();
    old.on('error', () => {});
    old.destroy();
    this.measured = undefined;
    this.multiline = true;
    this.start(false);
    this.dropFirst = true;
    const resume = Buffer.concat([Buffer.from(prefix), rest]);
    if (resume.length) await this.feed(resume);
  }
}
