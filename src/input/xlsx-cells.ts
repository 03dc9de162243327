/**
 * How a workbook cell becomes the text a CSV export would hold: numbers in plain decimals to
 * Excel's 15 significant digits (3 → "3", 0.1 → "0.1", never "1e-7"), date cells as wall-clock text
 * "yyyy-MM-dd HH:mm:ss" (a workbook's dates carry no zone: they are read in the config's), rich
 * text joined. An error value (#N/A) is kept as its text and said to be an error (CellRead.error),
 * so that a mapped column can refuse it.
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

/** 10000-01-01 as epoch milliseconds: Excel's dates end on 9999-12-31 */
const END_MS = Date.UTC(10000, 0, 1);

/**
 * An Excel serial day number (days since 1899-12-30, or 1904-01-01) as wall-clock text, as Excel
 * shows it: in the 1900 system Excel counts a 29 February 1900 that never was (serial 60), so its
 * serials below 60 are one day later than the count says (serial 1 is 1900-01-01, 59 is 1900-02-28).
 * A serial Excel cannot show as a date (below 0, from 10000-01-01 on, or that 29 February) is an error.
 */
export function serialText(serial: number, date1904: boolean): CellRead {
  const days = date1904 ? serial + SHIFT_1904 : serial < 60 ? serial + 1 : serial;
  const ms = (days - EPOCH_SERIAL) * MS_PER_DAY;
  if (!date1904 && serial >= 60 && serial < 61) return { text: String(serial), error: 'the date 1900-02-29, which Excel shows but which never was' };
  if (!(serial >= 0) || !(ms < END_MS - 500)) return { text: numberText(serial), error: `the date serial number ${numberText(serial)}, outside the dates Excel holds (up to 9999-12-31)` };
  return { text: wallText(ms) };
}

/** Decodes OOXML's _xHHHH_ escapes in a text (_x000D_ is a carriage return, _x005F_ an underscore), as Excel reads them. */
export const unescapeXString = (text: string): string => (text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))) : text);

/** A shared string (as exceljs's reader keeps it: text, or rich text in runs) as text. */
export function cellText(value: unknown): CellRead {
  if (typeof value === 'string') return { text: value };
  if (value === null || typeof value !== 'object') return { text: value === null || value === undefined ? '' : String(value) };
  const runs = (value as { richText?: unknown }).richText;
  return { text: Array.isArray(runs) ? runs.map((r: { text?: unknown }) => (typeof r.text === 'string' ? r.text : '')).join('') : '' };
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
