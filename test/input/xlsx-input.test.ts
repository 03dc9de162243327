/**
 * An .xlsx workbook is read as its CSV export would be: the demo's rows written as a workbook with
 * date cells, numbers, formulas with saved results, rich text and booleans give the same JSON
 * report and the same per-ticket CSV as the same rows written as CSV, problems included (same rows,
 * columns and messages); only the input's name differs.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { cli, ROOT } from '../cli/run.js';
import { numberText } from '../../src/input/xlsx-cells.js';
import { dateCell, serial, writeCsvFile, writeWorkbookFile, type Cell } from '../helpers/workbooks.js';

const CONFIG = join(ROOT, 'fixtures/demo/sla.yaml');
const AS_OF = '2026-11-01T00:00';
const MINUTE = /^\d{4}-\d\d-\d\d \d\d:\d\d$/;

/** The demo's rows as workbook cells: every kind of cell a helpdesk export holds. */
function demoRows(): Cell[][] {
  const [header, ...rows] = parse(readFileSync(join(ROOT, 'fixtures/demo/tickets.csv'))) as string[][];
  const out: Cell[][] = [[...header, 'VIP', 'Score']];
  rows.forEach((r, i) => {
    const n = i + 2; // the spreadsheet row
    const cells: Cell[] = r.map((v, j) => {
      if (j >= 1 && j <= 3 && MINUTE.test(v)) {
        // every fifth first reply a formula (=B+0) whose saved result is the date, shown as one
        if (j === 2 && i % 5 === 0) return { x: { formula: `B${n}+0`, result: serial(v) }, csv: v, fmt: 'yyyy-mm-dd hh:mm' };
        // every seventh resolution with seconds: read to the second
        if (j === 3 && i % 7 === 0) return dateCell(`${v}:15`, 'yyyy-mm-dd hh:mm:ss');
        return dateCell(v);
      }
      if (j === 13 && v !== '') return i % 6 === 0 ? { x: { formula: `${v}+0`, result: Number(v) }, csv: v } : { x: Number(v), csv: v };
      if (j === 11 && i % 4 === 0 && v.length > 1) return { x: { richText: [{ text: v.slice(0, 1), font: { bold: true } }, { text: v.slice(1) }] }, csv: v };
      return v;
    });
    // an unmapped boolean and a sum with float noise (0.1 + 0.2 is 0.30000000000000004): TRUE/FALSE and 0.3, as Excel saves them as CSV
    cells.push({ x: i % 2 === 0, csv: i % 2 === 0 ? 'TRUE' : 'FALSE' }, { x: { formula: '0.1+0.2', result: 0.1 + 0.2 }, csv: '0.3' });
    out.push(cells);
  });
  return out;
}

/** Rows with problems after the demo's: each the same problem from the workbook as from the CSV. */
function badRows(): (Cell[] | null)[] {
  const blank = (id: string, created: Cell, priority = 'Normal', resolved: Cell = ''): Cell[] => [id, created, '', resolved, priority, 'Open', 'Chat', '', '售后组', '', 'C1', 'x', 'Standard', '', { x: false, csv: 'FALSE' }, ''];
  return [
    blank('X1', '31-02-2026 10:00'), // text that is not a date
    // (no empty row: a CSV's blank line is a problem, a workbook leaves an empty row out of its XML and
    // a row absent there is not a row; an empty row present in the XML is one, see xlsx-raw.test.ts)
    blank('X2', dateCell('2026-10-20 10:00'), 'Whenever'), // unknown priority
    blank('X3', dateCell('2026-10-20 10:00'), 'Normal', dateCell('2026-10-19 10:00')), // resolved before created
    blank('T10002', dateCell('2026-10-21 09:00')), // a duplicate id: this row replaces the demo's
  ];
}

async function checkBoth(dir: string, rows: (Cell[] | null)[], args: string[]) {
  writeCsvFile(join(dir, 'tickets.csv'), rows);
  await writeWorkbookFile(join(dir, 'tickets.xlsx'), [{ name: 'Export', rows }]);
  const run = (file: string) => cli(['check', '-c', CONFIG, file, '--as-of', AS_OF, ...args], { cwd: dir });
  return Promise.all([run('tickets.csv'), run('tickets.xlsx')]);
}

