/**
 * Characters from cells that never reach a terminal or a report raw, and how they are shown instead.
 * Besides C0 controls (which each output escapes its own way: JSON already does), they are DEL and
 * C1, and the format characters (Unicode category Cf): text-direction marks, embeddings, overrides
 * and isolates, the zero-width space, the soft hyphen, the byte order mark, tag characters. Only the
 * zero-width non-joiner and joiner (U+200C, U+200D) are left as they are: Persian, the Indic scripts
 * and emoji sequences are written with them, and they reorder nothing.
 */
const HIDDEN_SOURCE = '\\u007F-\\u009F\\p{Cf}';
const JOINERS = '(?![\\u200C\\u200D])';

/** A pattern (global, Unicode) of the hidden characters and, when given, a class of C0 characters too ('\\u0000-\\u001F'). */
export function hiddenChars(c0 = ''): RegExp {
  return new RegExp(`${JOINERS}[${c0}${HIDDEN_SOURCE}]`, 'gu');
}

/** How a control, format or text-direction character is shown when it must not appear raw: \x1b, \u202e, \u{e0041}. */
export function shownEscape(c: string): string {
  const n = c.codePointAt(0)!;
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : n > 0xffff ? `\\u{${n.toString(16)}}` : `\\u${n.toString(16).padStart(4, '0')}`;
}
