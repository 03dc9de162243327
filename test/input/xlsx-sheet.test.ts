/**
 * A worksheet's XML to rows of cell text, cell by cell, on the XML Excel writes (written out here,
 * since exceljs cannot write a formula whose saved result is 0, "" or FALSE: it drops such results).
 */
import { describe, expect, test } from 'vitest';
import { SaxesParser } from 'saxes';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SheetXml } from '../../src/input/xlsx-sheet.js';
import { readWorkbook } from '../../src/input/xlsx.js';
import { InputError } from '../../src/errors.js';
import { writeWorkbookFile, type Cell } from '../helpers/workbooks.js';

const DATE_STYLE = 1;
function read(sheetData: string, o: { date1904?: boolean; sharedStrings?: unknown[]; merges?: string } = {}) {
  const xml = new SheetXml(new SaxesParser(), {
    sharedStrings: o.sharedStrings ?? [],
    numFmtOf: (s) => (s === DATE_STYLE ? 'yyyy-mm-dd hh:mm' : undefined),
    date1904: !!o.date1904,
  });
  const doc = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetData}</sheetData>${o.merges ?? ''}</worksheet>`;
  // fed in two pieces, cut inside a tag: a row may end in the next chunk
  xml.write(doc.slice(0, 150));
  xml.write(doc.slice(150));
  xml.end();
  return { rows: xml.take(), merges: xml.merges };
}
const one = (cell: string, o?: Parameters<typeof read>[1]) => {
  const { rows } = read(`<row r="2">${cell}</row>`, o);
  const { col: _col, ...rest } = rows[0].cells[0];
  return rest;
};

describe('a cell as the text a CSV export holds', () => {
  test.each([
    ['a number', '<c r="A2"><v>3</v></c>', { text: '3' }],
    ['a number with float noise', '<c r="A2"><v>0.30000000000000004</v></c>', { text: '0.3' }],
    ['a formula whose saved result is 0', '<c r="A2"><f>B2-B2</f><v>0</v></c>', { text: '0' }],
    ['a formula whose saved result is ""', '<c r="A2" t="str"><f>IF(B2,"","x")</f><v></v></c>', { text: '' }],
    ['a formula whose saved result is TRUE', '<c r="A2" t="b"><f>TRUE()</f><v>1</v></c>', { text: 'TRUE' }],
    ['a FALSE cell', '<c r="A2" t="b"><v>0</v></c>', { text: 'FALSE' }],
    ['a text formula, XML-escaped', '<c r="A2" t="str"><f>"a"&amp;"b"</f><v>a&amp;b &lt;c&gt;</v></c>', { text: 'a&b <c>' }],
    ['an error value', '<c r="A2" t="e"><v>#N/A</v></c>', { text: '#N/A', error: 'the error value #N/A' }],
    ['a formula whose result is an error', '<c r="A2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', { text: '#DIV/0!', error: 'the error value #DIV/0!' }],
    ['a formula saved without a result', '<c r="A2"><f>B2</f></c>', { text: '', error: 'a formula with no saved result (the program that wrote the workbook did not compute it: open and save it in Excel)' }],
    ['an empty cell', '<c r="A2" s="3"/>', { text: '' }],
    ['rich inline text (its phonetic reading left out)', '<c r="A2" t="inlineStr"><is><r><t>配</t></r><r><rPr><b/></rPr><t xml:space="preserve">送 </t></r><rPh sb="0" eb="1"><t>ハイ</t></rPh></is></c>', { text: '配送 ' }],
    // 46296 is 2026-10-01: 20,727 days after 1970-01-01 (serial 25569); .5 is noon
    ['a date cell', `<c r="A2" s="${DATE_STYLE}"><v>46296.5</v></c>`, { text: '2026-10-01 12:00:00' }],
    // 09:15:30 is 33,330 s of 86,400: the serial carries it to within a microsecond, read to the second
    ['a date cell with seconds', `<c r="A2" s="${DATE_STYLE}"><v>${46296 + 33330 / 86400}</v></c>`, { text: '2026-10-01 09:15:30' }],
    ['a date formula (its saved result, shown as a date)', `<c r="A2" s="${DATE_STYLE}"><f>B2+1</f><v>46297</v></c>`, { text: '2026-10-02 00:00:00' }],
    ['an ISO date cell (strict Open XML)', '<c r="A2" t="d"><v>2026-10-01T09:15</v></c>', { text: '2026-10-01 09:15:00' }],
  ])('%s', (_what, cell, expected) => {
    expect(one(cell)).toEqual(expected);
  });

  test('shared strings, plain and rich', () => {
    const sharedStrings = ['plain', { richText: [{ text: '物流' }, { font: { bold: true }, text: '问题' }] }];
    expect(one('<c r="A2" t="s"><v>1</v></c>', { sharedStrings })).toEqual({ text: '物流问题' });
    expect(one('<c r="A2" t="s"><v>0</v></c>', { sharedStrings })).toEqual({ text: 'plain' });
  });

  test("Excel's 29 February 1900: serials below 60 are shown a day later than the count from 1899-12-30, as Excel (and the report workbook's writer) has them", () => {
    // Excel shows 1 as 1900-01-01 and 59 as 1900-02-28; 60 is its 1900-02-29, which never was; 61 is 1900-03-01 (61 days after 1899-12-30)
    const at = (v: string) => one(`<c r="A2" s="${DATE_STYLE}"><v>${v}</v></c>`);
    expect(at('1')).toEqual({ text: '1900-01-01 00:00:00' });
    expect(at('59.5')).toEqual({ text: '1900-02-28 12:00:00' });
    expect(at('60')).toEqual({ text: '60', error: 'the date 1900-02-29, which Excel shows but which never was' });
    expect(at('61')).toEqual({ text: '1900-03-01 00:00:00' });
    // in the 1904 system there is no such day: 59 is 59 days after 1904-01-01, 1904-02-29 (a true leap day)
    expect(one(`<c r="A2" s="${DATE_STYLE}"><v>59</v></c>`, { date1904: true })).toEqual({ text: '1904-02-29 00:00:00' });
  });

  test('the 1904 date system: serial 0 is 1904-01-01', () => {
    expect(one(`<c r="A2" s="${DATE_STYLE}"><v>0</v></c>`, { date1904: true })).toEqual({ text: '1904-01-01 00:00:00' });
  });
});

describe('rows', () => {
  test('numbered by their r, or one after the previous; cells placed by their reference, or one after the previous', () => {
    const { rows } = read('<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="C1"><v>7</v></c></row><row><c><v>1</v></c><c><v>2</v></c></row><row r="9"><c r="AB9"><v>5</v></c></row>');
    expect(rows.map((r) => [r.number, r.cells.map((c) => `${c.col}:${c.text}`)])).toEqual([
      [1, ['1:id', '3:7']],
      [2, ['1:1', '2:2']],
      // AB is column 28 (A-Z 26, then AA 27, AB 28)
      [9, ['28:5']],
    ]);
  });

  test('a namespace prefix on the elements (as some .NET exporters write them)', () => {
    const { rows } = read('<x:row r="3"><x:c r="B3"><x:v>5</x:v></x:c></x:row>');
    expect(rows).toEqual([{ number: 3, cells: [{ col: 2, text: '5' }] }]);
  });

  test('merged ranges', () => {
    const { merges } = read('<row r="1"><c r="A1"><v>1</v></c></row>', { merges: '<mergeCells count="2"><mergeCell ref="A1:B1"/><mergeCell ref="C5:C9"/></mergeCells>' });
    expect(merges).toEqual([{ top: 1, bottom: 1, ref: 'A1:B1' }, { top: 5, bottom: 9, ref: 'C5:C9' }]);
  });
});

describe('the shared strings, held in memory', () => {
  test('a workbook whose table of texts unpacks over the limit is refused before a row is read (its size from the archive directory)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-ss-'));
    const file = join(dir, 'big.xlsx');
    const rows: Cell[][] = [['Ticket ID', 'Subject'], ...Array.from({ length: 300 }, (_, i): Cell[] => [`T${i}`, `subject number ${i}`])];
    await writeWorkbookFile(file, [{ name: 'Export', rows }]);
    const handlers = { open: () => undefined, header: () => undefined, record: () => undefined, problem: () => undefined };
    // 300 texts of ~20 characters and 300 ids in <si><t>…</t></si>: more than 10 KiB, far less than 100 KiB
    const refused = readWorkbook(file, undefined, handlers, 10 << 10);
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(/big\.xlsx: its table of texts \(xl\/sharedStrings\.xml\) is \d+ KiB unpacked, over the 10 KiB held in memory; save the sheet as CSV, which is read in constant memory$/);
    let read = 0;
    await readWorkbook(file, undefined, { ...handlers, record: () => void read++ }, 100 << 10);
    expect(read).toBe(300);
  });

  test('a directory that understates the size (forged, or a ZIP64 archive that gives none): the bytes are counted as they unpack, and the read stops past the limit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-ss-'));
    const file = join(dir, 'forged.xlsx');
    const rows: Cell[][] = [['Ticket ID', 'Subject'], ...Array.from({ length: 300 }, (_, i): Cell[] => [`T${i}`, `subject number ${i}`])];
    await writeWorkbookFile(file, [{ name: 'Export', rows }]);
    // the central directory's record of the part: its unpacked size (at +24 of the 46-byte header before the name) made 1 byte
    const zip = readFileSync(file);
    const at = zip.lastIndexOf(Buffer.from('xl/sharedStrings.xml')) - 46;
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    zip.writeUInt32LE(1, at + 24);
    writeFileSync(file, zip);
    const handlers = { open: () => undefined, header: () => undefined, record: () => undefined, problem: () => undefined };
    const refused = readWorkbook(file, undefined, handlers, 10 << 10);
    await expect(refused).rejects.toThrow(InputError);
    await expect(refused).rejects.toThrow(/forged\.xlsx: its table of texts \(xl\/sharedStrings\.xml\) unpacks to over 10 KiB, the most held in memory; save the sheet as CSV, which is read in constant memory$/);
    let read = 0;
    await readWorkbook(file, undefined, { ...handlers, record: () => void read++ }, 100 << 10);
    expect(read).toBe(300);
  });
});