const sameBut = (text: string) => text.replaceAll('tickets.xlsx', 'tickets.csv').replace(/"generatedAt": "[^"]*"/, '');

describe('xlsx input reads as the same rows in CSV', () => {
  test('the demo as a workbook: the same JSON report and per-ticket CSV as the demo as CSV, problems included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-in-'));
    const rows = [...demoRows(), ...badRows()];
    const [csv, xlsx] = await checkBoth(dir, rows, ['-f', 'json', '-o', 'tickets-out.csv']);
    expect(xlsx.stderr).toBe(csv.stderr.replaceAll('tickets.csv', 'tickets.xlsx'));
    expect([csv.exitCode, xlsx.exitCode]).toEqual([1, 1]);
    expect(sameBut(xlsx.stdout)).toBe(sameBut(csv.stdout));
    const report = JSON.parse(xlsx.stdout);
    expect(report.inputs).toEqual(['tickets.xlsx']);
    // 412 demo rows, then X1 at row 414, X2 415, X3 416, T10002 417 (replacing row 3)
    expect(report.totals).toEqual({ rows: 416, tickets: 412, evaluated: 412, problems: 4, outside_range: 0 });
    expect(report.problems.map((p: { row: number; column?: string }) => [p.row, p.column ?? null])).toEqual([
      [3, 'Ticket ID'], [414, 'Created'], [415, 'Priority'], [416, 'Resolved'],
    ]);
  });

  test('per-ticket CSV is byte-identical', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-in-'));
    const [csv, xlsx] = await checkBoth(dir, demoRows(), ['-f', 'csv']);
    expect(xlsx.stdout).toBe(csv.stdout);
    expect(xlsx.stdout.split('\n').length).toBeGreaterThan(400);
  });
});

