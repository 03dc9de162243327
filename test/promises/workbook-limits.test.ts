/**
 * The workbook never drops a row: a table over Excel's 1,048,576 rows per sheet goes on in
 * "Tickets 2", "Tickets 3"... (tested here with a small injected limit); dates before 1900-03-01 are
 * shifted for Excel's 29 February 1900.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { writeWorkbook } from '../../src/output/workbook.js';
import { cli } from '../cli/run.js';

async function* numbers(n: number) {
  for (let i = 1; i <= n; i++) yield [`T${i}`, i];
}

describe('the workbook row limit', () => {
  test('10 rows with 4 rows a sheet: Tickets, Tickets 2, Tickets 3, Tickets 4 with 3, 3, 3 and 1 rows under their header', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sla-xlsx-')), 'r.xlsx');
    const sheets = [
      { name: 'Summary', tables: [{ columns: [{ header: 'what', format: 'text' as const }], rows: [['x']] }] },
      { name: 'Tickets', tables: [{ columns: [{ header: 'id', format: 'text' as const }, { header: 'n', format: 'int' as const }], rows: numbers(10) }] },
    ];
    await writeWorkbook(file, 'r.xlsx', sheets, new Date(0), 4);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Tickets', 'Tickets 2', 'Tickets 3', 'Tickets 4']);
    const values = (name: string) => (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(1).map((r) => r.slice(1));
    expect(values('Tickets')).toEqual([['id', 'n'], ['T1', 1], ['T2', 2], ['T3', 3]]);
    expect(values('Tickets 2')).toEqual([['id', 'n'], ['T4', 4], ['T5', 5], ['T6', 6]]);
    expect(values('Tickets 4')).toEqual([['id', 'n'], ['T10', 10]]);
    // every row once, in order, across the parts
    const all = ['Tickets', 'Tickets 2', 'Tickets 3', 'Tickets 4'].flatMap((n) => values(n).slice(1).map((r) => r[0]));
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => `T${i + 1}`));
    // each part has its own autofilter over its rows
    expect([wb.getWorksheet('Tickets 2')!.autoFilter, wb.getWorksheet('Tickets 4')!.autoFilter]).toEqual(['A1:B4', 'A1:B2']);
  });

  test('exactly the limit: one sheet', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'sla-xlsx-')), 'r.xlsx');
    await writeWorkbook(file, 'r.xlsx', [{ name: 'Tickets', tables: [{ columns: [{ header: 'id', format: 'text' }, { header: 'n', format: 'int' }], rows: numbers(3) }] }], new Date(0), 4);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => [w.name, w.rowCount])).toEqual([['Tickets', 4]]);
  });
});

describe('workbook dates before 1900-03-01', () => {
  test("Excel's serials: one day less before its 29 February 1900", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-1900-'));
    writeFileSync(join(dir, 'sla.yaml'), 'timezone: UTC\ntickets:\n  columns: { id: id, created_at: created, resolved_at: resolved }\npolicies:\n  - name: All\n    targets: { resolution: 8h }\n');
    writeFileSync(join(dir, 't.csv'), 'id,created,resolved\nA,1900-02-15 09:00,1900-02-15 10:00\nB,1900-03-01 09:00,1900-03-01 10:00\nC,2026-05-04 09:00,2026-05-04 10:00\n');
    const r = await cli(['check', 't.csv', '--as-of', '2026-06-01', '-q', '-o', 'r.xlsx'], { cwd: dir });
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    // the cells' serials as written (ExcelJS reads a dated cell back with its epoch 1899-12-30, no leap-day rule)
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'r.xlsx'));
    const ws = wb.getWorksheet('Tickets')!;
    const col = (ws.getRow(1).values as string[]).indexOf('created');
    const serial = (row: number) => {
      const v = ws.getRow(row).getCell(col).value;
      return v instanceof Date ? v.getTime() / 86_400_000 + 25569 : v;
    };
    // 1900-02-15 09:00: 47.375 days after 1899-12-30; Excel's serial 1 is 1900-01-01, so it shows 46.375 as 15 Feb
    expect(serial(2)).toBeCloseTo(46.375, 9);
    // 1900-03-01 09:00: 61.375 (Excel's count, with its 29 Feb 1900, meets the true one here)
    expect(serial(3)).toBeCloseTo(61.375, 9);
    expect(serial(4)).toBeCloseTo(46146.375, 9);
  });
});
