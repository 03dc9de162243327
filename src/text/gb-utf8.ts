/**
 * GBK and GB18030 bytes straight to UTF-8 bytes, without a JavaScript string in between: exactly
 * the bytes of `Buffer.from(new TextDecoder(encoding).decode(bytes, { stream }))`, chunk after
 * chunk, for any bytes (invalid ones too), at about half the CPU of decoding to a string and
 * encoding it again (README: Performance, "Reading, per ticket").
 *
 * ASCII bytes are copied as they are. A two-byte character goes through a table of the UTF-8 bytes
 * of every lead 0x81–0xFE × trail 0x40–0xFE pair, made once per process by the platform's own
 * decoder (so the mapping is its mapping). Anything else (a GB18030 four-byte sequence, a byte
 * that is not part of a character, a character cut at the end of a chunk) goes to that decoder in
 * streaming mode, from that byte up to and including a later byte below 0x30: no byte below 0x30
 * is part of a character in either encoding, so having read one the decoder holds nothing back,
 * and what follows is again read from a character boundary (the differential test checks this
 * against the decoder on random bytes and chunkings).
 */
import { TextDecoder } from 'node:util';

/** The encodings read this way (TextDecoder's canonical names). */
const GB = new Set(['gbk', 'gb18030']);

/**
 * For the pair lead << 8 | trail, the UTF-8 bytes of its character (a two-byte character is in the
 * BMP: at most 3) in bits 8–31 and their count in bits 0–1; 0 for a pair left to the decoder.
 */
type PairTable = Uint32Array;

const tables = new Map<string, PairTable>();

/** Every pair decoded at once: each pair then a line feed (which ends any sequence), read line by line. */
function pairTable(encoding: string): PairTable {
  const had = tables.get(encoding);
  if (had) return had;
  const width = 0xff - 0x40;
  const pairs = new Uint8Array(3 * 0x7e * width);
  for (let lead = 0x81, at = 0; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail < 0xff; trail++, at += 3) {
      pairs[at] = lead;
      pairs[at + 1] = trail;
      pairs[at + 2] = 0x0a;
    }
  }
  const text = new TextDecoder(encoding).decode(pairs);
  const table: PairTable = new Uint32Array(0x10000);
  for (let k = 0, from = 0; k < pairs.length / 3; k++) {
    const to = text.indexOf('\n', from);
    const code = text.charCodeAt(from);
    // one BMP character, which the pair stands for (an invalid pair is the decoder's to read, in its context)
    if (to === from + 1 && code >= 0x80 && code !== 0xfffd && (code < 0xd800 || code > 0xdfff)) {
      const utf8 = code < 0x800 ? 2 | ((0xc0 | (code >> 6)) << 8) | ((0x80 | (code & 0x3f)) << 16) : 3 | ((0xe0 | (code >> 12)) << 8) | ((0x80 | ((code >> 6) & 0x3f)) << 16) | ((0x80 | (code & 0x3f)) << 24);
      table[(pairs[3 * k] << 8) | pairs[3 * k + 1]] = utf8 >>> 0;
    }
    from = to + 1;
  }
  tables.set(encoding, table);
  return table;
}

/** A transcoder for `encoding` when it is GBK or GB18030 (by any of its labels), else undefined. */
export function gbToUtf8(encoding: string): GbToUtf8 | undefined {
  let name: string;
  try {
    name = new TextDecoder(encoding).encoding;
  } catch {
    return undefined;
  }
  return GB.has(name) ? new GbToUtf8(name) : undefined;
}

/** The lowest byte that can be part of a multi-byte character (the second and fourth of a GB18030 four-byte one). */
const SEQUENCE_LOW = 0x30;
/** The fewest bytes handed to the decoder in one call (when the chunk has them). */
const SPAN = 8;

/** Where copied() stopped: in the input, in the output. */
const at = new Int32Array(2);

/**
 * Copies ASCII bytes and two-byte characters of `src` from `i` to `out` at `o`, until the end or a
 * byte the table does not read (true); sets `at`.
 */
function copied(src: Uint8Array, i: number, out: Uint8Array, o: number, table: PairTable): boolean {
  const n = src.length;
  // pairs while two bytes are left; the last byte alone is ASCII or the decoder's
  const pairEnd = n - 1;
  while (i < pairEnd) {
    const c = src[i];
    if (c < 0x80) {
      out[o++] = c;
      i++;
      continue;
    }
    const v = table[(c << 8) | src[i + 1]];
    if (v === 0) break;
    out[o] = v >>> 8;
    out[o + 1] = v >>> 16;
    out[o + 2] = v >>> 24;
    o += v & 3;
    i += 2;
  }
  if (i === pairEnd && src[i] < 0x80) out[o++] = src[i++];
  at[0] = i;
  at[1] = o;
  return i < n;
}

export class GbToUtf8 {
  private readonly table: PairTable;
  private readonly decoder: TextDecoder;
  /** the decoder may hold bytes of a sequence: the next bytes are its, up to a byte below 0x30 */
  private held = false;
  private out: Buffer = Buffer.alloc(0);
  private o = 0;

  constructor(encoding: string) {
    this.table = pairTable(encoding);
    this.decoder = new TextDecoder(encoding);
  }

  /** The UTF-8 bytes of `src` (a new buffer); `last`: the input ends with it (what the decoder holds is flushed). */
  transcode(src: Uint8Array, last: boolean): Buffer {
    const n = src.length;
    // a two-byte character (2 bytes in) is at most 3 bytes out; the decoder's text is made room for
    this.out = Buffer.allocUnsafe(n + (n >> 1) + 16);
    this.o = 0;
    let i = this.held ? this.decoded(src, 0) : 0;
    while (copied(src, i, this.out, this.o, this.table)) {
      this.o = at[1];
      i = this.decoded(src, at[0]);
    }
    this.o = at[1];
    if (last) this.put(this.decoder.decode(), 0);
    this.held &&= !last;
    return this.out.subarray(0, this.o);
  }

  /**
   * Bytes from `i` up to and including a byte below 0x30 at least SPAN bytes on (or to the end) read
   * by the decoder; returns where they end. (Node 20's decoder throws "The encoded data was not
   * valid" when a call's text is more than twice as long as its bytes, which a short call can be
   * after bytes it held back: at least SPAN bytes, as in the whole chunk it would have been given.)
   */
  private decoded(src: Uint8Array, i: number): number {
    let j = i;
    while (j < src.length && (src[j] >= SEQUENCE_LOW || j - i < SPAN - 1)) j++;
    this.held = j === src.length;
    const end = this.held ? j : j + 1;
    this.put(this.decoder.decode(src.subarray(i, end), { stream: true }), src.length - end);
    return end;
  }

  /** Appends the UTF-8 of `text`, keeping room for `ahead` more input bytes. */
  private put(text: string, ahead: number): void {
    if (text.length === 0) return;
    const need = this.o + Buffer.byteLength(text) + ahead + (ahead >> 1) + 16;
    if (need > this.out.length) {
      const grown = Buffer.allocUnsafe(need);
      this.out.copy(grown, 0, 0, this.o);
      this.out = grown;
    }
    this.o += this.out.write(text, this.o);
  }
}