describe('a number cell as text', () => {
  // what Excel shows (15 significant digits), in plain decimals: no float noise, no exponent
  test.each([
    [3, '3'], [0.1, '0.1'], [0.1 + 0.2, '0.3'], [-2.5, '-2.5'], [4.35, '4.35'], [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'], [-1e-7, '-0.0000001'], [123456789012345680, '123456789012346000'], [100234, '100234'], [-0, '0'],
  ])('%s → %s', (v, text) => {
    expect(numberText(v)).toBe(text);
  });
});

const HEADER = ['Ticket ID', 'Created', 'First Reply', 'Resolved', 'Priority', 'Status', 'Channel', 'Category', 'Group', 'Assignee', 'Requester ID', 'Subject', 'Customer Tier', 'CSAT'];
/** A small demo-like ticket row. */
const ticket = (id: string, created: Cell, first: Cell, resolved: Cell, extra: Partial<Record<number, Cell>> = {}): Cell[] =>
  [id, created, first, resolved, 'Normal', 'Solved', 'Chat', '物流问题', '售后组', '张伟', 'C1', 'x', 'Standard', '4'].map((c, j) => extra[j] ?? (j === 1 ? created : j === 2 ? first : j === 3 ? resolved : c));
const SMALL: Cell[][] = [
  HEADER,
  ticket('S1', dateCell('2026-10-12 09:00'), dateCell('2026-10-12 09:20'), dateCell('2026-10-12 15:00')),
  ticket('S2', dateCell('2026-10-12 10:00'), dateCell('2026-10-12 11:30:30', 'yyyy-mm-dd hh:mm:ss'), dateCell('2026-10-14 10:00')),
  ticket('S3', dateCell('2026-10-13 08:00'), '', ''),
];

async function inDir(sheets: Parameters<typeof writeWorkbookFile>[1], csvRows?: (Cell[] | null)[]) {
  const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-in-'));
  await writeWorkbookFile(join(dir, 'tickets.xlsx'), sheets);
  if (csvRows) writeCsvFile(join(dir, 'tickets.csv'), csvRows);
  return dir;
}
const sameNames = (text: string) => text.replaceAll('.xlsx', '.csv').replace(/"generatedAt": "[^"]*"/, '');

describe('which sheet', () => {
  const sheets = [{ name: 'Notes', rows: [['exported by the helpdesk']] as Cell[][] }, { name: 'Tickets', rows: SMALL }];

  test('the first sheet by default; --sheet names another, read as the same rows in CSV', async () => {
    const dir = await inDir(sheets, SMALL);
    const first = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF], { cwd: dir });
    expect(first.exitCode).toBe(2);
    expect(first.stderr).toContain('sla-audit: tickets.xlsx: no column "Ticket ID" for id');
    expect(first.stderr).toContain('sla-audit: tickets.xlsx: headers found: "exported by the helpdesk"\n');
    const [csv, xlsx] = await Promise.all([['tickets.csv'], ['tickets.xlsx', '--sheet', 'Tickets']].map((f) => cli(['check', '-c', CONFIG, ...f, '--as-of', AS_OF, '-f', 'json'], { cwd: dir })));
    expect(xlsx.exitCode).toBe(csv.exitCode);
    expect(sameNames(xlsx.stdout)).toBe(sameNames(csv.stdout));
    expect(JSON.parse(xlsx.stdout).totals.evaluated).toBe(3);
  });

  test('--sheet with a CSV input: exit 2, one line (a CSV has no sheets)', async () => {
    const dir = await inDir(sheets, SMALL);
    for (const cmd of [['check', '--as-of', AS_OF], ['validate']]) {
      const r = await cli([...cmd, '-c', CONFIG, 'tickets.csv', '--sheet', 'Tickets'], { cwd: dir });
      expect([r.exitCode, r.stderr]).toEqual([2, 'sla-audit: tickets.csv: --sheet applies to .xlsx workbooks; this input is read as CSV, which has no sheets\n']);
    }
  });

  test('a sheet that is not there: exit 2, the sheets listed, the name escaped', async () => {
    const dir = await inDir(sheets);
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--sheet', 'Tick\u001b[2Jets', '--as-of', AS_OF], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: tickets.xlsx: no sheet named "Tick\\u001b[2Jets"; its sheets: "Notes", "Tickets"; pass one of them to --sheet\n');
  });

  test('validate reads the header of the sheet, and says which', async () => {
    const dir = await inDir(sheets);
    const r = await cli(['validate', '-c', CONFIG, 'tickets.xlsx', '--sheet', 'Tickets'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('tickets.xlsx: header matches (14 columns, sheet "Tickets"): id ← "Ticket ID", created_at ← "Created"');
    const wrong = await cli(['validate', '-c', CONFIG, 'tickets.xlsx'], { cwd: dir });
    expect(wrong.exitCode).toBe(2);
    expect(wrong.stderr).toContain('no column "Ticket ID" for id');
  });
});

describe('cells and sheets that cannot be read as they are', () => {
  test('an error value in a mapped cell is a problem of its row; in another column it is its text', async () => {
    const rows = [...SMALL, ticket('S4', { x: { error: '#N/A' }, csv: '' }, '', '', { 12: { x: { error: '#DIV/0!' }, csv: '' } })];
    const dir = await inDir([{ name: 'Export', rows }]);
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF, '-f', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    expect(report.problems).toEqual([{ file: 'tickets.xlsx', row: 5, column: 'Created', message: 'holds the error value #N/A, not a value; fix the cell in the workbook' }]);
    expect(report.totals).toMatchObject({ rows: 4, evaluated: 3, problems: 1 });
  });

  test("the header is the first row holding anything; rows keep the sheet's numbers; a value right of the header is a problem", async () => {
    const rows: (Cell[] | null)[] = [null, null, HEADER, SMALL[1], [...SMALL[2], 'a note'], SMALL[3]];
    const dir = await inDir([{ name: 'Export', rows }]);
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF, '-f', 'json'], { cwd: dir });
    const report = JSON.parse(r.stdout);
    // rows 1-2 empty, the header in row 3: S1 is row 4, S2 (with a note in column O, the 15th; the header ends at N) row 5, S3 row 6
    expect(report.problems).toEqual([{ file: 'tickets.xlsx', row: 5, column: 'O', message: "has a value in column O, right of the header's last column (N); give that column a header or clear it" }]);
    expect(report.totals).toMatchObject({ rows: 3, evaluated: 2, problems: 1 });
  });

  test('merged cells in the header row: exit 2, one line', async () => {
    const rows: Cell[][] = [['Ticket', '', ...HEADER.slice(2)], ...SMALL.slice(1)];
    const dir = await inDir([{ name: 'Export', rows, merges: ['A1:B1'] }]);
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: tickets.xlsx: sheet "Export" has merged cells in its header row 1 (A1:B1); every column needs a header cell of its own: unmerge them in Excel (Home > Merge & Center) and name each column\n');
  });

  test('merged cells below the header: a warning (only the first cell holds the value)', async () => {
    const dir = await inDir([{ name: 'Export', rows: SMALL, merges: ['I2:I3'] }]);
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF, '-q'], { cwd: dir });
    expect(r.stderr).toContain('sla-audit: warning: tickets.xlsx: sheet "Export" has 1 merged cell range (I2:I3); only the first cell of a merged range holds its value, the others are read as empty; unmerge them in Excel to give every row its value\n');
  });

  test.each([
    ['text named .xlsx', Buffer.from('Ticket ID,Created\nT1,2026-10-12 09:00\n'), 'tickets.xlsx: is not an xlsx workbook (it is not a ZIP archive); if it is a CSV export, name it .csv'],
    ['a password-protected workbook (an OLE2 container)', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'tickets.xlsx: is password-protected (encrypted) or an old .xls workbook, which cannot be read; in Excel remove the password (File > Info > Protect Workbook) and save it as "Excel Workbook (.xlsx)", or save it as CSV'],
    ['an empty file', Buffer.alloc(0), 'tickets.xlsx: the file is empty; export the tickets again'],
  ])('%s: exit 2, one line, no stack', async (_what, bytes, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-in-'));
    writeFileSync(join(dir, 'tickets.xlsx'), bytes);
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF], { cwd: dir });
    expect([r.exitCode, r.stderr]).toEqual([2, `sla-audit: ${message}\n`]);
  });

  test('an OpenDocument spreadsheet (.ods) is not read: exit 2, one line', async () => {
    const dir = await inDir([{ name: 'Export', rows: SMALL }]);
    writeFileSync(join(dir, 'tickets.ods'), readFileSync(join(dir, 'tickets.xlsx')));
    const r = await cli(['check', '-c', CONFIG, 'tickets.ods', '--as-of', AS_OF], { cwd: dir });
    expect([r.exitCode, r.stderr]).toEqual([2, 'sla-audit: tickets.ods: is a .ods file, which is not read; save it as "Excel Workbook (.xlsx)" or as CSV\n']);
  });

  test('a damaged archive: exit 2, one line, no stack', async () => {
    const dir = await inDir([{ name: 'Export', rows: SMALL }]);
    const whole = readFileSync(join(dir, 'tickets.xlsx'));
    writeFileSync(join(dir, 'tickets.xlsx'), Buffer.concat([whole.subarray(0, 200), Buffer.alloc(300, 0x41), whole.subarray(500)]));
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^sla-audit: tickets\.xlsx: cannot be read as an xlsx workbook \([^\n]*\); it may be damaged: open it in Excel and save it again, or save it as CSV\n$/);
  });
});

