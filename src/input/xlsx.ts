/**
 * An Excel workbook (.xlsx, .xlsm) read as a table, streaming with exceljs's WorkbookReader: one
 * worksheet (the first, or the one named), row by row, each cell turned into the text a CSV export
 * of it would hold, so that the rows go on to the same readers as a CSV file's. Rows keep the
 * spreadsheet's own numbers; the header is the first row holding anything.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { Transform, type Readable } from 'node:stream';
import { InputError, UserError } from '../errors.js';
import type { RowProblem } from '../model/ticket.js';
import type { CellError, CsvHandlers } from './csv.js';
import { MAX_SHARED_STRINGS_BYTES, MAX_SHEET_ROWS } from './limits.js';
import { columnLetters } from './xlsx-cells.js';
import { SheetXml, type SheetCell, type SheetRow } from './xlsx-sheet.js';

/** Whether a path names a workbook this reader takes (by its extension). */
export const isWorkbookPath = (path: string): boolean => /\.xls[xm]$/i.test(path);

/** Refuses --sheet for an input read as CSV (it would be ignored). */
export function noSheetInCsv(path: string, sheet: string | undefined): void {
  if (sheet !== undefined) throw new InputError(`${path === '-' ? 'standard input' : path}: --sheet applies to .xlsx workbooks; this input is read as CSV, which has no sheets`);
}

/** What the reading learned about a workbook before its rows (a table.ts TableInfo). */
interface TableInfo {
  name: string;
  head: string;
  encoding: string;
  warnings: string[];
  sheet?: string;
}

/**
 * Rows held back before the header is handed on: their text is the sample that decides day/month
 * order, as much as a UTF-8 CSV file's first 64 KiB holds (and never more rows than that sample reads).
 */
const SAMPLE_BYTES = 64 * 1024;
const SAMPLE_ROWS = 5000;
/** the columns a sheet can hold: A to XFD */
const MAX_COLUMNS = 16_384;

// the parts of exceljs's streaming reader used here (its typings leave most of them out)
interface XSheet {
  name: string;
  /** the sheet's XML, as it comes out of the archive */
  iterator: AsyncIterable<Buffer | string>;
}
interface XBook extends AsyncIterable<XSheet> {
  model?: { sheets?: { name: string }[] };
  properties?: { model?: { date1904?: boolean } };
  sharedStrings?: unknown[];
  styles?: { getStyleModel(id: number): { numFmt?: string } | undefined };
  stream?: { bytesRead?: number; destroy(): void };
}
type ExcelJS = { stream: { xlsx: { WorkbookReader: new (input: string, options: object) => XBook } } };

/** Says why a file named .xlsx cannot be a workbook, from its first bytes; undefined when it is a ZIP archive. */
function notWorkbook(path: string): string | undefined {
  let head = Buffer.alloc(0);
  try {
    const st = statSync(path);
    if (st.isDirectory()) return 'is a directory; pass a workbook file';
    // a FIFO or a device would block the read below, or never end
    if (!st.isFile()) return 'is not a regular file; pass a workbook file';
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(8);
      head = buf.subarray(0, readSync(fd, buf, 0, 8, 0));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return `cannot read (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code})`;
  }
  if (head.length === 0) return 'the file is empty; export the tickets again';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return undefined;
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    return 'is password-protected (encrypted) or an old .xls workbook, which cannot be read; in Excel remove the password (File > Info > Protect Workbook) and save it as "Excel Workbook (.xlsx)", or save it as CSV';
  }
  return 'is not an xlsx workbook (it is not a ZIP archive); if it is a CSV export, name it .csv';
}

interface ZipEntry {
  method: number;
  packed: number;
  /** the unpacked size, undefined when the archive does not say (ZIP64) */
  unpacked: number | undefined;
  at: number;
}

