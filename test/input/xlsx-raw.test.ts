/**
 * Workbooks a spreadsheet program would not write, read as they are or refused on one line: cell
 * references beyond column XFD, rows out of order, gaps in the row numbers, a file that is not a
 * regular file, OOXML escapes, dates Excel cannot show.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readWorkbook } from '../../src/input/xlsx.js';
import { InputError } from '../../src/errors.js';
import type { RowProblem } from '../../src/model/ticket.js';
import type { CellError } from '../../src/input/csv.js';
import { text, writeRawWorkbook, type RawSheet } from '../helpers/raw-workbook.js';

async function readRaw(sheets: RawSheet[], workbookPr = '', sheet?: string) {
  const file = join(mkdtempSync(join(tmpdir(), 'sla-xlsx-raw-')), 'book.xlsx');
  writeRawWorkbook(file, sheets, workbookPr);
  const got = { header: [] as string[], records: [] as { fields: string[]; row: number; errors?: CellError[] }[], problems: [] as RowProblem[], sheet: '' };
  const info = await readWorkbook(file, sheet, {
    open: () => undefined,
    header: (h: string[]) => void (got.header = h),
    record: (fields: string[], row: number, _end: number, errors?: CellError[]) => void got.records.push({ fields, row, ...(errors ? { errors } : {}) }),
    problem: (p: RowProblem) => void got.problems.push(p),
  });
  got.sheet = info.sheet ?? '';
  return got;
}
const HEAD = `<row r="1">${text('A1', 'id')}${text('B1', 'note')}</row>`;

describe('cell references beyond column XFD', () => {
  test('a value in column ZZZZZZZZ (about 2e11) is a problem of its row, as one in XFE is; nothing is allocated for it', async () => {
    const got = await readRaw([{ name: 'S', rows: `${HEAD}<row r="2">${text('A2', 'T1')}${text('ZZZZZZZZ2', 'x')}</row><row r="3">${text('A3', 'T2')}${text('XFE3', 'y')}</row><row r="4">${text('A4', 'T3')}</row>` }]);
    expect(got.problems).toEqual([
      { file: expect.stringMatching(/book\.xlsx$/), row: 2, column: 'ZZZZZZZZ', message: "has a value in column ZZZZZZZZ, right of the header's last column (B); give that column a header or clear it" },
      { file: expect.stringMatching(/book\.xlsx$/), row: 3, column: 'XFE', message: "has a value in column XFE, right of the header's last column (B); give that column a header or clear it" },
    ]);
    expect(got.records).toEqual([{ fields: ['T3', ''], row: 4 }]);
  });

  test('in the header row: refused as damaged, one line', async () => {
    await expect(readRaw([{ name: 'S', rows: `<row r="1">${text('A1', 'id')}${text('ZZZZZZZZ1', 'x')}</row>` }])).rejects.toThrow(/book\.xlsx: sheet "S" has a cell in its header row beyond column XFD, the last a sheet can hold; this workbook is damaged, or not written by a spreadsheet program$/);
  });
});

describe('row numbers', () => {
  test('out of order, or twice: refused as damaged', async () => {
    for (const second of ['3', '5']) {
      const r = readRaw([{ name: 'S', rows: `${HEAD}<row r="5">${text('A5', 'T1')}</row><row r="${second}">${text(`A${second}`, 'T2')}</row>` }]);
      await expect(r).rejects.toThrow(InputError);
      await expect(r).rejects.toThrow(new RegExp(`book\\.xlsx: sheet "S" has row ${second} after row 5; this workbook is damaged, or not written by a spreadsheet program$`));
    }
  });

  test('a gap in the row numbers is not rows; a row present but empty is an "empty row"; a far stray cell is one row', async () => {
    const got = await readRaw([{ name: 'S', rows: `${HEAD}<row r="2">${text('A2', 'T1')}</row><row r="9"><c r="A9" s="0"/></row><row r="12">${text('A12', 'T2')}</row><row r="1048576">${text('B1048576', 'a note')}</row>` }]);
    expect(got.problems.map((p) => [p.row, p.message])).toEqual([[9, 'empty row']]);
    expect(got.records.map((r) => [r.row, ...r.fields])).toEqual([[2, 'T1', ''], [12, 'T2', ''], [1048576, '', 'a note']]);
  });
});

describe('cell text', () => {
  test('_xHHHH_ escapes in inline and formula text are decoded as Excel does; _x005F_ escapes the underscore', async () => {
    const got = await readRaw([{ name: 'S', rows: `${HEAD}<row r="2">${text('A2', 'T_x0030_')}${text('B2', 'a_x000D_b _x005F_x0030_ _x00e9_')}</row><row r="3"><c r="A3" t="str"><f>"x"</f><v>T_x0031_</v></c></row>` }]);
    expect(got.records).toEqual([{ fields: ['T0', 'a\rb _x0030_ é'], row: 2 }, { fields: ['T1', ''], row: 3 }]);
  });

  test('a date cell Excel cannot show is an error of that cell, not of the workbook: the rows go on', async () => {
    // 2958465 is 9999-12-31 (2,932,896 days after 1970-01-01 = serial 25569); 2958466 would be 10000-01-01
    const got = await readRaw([{ name: 'S', rows: `${HEAD}<row r="2">${text('A2', 'T1')}<c r="B2" s="1"><v>1E+20</v></c></row><row r="3">${text('A3', 'T2')}<c r="B3" s="1"><v>2958466</v></c></row><row r="4">${text('A4', 'T3')}<c r="B4" s="1"><v>2958465</v></c></row><row r="5">${text('A5', 'T4')}<c r="B5" s="1"><v>-1</v></c></row>` }]);
    expect(got.records).toEqual([
      { fields: ['T1', '100000000000000000000'], row: 2, errors: [{ index: 1, what: 'the date serial number 100000000000000000000, outside the dates Excel holds (up to 9999-12-31)' }] },
      { fields: ['T2', '2958466'], row: 3, errors: [{ index: 1, what: 'the date serial number 2958466, outside the dates Excel holds (up to 9999-12-31)' }] },
      { fields: ['T3', '9999-12-31 00:00:00'], row: 4 },
      { fields: ['T4', '-1'], row: 5, errors: [{ index: 1, what: 'the date serial number -1, outside the dates Excel holds (up to 9999-12-31)' }] },
    ]);
  });
});

describe('what the workbook says of itself', () => {
  test('date1904="true" is the 1904 date system, as "1" is (serial 0 is 1904-01-01, 1 is 1904-01-02)', async () => {
    const rows = `${HEAD}<row r="2">${text('A2', 'T1')}<c r="B2" s="1"><v>0</v></c></row><row r="3">${text('A3', 'T2')}<c r="B3" s="1"><v>1.25</v></c></row>`;
    const want = [{ fields: ['T1', '1904-01-01 00:00:00'], row: 2 }, { fields: ['T2', '1904-01-02 06:00:00'], row: 3 }];
    expect((await readRaw([{ name: 'S', rows }], 'date1904="true"')).records).toEqual(want);
    expect((await readRaw([{ name: 'S', rows }], 'date1904="1"')).records).toEqual(want);
    // the 1900 system: serial 1 is 1900-01-01 (and 0 its day before, 1899-12-31: Excel's 1900-01-00)
    expect((await readRaw([{ name: 'S', rows }], 'date1904="false"')).records.map((r) => r.fields[1])).toEqual(['1899-12-31 00:00:00', '1900-01-01 06:00:00']);
  });

  test('a hidden first sheet is passed over: the first visible sheet is read; --sheet still names a hidden one', async () => {
    const sheets: RawSheet[] = [
      { name: 'Lookup', state: 'hidden', rows: `<row r="1">${text('A1', 'code')}</row><row r="2">${text('A2', 'x')}</row>` },
      { name: 'Secret', state: 'veryHidden', rows: `<row r="1">${text('A1', 'key')}</row>` },
      { name: 'Tickets', rows: `${HEAD}<row r="2">${text('A2', 'T1')}</row>` },
    ];
    const got = await readRaw(sheets);
    expect([got.sheet, got.header, got.records]).toEqual(['Tickets', ['id', 'note'], [{ fields: ['T1', ''], row: 2 }]]);
    const named = await readRaw(sheets, '', 'Lookup');
    expect([named.sheet, named.header]).toEqual(['Lookup', ['code']]);
  });
});

describe('what is not a workbook file', () => {
  test.skipIf(process.platform === 'win32')('a FIFO named .xlsx: refused at once, not read (it would block)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-fifo-'));
    const fifo = join(dir, 'pipe.xlsx');
    execFileSync('mkfifo', [fifo]);
    const handlers = { open: () => undefined, header: () => undefined, record: () => undefined, problem: () => undefined };
    await expect(readWorkbook(fifo, undefined, handlers)).rejects.toThrow(/pipe\.xlsx: is not a regular file; pass a workbook file$/);
  });
});
