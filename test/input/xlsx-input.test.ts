/**
 * An .xlsx workbook is read as its CSV export would be: the demo's rows written as a workbook with
 * date cells, numbers, formulas with saved results, rich text and booleans give the same JSON
 * report and the same per-ticket CSV as the same rows written as CSV, problems included (same rows,
 * columns and messages); only the input's name differs.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
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
    null, // an empty row between rows
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
    // 412 demo rows, then X1 at row 414, the empty row 415, X2 416, X3 417, T10002 418 (replacing row 3)
    expect(report.totals).toEqual({ rows: 417, tickets: 412, evaluated: 412, problems: 5, outside_range: 0 });
    expect(report.problems.map((p: { row: number; column?: string }) => [p.row, p.column ?? null])).toEqual([
      [3, 'Ticket ID'], [414, 'Created'], [415, null], [416, 'Priority'], [417, 'Resolved'],
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