/** The central directory's entries of these names (undefined when the archive has none to read, a ZIP64 archive). */
function zipEntries(path: string, names: string[]): Map<string, ZipEntry> | undefined {
  const fd = openSync(path, 'r');
  try {
    const size = statSync(path).size;
    const tailLength = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLength);
    readSync(fd, tail, 0, tailLength, size - tailLength);
    const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0 || end + 22 > tail.length) return undefined;
    const dirSize = tail.readUInt32LE(end + 12);
    const dirAt = tail.readUInt32LE(end + 16);
    if (dirAt === 0xffffffff || dirSize > 16 << 20 || dirAt + dirSize > size) return undefined;
    const dir = Buffer.alloc(dirSize);
    readSync(fd, dir, 0, dirSize, dirAt);
    const found = new Map<string, ZipEntry>();
    for (let at = 0; at + 46 <= dir.length && dir.readUInt32LE(at) === 0x02014b50;) {
      const nameLength = dir.readUInt16LE(at + 28);
      const name = dir.toString('utf8', at + 46, at + 46 + nameLength);
      if (names.includes(name) && !found.has(name)) {
        const unpacked = dir.readUInt32LE(at + 24);
        found.set(name, { method: dir.readUInt16LE(at + 10), packed: dir.readUInt32LE(at + 20), unpacked: unpacked === 0xffffffff ? undefined : unpacked, at: dir.readUInt32LE(at + 42) });
      }
      at += 46 + nameLength + dir.readUInt16LE(at + 30) + dir.readUInt16LE(at + 32);
    }
    return found;
  } finally {
    closeSync(fd);
  }
}

