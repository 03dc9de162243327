/**
 * Cutting a large CSV file into byte ranges that can be read apart, each starting at a record:
 * every cut is just after a line break that is proven to be outside quotes, so that reading the
 * parts one after the other (csv.ts, `Continuing`) gives exactly the records, rows, lines and
 * problems of one pass. When a cut cannot be proven the file stays whole.
 *
 * The proof follows the quotes from the start of the file the way the CSV reader does: a quote
 * opens a quoted field only at the start of a field (after a delimiter or a line break; inside an
 * unquoted field it is a character like any other); inside, two quotes are one, and a quote
 * followed by a delimiter, a line break or the end closes it. A quote inside a quoted field
 * followed by anything else is read by the reader's relaxed rules, which this proof does not
 * follow: the file then stays whole, as it does when a cut falls inside a quoted field.
 *
 * Encodings: in UTF-8, GBK and GB18030 the bytes of a line break (0x0A, 0x0D), the quote (0x22)
 * and the delimiters , ; and TAB are never part of a multi-byte character (their second bytes are
 * 0x40 and above, GB18030's four-byte ones 0x30-0x39 in second and fourth place), so they are found
 * in the bytes as they are; | (0x7C) can be a GBK second byte, so a GBK file split by | stays whole,
 * as does UTF-16 and any other encoding. A UTF-8 file is split only when all of it is UTF-8 (a bad
 * byte changes how the rows after it are read).
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readCsv } from './csv.js';
import { MAX_RECORD_BYTES } from './limits.js';
import { shiftProblem, type CsvHandlers } from './rows.js';
import { completeUtf8Length, openInput, openRange, sniffDelimiter } from './source.js';

/** What the reading learned about the file before its rows (table.ts's Opened). */
interface Opened {
  name: string;
  head: string;
  encoding: string;
  warnings: string[];
}

interface Part {
  /** first byte of the part (just after a line break, or the file's start) */
  start: number;
  /** the byte after its last */
  end: number;
}

export interface Split {
  parts: Part[];
  /** why the file is one part, when it was not cut */
  whole?: string;
}

export interface SplitOptions {
  /** parts wanted (at most; fewer when the file is small or a cut cannot be placed) */
  count: number;
  /** a file smaller than this stays whole */
  minBytes: number;
  /** the encoding the file is read in (as opened) */
  encoding: string;
  /** the delimiter the file is read with */
  delimiter: string;
  /** bytes of byte-order mark at the start */
  bom: number;
}

const LF = 0x0a, CR = 0x0d, QUOTE = 0x22;
const CHUNK = 4 << 20;
/** room before a chunk for the unfinished character the chunk before ended in (at most 3 bytes of UTF-8) */
const ROOM = 4;
/** how far past its place a cut looks for a line break that ends a line with a delimiter */
const SEARCH = 1 << 20;
const ENCODINGS = new Set(['utf-8', 'gbk', 'gb18030']);

