import { parse, type Parser } from 'csv-parse';
import { MAX_RECORD_BYTES } from './limits.js';
import { RowSink, extraLines, lineBreaks, type Continuing, type CsvHandlers } from './rows.js';
import type { OpenedInput } from './source.js';
import { sniffDelimiter } from './source.js';
import { CsvScanner, scannable } from './scanner.js';

export type { CellError, CsvHandlers } from './rows.js';

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

  /**
   * Only CRLF so far, from the first piece on. Then csv-parse takes a CR that ends the input for text,
   * not a line break (no LF follows it, and no other kind of ending was seen to widen the set).
   */
  get crlfOnly(): boolean {
    return this.started && !this.mixed && this.set[0].length === 2;
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

/** Line breaks in bytes (CRLF, LF and a lone CR once each); a CR at the very end counts. */
function lineBreaksIn(b: Buffer): number {
  let n = 0;
  for (let j = b.indexOf(LF); j !== -1; j = b.indexOf(LF, j + 1)) n++;
  for (let j = b.indexOf(CR); j !== -1; j = b.indexOf(CR, j + 1)) if (b[j + 1] !== LF) n++;
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
export async function readCsv(input: OpenedInput, delimiterSetting: string, h: CsvHandlers, maxRecordBytes = MAX_RECORD_BYTES, via: CsvReader = 'scanner', continuing?: Continuing): Promise<void> {
  const delimiter = delimiterSetting === 'auto' ? sniffDelimiter(input.head) : delimiterSetting;
  const sink = new RowSink(input, delimiter, h, maxRecordBytes, continuing);
  // a later part of a file starts at a record inside it: no byte-order mark can open it
  if (via === 'scanner' && scannable(delimiter)) await new ScanReading(input, delimiter, h, maxRecordBytes, sink, !continuing).run();
  else await new CsvReading(input, delimiter, h, maxRecordBytes, { sink, endings: new LineEndings(), multiline: false }).run(input.chunks, !continuing);
  sink.end();
}

/** Which reader splits the records: the byte scanner (where it applies), or csv-parse. */
export type CsvReader = 'scanner' | 'csv-parse';

const asBuffer = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);

/** What is left of an input's chunks once a reading hands over: `first`, then the rest (closed if the reader stops early). */
async function* rest(first: Buffer, it: AsyncIterator<Buffer | string>): AsyncGenerator<Buffer | string> {
  let done = false;
  try {
    yield first;
    for (;;) {
      const r = await it.next();
      if (r.done) {
        done = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!done) await it.return?.(undefined);
  }
}

/**
 * One reading of one input with the byte scanner (a delimiter it handles: see `scannable`). The
 * bytes of the record not read yet are kept from chunk to chunk. A record csv-parse has to judge
 * (a quote never closed, a record not ended after a third of the size limit, so that its text could
 * be over the limit) is handed over: csv-parse reads on from its first byte, with the same rows.
 */
class ScanReading {
  private buf = Buffer.allocUnsafe(PIECE * 2);
  private len = 0;
  /** the start of the first record not taken */
  private pos = 0;
  /** how many bytes the open record must have before it is scanned again (each scan from its start) */
  private want = 0;
  /** a record read so far spanned several lines */
  private multiline = false;
  private readonly scanner: CsvScanner;
  /** the line endings seen, as csv-parse would be told of them (for the one case where it matters, and for a hand-over) */
  private readonly endings = new LineEndings();
  /** a record of more bytes than this may hold text over the limit (a byte not UTF-8 reads as 3) */
  private readonly big: number;

  constructor(
    private readonly input: OpenedInput,
    private readonly delimiter: string,
    private readonly h: CsvHandlers,
    private readonly maxRecordBytes: number,
    private readonly s: RowSink,
    /** a byte-order mark may open the input (not in a later part of a file read apart) */
    private bom: boolean,
  ) {
    this.scanner = new CsvScanner(delimiter.charCodeAt(0));
    this.big = Math.floor(maxRecordBytes / 3);
  }

  private readonly take = (fields: string[], breaks: boolean, bytes: number): void => {
    if (breaks) this.multiline = true;
    if (bytes > this.big) {
      let size = 0;
      for (let i = 0; i < fields.length; i++) size += Buffer.byteLength(fields[i]);
      if (size > this.maxRecordBytes) {
        if (this.s.holdsBlanks) this.s.flushBlanks((f) => this.s.take(f, true));
        this.s.oversized();
        this.s.line += extraLines(fields);
        return;
      }
    }
    this.s.accept(fields, breaks);
  };

  async run(): Promise<void> {
    const it = this.input.chunks[Symbol.asyncIterator]();
    let handed = false;
    try {
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const chunk = asBuffer(r.value);
        if (!this.s.sawNul && chunk.indexOf(0) !== -1) this.s.sawNul = true;
        for (let at = 0; at < chunk.length; at += PIECE) this.endings.see(chunk.length <= PIECE ? chunk : chunk.subarray(at, at + PIECE));
        this.append(chunk);
        if (!this.step(false)) {
          handed = true;
          await this.handOver(rest(this.open(), it));
          return;
        }
        this.h.progress?.(this.input.bytesRead);
        if (this.h.pace) await this.h.pace();
      }
      if (!this.step(true)) await this.handOver(rest(this.open(), it));
      handed = true;
    } finally {
      if (!handed) await it.return?.(undefined);
    }
  }

  /** The bytes from the first record not taken (a copy: the buffer is not kept). */
  private open(): Buffer {
    return Buffer.from(this.buf.subarray(this.pos, this.len));
  }

  private async handOver(chunks: AsyncIterable<Buffer | string>): Promise<void> {
    await new CsvReading(this.input, this.delimiter, this.h, this.maxRecordBytes, { sink: this.s, endings: this.endings, multiline: this.multiline }).run(chunks, this.bom, true);
  }

  private append(chunk: Buffer): void {
    if (this.len + chunk.length > this.buf.length) {
      const keep = this.len - this.pos;
      const target = keep + chunk.length > this.buf.length ? Buffer.allocUnsafe(Math.max(2 * this.buf.length, keep + chunk.length)) : this.buf;
      this.buf.copy(target, 0, this.pos, this.len);
      this.buf = target;
      this.len = keep;
      this.pos = 0;
    }
    chunk.copy(this.buf, this.len);
    this.len += chunk.length;
  }

  /** Takes the records complete so far (all at the end of the input); false: csv-parse reads on from `pos`. */
  private step(eof: boolean): boolean {
    if (!eof && this.len - this.pos < this.want) return true;
    if (this.bom) {
      if (this.len < 3 && !eof) return true;
      // a byte-order mark here (the input's own was taken off: a second one) is csv-parse's: once
      // it skips a mark it splits records at LF alone, so that a CR stays in the text
      const b = this.buf;
      if (this.len >= 3 && ((b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) || (b[0] === 0xff && b[1] === 0xfe))) return false;
      this.bom = false;
    }
    // a CR ending a file of CRLF lines is text to csv-parse: the last record is left to it
    const crAtEnd = eof && this.len > this.pos && this.buf[this.len - 1] === CR && this.endings.crlfOnly;
    const stop = this.scanner.scan(this.buf.subarray(0, this.len), this.pos, eof && !crAtEnd, this.take);
    this.pos = stop.at;
    const open = this.len - this.pos;
    if (crAtEnd || stop.unclosed || open > this.big) return false;
    this.want = Math.min(2 * open, this.big + 1);
    return true;
  }
}

/** One reading of one input: the parser in use, where rows and lines stand, what is held back. */
class CsvReading {
  /** records taken from the parsers */
  private emitted = 0;
  private readonly skips: { after: number; code?: string; message: string }[] = [];
  private si = 0;
  private readonly endings: LineEndings;
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
  private readonly s: RowSink;

  constructor(
    private readonly input: OpenedInput,
    private readonly delimiter: string,
    private readonly h: CsvHandlers,
    private readonly maxRecordBytes: number,
    /**
     * when this reading goes on from where another stopped (at a record boundary): the rows and the
     * line endings seen so far, and whether a record read so far spanned several lines
     */
    from?: { sink: RowSink; endings: LineEndings; multiline: boolean },
  ) {
    this.s = from?.sink ?? new RowSink(input, delimiter, h, maxRecordBytes);
    this.endings = from?.endings ?? new LineEndings();
    this.multiline = from?.multiline ?? false;
  }

  /**
   * Reads `chunks` (the input's, or what is left of them); `bom`: a byte-order mark may open them;
   * `seen`: the line endings of the first chunk were looked at already.
   */
  async run(chunks: AsyncIterable<Buffer | string> = this.input.chunks, bom = true, seen = false): Promise<void> {
    this.start(bom);
    for await (const text of chunks) {
      if (this.failure) break;
      const chunk = typeof text === 'string' ? Buffer.from(text) : text;
      if (!this.s.sawNul && chunk.indexOf(0) !== -1) this.s.sawNul = true;
      for (let at = 0; at < chunk.length && !this.failure; at += PIECE) await this.piece(chunk.length <= PIECE ? chunk : chunk.subarray(at, at + PIECE), !seen);
      seen = false;
      this.h.progress?.(this.input.bytesRead);
      if (this.h.pace && !this.failure) await this.h.pace();
    }
    if (!this.failure) {
      this.near = true; // the last record is completed by end(), from bytes the last size check did not see
      this.parser.end();
    }
    await this.done;
    if (this.failure) throw this.failure;
    if (this.si < this.skips.length && this.s.holdsBlanks) this.flushBlanks();
    while (this.si < this.skips.length) this.s.skipped(this.skips[this.si++]);
  }

  /** Parses a piece of at most PIECE bytes, hands its records over, and cuts a record that grew over the limit. */
  private async piece(piece: Buffer, see = true): Promise<void> {
    if (see) this.endings.see(piece);
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

  private flushBlanks(): void {
    this.s.flushBlanks((f) => this.take(f));
  }

  private take(fields: string[]): void {
    if (this.near) {
      let size = 0;
      for (let i = 0; i < fields.length; i++) size += Buffer.byteLength(fields[i]);
      if (size > this.maxRecordBytes) {
        this.s.oversized();
        this.s.line += extraLines(fields);
        return;
      }
    }
    this.s.take(fields, this.multiline);
  }

  private drain(): void {
    const parser = this.parser;
    if (!this.multiline && parser.info.lines > parser.info.records + this.skips.length + 1) this.multiline = true;
    let fields: string[] | null;
    while ((fields = parser.read() as string[] | null) !== null) {
      while (this.si < this.skips.length && this.skips[this.si].after <= this.emitted) {
        if (this.s.holdsBlanks) this.flushBlanks();
        this.s.skipped(this.skips[this.si++]);
      }
      this.emitted++;
      if (this.dropFirst) {
        this.dropFirst = false;
        this.s.line += extraLines(fields) - (this.crAtCut && fields[0].charCodeAt(0) === LF ? 1 : 0);
        continue;
      }
      if (fields.length === 1 && this.s.started && fields[0].trim() === '') {
        this.s.accept(fields, this.multiline);
        continue;
      }
      if (this.s.holdsBlanks) this.flushBlanks();
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
      if (this.s.holdsBlanks) this.flushBlanks();
      this.s.oversized();
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
    this.s.line += breaks;
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
