/**
 * Telling an encoding from bytes, for ticket files and configs alike: UTF-16 without a byte-order
 * mark, and GB18030 versus UTF-8 with a few bad bytes.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

const LF = 10, CR = 13;

/**
 * UTF-16 without a byte-order mark, or undefined. Text in UTF-16 has NUL bytes at one byte parity
 * only: every ASCII character (digits, delimiters, line breaks) has a zero high byte, at odd offsets
 * in LE and at even ones in BE, while Chinese characters have none (so there may be few). A few at
 * the other parity are allowed (characters such as U+4E00 end in a zero byte); all-zero or random
 * bytes have them at both. A sample decoded with that byte order must then be valid UTF-16 with a
 * line break, no NUL character and few control characters.
 */
export function utf16WithoutBom(b: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(b.length, 4096) & ~1;
  if (n < 4) return undefined;
  let even = 0, odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) even++;
    if (b[i + 1] === 0) odd++;
  }
  // UTF-16 text has a NUL in at least one code unit in eight (its commas, digits, line breaks); a
  // stray NUL or two in a UTF-8 file is not UTF-16 (it is a problem of its row)
  const enough = (count: number) => count * 16 >= n;
  const encoding = enough(odd) && even * 16 <= odd ? 'utf-16le' : enough(even) && odd * 16 <= even ? 'utf-16be' : undefined;
  if (!encoding) return undefined;
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(b.subarray(0, n), { stream: true });
  } catch {
    return undefined; // a lone surrogate: not UTF-16
  }
  if (text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return undefined;
  let ctl = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return undefined;
    if (c < 9 || (c > 13 && c < 32)) ctl++;
  }
  return ctl > text.length / 10 ? undefined : encoding;
}

/**
 * True when bytes that are not all UTF-8 are GB18030 rather than UTF-8 text with a few bad bytes:
 * no line holding non-ASCII bytes is valid UTF-8 as a whole (GB18030 text forms a valid UTF-8
 * sequence here and there by chance, but hardly a whole line of them), and they decode as GB18030
 * without an error.
 */
export function readsAsGb18030(b: Uint8Array): boolean {
  let start = 0;
  let high = false;
  for (let i = 0; i <= b.length; i++) {
    const c = i < b.length ? b[i] : LF;
    if (c === LF || c === CR) {
      if (high && isUtf8(b.subarray(start, i))) return false;
      start = i + 1;
      high = false;
    } else if (c >= 0x80) high = true;
  }
  try {
    new TextDecoder('gb18030', { fatal: true }).decode(b, { stream: true });
    return true;
  } catch {
    return false;
  }
}
