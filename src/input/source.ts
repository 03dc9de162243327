/**
 * Opening an input (file or "-" for stdin), sniffing its encoding and delimiter from the first
 * bytes, and streaming it as decoded text.
 */
import { duckdbFormat, streamingCannotRead } from './duckdb-formats.js';
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import { isUtf8 } from 'node:buffer';
import { InputError } from '../errors.js';
import { readsAsGb18030, utf16WithoutBom } from '../text/encoding.js';
import { gbToUtf8, type GbToUtf8 } from '../text/gb-utf8.js';

const SNIFF_BYTES = 64 * 1024;

interface Sniffed {
  encoding: string;
  /** Bytes of byte-order mark to skip. */
  bom: number;
}

/** Says why bytes are not a CSV export at all, or undefined when they may be one. */
function notCsvReason(head: Uint8Array, utf16NoBom: string | undefined, name: string): string | undefined {
  const b = head;
  const only = duckdbFormat(name);
  if (only) return streamingCannotRead(only);
  const other = /\.(ods|xlsb|numbers)$/i.exec(name);
  if (other && b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b) {
    return `is a .${other[1]} file, which is not read; save it as "Excel Workbook (.xlsx)" or as CSV`;
  }
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    return 'is a ZIP archive (an Excel .xlsx workbook?), not CSV; name the file .xlsx to read it as a workbook, or in Excel use File > Save As > "CSV UTF-8 (Comma delimited)"';
  }
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    return 'is an old Excel .xls workbook, not CSV; in Excel use File > Save As > "CSV UTF-8 (Comma delimited)"';
  }
  if (b.length >= 4 && b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) return 'is a PDF, not CSV; export the tickets as CSV';
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) return 'is gzip-compressed; decompress it first (gunzip) and pass the .csv';
  const utf16 = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) || utf16NoBom !== undefined;
  if (!utf16) {
    let nul = 0, ctl = 0;
    const n = Math.min(b.length, 8192);
    for (let i = 0; i < n; i++) {
      if (b[i] === 0) nul++;
      else if (b[i] < 9 || (b[i] > 13 && b[i] < 32)) ctl++;
    }
    // a stray NUL is a problem of its row (csv.ts); a sample one tenth control bytes or NULs is not text
    if (nul + ctl > n / 10) return nul ? 'looks binary (it has NUL bytes), not a CSV text export' : 'looks binary, not a CSV text export';
  }
  return undefined;
}

/**
 * Encoding from a BOM, then UTF-16 by its NUL bytes, UTF-8 if the sample decodes cleanly, else
 * GB18030 (Excel's default for Chinese) when the sample reads as GB18030 and not as UTF-8 text
 * with a few bad bytes; else UTF-8 (its bad bytes make their rows problems).
 */
function sniffEncoding(head: Buffer, configured: string, utf16NoBom: string | undefined): Sniffed {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  if (configured !== 'auto') return { encoding: configured, bom: 0 };
  if (utf16NoBom) return { encoding: utf16NoBom, bom: 0 };
  if (isUtf8(head.subarray(0, completeUtf8Length(head)))) return { encoding: 'utf-8', bom: 0 };
  return { encoding: readsAsGb18030(head) ? 'gb18030' : 'utf-8', bom: 0 };
}

/** The delimiter among , ; TAB | that splits the header line most often (outside quotes). */
export function sniffDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let inQuote = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (c === '\n' || c === '\r')) break;
    else if (!inQuote && c in counts) counts[c]++;
  }
  let best = ',';
  for (const d of [';', '\t', '|']) if (counts[d] > counts[best]) best = d;
  return best;
}

export interface OpenedInput {
  name: string;
  /** Chunks for the CSV parser: raw bytes while the input is UTF-8, UTF-8 bytes transcoded from GBK or GB18030, decoded text otherwise. */
  chunks: AsyncGenerator<Buffer | string>;
  encoding: string;
  head: string;
  /** Things worth saying about the whole file (an encoding switch). */
  warnings: string[];
  /**
   * Set once bytes that are not valid UTF-8 went to the parser as they are (it reads each as
   * U+FFFD): from then on a row holding U+FFFD is a problem, not a ticket.
   */
  notUtf8: boolean;
  /** Bytes of the input read so far, as they are in the file (for progress: the share of the file read) */
  bytesRead: number;
  /** Stops reading (a file is closed); the chunks do it themselves when they end early. */
  close(): void;
}

