// The GBK/GB18030 → UTF-8 transcoder against the platform's decoder: for any bytes cut into any
// chunks, each chunk's output must be exactly Buffer.from(decoder.decode(chunk, { stream: true }))
// (and the flush at the end the decoder's flush), so the whole is Buffer.from(decode(all bytes)).
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { TextDecoder } from 'node:util';
import { gbToUtf8 } from '../../src/text/gb-utf8.js';

const ENCODINGS = ['gbk', 'gb18030'] as const;

const byte = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
/** Bytes weighted toward what GBK text and its damage look like. */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(byte(0x81, 0xfe), byte(0x40, 0xfe)) }, // a two-byte character (or trail 0x7f)
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(0x2c, 0x0a, 0x0d, 0x22, 0x20, 0x41, 0x7a, 0x30, 0x39, 0x7f)) }, // delimiters, quotes, letters, digits
  { weight: 2, arbitrary: fc.tuple(byte(0x81, 0xfe), byte(0x30, 0x39), byte(0x81, 0xfe), byte(0x30, 0x39)) }, // a GB18030 four-byte sequence
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0x84, 0x90, 0xe3, 0xfe), byte(0x30, 0x39), byte(0x81, 0xfe)) }, // one cut short
  { weight: 1, arbitrary: fc.tuple(byte(0x81, 0xfe), byte(0x30, 0x39)) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0x80, 0xff, 0x81, 0xfe)) }, // lone bytes that are no character
  { weight: 1, arbitrary: fc.tuple(byte(0, 0xff)) },
);
const bytes = fc.array(piece, { maxLength: 60 }).map((ps) => Uint8Array.from(ps.flat()));
const sizes = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 });

/** `all` cut into chunks of `sizes` (in turn). */
function chunked(all: Uint8Array, cut: number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0, at = 0; at < all.length; i++) {
    const size = cut[i % cut.length];
    chunks.push(all.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** The decoder's text for each chunk and its flush, in UTF-8 (hex), or undefined when it throws. */
function decoded(encoding: string, chunks: Uint8Array[]): string[] | undefined {
  const decoder = new TextDecoder(encoding);
  try {
    return [...chunks.map((c) => Buffer.from(decoder.decode(c, { stream: true })).toString('hex')), Buffer.from(decoder.decode()).toString('hex')];
  } catch {
    // Node 20's GB18030 decoder (ICU) throws "The encoded data was not valid" for a few sequences
    // fed to it in pieces, although it is not fatal (e.g. FE 81 30 81 30 81 40 a byte at a time)
    return undefined;
  }
}

for (const encoding of ENCODINGS) {
  test(`${encoding}: random bytes in random chunks come out as the decoder's text in UTF-8, chunk by chunk`, () => {
    fc.assert(
      fc.property(bytes, sizes, (all, cut) => {
        const chunks = chunked(all, cut);
        const want = decoded(encoding, chunks);
        fc.pre(want !== undefined); // no reference to compare with
        const gb = gbToUtf8(encoding)!;
        const got = [...chunks.map((c) => gb.transcode(c, false).toString('hex')), gb.transcode(new Uint8Array(0), true).toString('hex')];
        expect(got).toEqual(want);
        // and the whole is the decoder's reading of all the bytes at once
        expect(got.join('')).toBe(Buffer.from(new TextDecoder(encoding).decode(all)).toString('hex'));
      }),
      { numRuns: 400 },
    );
  });

  test(`${encoding}: the last chunk flushes a sequence left unfinished`, () => {
    const gb = gbToUtf8(encoding)!;
    const all = Uint8Array.of(0x41, 0xd6, 0xd0, 0x81, 0x30);
    const out = gb.transcode(all, true);
    expect(out.toString('hex')).toBe(Buffer.from(new TextDecoder(encoding).decode(all)).toString('hex'));
    // 'A', 中 (0xD6D0), then in GB18030 an unfinished four-byte sequence (one U+FFFD); GBK has no
    // four-byte sequences: 0x81 0x30 is a lead with a byte that is no trail (U+FFFD) and a '0'
    expect(out.toString()).toBe(encoding === 'gb18030' ? 'A中\ufffd' : 'A中\ufffd0');
  });

  test(`${encoding}: every lead × trail pair, between ASCII bytes and after a lead cut off by a chunk`, () => {
    const gb = gbToUtf8(encoding)!;
    const decoder = new TextDecoder(encoding);
    const mismatches: string[] = [];
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xff; trail++) {
        const all = Uint8Array.of(0x41, lead, trail, 0x2c, lead, trail);
        // the second pair's lead ends a chunk, its trail opens the next
        const got = gb.transcode(all.subarray(0, 5), false).toString('hex') + gb.transcode(all.subarray(5), true).toString('hex');
        const want = Buffer.from(decoder.decode(all)).toString('hex');
        if (got !== want) mismatches.push(`${lead.toString(16)} ${trail.toString(16)}: ${got} != ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
}

test('other encodings are not transcoded; GBK labels are', () => {
  expect(gbToUtf8('utf-8')).toBeUndefined();
  expect(gbToUtf8('big5')).toBeUndefined();
  expect(gbToUtf8('no-such-encoding')).toBeUndefined();
  expect(gbToUtf8('GB2312')).toBeDefined();
  expect(gbToUtf8('GB18030')).toBeDefined();
  // 中文 in GBK, then CRLF
  expect(gbToUtf8('gbk')!.transcode(Uint8Array.of(0xd6, 0xd0, 0xce, 0xc4, 0x0d, 0x0a), true).toString()).toBe('中文\r\n');
});
