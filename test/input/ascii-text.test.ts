// asciiText against Buffer#latin1Slice (Node's decoder, what the scanner used before): every length
// from 0 to past ASCII_TEXT_MAX, random ASCII bytes (NUL, control characters and DEL included), at
// random offsets in a larger buffer; the same string, or undefined past the longest length it makes.
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { ASCII_TEXT_MAX, asciiText } from '../../src/input/ascii-text.js';

test('asciiText makes the string latin1 makes of ASCII bytes, for every length up to its longest', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: ASCII_TEXT_MAX + 8 }).map((a) => a.map((b) => b & 0x7f)), fc.nat(5), fc.nat(5), (bytes, before, after) => {
      const buf = Buffer.alloc(before + bytes.length + after, 0x2c);
      buf.set(bytes, before);
      const got = asciiText(buf, before, before + bytes.length);
      if (bytes.length === 0 || bytes.length > ASCII_TEXT_MAX) expect(got).toBeUndefined();
      else expect(got).toBe(buf.toString('latin1', before, before + bytes.length));
    }),
    { numRuns: 2000 },
  );
});

test('asciiText covers each length from 1 to its longest', () => {
  const buf = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz', 'latin1');
  for (let n = 1; n <= ASCII_TEXT_MAX; n++) expect(asciiText(buf, 3, 3 + n)).toBe(buf.toString('latin1', 3, 3 + n));
  expect(asciiText(buf, 0, ASCII_TEXT_MAX + 1)).toBeUndefined();
});