/** Length of the longest prefix of `b` that does not end inside a UTF-8 sequence. */
export function completeUtf8Length(b: Uint8Array): number {
  let i = b.length;
  let back = 0;
  while (i > 0 && back < 4 && (b[i - 1] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i === 0) return b.length;
  const lead = b[i - 1];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > back + 1 ? i - 1 : b.length;
}

/**
 * A file's bytes, SNIFF_BYTES at a time, read with synchronous calls: the file is this thread's
 * alone and reads from it are quick, while a stream's reads and its closing each wait for a turn of
 * Node's thread pool (the process even waits, after the run, for the file to be closed). Every
 * 16 reads it lets the event loop turn, so a signal is handled while a large file is read.
 */
class FileChunks implements AsyncIterator<Buffer> {
  private fd: number | undefined;
  private reads = 0;
  /** a whole file is read from where the last read stopped (a pipe or a device has no positions) */
  private readonly ranged: boolean;

  constructor(
    private readonly path: string,
    /** a byte range of the file: from `at` up to `end` (a part of it read apart) */
    private at = 0,
    private readonly end = Infinity,
  ) {
    this.ranged = at !== 0 || end !== Infinity;
  }

  async next(): Promise<IteratorResult<Buffer>> {
    // opened here, so that a file that cannot be opened fails where a read would
    this.fd ??= openSync(this.path, 'r');
    if (++this.reads % 16 === 0) await new Promise(setImmediate);
    const want = Math.min(SNIFF_BYTES, this.end - this.at);
    const buf = Buffer.allocUnsafe(SNIFF_BYTES);
    const n = want <= 0 ? 0 : readSync(this.fd, buf, 0, want, this.ranged ? this.at : null);
    this.at += n;
    if (n === 0) {
      this.close();
      return { done: true, value: undefined };
    }
    return { done: false, value: n < SNIFF_BYTES ? buf.subarray(0, n) : buf };
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A file's bytes, or standard input's; a directory or an unreadable path is an input error. */
function byteSource(path: string, name: string, stdin: Readable | undefined, end = Infinity): { chunks: AsyncIterator<Buffer>; close(): void } {
  // process.stdin only when read: merely touching it sets up standard input (a millisecond or two)
  if (path === '-') return { chunks: (stdin ?? process.stdin)[Symbol.asyncIterator]() as AsyncIterator<Buffer>, close: () => {} };
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InputError(`${name}: is a directory; pass a CSV file`);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${name}: cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code})`);
  }
  const file = new FileChunks(path, 0, end);
  return { chunks: file, close: () => file.close() };
}

const asBuffer = (v: Buffer | string) => (typeof v === 'string' ? Buffer.from(v) : v);

/** The chunks of a stream, copied to `spoolFd` as they are read (standard input, so that a second pass can read it again). */
function spooled(raw: AsyncIterator<Buffer>, spool: { fd: number | undefined }): AsyncIterator<Buffer> {
  if (spool.fd === undefined) return raw;
  return {
    async next() {
      const r = await raw.next();
      if (spool.fd === undefined) return r;
      if (r.done) {
        closeSync(spool.fd);
        spool.fd = undefined;
      } else writeSync(spool.fd, asBuffer(r.value));
      return r;
    },
  };
}

/** The first SNIFF_BYTES (or the whole input, when it ends before). */
async function readHead(it: AsyncIterator<Buffer>): Promise<{ head: Buffer; ended: boolean }> {
  const first: Buffer[] = [];
  let have = 0;
  while (have < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) return { head: Buffer.concat(first), ended: true };
    const buf = asBuffer(r.value);
    first.push(buf);
    have += buf.length;
  }
  return { head: Buffer.concat(first), ended: false };
}

/**
 * Opens a file or stdin ("-"), checks it is CSV-like text, and streams it. UTF-8 goes to the parser
 * as bytes (checked chunk by chunk); other encodings are decoded. With encoding auto, a file that
 * looked like UTF-8 in its first 64 KiB but then has bytes that are not UTF-8 switches to GB18030
 * when everything before was plain ASCII (the same in both) and that chunk reads as GB18030;
 * otherwise the bytes go on as they are and `notUtf8` makes their rows problems.
 */
export async function openInput(path: string, encoding: string, stdin?: Readable, spool?: string, end?: number): Promise<OpenedInput> {
  const name = path === '-' ? '(stdin)' : path;
  const source = byteSource(path, name, stdin, end);
  const copy = { fd: spool ? openSync(spool, 'w') : undefined };
  const close = () => {
    source.close();
    if (copy.fd !== undefined) closeSync(copy.fd);
    copy.fd = undefined;
  };
  const it = spooled(source.chunks, copy);
  let head: Buffer;
  let ended: boolean;
  try {
    ({ head, ended } = await readHead(it));
  } catch (e) {
    close();
    throw new InputError(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const refuse = (why: string) => {
    close();
    return new InputError(`${name}: ${why}`);
  };
  if (head.length === 0) throw refuse('the file is empty; export the tickets again');
  const utf16NoBom = utf16WithoutBom(head);
  const bad = notCsvReason(head, utf16NoBom, name);
  if (bad) throw refuse(bad);
  const sniffed = sniffEncoding(head, encoding, utf16NoBom);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(sniffed.encoding);
  } catch {
    throw refuse(`unknown encoding "${sniffed.encoding}"`);
  }
  const headText = new TextDecoder(sniffed.encoding).decode(head.subarray(sniffed.bom), { stream: true });
  const utf8 = sniffed.encoding === 'utf-8';
  const decoding = new Decoding(name, decoder, utf8, utf8 && encoding === 'auto' && sniffed.bom === 0, () => (opened.notUtf8 = true));
  async function* chunks(): AsyncGenerator<Buffer | string> {
    try {
      opened.bytesRead = head.length;
      yield* decoding.feed(head.subarray(sniffed.bom), ended);
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) break;
        const buf = asBuffer(r.value);
        opened.bytesRead += buf.length;
        yield* decoding.feed(buf, false);
      }
      yield* decoding.end();
    } finally {
      close();
    }
  }
  const opened: OpenedInput = { name, chunks: chunks(), encoding: sniffed.encoding, head: headText, warnings: decoding.warnings, notUtf8: false, bytesRead: 0, close };
  return opened;
}

/** The bytes of an input on their way to the parser: UTF-8 checked and passed on, GBK or GB18030 transcoded to UTF-8, or decoded. */
class Decoding {
  /** an incomplete UTF-8 sequence carried to the next chunk */
  private pending: Buffer = Buffer.alloc(0);
  /** GBK and GB18030 go to UTF-8 bytes straight (the same bytes as the decoder's text encoded again) */
  private gb: GbToUtf8 | undefined;
  private asciiSoFar = true;
  private mode: 'utf8' | 'decode';
  private offset = 0;
  /** said about the whole input (an encoding switch) */
  readonly warnings: string[] = [];

  constructor(
    private readonly name: string,
    private decoder: TextDecoder,
    utf8: boolean,
    /** UTF-8 was a guess (encoding auto, no BOM): a switch to GB18030 is allowed */
    private readonly guessed: boolean,
    /** bytes that are not UTF-8 go on to the parser as they are */
    private readonly notUtf8: () => void,
  ) {
    this.mode = utf8 ? 'utf8' : 'decode';
    if (!utf8) this.gb = gbToUtf8(decoder.encoding);
  }

  /** `buf` decoded (`last`: the input ends with it). */
  private decoded(buf: Buffer, last: boolean): Buffer | string {
    return this.gb ? this.gb.transcode(buf, last) : this.decoder.decode(buf, { stream: !last });
  }

  *feed(buf: Buffer, last: boolean): Generator<Buffer | string> {
    if (this.mode === 'decode') {
      yield this.decoded(buf, last);
      return;
    }
    const all = this.pending.length ? Buffer.concat([this.pending, buf]) : buf;
    const cut = last ? all.length : completeUtf8Length(all);
    const body = all.subarray(0, cut);
    this.pending = Buffer.from(all.subarray(cut));
    if (!isUtf8(body)) {
      const rest = Buffer.concat([body, this.pending]);
      if (this.guessed && this.asciiSoFar && readsAsGb18030(rest)) {
        // everything so far was ASCII, and this is GB18030: read the rest so (Excel's Chinese default)
        this.mode = 'decode';
        this.decoder = new TextDecoder('gb18030');
        this.gb = gbToUtf8('gb18030');
        this.warnings.push(`${this.name}: not UTF-8 after byte ${this.offset} (the first ${SNIFF_BYTES / 1024} KiB were plain ASCII); read as GB18030. Set tickets.encoding if that is wrong`);
        yield this.decoded(rest, last);
        this.pending = Buffer.alloc(0);
        return;
      }
      this.notUtf8();
    }
    if (this.asciiSoFar) for (let i = 0; i < body.length; i++) if (body[i] >= 0x80) { this.asciiSoFar = false; break; }
    this.offset += body.length;
    if (body.length) yield body;
  }

  /** What is left at the end of the input. */
  *end(): Generator<Buffer | string> {
    if (this.mode === 'decode') {
      const tail = this.gb ? this.gb.transcode(Buffer.alloc(0), true) : this.decoder.decode();
      if (tail.length) yield tail;
    } else if (this.pending.length) yield* this.feed(Buffer.alloc(0), true);
  }
}

/**
 * A later part of a file read apart (parts.ts): the bytes from `start` (just after a line break, so
 * at a character boundary in every encoding a file is split in) up to `end`, in the encoding the
 * whole file was opened with; no sniffing, no byte-order mark, no switch of encoding.
 */
export function openRange(path: string, start: number, end: number, encoding: string): OpenedInput {
  const file = new FileChunks(path, start, end);
  const utf8 = encoding === 'utf-8';
  const decoding = new Decoding(path, new TextDecoder(encoding), utf8, false, () => (opened.notUtf8 = true));
  async function* chunks(): AsyncGenerator<Buffer | string> {
    try {
      for (;;) {
        const r = await file.next();
        if (r.done) break;
        opened.bytesRead += r.value.length;
        yield* decoding.feed(r.value, false);
      }
      yield* decoding.end();
    } finally {
      file.close();
    }
  }
  const opened: OpenedInput = { name: path, chunks: chunks(), encoding, head: '', warnings: decoding.warnings, notUtf8: false, bytesRead: 0, close: () => file.close() };
  return opened;
}
