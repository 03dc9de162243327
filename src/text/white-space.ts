/**
 * White space as String.prototype.trim removes it (ECMA-262 WhiteSpace and LineTerminator: TAB, LF,
 * VT, FF, CR, space, no-break space, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
 * ideographic space, BOM). Every cell is read trimmed of it; the compiled SQL trims the same set
 * (sql/dialect.ts JS_TRIM_CODES).
 */
export const TRIMMED_SPACE_CODES: readonly number[] = [9, 10, 11, 12, 13, 32, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];

/** Whether `c` (a UTF-16 code unit) is one of TRIMMED_SPACE_CODES, without a lookup. */
export function isTrimmedSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return c === 160 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** `text.trim()`, without making a new string when neither end has white space (most cells). */
export function trimmedCell(text: string): string {
  const n = text.length;
  return n && !isTrimmedSpace(text.charCodeAt(0)) && !isTrimmedSpace(text.charCodeAt(n - 1)) ? text : text.trim();
}
