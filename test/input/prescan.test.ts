/**
 * The DuckDB engine's gate: which files are plain enough that any CSV reader splits them as ours
 * does. Each case is a file written out by hand, and the reason (or the data rows) read off it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { prescanCsv } from '../../src/input/prescan.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-prescan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function scan(bytes: string | Buffer, width = 3, delimiter = ',') {
  const path = join(dir, 'f.csv');
  writeFileSync(path, bytes);
  return prescanCsv(path, delimiter, width);
}

describe('prescanCsv', () => {
  test.each([
    // header + 2 rows, with LF, CRLF, no final newline, a BOM at the start, quoted cells with "" and a line break
    ['LF', 'a,b,c\n1,2,3\n4,5,6\n', 2],
    ['CRLF', 'a,b,c\r\n1,2,3\r\n4,5,6\r\n', 2],
    ['no final line break', 'a,b,c\n1,2,3\n4,5,6', 2],
    ['a BOM at the start', '\ufeffa,b,c\n1,2,3\n', 1],
    ['quotes, doubled quotes and a line break inside', 'a,b,c\n"x, ""y""",2,"line\nbreak"\n', 1],
    ['trailing blank lines', 'a,b,c\n1,2,3\n\n\n', 1],
    ['a header alone', 'a,b,c\n', 0],
    ['an empty file', '', 0],
  ])('%s: plain', async (_what, text, rows) => {
    expect(await scan(text)).toEqual({ plain: true, rows });
  });

  test.each([
    ['a CR alone', 'a,b,c\r1,2,3\n', 'a line ends in CR alone'],
    ['a short row', 'a,b,c\n1,2\n', 'row 2 has 2 fields, the header 3'],
    ['a blank line between rows', 'a,b,c\n1,2,3\n\n4,5,6\n', 'a blank line before row 3'],
    ['a quote inside an unquoted field', 'a,b,c\n1,x"y,3\n', 'row 2 has a quote inside an unquoted field'],
    ['text after a closing quote', 'a,b,c\n"1"x,2,3\n', 'row 2 has text after a closing quote'],
    ['a quote never closed', 'a,b,c\n"1,2,3\n', 'a quote is never closed'],
    ['a BOM in the middle', 'a,b,c\n1,2,3\n\ufeffa,b,c\n', 'a byte-order mark in the middle (two exports joined?)'],
    ['a unit separator', 'a,b,c\n1,\u001f,3\n', 'it has a unit-separator control character (0x1F)'],
    ['a NUL byte', 'a,b,c\n1,\u0000,3\n', 'it has NUL bytes'],
    // DuckDB's strict reader stops on a file whose rows end both ways (a header from one tool, rows from another)
    ['an LF header and CRLF rows', 'a,b,c\n1,2,3\r\n', 'its rows end in both CRLF and LF (row 2)'],
    ['an LF file with a blank CRLF line at its end', 'a,b,c\n1,2,3\n\r\n', 'its rows end in both CRLF and LF (row 3)'],
  ])('%s: not plain', async (_what, text, why) => {
    expect(await scan(text)).toEqual({ plain: false, why });
  });

  test('GBK bytes are not UTF-8; a two-character delimiter is refused before reading', async () => {
    // 中 in GBK is D6 D0: not a valid UTF-8 sequence
    expect(await scan(Buffer.concat([Buffer.from('a,b,c\n1,'), Buffer.from([0xd6, 0xd0]), Buffer.from(',3\n')]))).toEqual({ plain: false, why: 'it has bytes that are not UTF-8' });
    expect(await scan('a||b||c\n', 3, '||')).toEqual({ plain: false, why: 'the delimiter "||" is not one ASCII character' });
  });
});
