/**
 * Workbooks for the xlsx-input tests, written with exceljs beside the CSV that holds the same rows:
 * each cell is given as what the workbook holds and the text a CSV export of it holds.
 */
import ExcelJS from 'exceljs';
import { writeFileSync } from 'node:fs';

/** A cell: the same text on both sides, or a workbook value (date, number, formula, rich text...) and its CSV text. */
export type Cell = string | { x: ExcelJS.CellValue; csv: string; fmt?: string };

export interface SheetSpec {
  name: string;
  /** rows from row 1; null: a row left out of the workbook (an empty row), a blank line in the CSV */
  rows: (Cell[] | null)[];
  merges?: string[];
}

/** A wall time "yyyy-mm-dd hh:mm[:ss]" as the Date exceljs writes as that date cell (its UTC fields are the wall time). */
const wall = (text: string): Date => new Date(`${text.replace(' ', 'T')}${text.length === 16 ? ':00' : ''}Z`);

/** An Excel serial day of a wall time (what a date formula's saved result holds). */
export const serial = (text: string): number => wall(text).getTime() / 86_400_000 + 25569;

/** A date cell shown as yyyy-mm-dd hh:mm, and the CSV text of it (seconds included, as the reader writes it). */
export const dateCell = (text: string, fmt = 'yyyy-mm-dd hh:mm'): Cell => ({ x: wall(text), csv: text, fmt });

export async function writeWorkbookFile(file: string, sheets: SheetSpec[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name);
    s.rows.forEach((cells, i) => {
      if (!cells) return;
      const row = ws.getRow(i + 1);
      cells.forEach((c, j) => {
        const cell = row.getCell(j + 1);
        if (typeof c === 'string') cell.value = c === '' ? null : c;
        else {
          cell.value = c.x;
          if (c.fmt) cell.numFmt = c.fmt;
        }
      });
      row.commit();
    });
    for (const m of s.merges ?? []) ws.mergeCells(m);
  }
  await wb.xlsx.writeFile(file);
}

/** The CSV a sheet's rows make (fields quoted when they need it). */
function csvOf(rows: (Cell[] | null)[]): string {
  const q = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  return rows.map((r) => (r ? r.map((c) => q(typeof c === 'string' ? c : c.csv)).join(',') : '')).join('\n') + '\n';
}

export function writeCsvFile(file: string, rows: (Cell[] | null)[]): void {
  writeFileSync(file, csvOf(rows));
}
