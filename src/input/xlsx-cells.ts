/**
 * A workbook cell as the text a CSV export would hold: numbers in plain decimals to Excel's 15
 * significant digits (3 → "3", 0.1 → "0.1", never "1e-7"), date cells as wall-clock text
 * "yyyy-MM-dd HH:mm:ss" (a workbook's dates carry no zone: they are read in the config's), formulas
 * as their saved result, rich text joined, booleans as TRUE and FALSE. An error value (#N/A) is
 * kept as its text and said to be an error, so that a mapped column can refuse it.
 */
import { makeParser, type TimestampParser } from '../time/timestamp.js';
import type { Zone } from '../time/zone.js';

export interface CellRead {
  text: string;
  /** what is wrong with the cell: an error value (#N/A), or a formula with no saved result */
  error?: string;
}

const MS_PER_DAY = 86_400_000;
/** 1970-01-01 as an Excel serial day (1900 date system) */
const EPOCH_SERIAL = 25569;
/** the 1904 date system counts from 1904-01-01, 1462 days later */
const SHIFT_1904 = 1462;

/** Column letters of a 1-based column number: 1 → A, 27 → AA. */
export function columnLetters(n: number): string {
  let s = '';
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

/** Whether a number format shows a date or time (as exceljs decides it for plain cells: d m y h s b outside quotes and brackets). */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhMsb]/.test(fmt.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''));
}

/** A number in plain decimal notation, rounded to 15 significant digits as Excel keeps it. */
export function numberText(v: number): string {
  if (v === 0) return '0';
  const s = String(Number(v.toPrecision(15)));
  const e = s.indexOf('e');
  if (e < 0) return s;
  const neg = s.startsWith('-');
  const mantissa = s.slice(neg ? 1 : 0, e);
  const exp = Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const point = (dot < 0 ? mantissa.length : dot) + exp;
  const plain = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${plain}` : plain;
}

/** The wall-clock text of epoch milliseconds whose UTC fields are the wall time, to the second. */
function wallText(ms: number): string {
  const iso = new Date(Math.round(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** An Excel serial day number (days since 1899-12-30, or 1904-01-01) as wall-clock text. */
function serialText(serial: number, date1904: boolean): string {
  return wallText((serial - EPOCH_SERIAL + (date1904 ? SHIFT_1904 : 0)) * MS_PER_DAY);
}

function dateText(d: Date): CellRead {
  const t = d.getTime();
  return Number.isFinite(t) ? { text: wallText(t) } : { text: '', error: 'a date Excel cannot show' };
}

/** A formula's saved result; a formula saved without one (written by a program that does not compute) is said so. */
function formulaText(result: unknown, dateFormat: boolean, date1904: boolean): CellRead {
  if (result === undefined || result === null) return { text: '', error: 'a formula with no saved result (the program that wrote the workbook did not compute it: open and save it in Excel)' };
  // exceljs reads a saved error (#N/A) of a formula as a number that is not one
  if (typeof result === 'number' && Number.isNaN(result)) return { text: '', error: 'a formula whose result is an error value' };
  if (typeof result === 'number' && dateFormat) return { text: serialText(result, date1904) };
  return cellText(result, dateFormat, date1904);
}

/** A cell's value (as exceljs's reader gives it) as text. `dateFormat`: the cell's number format shows a date. */
export function cellText(value: unknown, dateFormat: boolean, date1904: boolean): CellRead {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { text: '', error: 'not a number' };
    return { text: dateFormat ? serialText(value, date1904) : numberText(value) };
  }
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return dateText(value);
  if (typeof value !== 'object') return { text: String(value) };
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText)) return { text: (v.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join('') };
  if ('error' in v) {
    const e = String(v.error);
    return { text: e, error: `the error value ${e}` };
  }
  if ('formula' in v || 'sharedFormula' in v) return formulaText(v.result, dateFormat, date1904);
  if ('text' in v) return cellText(v.text, dateFormat, date1904);
  return { text: '' };
}

const CELL_DATE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * A timestamp parser for a workbook's cells: a date cell's text (yyyy-MM-dd HH:mm:ss, made here) is
 * read as such whatever timestamp_format says, which is for the cells that hold dates as text.
 */
export function withDateCells(parse: TimestampParser, format: string, zone: Zone): TimestampParser {
  const f = format.trim();
  if (f === '' || f === 'auto') return parse;
  const cells = makeParser('auto', zone) as TimestampParser;
  return (text, why) => (CELL_DATE.test(text) ? cells(text, why) : parse(text, why));
}
