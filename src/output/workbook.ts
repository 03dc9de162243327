/**
 * Writes a workbook (sheets described by `report/xlsx.ts`) with exceljs's streaming writer: rows go
 * to the zip as they come, so a million tickets take no more memory than a hundred. Cells are
 * written as values with number formats: a header row in bold, frozen, with an autofilter (sheets
 * of one table), column widths from the cells' display width (wide CJK characters count 2). The
 * file is written to a temporary name and renamed into place.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Cell, CellFormat, Sheet, SheetColumn } from '../report/xlsx.js';
import { MAX_WIDTH } from '../report/xlsx.js';
import { displayWidth } from '../report/width.js';
import { UsageError } from '../errors.js';
import { forgetTemp, moveIntoPlace, tempPathFor } from './files.js';
import { osReason } from './targets.js';

const NUM_FMT: Record<CellFormat, string | undefined> = {
  text: undefined,
  number: undefined,
  int: '0',
  hours: '0.00',
  percent: '0.0%',
  datetime: 'yyyy-mm-dd hh:mm',
};
/** How wide a number shows in each format (for the column width). */
const SHOWN_WIDTH: Record<CellFormat, number> = { text: 0, number: 8, int: 6, hours: 8, percent: 7, datetime: 16 };

type ExcelJS = typeof import('exceljs');
type Worksheet = ReturnType<InstanceType<ExcelJS['stream']['xlsx']['WorkbookWriter']>['addWorksheet']>;

function widthOf(col: SheetColumn, rows: Cell[][], i: number): number {
  let w = displayWidth(col.header);
  for (const r of rows) {
    const v = r[i];
    if (v === null || v === undefined) continue;
    w = Math.max(w, typeof v === 'string' ? displayWidth(v.length > MAX_WIDTH ? v.slice(0, MAX_WIDTH) : v) : SHOWN_WIDTH[col.format]);
  }
  return Math.min(MAX_WIDTH, w) + 2;
}

/** Where a sheet's autofilter is: its header row, last row and last column. */
interface Filter {
  top: number;
  bottom: number;
  right: number;
}

/** "A", "Z", "AA": a column's letters. */
function columnLetters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/**
 * A full buffer in the zip entry a sheet's rows flow into, or undefined. exceljs's sheet stream hands
 * its data on without asking whether the zip keeps up (and archiver's entry streams predate
 * `writableNeedDrain`), so the writer itself waits for such an entry to drain: without this, a
 * million rows would pile up in memory ahead of the compression.
 */
function fullZipEntry(ws: Worksheet): Writable | undefined {
  const entry = (ws as unknown as { stream?: { pipes?: Writable[] } }).stream?.pipes?.[0];
  const state = (entry as unknown as { _writableState?: { length: number; highWaterMark: number } } | undefined)?._writableState;
  return state && state.length >= state.highWaterMark ? entry : undefined;
}

async function writeSheet(ws: Worksheet, sheet: Sheet): Promise<Filter | undefined> {
  const single = sheet.tables.length === 1;
  let row = 0;
  // the small tables are in memory (their widths are measured); a streamed one says its widths itself.
  // A title is not measured: it runs on into the empty cells beside it.
  const tables = sheet.tables.map((t) => ({ ...t, rows: Symbol.iterator in t.rows ? [...(t.rows as Iterable<Cell[]>)] : t.rows }));
  const widths: number[] = [];
  for (const t of tables) {
    const rows = Array.isArray(t.rows) ? t.rows : [];
    t.columns.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.width ?? widthOf(c, rows, i))));
  }
  ws.columns = widths.map((width) => ({ width }));
  let n = 0;
  let filter: Filter | undefined;
  for (const t of tables) {
    if (t.title) {
      const r = ws.addRow([t.title]);
      r.font = { bold: true };
      r.commit();
      row++;
    }
    if (!t.headless) {
      const head = ws.addRow(t.columns.map((c) => c.header));
      head.font = { bold: true };
      head.commit();
      row++;
    }
    const headerRow = row;
    // one style object per column, shared by its cells: exceljs then finds a cell's style by identity
    // instead of rendering it for every cell
    const styles = t.columns.map((c) => (NUM_FMT[c.format] ? { numFmt: NUM_FMT[c.format] } : {}));
    for await (const values of t.rows) {
      const r = ws.addRow(values.map((v) => v ?? undefined)); // an empty cell is not written at all
      r.eachCell((cell, col) => {
        cell.style = styles[col - 1];
      });
      r.commit();
      row++;
      const full = fullZipEntry(ws);
      if (full) await once(full, 'drain');
      else if (++n % 2048 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (single) {
      ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row, column: t.columns.length } };
      filter = { top: headerRow, bottom: row, right: t.columns.length };
    } else {
      ws.addRow([]).commit();
      row++;
    }
  }
  ws.commit();
  return filter;
}

/** Writes the workbook to `target` (`shown` as the user wrote it, for messages). */
export async function writeWorkbook(target: string, shown: string, sheets: Sheet[], created: Date): Promise<void> {
  const { default: exceljs } = (await import('exceljs')) as unknown as { default: ExcelJS };
  const tmp = tempPathFor(target);
  const file = createWriteStream(tmp);
  const failed = new Promise<never>((_, reject) => file.on('error', (e) => reject(new UsageError(`cannot write ${shown}: ${osReason(e)}`))));
  failed.catch(() => undefined);
  try {
    const wb = new exceljs.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: false });
    wb.creator = 'sla-audit';
    wb.created = created;
    wb.modified = created;
    const filterNames: { name: string; localSheetId: number; ranges: string[] }[] = [];
    for (const [i, sheet] of sheets.entries()) {
      const single = sheet.tables.length === 1;
      const ws = wb.addWorksheet(sheet.name, single ? { views: [{ state: 'frozen', ySplit: 1 }] } : {});
      const f = await Promise.race([writeSheet(ws, sheet), failed]);
      const quoted = `'${sheet.name.replace(/'/g, "''")}'`;
      if (f) filterNames.push({ name: '_xlnm._FilterDatabase', localSheetId: i, ranges: [`${quoted}!$A$${f.top}:$${columnLetters(f.right)}$${f.bottom}`] });
    }
    // Excel writes each autofilter's range as a sheet-local defined name too, and LibreOffice shows the
    // filter only with it; exceljs has no sheet-local names, so its names' model is given directly
    Object.defineProperty(wb.definedNames, 'model', { get: () => filterNames });
    await Promise.race([wb.commit(), failed]);
    if (!file.closed) await Promise.race([once(file, 'close'), failed]);
  } catch (e) {
    file.destroy();
    forgetTemp(tmp, true);
    throw e instanceof UsageError ? e : new UsageError(`cannot write ${shown}: ${osReason(e)}`);
  }
  moveIntoPlace(tmp, target);
}
