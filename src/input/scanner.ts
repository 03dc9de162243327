/**
 * A byte-level, quote-aware CSV scanner: splits UTF-8 bytes into records exactly as csv-parse does
 * with the reader's options (relax_quotes, any mix of CRLF, LF and CR line endings, ragged rows, a
 * closing quote followed by other text), one record at a time, with no per-byte state kept between
 * calls: a scan starts at a record boundary and stops at one, so a buffer can be cut into ranges at
 * record boundaries and each range scanned on its own.
 *
 * What csv-parse does and the scanner follows:
 * - a quote opens a quoted field only as the field's first byte; elsewhere it is a plain character;
 * - inside quotes, "" is one quote; a quote followed by the delimiter, a line break or the end of
 *   the input (or a NUL byte) closes the field; a quote followed by anything else closes the quoted
 *   part and keeps both quotes, the field going on as plain text up to the next delimiter or line
 *   break (`"a"b,` reads `"a"b`);
 * - CRLF, LF and CR alone each end a record outside quotes; a line at the very end holding nothing
 *   is no record, an empty line elsewhere is a record of one empty field.
 * What it leaves to csv-parse: a quote that is never closed (`unclosed`); the caller decides.
 */

const QUOTE = 34, LF = 10, CR = 13;

/**
 * Node's own decoders behind Buffer#toString, without its argument checks: latin1 for text that is
 * all ASCII (the same characters as UTF-8, faster), UTF-8 otherwise (bytes that are not UTF-8 read as
 * U+FFFD, as toString and csv-parse read them).
 */
interface Slices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

/** Where a scan stopped. */
export interface ScanStop {
  /** the start of the record not taken (the end of the bytes when every record was taken) */
  at: number;
  /**
   * the record at `at` is still open at the end of the bytes: inside a quoted field (`quoted`), or
   * wanting the byte after a CR or a closing quote; more bytes complete it. Never at the end of input.
   */
  open: boolean;
  /** the record at `at` is open inside quotes (for a cut between ranges: not a record boundary) */
  quoted: boolean;
  /** at the end of the input, the record at `at` has a quote that is never closed */
  unclosed: boolean;
}

/** Whether a byte can be a delimiter the scanner handles: TAB or printable ASCII, not the quote. */
export function scannable(delimiter: string): boolean {
  if (delimiter.length !== 1) return false;
  const c = delimiter.charCodeAt(0);
  return c === 9 || (c >= 32 && c < 127 && c !== QUOTE);
}

export class CsvScanner {
  /** bytes that end a plain field: the delimiter, CR and LF */
  private readonly stops = new Uint8Array(256);

  constructor(private readonly delimiter: number) {
    this.stops[delimiter] = 1;
    this.stops[LF] = 1;
    this.stops[CR] = 1;
  }

  /**
   * Splits `buf` from `start` (a record boundary) into records, calling `record` with each one's
   * fields, whether a quoted field in it holds a line break, and its length in bytes (line break
   * included). `eof`: the bytes end the input
   * (the last record needs no line break); otherwise a record reaching the end of `buf` waits for
   * more bytes (it is not taken).
   */
  scan(buf: Buffer, start: number, eof: boolean, record: (fields: string[], breaks: boolean, bytes: number) => void): ScanStop {
    const n = buf.length;
    let rec = start;
    while (rec < n) {
      const end = this.record(buf, rec, eof);
      if (end < 0) return { at: rec, open: end !== UNCLOSED, quoted: end === QUOTED, unclosed: end === UNCLOSED };
      record(this.fields, this.breaks, end - rec);
      rec = end;
    }
    return { at: rec, open: false, quoted: false, unclosed: false };
  }

  private fields: string[] = [];
  private breaks = false;

  /** Reads the record at `p` into `fields`: where the next one starts, or why it cannot be taken (a negative code). */
  private record(buf: Buffer, p: number, eof: boolean): number {
    const n = buf.length;
    const fields: string[] = [];
    this.fields = fields;
    this.breaks = false;
    for (;;) {
      let q: number;
      if (p < n && buf[p] === QUOTE) {
        q = this.quoted(buf, p, eof);
        if (q < 0) return q;
      } else {
        q = this.plain(buf, p);
        fields.push(q === p ? '' : q - p <= SHORT ? this.short(buf, p, q, fields.length) : this.text(buf, p, q));
      }
      if (q === n) return eof ? n : MORE;
      const c = buf[q];
      if (c === this.delimiter) {
        p = q + 1;
        continue;
      }
      if (c === LF) return q + 1;
      // CR: CRLF is one line break
      if (q + 1 === n) return eof ? n : MORE;
      return buf[q + 1] === LF ? q + 2 : q + 1;
    }
  }

