/**
 * A worksheet's XML read as it streams (saxes): its rows, each a list of cells as text, and its
 * merged ranges. Cells are read from the XML itself rather than through exceljs's Row objects,
 * which drop a formula's saved result when it is 0, "" or FALSE and read a saved TRUE as 1.
 */
import type { SaxesParser } from 'saxes';
import { cellText, isDateFormat, numberText, serialText, unescapeXString, type CellRead } from './xlsx-cells.js';

export interface SheetCell extends CellRead {
  /** 1-based column */
  col: number;
}

export interface SheetRow {
  /** the row's number in the sheet (its r attribute, or the one after the previous row) */
  number: number;
  cells: SheetCell[];
}

/** What the workbook says about cells: its shared strings, each style's number format, its date system. */
export interface BookParts {
  sharedStrings: unknown[] | undefined;
  numFmtOf(style: number): string | undefined;
  date1904: boolean;
}

/** "AB12" → column 28 (0 when the reference has no letters). */
function columnOf(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    n = n * 26 + (c - 64);
  }
  return n;
}

const localName = (name: string) => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

export class SheetXml {
  readonly merges: { top: number; bottom: number; ref: string }[] = [];
  /** rows completed by the text fed so far, taken by `take()` */
  private rows: SheetRow[] = [];
  private row: SheetRow | undefined;
  private lastRow = 0;
  private cell: { col: number; style: number; type: string; formula: boolean; v: string | undefined; inline: string } | undefined;
  private lastCol = 0;
  /** the element whose text is being gathered: v, or t inside is */
  private into: 'v' | 't' | undefined;
  private inInline = false;
  private readonly dateStyle = new Map<number, boolean>();

  constructor(
    private readonly parser: SaxesParser,
    private readonly book: BookParts,
  ) {
    parser.on('opentag', (tag) => this.open(localName(tag.name), tag.attributes as Record<string, string>));
    parser.on('closetag', (tag) => this.close(localName(tag.name)));
    parser.on('text', (text) => this.text(text));
    parser.on('cdata', (text) => this.text(text));
  }

  write(text: string): void {
    this.parser.write(text);
  }

  end(): void {
    this.parser.close();
  }

  /** The rows completed so far (each handed out once). */
  take(): SheetRow[] {
    const r = this.rows;
    this.rows = [];
    return r;
  }

  private open(name: string, a: Record<string, string>): void {
    switch (name) {
      case 'row': {
        const r = Number(a.r);
        this.row = { number: Number.isInteger(r) && r > 0 ? r : this.lastRow + 1, cells: [] };
        this.lastRow = this.row.number;
        this.lastCol = 0;
        break;
      }
      case 'c': {
        if (!this.row) break;
        const col = a.r ? columnOf(a.r) : 0;
        this.lastCol = col > 0 ? col : this.lastCol + 1;
        this.cell = { col: this.lastCol, style: Number(a.s ?? 0) || 0, type: a.t ?? 'n', formula: false, v: undefined, inline: '' };
        break;
      }
      case 'f':
        if (this.cell) this.cell.formula = true;
        break;
      case 'v':
        if (this.cell) {
          this.into = 'v';
          this.cell.v = '';
        }
        break;
      case 'is':
        this.inInline = true;
        break;
      case 't':
        // phonetic runs (rPh) are a reading aid, not the text
        if (this.cell && this.inInline) this.into = 't';
        break;
      case 'rPh':
        this.inInline = false;
        break;
      case 'mergeCell': {
        const m = /^([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?$/.exec(a.ref ?? '');
        if (m) this.merges.push({ top: +m[2], bottom: +(m[4] ?? m[2]), ref: a.ref });
        break;
      }
    }
  }

  private text(text: string): void {
    if (this.into === 'v') this.cell!.v += text;
    else if (this.into === 't') this.cell!.inline += text;
  }

  private close(name: string): void {
    switch (name) {
      case 'v':
      case 't':
        this.into = undefined;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'rPh':
        this.inInline = this.cell !== undefined && this.cell.type === 'inlineStr';
        break;
      case 'c':
        if (this.cell && this.row) this.row.cells.push({ col: this.cell.col, ...this.value(this.cell) });
        this.cell = undefined;
        break;
      case 'row':
        if (this.row) this.rows.push(this.row);
        this.row = undefined;
        break;
    }
  }

  private isDate(style: number): boolean {
    let d = this.dateStyle.get(style);
    if (d === undefined) this.dateStyle.set(style, (d = isDateFormat(this.book.numFmtOf(style))));
    return d;
  }

  /** A cell's text from its type, saved value and style. */
  private value(c: NonNullable<SheetXml['cell']>): CellRead {
    if (c.type === 'inlineStr') return { text: unescapeXString(c.inline) };
    if (c.v === undefined) return c.formula ? { text: '', error: 'a formula with no saved result (the program that wrote the workbook did not compute it: open and save it in Excel)' } : { text: '' };
    switch (c.type) {
      case 's': {
        const s = this.book.sharedStrings?.[Number(c.v)];
        return s === undefined ? { text: '', error: 'a text missing from the workbook (a damaged workbook?)' } : cellText(s);
      }
      case 'str':
        return { text: unescapeXString(c.v) };
      case 'b':
        return { text: c.v.trim() === '0' ? 'FALSE' : 'TRUE' };
      case 'e':
        return { text: c.v, error: `the error value ${c.v}` };
      case 'd': {
        // an ISO 8601 date (strict Open XML), already a wall time
        const m = /^(\d{4}-\d\d-\d\d)(?:T(\d\d:\d\d(?::\d\d)?))?/.exec(c.v.trim());
        return m ? { text: `${m[1]} ${(m[2] ?? '00:00').padEnd(8, ':00')}` } : { text: c.v };
      }
      default: {
        const t = c.v.trim();
        const n = Number(t);
        if (t === '' || !Number.isFinite(n)) return { text: c.v };
        return this.isDate(c.style) ? serialText(n, this.book.date1904) : { text: numberText(n) };
      }
    }
  }
}