/** A CSV file's rows as workbook cells: its minute timestamps as date cells, the rest as text. */
function asCells(file: string): Cell[][] {
  return (parse(readFileSync(join(ROOT, file))) as string[][]).map((r, i) => r.map((v) => (i > 0 && MINUTE.test(v) ? dateCell(v) : v)));
}

describe('every input of a run can be a workbook', () => {
  const EVENTS = 'fixtures/events/pauses-from-history';

  test('tickets and --events from workbooks: the same report and explain as from CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-in-'));
    for (const f of ['tickets', 'history']) {
      const rows = asCells(`${EVENTS}/${f}.csv`);
      writeCsvFile(join(dir, `${f}.csv`), rows);
      await writeWorkbookFile(join(dir, `${f}.xlsx`), [{ name: f, rows }]);
    }
    const cfg = join(ROOT, EVENTS, 'sla.yaml');
    const run = (ext: string, cmd: string[]) => cli([...cmd, '-c', cfg, '--events', `history${ext}`, '--as-of', '2026-06-08T12:00'], { cwd: dir });
    const [csv, xlsx] = await Promise.all(['.csv', '.xlsx'].map((ext) => run(ext, ['check', `tickets${ext}`, '-f', 'json'])));
    expect(sameNames(xlsx.stdout)).toBe(sameNames(csv.stdout));
    expect(xlsx.stderr.replaceAll('.xlsx', '.csv')).toBe(csv.stderr);
    const report = JSON.parse(xlsx.stdout);
    // the history's problems (a timestamp "someday", X9 in no ticket file, E5 before it was created) are the workbook's, at its rows
    expect(report.problems.map((p: { file: string; row: number }) => `${p.file}:${p.row}`).sort()).toEqual(['history.xlsx:14', 'history.xlsx:11', 'history.xlsx:9'].sort());
    const [ecsv, exlsx] = await Promise.all(['.csv', '.xlsx'].map((ext) => run(ext, ['explain', 'E1', `tickets${ext}`])));
    expect(exlsx.exitCode).toBe(0);
    expect(exlsx.stdout.replaceAll('.xlsx', '.csv')).toBe(ecsv.stdout);
    expect(exlsx.stdout).toContain('E1');
  });

  test('--messages and --events from workbooks, tickets from tickets.path: the same report as from CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-in-'));
    const MSG = 'fixtures/engine/messages';
    for (const f of ['tickets', 'events', 'messages']) {
      const rows = asCells(`${MSG}/${f}.csv`);
      writeCsvFile(join(dir, `${f}.csv`), rows);
      await writeWorkbookFile(join(dir, `${f}.xlsx`), [{ name: f, rows }]);
    }
    const config = readFileSync(join(ROOT, MSG, 'sla.yaml'), 'utf8').replace(/^tickets:\n/m, 'tickets:\n  path: tickets.xlsx\n');
    expect(config).toContain('  path: tickets.xlsx\n');
    writeFileSync(join(dir, 'sla.yaml'), config);
    const run = (args: string[]) => cli(['check', '-c', 'sla.yaml', ...args, '--as-of', '2026-03-05T00:00', '-f', 'json'], { cwd: dir });
    const [csv, xlsx] = await Promise.all([run(['tickets.csv', '--events', 'events.csv', '--messages', 'messages.csv']), run(['--events', 'events.xlsx', '--messages', 'messages.xlsx'])]);
    expect(JSON.parse(xlsx.stdout).inputs).toEqual(['tickets.xlsx']);
    expect(sameNames(xlsx.stdout)).toBe(sameNames(csv.stdout));
    expect(JSON.parse(xlsx.stdout).totals.evaluated).toBeGreaterThan(2);
  });

  test('date cells are read whatever timestamp_format says (it is for dates written as text)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-in-'));
    writeFileSync(join(dir, 'sla.yaml'), readFileSync(CONFIG, 'utf8').replace('timestamp_format: auto', 'timestamp_format: dd/MM/yyyy HH:mm:ss'));
    const dmy = (c: Cell): Cell => {
      if (typeof c === 'string') return c;
      const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d)(:\d\d)?$/.exec(c.csv);
      return m ? { ...c, csv: `${m[3]}/${m[2]}/${m[1]} ${m[4]}${m[5] ?? ':00'}` } : c;
    };
    // the same rows, with one created time written as text in the configured form on both sides
    const rows = [...SMALL, ticket('S4', '14/10/2026 08:00:00', '', '')].map((r) => r.map(dmy));
    writeCsvFile(join(dir, 'tickets.csv'), rows);
    await writeWorkbookFile(join(dir, 'tickets.xlsx'), [{ name: 'Export', rows }]);
    const [csv, xlsx] = await Promise.all(['tickets.csv', 'tickets.xlsx'].map((f) => cli(['check', '-c', 'sla.yaml', f, '--as-of', AS_OF, '-f', 'json'], { cwd: dir })));
    expect(sameNames(xlsx.stdout)).toBe(sameNames(csv.stdout));
    expect(JSON.parse(xlsx.stdout).totals).toMatchObject({ evaluated: 4, problems: 0 });
  });

  test('a row beyond the 1,048,576 a sheet holds: exit 2, one line', async () => {
    const rows: (Cell[] | null)[] = [HEADER, ...new Array<null>(1_048_575).fill(null), ticket('S1', dateCell('2026-10-12 09:00'), '', '')];
    const dir = await inDir([{ name: 'Export', rows }]);
    const r = await cli(['check', '-c', CONFIG, 'tickets.xlsx', '--as-of', AS_OF], { cwd: dir });
    expect([r.exitCode, r.stderr]).toEqual([2, 'sla-audit: tickets.xlsx: sheet "Export" has a row 1,048,577, beyond the 1,048,576 rows a sheet can hold; this workbook is damaged, or not written by a spreadsheet program\n']);
  });
});