  /** a plain field just read holds a byte that is not ASCII */
  private high = false;

  private text(buf: Buffer, p: number, q: number): string {
    return this.high ? (buf as unknown as Slices).utf8Slice(p, q) : (buf as unknown as Slices).latin1Slice(p, q);
  }

  /** per column: its short plain values seen (by a hash of their bytes), or null once they seldom repeat */
  private readonly seen: (Interned | null)[] = [];

  /**
   * A short plain field: the string read before from the same bytes in this column (one instance for
   * every "High", "Email", "售后组"), or a new one. A column whose values seldom repeat (ids,
   * timestamps) stops being looked up.
   */
  private short(buf: Buffer, p: number, q: number, column: number): string {
    let cache = this.seen[column];
    if (cache === null) return this.text(buf, p, q);
    if (cache === undefined) this.seen[column] = cache = { values: new Map(), lookups: 0, hits: 0 };
    let h = q - p;
    for (let i = p; i < q; i++) h = (Math.imul(h, 31) + buf[i]) | 0;
    cache.lookups++;
    const e = cache.values.get(h);
    if (e !== undefined && e.bytes.length === q - p && sameBytes(e.bytes, buf, p)) {
      cache.hits++;
      return e.text;
    }
    const text = this.text(buf, p, q);
    if (e === undefined && cache.values.size < INTERNED) cache.values.set(h, { bytes: new Uint8Array(buf.subarray(p, q)), text });
    if (cache.lookups === TRIAL && cache.hits * 4 < cache.lookups) this.seen[column] = null;
    return text;
  }

  /** The end of a plain field (or of the plain text after a quoted part) from `p`. */
  private plain(buf: Buffer, p: number): number {
    const stops = this.stops;
    const n = buf.length;
    let bits = 0;
    for (; p < n; p++) {
      const c = buf[p];
      if (stops[c] !== 0) break;
      bits |= c;
    }
    this.high = bits > 0x7f;
    return p;
  }

  /** Reads the field opening with a quote at `p` into `fields`: where it ends, or a negative code. */
  private quoted(buf: Buffer, p: number, eof: boolean): number {
    const n = buf.length;
    let doubled = false;
    let q = p + 1;
    for (;;) {
      q = buf.indexOf(QUOTE, q);
      if (q === -1) return eof ? UNCLOSED : QUOTED;
      if (q + 1 === n) {
        if (!eof) return QUOTED;
        break;
      }
      if (buf[q + 1] !== QUOTE) break;
      doubled = true;
      q += 2;
    }
    let v = q === p + 1 ? '' : (buf as unknown as Slices).utf8Slice(p + 1, q);
    if (doubled) v = v.replaceAll('""', '"');
    if (!this.breaks && (v.indexOf('\n') !== -1 || v.indexOf('\r') !== -1)) this.breaks = true;
    const next = q + 1;
    if (next === n || this.stops[buf[next]] !== 0) {
      this.fields.push(v);
      return next;
    }
    // text after the closing quote: the field goes on as plain text, its quotes kept (a NUL right
    // after the quote closes the field as a delimiter would, and the NUL is the field's next character)
    const e = this.plain(buf, next);
    if (e === n && !eof) return MORE;
    const tail = (buf as unknown as Slices).utf8Slice(next, e);
    this.fields.push(buf[next] === 0 ? v + tail : `"${v}"${tail}`);
    return e;
  }
}

/** Plain fields of at most this many bytes are looked up among the column's values seen. */
const SHORT = 32;
/** Values kept per column. */
const INTERNED = 1024;
/** After this many lookups a column whose values repeat less than one time in four is no longer looked up. */
const TRIAL = 4096;

interface Interned {
  values: Map<number, { bytes: Uint8Array; text: string }>;
  lookups: number;
  hits: number;
}

function sameBytes(a: Uint8Array, buf: Buffer, p: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[p + i]) return false;
  return true;
}

/** the record reaches the end of the bytes outside quotes (more bytes complete it) */
const MORE = -1;
/** the record reaches the end of the bytes inside a quoted field */
const QUOTED = -2;
/** the input ends inside a quoted field */
const UNCLOSED = -3;
