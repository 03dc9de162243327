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
  number: '0.00',
  score: '0.0',
  money: '#,##0.00',
  int: '0',
  // business time as Excel time (days): sums and sorting work, 10 minutes shows 0:10, 27 hours 27:00
  duration: '[h]:mm',
  percent: '0.0%',
  datetime: 'yyyy-mm-dd hh:mm',
};
/** A duration that is not a whole number of minutes shows its seconds: 17 s past a 10-minute target is 0:10:17, not 0:10. */
const SECONDS_FMT = '[h]:mm:ss';
/** How wide a number shows in each format (for the column width). */
const SHOWN_WIDTH: Record<CellFormat, number> = { text: 0, number: 8, score: 6, money: 12, int: 6, duration: 8, percent: 7, datetime: 16 };

/** One style object per format, shared by the cells: exceljs then finds a cell's style by identity instead of rendering it for every cell. */
const STYLES = Object.fromEntries(Object.entries(NUM_FMT).map(([f, numFmt]) => [f, numFmt ? { numFmt } : {}])) as Record<CellFormat, { numFmt?: string }>;
const SECONDS_STYLE = { numFmt: SECONDS_FMT };

const MINUTES_PER_DAY = 1440;

/** What a cell holds in the file: a duration's minutes as days, a typed cell's number; an empty cell is not written at all. */
function fileValue(v: Cell, format: CellFormat): string | number | undefined {
  if (v === null) return undefined;
  if (typeof v === 'object') return v.format === 'duration' ? v.value / MINUTES_PER_DAY : v.value;
  return format === 'duration' && typeof v === 'number' ? v / MINUTES_PER_DAY : v;
}

/** A cell's style: its own format's (a typed cell) or its column's; a duration of whole minutes [h]:mm, else with seconds. */
function styleOf(v: Cell, format: CellFormat): { numFmt?: string } {
  const f = v !== null && typeof v === 'object' ? v.format : format;
  if (f !== 'duration') return STYLES[f];
  const minutes = typeof v === 'object' && v !== null ? v.value : (v as number);
  return Math.abs(minutes - Math.round(minutes)) < 1e-9 ? STYLES.duration : SECONDS_STYLE;
}

type ExcelJS = typeof import('exceljs');
type Worksheet = ReturnType<InstanceType<ExcelJS['stream']['xlsx']['WorkbookWriter']>['addWorksheet']>;

function widthOf(col: SheetColumn, rows: Cell[][], i: number): number {
  let w = displayWidth(col.header);
  for (const r of rows) {
    const v = r[i];
    if (v === null || v === undefined) continue;
    w = Math.max(w, typeof v === 'string' ? displayWidth(v.length > MAX_WIDTH ? v.slice(0, MAX_WIDTH) : v) : SHOWN_WIDTH[typeof v === 'object' ? v.format : col.format]);
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

/** Excel's (and LibreOffice's) rows per sheet: a longer table goes on in "Tickets 2", "Tickets 3"... */
const SHEET_ROWS = 1_048_576;

/** The worksheets a sheet is written into: its first, then one more each time a table fills one. */
interface SheetParts {
  first: Worksheet;
  /** the next part, named "<name> 2", "<name> 3"..., with its index among the workbook's worksheets */
  more(): Worksheet;
  /** the index of the worksheet being written */
  index(): number;
}

async function writeSheet(parts: SheetParts, sheet: Sheet, limit: number): Promise<{ index: number; filter: Filter }[]> {
  const single = sheet.tables.length === 1;
  let ws = parts.first;
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
  const filters: { index: number; filter: Filter }[] = [];
  for (const t of tables) {
    const heading = () => {
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
      return row;
    };
    let headerRow = heading();
    const close = () => {
      if (!single) return;
      ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row, column: t.columns.length } };
      filters.push({ index: parts.index(), filter: { top: headerRow, bottom: row, right: t.columns.length } });
    };
    const formats = t.columns.map((c) => c.format);
    for await (const values of t.rows) {
      if (single && row >= limit) {
        // the sheet is full: the table goes on in the next part, under its header again (no row is ever dropped)
        close();
        ws.commit();
        ws = parts.more();
        ws.columns = widths.map((width) => ({ width }));
        row = 0;
        headerRow = heading();
      }
      const r = ws.addRow(values.map((v, i) => fileValue(v, formats[i])));
      r.eachCell((cell, col) => {
        cell.style = styleOf(values[col - 1], formats[col - 1]);
      });
      r.commit();
      row++;
      const full = fullZipEntry(ws);
      if (full) await once(full, 'drain');
      else if (++n % 2048 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    if (single) close();
    else {
      ws.addRow([]).commit();
      row++;
    }
  }
  ws.commit();
  return filters;
}

/**
 * Writes the workbook to `target` (`shown` as the user wrote it, for messages). A one-table sheet
 * longer than `limit` rows (Excel's 1,048,576) goes on in "<name> 2", "<name> 3"... `title` (report.title)
 * becomes the document's title property.
 */
export async function writeWorkbook(target: string, shown: string, sheets: Sheet[], created: Date, limit = SHEET_ROWS, title?: string): Promise<void> {
  const { default: exceljs } = (await import('exceljs')) as unknown as { default: ExcelJS };
  const tmp = tempPathFor(target);
  const file = createWriteStream(tmp);
  const failed = new Promise<never>((_, reject) => file.on('error', (e) => reject(new UsageError(`cannot write ${shown}: ${osReason(e)}`))));
  failed.catch(() => undefined);
  try {
    const wb = new exceljs.stream.xlsx.WorkbookWriter({ stream: file, useStyles: true, useSharedStrings: false });
    wb.creator = 'sla-audit';
    wb.created = created;
    if (title) wb.title = title;
    wb.modified = created;
    const filterNames: { name: string; localSheetId: number; ranges: string[] }[] = [];
    const names: string[] = [];
    for (const sheet of sheets) {
      const single = sheet.tables.length === 1;
      const add = (name: string) => {
        names.push(name);
        return wb.addWorksheet(name, single ? { views: [{ state: 'frozen', ySplit: 1 }] } : {});
      };
      let part = 1;
      // a part's name: the sheet's, cut to leave room for " 2" within Excel's 31 characters
      const parts: SheetParts = { first: add(sheet.name), more: () => add(`${[...sheet.name].slice(0, 31 - ` ${part + 1}`.length).join('')} ${++part}`), index: () => names.length - 1 };
      for (const { index, filter: f } of await Promise.race([writeSheet(parts, sheet, limit), failed])) {
        const quoted = `'${names[index].replace(/'/g, "''")}'`;
        filterNames.push({ name: '_xlnm._FilterDatabase', localSheetId: index, ranges: [`${quoted}!$A$${f.top}:$${columnLetters(f.right)}$${f.bottom}`] });
      }
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
