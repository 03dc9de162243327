/**
 * Whether a file is CSV so plain that any reader splits it into the same rows and cells as ours:
 * UTF-8 (a byte-order mark only at the start), RFC 4180 quoting (a quote opens a field and closes it
 * before a delimiter or line break, quotes inside doubled), LF or CRLF line endings (one of them for
 * every row: DuckDB's strict reader stops on a mix), every row with
 * the header's number of fields, no blank line before the last row, no NUL byte, no row over 16 MiB.
 * Another engine (DuckDB) reads such a file exactly as csv-parse does; any other file is read by
 * the streaming engine, which names each irregular row. One pass over the bytes, nothing kept.
 */
import { open } from 'node:fs/promises';
import { isUtf8 } from 'node:buffer';
import { MAX_RECORD_BYTES } from './limits.js';

export type Prescan = { plain: true; rows: number } | { plain: false; why: string };

const CHUNK = 8 << 20;
const QUOTE = 34, LF = 10, CR = 13;

/** The reading state across chunks: where the scan stands in its field, row and file. */
class Scanner {
  inQuote = false;
  /** a quote just closed a quoted field */
  afterQuote = false;
  /** a quote inside a quoted field at the chunk's end: closing, or the first of a pair */
  pendingQuote = false;
  pendingCr = false;
  fieldStart = true;
  fields = 1;
  recordBytes = 0;
  recordEmpty = true;
  /** header included */
  records = 0;
  blankSeen = false;
  /** how the first row ended: every row must end alike */
  crlf: boolean | undefined;

  constructor(private readonly delim: number, private readonly width: number) {}

  /** The end of a row (by a line break, CRLF or LF; none at the end of the file): why the file is not plain, or undefined. */
  endRecord(crlf?: boolean): string | undefined {
    if (crlf !== undefined) {
      this.crlf ??= crlf;
      if (crlf !== this.crlf) return `its rows end in both CRLF and LF (row ${this.records + 1})`;
    }
    if (this.recordEmpty && this.fields === 1) {
      this.blankSeen = true;
    } else {
      if (this.blankSeen) return `a blank line before row ${this.records + 1}`;
      if (this.fields !== this.width) return `row ${this.records + 1} has ${this.fields} fields, the header ${this.width}`;
      this.records++;
    }
    this.fields = 1;
    this.fieldStart = true;
    this.recordBytes = 0;
    this.recordEmpty = true;
    this.afterQuote = false;
    return undefined;
  }

  /** The bytes buf[start, cut): why the file is not plain, or undefined. */
  scan(buf: Buffer, start: number, cut: number): string | undefined {
    for (let i = start; i < cut; i++) {
      const b = buf[i];
      if (this.pendingCr) {
        this.pendingCr = false;
        if (b !== LF) return 'a line ends in CR alone';
        const why = this.endRecord(true);
        if (why) return why;
        continue;
      }
      if (this.pendingQuote) {
        this.pendingQuote = false;
        if (b === QUOTE) {
          this.recordBytes++;
          continue; // a doubled quote inside the field
        }
        this.inQuote = false;
        this.afterQuote = true;
      }
      if (b === 0) return 'it has NUL bytes';
      if (++this.recordBytes > MAX_RECORD_BYTES) return 'a row over 16 MiB';
      if (this.inQuote) {
        if (b === QUOTE) this.pendingQuote = true;
        continue;
      }
      const why = this.outside(b);
      if (why) return why;
    }
    return undefined;
  }

  /** A byte outside quotes. */
  private outside(b: number): string | undefined {
    if (b === this.delim) {
      this.fields++;
      this.fieldStart = true;
      this.afterQuote = false;
      this.recordEmpty = false;
    } else if (b === LF) {
      return this.endRecord(false);
    } else if (b === CR) {
      this.pendingCr = true;
    } else if (this.afterQuote) {
      return `row ${this.records + 1} has text after a closing quote`;
    } else if (b === QUOTE) {
      if (!this.fieldStart) return `row ${this.records + 1} has a quote inside an unquoted field`;
      this.inQuote = true;
      this.fieldStart = false;
      this.recordEmpty = false;
    } else {
      this.fieldStart = false;
      this.recordEmpty = false;
    }
    return undefined;
  }

  /** The end of the file: why it is not plain, or undefined. */
  finish(): string | undefined {
    if (this.pendingQuote) {
      this.inQuote = false;
      this.afterQuote = true;
    }
    if (this.inQuote) return 'a quote is never closed';
    if (this.pendingCr) return 'a line ends in CR alone';
    if (!this.recordEmpty || this.fields > 1) return this.endRecord();
    return undefined;
  }
}

/** Where the chunk's last complete UTF-8 sequence ends (an unfinished one moves to the next chunk). */
function completeUpTo(buf: Buffer, end: number, bytesRead: number): number {
  if (bytesRead === 0) return end;
  let cut = end;
  let back = 0;
  while (cut > 0 && back < 3 && (buf[cut - 1] & 0xc0) === 0x80) {
    cut--;
    back++;
  }
  return cut > 0 && buf[cut - 1] >= 0xc0 ? cut - 1 : end;
}

/** What makes a chunk's bytes not plain as a whole: not UTF-8, a BOM inside, the unit separator. */
function bytesProblem(bytes: Buffer): string | undefined {
  if (!isUtf8(bytes)) return 'it has bytes that are not UTF-8';
  if (bytes.indexOf(Buffer.from([0xef, 0xbb, 0xbf])) >= 0) return 'a byte-order mark in the middle (two exports joined?)';
  // the unit separator: DuckDB hands a row's cells over joined by it
  if (bytes.indexOf(0x1f) >= 0) return 'it has a unit-separator control character (0x1F)';
  return undefined;
}

export async function prescanCsv(path: string, delimiter: string, width: number): Promise<Prescan> {
  if (delimiter.length !== 1 || delimiter.charCodeAt(0) > 127) return { plain: false, why: `the delimiter ${JSON.stringify(delimiter)} is not one ASCII character` };
  const scanner = new Scanner(delimiter.charCodeAt(0), width);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK + 4);
    let carry = 0; // bytes kept from the previous chunk (an unfinished UTF-8 sequence)
    let pos = 0;
    let first = true;
    for (;;) {
      const { bytesRead } = await fh.read(buf, carry, CHUNK, pos);
      pos += bytesRead;
      const end = carry + bytesRead;
      if (end === 0) break;
      let start = 0;
      if (first) {
        first = false;
        if (end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      }
      const cut = completeUpTo(buf, end, bytesRead);
      const why = bytesProblem(buf.subarray(start, cut)) ?? scanner.scan(buf, start, cut);
      if (why) return { plain: false, why };
      buf.copy(buf, 0, cut, end);
      carry = end - cut;
      if (bytesRead === 0) {
        if (carry) return { plain: false, why: 'it ends inside a UTF-8 character' };
        break;
      }
    }
    const why = scanner.finish();
    if (why) return { plain: false, why };
    return { plain: true, rows: Math.max(0, scanner.records - 1) };
  } finally {
    await fh.close();
  }
}
