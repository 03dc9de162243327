import { expect, test } from 'vitest';
import { TRIMMED_SPACE_CODES, isTrimmedSpace, trimmedCell } from '../../src/text/white-space.js';

// the reference is the language itself: a code unit is white space to trim when String.prototype.trim
// removes it alone; the list (the compiled SQL's trim set) and the function (the reader's) must both be it
test('the white space a cell is trimmed of is exactly what String.prototype.trim removes, unit by unit', () => {
  const byTrim: number[] = [];
  for (let c = 0; c <= 0xffff; c++) {
    const trims = String.fromCharCode(c).trim() === '';
    if (trims) byTrim.push(c);
    expect(isTrimmedSpace(c), `U+${c.toString(16)}`).toBe(trims);
  }
  expect([...TRIMMED_SPACE_CODES].sort((a, b) => a - b)).toEqual(byTrim);
});

test('trimmedCell is trim(), and gives back the same string when there is nothing to trim', () => {
  for (const s of ['', 'a', ' a', 'a ', '\u00a0a', 'a\u3000', '\tN/A\u2003', '\ufeffx', 'x\u200b', '\u200bx']) expect(trimmedCell(s)).toBe(s.trim());
  const s = 'Urgent';
  expect(trimmedCell(s)).toBe(s);
});