/** One small part of the archive as text (stored or deflated, at most `max` bytes unpacked); undefined when it cannot be read here. */
function zipText(path: string, e: ZipEntry, max: number): string | undefined {
  if (e.packed > max || (e.method !== 0 && e.method !== 8)) return undefined;
  const fd = openSync(path, 'r');
  try {
    const local = Buffer.alloc(30);
    if (readSync(fd, local, 0, 30, e.at) < 30 || local.readUInt32LE(0) !== 0x04034b50) return undefined;
    const data = Buffer.alloc(e.packed);
    readSync(fd, data, 0, e.packed, e.at + 30 + local.readUInt16LE(26) + local.readUInt16LE(28));
    return (e.method === 0 ? data : inflateRawSync(data, { maxOutputLength: max })).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * What the workbook's own parts say before exceljs reads them: the unpacked size of its shared
 * strings (xl/sharedStrings.xml) from the archive's central directory, and whether it counts dates
 * in the 1904 system (workbookPr date1904 "1" or "true": exceljs takes only "1").
 */
function bookFacts(path: string): { sharedStrings: number | undefined; date1904: boolean; hidden: Set<string> } {
  const entries = zipEntries(path, ['xl/sharedStrings.xml', 'xl/workbook.xml']);
  const book = entries?.get('xl/workbook.xml');
  const xml = (book && zipText(path, book, 8 << 20)) ?? '';
  const pr = /<(?:[\w.-]+:)?workbookPr\b[^>]*>/.exec(xml)?.[0];
  // the sheets Excel does not show (state "hidden" or "veryHidden"); exceljs's reader does not keep the state
  const hidden = new Set<string>();
  for (const [tag] of xml.matchAll(/<(?:[\w.-]+:)?sheet\s[^>]*>/g)) {
    const name = /\sname\s*=\s*"([^"]*)"/.exec(tag)?.[1];
    if (name !== undefined && /\sstate\s*=\s*"(?:hidden|veryHidden)"/.test(tag)) hidden.add(xmlUnescape(name));
  }
  return { sharedStrings: entries?.get('xl/sharedStrings.xml')?.unpacked, date1904: !!pr && /\bdate1904\s*=\s*["']\s*(?:1|true)\s*["']/.test(pr), hidden };
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const xmlUnescape = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_m, e: string) => (e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : XML_ENTITIES[e]));

/** One reading of one sheet: the header, the rows held back for the sample, blank rows held back. */
class SheetReading {
  private header: string[] | undefined;
  private headerRow = 0;
  private sample: { fields: string[]; row: number; errors?: CellError[] }[] = [];
  private handed = false;
  /** bytes of the rows held back, as UTF-8 CSV */
  private sampled = 0;
  private lastRow = 0;
  /** blank rows since the last row with a value: problems only when a row with a value follows */
  private blanks: number[] = [];
  /** an error a handler threw: thrown at the end of the sheet */
  failure: unknown;
  /** the handlers refused the header (a missing column): the sheet is read on for its merged cells, which may be why */
  failedAtHeader = false;

  constructor(
    private readonly name: string,
    private readonly sheet: string,
    private readonly h: CsvHandlers & { open(info: TableInfo): void },
    private readonly warnings: string[],
  ) {}

  get headerAt(): number {
    return this.headerRow;
  }

  /** Takes one row of the sheet in (rows come in the sheet's order). */
  row(r: SheetRow): void {
    const number = r.number;
    if (number > MAX_SHEET_ROWS) {
      throw new InputError(`${this.name}: sheet ${JSON.stringify(this.sheet)} has a row ${number.toLocaleString('en-US')}, beyond the ${MAX_SHEET_ROWS.toLocaleString('en-US')} rows a sheet can hold; this workbook is damaged, or not written by a spreadsheet program`);
    }
    // a spreadsheet program writes its rows in order, each once; rows absent from the XML are not rows
    if (number <= this.lastRow) {
      throw new InputError(`${this.name}: sheet ${JSON.stringify(this.sheet)} has row ${number.toLocaleString('en-US')} after row ${this.lastRow.toLocaleString('en-US')}; this workbook is damaged, or not written by a spreadsheet program`);
    }
    this.lastRow = number;
    if (this.failure) return;
    const read = this.cells(r.cells);
    if (!this.header) {
      if (read.last === 0) return;
      if (read.last > MAX_COLUMNS) {
        throw new InputError(`${this.name}: sheet ${JSON.stringify(this.sheet)} has a cell in its header row beyond column XFD, the last a sheet can hold; this workbook is damaged, or not written by a spreadsheet program`);
      }
      this.header = read.texts.slice(0, read.last);
      this.headerRow = number;
      return;
    }
    if (read.last === 0) {
      this.blanks.push(number);
      return;
    }
    this.flushBlanks();
    const width = this.header.length;
    if (read.last > width) {
      this.problem({ file: this.name, row: number, column: columnLetters(read.last), message: `has a value in column ${columnLetters(read.last)}, right of the header's last column (${columnLetters(width)}); give that column a header or clear it` });
      return;
    }
    const fields = read.texts.length >= width ? read.texts.slice(0, width) : [...read.texts, ...new Array<string>(width - read.texts.length).fill('')];
    const errors = read.errors.length ? read.errors : undefined;
    if (!this.handed) {
      this.sample.push({ fields, row: number, errors });
      for (const f of fields) this.sampled += Buffer.byteLength(f) + 1;
      if (this.sample.length >= SAMPLE_ROWS || this.sampled >= SAMPLE_BYTES) this.handOver();
    } else this.record(fields, number, errors);
  }

  /** A row's cells as fields (1-based columns to 0-based fields), where the last value is, and its error cells. */
  private cells(cells: SheetCell[]): { texts: string[]; last: number; errors: CellError[] } {
    const texts: string[] = [];
    const errors: CellError[] = [];
    let last = 0;
    // fields are made for the columns a sheet can have, and no further than the header's
    const bound = Math.min(MAX_COLUMNS, this.header ? this.header.length : MAX_COLUMNS);
    for (const c of cells) {
      if (c.col > bound) {
        if (c.text !== '' || c.error) last = Math.max(last, c.col);
        continue;
      }
      while (texts.length < c.col - 1) texts.push('');
      texts[c.col - 1] = c.text;
      if (c.error) errors.push({ index: c.col - 1, what: c.error });
      if (c.text !== '' || c.error) last = Math.max(last, c.col);
    }
    return { texts, last, errors };
  }

  private flushBlanks(): void {
    if (!this.handed && this.blanks.length) this.handOver();
    for (const b of this.blanks) this.problem({ file: this.name, row: b, message: 'empty row' });
    this.blanks = [];
  }

  /** The header and the rows held back go to the handlers (once the sample is full, or at the end). */
  handOver(): void {
    if (this.handed || !this.header || this.failure) return;
    this.handed = true;
    const quote = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
    const head = [this.header, ...this.sample.map((s) => s.fields)].map((fields) => fields.map(quote).join(',')).join('\n') + '\n';
    this.call(() => {
      this.h.open({ name: this.name, head, encoding: 'xlsx', warnings: this.warnings, sheet: this.sheet });
      this.h.header(this.header!, ',');
    });
    if (this.failure) this.failedAtHeader = true;
    const held = this.sample;
    this.sample = [];
    for (const s of held) this.record(s.fields, s.row, s.errors);
  }

  private record(fields: string[], row: number, errors: CellError[] | undefined): void {
    this.call(() => this.h.record(fields, row, row, errors));
  }

  private problem(p: RowProblem): void {
    this.call(() => this.h.problem(p));
  }

  private call(fn: () => void): void {
    if (this.failure) return;
    try {
      fn();
    } catch (e) {
      this.failure = e;
    }
  }

  /** At the end of the sheet: what the header row and the rows held back still owe (blank rows at the end are not rows). */
  end(merges: SheetXml['merges']): void {
    const inHeader = merges.filter((m) => this.header && m.top <= this.headerRow && m.bottom >= this.headerRow);
    if (inHeader.length) {
      throw new InputError(`${this.name}: sheet ${JSON.stringify(this.sheet)} has merged cells in its header row ${this.headerRow} (${inHeader.slice(0, 3).map((m) => m.ref).join(', ')}); every column needs a header cell of its own: unmerge them in Excel (Home > Merge & Center) and name each column`);
    }
    if (this.failure) throw this.failure;
    this.handOver();
    if (this.failure) throw this.failure;
    const below = merges.filter((m) => m.bottom > this.headerRow);
    if (below.length) {
      this.warnings.push(`${this.name}: sheet ${JSON.stringify(this.sheet)} has ${below.length} merged cell range${below.length === 1 ? '' : 's'} (${below.slice(0, 3).map((m) => m.ref).join(', ')}${below.length > 3 ? ', ...' : ''}); only the first cell of a merged range holds its value, the others are read as empty; unmerge them in Excel to give every row its value`);
    }
  }
}

/**
 * Reads one worksheet of a workbook, calling `open` once (before the header) and then the handlers
 * in the sheet's order; `sheet` names the worksheet (default: the first). A workbook whose shared
 * strings unpack to more than `maxSharedStrings` bytes is refused (exceljs holds them all).
 */
export async function readWorkbook(path: string, sheet: string | undefined, h: CsvHandlers & { open(info: TableInfo): void }, maxSharedStrings = MAX_SHARED_STRINGS_BYTES): Promise<TableInfo> {
  const name = path;
  const bad = notWorkbook(path);
  if (bad) throw new InputError(`${name}: ${bad}`);
  // the one part held whole in memory: a workbook's table of texts
  const facts = bookFacts(path);
  const texts = facts.sharedStrings;
  if (texts !== undefined && texts > maxSharedStrings) {
    throw new InputError(`${name}: its table of texts (xl/sharedStrings.xml) is ${sizeText(texts)} unpacked, over the ${sizeText(maxSharedStrings)} held in memory; save the sheet as CSV, which is read in constant memory`);
  }
  const [{ default: exceljs }, saxes] = await Promise.all([import('exceljs') as unknown as Promise<{ default: ExcelJS }>, import('saxes')]);
  // a CommonJS module: its exports are the default export's when the bundle does not name them
  const SaxesParser = saxes.SaxesParser ?? (saxes as unknown as { default: typeof saxes }).default.SaxesParser;
  const book = new exceljs.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  capSharedStrings(book, maxSharedStrings, () => new InputError(`${name}: its table of texts (xl/sharedStrings.xml) unpacks to over ${sizeText(maxSharedStrings)}, the most held in memory; save the sheet as CSV, which is read in constant memory`));
  const warnings: string[] = [];
  const seen: string[] = [];
  let info: TableInfo | undefined;
  let reading: SheetReading | undefined;
  try {
    for await (const ws of book) {
      seen.push(ws.name);
      const wanted = sheet ?? firstVisible(book, facts.hidden)?.name ?? ws.name;
      if (ws.name !== wanted) {
        // read a passed-over sheet to its end: exceljs deletes a sheet's temporary copy (a sheet stored
        // before the texts) as soon as the loop moves on, and the copy's file stream, opened but not yet
        // read, then fails to open with no listener: an uncaught error (seen under load)
        for await (const _ of ws.iterator) void _;
        continue;
      }
      reading = new SheetReading(name, ws.name, { ...h, open: (i) => h.open((info = i)) }, warnings);
      const xml = new SheetXml(new SaxesParser(), {
        sharedStrings: book.sharedStrings,
        numFmtOf: (style) => book.styles?.getStyleModel(style)?.numFmt,
        date1904: facts.date1904 || !!book.properties?.model?.date1904,
      });
      const decoder = new TextDecoder('utf-8');
      for await (const chunk of ws.iterator) {
        xml.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
        for (const row of xml.take()) reading.row(row);
        if (reading.failure && !reading.failedAtHeader) break;
        h.progress?.(book.stream?.bytesRead ?? 0);
        if (h.pace && !reading.failure) await h.pace();
      }
      if (!reading.failure || reading.failedAtHeader) {
        xml.write(decoder.decode());
        xml.end();
        for (const row of xml.take()) reading.row(row);
      }
      reading.end(xml.merges);
      if (!info) throw new InputError(`${name}: sheet ${JSON.stringify(ws.name)} is empty; the first row must name the columns`);
      return info;
    }
  } catch (e) {
    // the handlers' own errors go on as they are
    if (e instanceof UserError || (reading && e === reading.failure)) throw e;
    throw new InputError(`${name}: cannot be read as an xlsx workbook (${reasonOf(e)}); it may be damaged: open it in Excel and save it again, or save it as CSV`);
  } finally {
    book.stream?.destroy();
  }
  const sheets = book.model?.sheets?.map((s) => s.name) ?? seen;
  if (sheet !== undefined) {
    throw new InputError(`${name}: no sheet named ${JSON.stringify(sheet)}; its sheets: ${sheets.map((s) => JSON.stringify(s)).join(', ') || 'none'}; pass one of them to --sheet`);
  }
  if (sheets.length && seen.length) {
    // the first tab is a chart sheet or a dialog sheet: no rows
    throw new InputError(`${name}: its first sheet, ${JSON.stringify(firstVisible(book, facts.hidden)?.name ?? sheets[0])}, is not a worksheet (a chart?); pass --sheet with one of ${seen.map((s) => JSON.stringify(s)).join(', ')}`);
  }
  throw new InputError(`${name}: has no worksheet; is it an xlsx workbook?`);
}

/** The leftmost tab Excel shows: the first sheet not hidden (state "hidden" or "veryHidden"), else the first. */
function firstVisible(book: XBook, hidden: Set<string>): { name: string } | undefined {
  const sheets = book.model?.sheets;
  return sheets?.find((s) => !hidden.has(s.name)) ?? sheets?.[0];
}

const sizeText = (n: number) => (n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MiB` : `${Math.ceil(n / 1024)} KiB`);

/**
 * Counts the bytes of the shared strings part as exceljs's reader inflates it, and stops the read
 * past `max`: the archive's directory, checked first, can understate a part's size (or, in a ZIP64
 * archive, not give it).
 */
function capSharedStrings(book: XBook, max: number, over: () => Error): void {
  const reader = book as unknown as { _parseSharedStrings?: (entry: Readable) => AsyncGenerator };
  const parse = reader._parseSharedStrings?.bind(book);
  if (!parse) return;
  reader._parseSharedStrings = (entry: Readable) => {
    let seen = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _enc, done) {
        seen += chunk.length;
        if (seen > max) {
          entry.unpipe(counted);
          done(over());
        } else done(null, chunk);
      },
    });
    entry.on('error', (e) => counted.destroy(e));
    return parse(entry.pipe(counted));
  };
}

/** A short reason from a library's error, on one line. */
function reasonOf(e: unknown): string {
  const m = (e instanceof Error ? e.message : String(e)).split('\n')[0].trim();
  return m.length > 80 ? `${m.slice(0, 80)}…` : m || 'unreadable';
}