/** The parts of a file: `count` ranges of about equal size, or the whole file with the reason. */
export function splitFile(path: string, o: SplitOptions): Split {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const whole = (why: string): Split => ({ parts: [{ start: 0, end: size }], whole: why });
    if (o.count < 2) return whole('one part wanted');
    if (size < o.minBytes) return whole(`smaller than ${o.minBytes} bytes`);
    if (!ENCODINGS.has(o.encoding)) return whole(`${o.encoding} is read whole`);
    const d = o.delimiter.length === 1 ? o.delimiter.charCodeAt(0) : -1;
    if (d < 0 || d >= 0x80 || d === QUOTE || d === LF || d === CR || (o.encoding !== 'utf-8' && d >= 0x40)) return whole(`the delimiter ${JSON.stringify(o.delimiter)} may be part of a character in ${o.encoding}`);
    const cuts = placeCuts(fd, size, o.count, d);
    if (!cuts.length) return whole('no line break to cut at');
    const unproven = proveCuts(fd, size, o.bom, cuts, d, o.encoding === 'utf-8');
    if (unproven) return whole(unproven);
    const bounds = [0, ...cuts, size];
    return { parts: bounds.slice(1).map((end, i) => ({ start: bounds[i], end })) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Cut places near each k/count of the file: just after the line break that ends the first whole
 * line holding the delimiter from there (so no part ends in blank lines, which the reader leaves
 * out only at the end of the file).
 */
function placeCuts(fd: number, size: number, count: number, d: number): number[] {
  const cuts: number[] = [];
  const buf = Buffer.allocUnsafe(SEARCH);
  for (let k = 1; k < count; k++) {
    const from = Math.max(Math.floor((k * size) / count), (cuts[cuts.length - 1] ?? 0) + 1);
    const n = readSync(fd, buf, 0, Math.min(SEARCH, size - from), from);
    let lineStart = buf.indexOf(LF) + 1; // the first line break ends a line begun before `from`
    if (lineStart === 0) continue;
    for (let nl = buf.indexOf(LF, lineStart); nl !== -1 && nl < n; nl = buf.indexOf(LF, lineStart)) {
      const line = buf.subarray(lineStart, nl);
      lineStart = nl + 1;
      if (line.indexOf(d) !== -1 && from + nl + 1 < size) {
        cuts.push(from + nl + 1);
        break;
      }
    }
  }
  return cuts;
}

/**
 * Follows the quotes from the start of the file (after its byte-order mark) to the last cut; says
 * why when a cut is inside a quoted field or a quote is read by the relaxed rules, else undefined.
 * With `utf8`, also checks the whole file is UTF-8.
 */
function proveCuts(fd: number, size: number, from: number, cuts: number[], d: number, utf8: boolean): string | undefined {
  const last = cuts[cuts.length - 1];
  // the chunk is read after room for the bytes of a character the chunk before left unfinished,
  // so that the UTF-8 check sees them together without copying the chunk
  const area = Buffer.allocUnsafe(ROOM + CHUNK + 1);
  const buf = area.subarray(ROOM);
  let quoting = false;
  /** the previous chunk ended inside a "" pair: its second quote opens this chunk */
  let skip = false;
  let prev = LF;
  let ci = 0;
  let pending = Buffer.alloc(0);
  for (let base = from; base < size; base += CHUNK) {
    const n = readSync(fd, buf, 0, Math.min(CHUNK + 1, size - base), base);
    const lim = Math.min(CHUNK, n);
    if (utf8) {
      const body = pending.length <= ROOM ? area.subarray(ROOM - pending.length, ROOM + lim) : Buffer.concat([pending, buf.subarray(0, lim)]);
      if (pending.length <= ROOM) pending.copy(area, ROOM - pending.length);
      const keep = base + lim >= size ? body.length : completeUtf8Length(body);
      if (!isUtf8(body.subarray(0, keep))) return 'not all of it is UTF-8';
      pending = Buffer.from(body.subarray(keep));
    }
    if (base > last) {
      if (!utf8) break;
      continue;
    }
    const chunk = buf.subarray(0, lim);
    let p = skip ? 1 : 0;
    skip = false;
    for (;;) {
      const q = p < lim ? chunk.indexOf(QUOTE, p) : -1;
      // every cut up to this quote (or the chunk's end) sees the state so far
      const upTo = q === -1 ? base + lim : base + q;
      while (ci < cuts.length && cuts[ci] <= upTo) {
        if (quoting) return 'a cut would fall inside a quoted field';
        ci++;
      }
      if (q === -1) break;
      if (!quoting) {
        const before = q === 0 ? prev : chunk[q - 1];
        if (base + q === from || before === d || before === LF || before === CR) quoting = true;
        p = q + 1;
        continue;
      }
      const next = base + q + 1 < size ? buf[q + 1] : -1;
      if (next === QUOTE) {
        p = q + 2;
        if (p > lim) skip = true;
      } else if (next === -1 || next === d || next === LF || next === CR) {
        quoting = false;
        p = q + 1;
      } else return 'a quote inside a quoted field is followed by another character';
    }
    prev = chunk[lim - 1];
  }
  while (ci < cuts.length) {
    if (quoting) return 'a cut would fall inside a quoted field';
    ci++;
  }
  return undefined;
}

/**
 * Reads a file as byte ranges one after the other, each by the default reader, handing rows over
 * exactly as one pass does (the rows and lines of the parts before added to each part's). Undefined
 * when the file stays whole (the caller reads it so). The parts are read in this thread, in file
 * order: this is the order in which their results join, whoever reads them.
 */
export async function readInParts(path: string, encoding: string, delimiterSetting: string, count: number, h: CsvHandlers & { open(info: Opened): void }): Promise<Opened | undefined> {
  const probe = await openInput(path, encoding);
  probe.close();
  const delimiter = delimiterSetting === 'auto' ? sniffDelimiter(probe.head) : delimiterSetting;
  const split = splitFile(path, { count, minBytes: 0, encoding: probe.encoding, delimiter, bom: probe.encoding === 'utf-8' ? bomBytes(path) : 0 });
  if (split.whole) return undefined;
  let info: Opened | undefined;
  let header: string[] = [];
  let rows = 0, lines = 0;
  for (const [k, part] of split.parts.entries()) {
    const input = k === 0 ? await openInput(path, encoding, undefined, undefined, part.end) : openRange(path, part.start, part.end, probe.encoding);
    if (k === 0) h.open((info = { name: input.name, head: input.head, encoding: input.encoding, warnings: input.warnings }));
    const [r0, l0] = [rows, lines];
    await readCsv(
      input, delimiter,
      {
        pace: h.pace ? () => h.pace!() : undefined,
        header: (fields, d) => {
          header = fields;
          h.header(fields, d);
        },
        record: (fields, row, line, errors) => h.record(fields, row + r0, line + l0, errors),
        problem: (p) => h.problem(shiftProblem(p, r0, l0)),
        progress: (bytes) => h.progress?.(part.start + bytes),
        end: (r, l) => {
          rows += r;
          lines += l;
        },
      },
      MAX_RECORD_BYTES, undefined, k === 0 ? undefined : { header },
    );
  }
  return info;
}

/** Bytes of a UTF-8 byte-order mark at the start of a file (3 or 0). */
export function bomBytes(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(3);
    readSync(fd, b, 0, 3, 0);
    return b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  } finally {
    closeSync(fd);
  }
}
