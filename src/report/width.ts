/**
 * How wide text shows in a fixed-width grid (a spreadsheet column, a terminal): East Asian wide and
 * fullwidth characters (汉字, かな, 한글, fullwidth forms, most emoji) count 2, combining marks 0,
 * everything else 1.
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x300) w += 1;
    else if ((c >= 0x300 && c <= 0x36f) || (c >= 0x200b && c <= 0x200f) || (c >= 0xfe00 && c <= 0xfe0f)) continue; // combining, zero-width, variation selectors
    else w += isWide(c) ? 2 : 1;
  }
  return w;
}

/** Text padded with spaces to a display width (a Chinese character takes two columns); longer text as it is. */
export function padEndWidth(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) || // Hangul Jamo initials
    (c >= 0x2e80 && c <= 0x303e) || // CJK radicals, punctuation
    (c >= 0x3041 && c <= 0x33ff) || // kana, CJK symbols
    (c >= 0x3400 && c <= 0x4dbf) || // CJK extension A
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0xa000 && c <= 0xa4cf) || // Yi
    (c >= 0xac00 && c <= 0xd7a3) || // Hangul syllables
    (c >= 0xf900 && c <= 0xfaff) || // CJK compatibility ideographs
    (c >= 0xfe30 && c <= 0xfe4f) || // CJK compatibility forms
    (c >= 0xff00 && c <= 0xff60) || // fullwidth forms
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1f64f) || // emoji
    (c >= 0x1f900 && c <= 0x1f9ff) ||
    (c >= 0x20000 && c <= 0x3fffd) // CJK extensions B and beyond
  );
}

const NARROW = new Set("iljtfr.,:;'!|()[] I1");
const WIDE_LATIN = new Set('mwMWOQGDHNU@%');

/**
 * About how wide text sets in a proportional sans-serif font, in em: narrow letters 0.3, wide ones
 * 0.8, capitals and other Latin 0.62, East Asian wide characters 1 (for laying out chart labels).
 */
export function textWidthEm(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x1100 && isWide(c)) w += 1;
    else if (NARROW.has(ch)) w += 0.3;
    else if (WIDE_LATIN.has(ch)) w += 0.85;
    else w += ch >= 'A' && ch <= 'Z' ? 0.68 : 0.56;
  }
  return w;
}
