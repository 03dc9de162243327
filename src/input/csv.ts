import { parse } from 'csv-parse';
import { once } from 'node:events';
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

  /**
   * `set` is the parser's own record_delimiter list (its normalised options), created as [LF] so
   * that the parser sizes its look-ahead for a known ending; it is changed in place.
   */
  constructor(private readonly set: Buffer[]) {}

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

/** Physical lines a record spans beyond its first (line breaks inside quoted fields). */
function extraLines(fields: string[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) if (fields[i].length > 0) n += lineBreaks(fields[i]);
  return n;
}

/**
 * Streams one input through csv-parse and hands every record over in file order. Records are read
 * from the parser's stream (no per-record info objects); rows the parser had to skip are slotted
 * back in at their place, so row and line numbers stay exact.
 */
export async function readCsv(input: OpenedInput, delimiterSetting: string, h: CsvHandlers): Promise<void> {
  const delimiter = delimiterSetting === 'auto' ? sniffDelimiter(input.head) : delimiterSetting;
  let row = 0;
  let line = 0; // last physical line consumed
  let emitted = 0; // records taken from the parser
  const skips: { after: number; code?: string; message: string }[] = [];
  const parser = parse({
    delimiter,
    record_delimiter: '\n',
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    skip_empty_lines: false,
    bom: true,
    on_skip: (err: { code?: string; message: string } | undefined) => {
      skips.push({ after: parser.info.records, code: err?.code, message: err?.message ?? 'unreadable row' });
      return undefined;
    },
  });
  const endings = new LineEndings(parser.options.record_delimiter);
  const skipped = (s: { code?: string; message: string }) => {
    row++;
    const startLine = line + 1;
    h.problem(
      s.code === 'CSV_QUOTE_NOT_CLOSED'
        ? { file: input.name, row, line: startLine, message: `a quote opened in this row (line ${startLine}) is never closed, so the rest of the file could not be split into rows; fix the quoting and export again` }
        : { file: input.name, row, line: startLine, message: `not valid CSV: ${s.message}` },
    );
  };
  let si = 0;
  // While no record has spanned several lines, the parser's own counters say so and the fields need
  // no scanning for line breaks; from the first such record on, every record is scanned.
  let multiline = false;
  const take = (fields: string[]) => {
    row++;
    const startLine = line + 1;
    line = multiline ? startLine + extraLines(fields) : startLine;
    if (row === 1) h.header(fields, delimiter);
    else h.record(fields, row, startLine);
  };
  // Blank lines are held back: at the very end of the file they are not rows, before a row they are
  // (each an "empty row" problem, numbered where it stands).
  let blanks: string[][] = [];
  const flushBlanks = () => {
    const held = blanks;
    blanks = [];
    for (const b of held) take(b);
  };
  const drain = () => {
    if (!multiline && parser.info.lines > parser.info.records + skips.length + 1) multiline = true;
    let fields: string[] | null;
    while ((fields = parser.read() as string[] | null) !== null) {
      while (si < skips.length && skips[si].after <= emitted) {
        if (blanks.length) flushBlanks();
        skipped(skips[si++]);
      }
      emitted++;
      if (fields.length === 1 && row > 0 && fields[0].trim() === '') {
        blanks.push(fields);
        continue;
      }
      if (blanks.length) flushBlanks();
      take(fields);
    }
  };
  let failure: unknown;
  let settle!: () => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = resolve;
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  parser.on('readable', () => {
    if (failure) return;
    try {
      drain();
    } catch (e) {
      // a handler refused the input (e.g. a missing column): stop reading and report it
      failure = e;
      parser.destroy();
      settle();
    }
  });
  for await (const text of input.chunks) {
    if (failure) break;
    const chunk = typeof text === 'string' ? Buffer.from(text) : text;
    endings.see(chunk);
    if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), done]);
    if (h.pace) await h.pace();
  }
  if (!failure) parser.end();
  await done;
  if (failure) throw failure;
  if (si < skips.length && blanks.length) flushBlanks();
  while (si < skips.length) skipped(skips[si++]);
}
