import { parse, type Parser } from 'csv-parse';
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

/** A record over this many bytes is a row problem: no ticket row is that large, and holding it would not end well. */
const MAX_RECORD_BYTES = 16 << 20;
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
export async function readCsv(input: OpenedInput, delimiterSetting: string, h: CsvHandlers, maxRecordBytes = MAX_RECORD_BYTES): Promise<void> {
  const delimiter = delimiterSetting === 'auto' ? sniffDelimiter(input.head) : delimiterSetting;
  const limit = sizeText(maxRecordBytes);
  let row = 0;
  let line = 0; // last physical line consumed
  let emitted = 0; // records taken from the parsers
  const skips: { after: number; code?: string; message: string }[] = [];
  const endings = new LineEndings();
  let si = 0;
  // While no record has spanned several lines, the parser's own counters say so and the fields need
  // no scanning for line breaks; from the first such record on, every record is scanned.
  let multiline = false;
  // set while a piece is parsed that may complete a record over the limit: records are measured
  let near = false;
  // the rest of an oversized record comes first from a new parser: it is dropped
  let dropFirst = false;
  // the part of an oversized record already counted ended in CR (an LF opening the rest is its pair)
  let crAtCut = false;

  const skipped = (s: { code?: string; message: string }) => {
    row++;
    const startLine = line + 1;
    h.problem(
      s.code === 'CSV_QUOTE_NOT_CLOSED'
        ? { file: input.name, row, line: startLine, message: `a quote opened in this row (line ${startLine}) is never closed, so the rest of the file could not be split into rows; fix the quoting and export again` }
        : { file: input.name, row, line: startLine, message: `not valid CSV: ${s.message}` },
    );
  };
  /** The oversized record: a problem at its row (the header: the whole file is refused). */
  const oversized = () => {
    if (row === 0) {
      throw new InputError(`${input.name}: the first row (the header) is over ${limit}; this is not a CSV ticket export, or a quote in it is never closed`);
    }
    row++;
    const startLine = line + 1;
    line = startLine;
    h.problem({ file: input.name, row, line: startLine, message: `is over ${limit}; no ticket row is that large (a quote that is never closed, or a file that is not a ticket export?); it is left out` });
  };
  const take = (fields: string[]) => {
    if (near) {
      let size = 0;
      for (let i = 0; i < fields.length; i++) size += Buffer.byteLength(fields[i]);
      if (size > maxRecordBytes) {
        oversized();
        line += extraLines(fields);
        return;
      }
    }
    row++;
    const startLine = line + 1;
    line = multiline ? startLine + extraLines(fields) : startLine;
    if (row === 1) {
      header = fields;
      h.header(fields, delimiter);
    } else if (input.notUtf8 && notUtf8(fields, row, startLine)) return;
    else h.record(fields, row, startLine);
  };
  let header: string[] = [];
  /** A row holding bytes that were not UTF-8 (read as U+FFFD) is a problem, named at its first such cell. */
  const notUtf8 = (fields: string[], r: number, startLine: number): boolean => {
    const i = fields.findIndex((f) => f.includes('\uFFFD'));
    if (i === -1) return false;
    const column = header[i]?.trim();
    h.problem({ file: input.name, row: r, line: startLine, ...(column ? { column } : {}), message: 'has bytes that are not valid UTF-8 (the file is read as UTF-8); set tickets.encoding if the file is in another encoding' });
    return true;
  };
  // Blank lines are held back: at the very end of the file they are not rows, before a row they are
  // (each an "empty row" problem, numbered where it stands).
  let blanks: string[][] = [];
  const flushBlanks = () => {
    const held = blanks;
    blanks = [];
    for (const b of held) take(b);
  };

  let parser!: Parser;
  let base = 0; // records emitted before the current parser
  let failure: unknown;
  let settle!: () => void;
  let done!: Promise<void>;
  const drain = () => {
    if (!multiline && parser.info.lines > parser.info.records + skips.length + 1) multiline = true;
    let fields: string[] | null;
    while ((fields = parser.read() as string[] | null) !== null) {
      while (si < skips.length && skips[si].after <= emitted) {
        if (blanks.length) flushBlanks();
        skipped(skips[si++]);
      }
      emitted++;
      if (dropFirst) {
        dropFirst = false;
        line += extraLines(fields) - (crAtCut && fields[0].charCodeAt(0) === LF ? 1 : 0);
        continue;
      }
      if (fields.length === 1 && row > 0 && fields[0].trim() === '') {
        blanks.push(fields);
        continue;
      }
      if (blanks.length) flushBlanks();
      take(fields);
    }
  };
  const start = (bom: boolean) => {
    const p = parse({
      delimiter,
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
      skip_records_with_error: true,
      skip_empty_lines: false,
      bom,
      on_skip: (err: { code?: string; message: string } | undefined) => {
        // the rest of an oversized record could not be read (its quote never closes): already reported
        if (dropFirst && p.info.records === 0) dropFirst = false;
        else skips.push({ after: base + p.info.records, code: err?.code, message: err?.message ?? 'unreadable row' });
        return undefined;
      },
    });
    endings.attach(p.options.record_delimiter);
    parser = p;
    base = emitted;
    done = new Promise<void>((resolve, reject) => {
      settle = resolve;
      p.on('end', resolve);
      p.on('error', reject);
    });
    p.on('readable', () => {
      if (failure || p !== parser) return;
      try {
        drain();
      } catch (e) {
        // a handler refused the input (e.g. a missing column): stop reading and report it
        failure = e;
        p.destroy();
        settle();
      }
    });
  };
  /** Resolves once the parser has taken the piece in (parsed it), or stopped. */
  const feed = (piece: Buffer) =>
    Promise.race([new Promise<void>((resolve) => parser.write(piece, () => resolve())), done]);

  // the record being read: bytes of its fields so far (those already read measured once each)
  let measured: string[] | undefined;
  let measuredFields = 0;
  let measuredBytes = 0;
  const recordSize = (st: PartialRecord) => {
    if (st.record !== measured) {
      measured = st.record;
      measuredFields = 0;
      measuredBytes = 0;
    }
    for (; measuredFields < st.record.length; measuredFields++) measuredBytes += Buffer.byteLength(st.record[measuredFields]);
    return measuredBytes + st.field.length;
  };

  /** The record being read is over the limit: report it, drop this parser and go on with a new one. */
  const cut = async () => {
    drain(); // the records before it
    const st = partialRecord(parser);
    if (!dropFirst) {
      if (blanks.length) flushBlanks();
      oversized();
    }
    const read = st.field.buf.subarray(0, st.field.length);
    let breaks = lineBreaksIn(read);
    for (const f of st.record) breaks += lineBreaks(f);
    if (st.record.length || read.length) {
      // a CRLF split by the previous cut was counted there as a CR: its LF is not another line
      if (dropFirst && crAtCut && (st.record.length ? st.record[0].charCodeAt(0) : read[0]) === LF) breaks--;
      // (while escaping, the quote of "" after the CR is still to come: no pair)
      crAtCut = st.quoting && !st.escaping && read.length > 0 && read[read.length - 1] === CR;
    }
    line += breaks;
    const prefix = st.quoting ? '"' : st.field.length === 0 && !st.wasQuoting ? '' : 'x';
    let rest = st.previousBuf ?? Buffer.alloc(0);
    if (st.escaping) rest = rest.subarray(1); // the second quote of "" was not parsed yet
    const old = parser;
    old.removeAllListeners();
    old.on('error', () => {});
    old.destroy();
    measured = undefined;
    multiline = true;
    start(false);
    dropFirst = true;
    const resume = Buffer.concat([Buffer.from(prefix), rest]);
    if (resume.length) await feed(resume);
  };

  start(true);
  for await (const text of input.chunks) {
    if (failure) break;
    const chunk = typeof text === 'string' ? Buffer.from(text) : text;
    for (let at = 0; at < chunk.length && !failure; at += PIECE) {
      const piece = chunk.length <= PIECE ? chunk : chunk.subarray(at, at + PIECE);
      endings.see(piece);
      const before = recordSize(partialRecord(parser));
      near = before + piece.length > maxRecordBytes;
      await feed(piece);
      if (failure) break;
      try {
        drain();
        near = false;
        if (recordSize(partialRecord(parser)) > maxRecordBytes) await cut();
      } catch (e) {
        failure = e;
        parser.destroy();
        settle();
      }
    }
    if (h.pace && !failure) await h.pace();
  }
  if (!failure) {
    near = true; // the last record is completed by end(), from bytes the last size check did not see
    parser.end();
  }
  await done;
  if (failure) throw failure;
  if (si < skips.length && blanks.length) flushBlanks();
  while (si < skips.length) skipped(skips[si++]);
}
