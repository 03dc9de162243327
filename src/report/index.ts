/**
 * Every report format in one table: its name (for -f), its file extensions (for -o) and its
 * renderer. Most render the whole result to text; a per-ticket format streams rows while tickets
 * are evaluated. A new format is one file plus one row here (its name and extensions are listed in
 * `formats.ts` too, which the commands read without loading a renderer).
 */
import type { AuditResult, EvaluatedTicket } from '../engine/result.js';
import type { Zone } from '../time/zone.js';
import { FORMAT_EXTENSIONS, FORMAT_NAMES, formatOfFile, type FormatName } from './formats.js';
import { CSV_HEADER, csvCell, csvLines, keepAfterReplacing } from './csv.js';
import { safeJson, safeStrings } from './escape.js';
import { htmlReport } from './html.js';
import { jsonReport, type ReportContext } from './json.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import { tableReport } from './table.js';
import { wideCsv, type WideTicket } from './tickets-wide.js';
import { workbookSheets, type Sheet, type TicketRows as WorkbookTickets } from './xlsx.js';

type Render = (r: AuditResult, ctx: ReportContext) => string;

/** A per-ticket format: a header, then lines per evaluated ticket, written while the audit runs. */
export interface TicketRows {
  header: string;
  lines(ev: EvaluatedTicket, zone: Zone): string;
  /** the id as it appears at the start of a record */
  idCell(id: string): string;
  /** a filter over the finished records that drops replaced tickets (id cell -> how many) */
  keep(replaced: Map<string, number>, linesPerTicket: number): (record: string) => boolean;
}

/** The per-ticket CSV's one-row-per-ticket form (--wide), written from the spooled tickets after the audit. */
type WideRows = (r: AuditResult, zone: Zone) => { header: string; line(t: WideTicket): string };

/** A workbook: sheets described from the result, the Tickets sheet fed from the spooled tickets. */
type Workbook = (r: AuditResult, ctx: ReportContext, tickets: WorkbookTickets | undefined) => Sheet[];

export type ReportFormat =
  | { extensions: readonly string[]; render: Render }
  | { extensions: readonly string[]; rows: TicketRows; wide: WideRows }
  | { extensions: readonly string[]; workbook: Workbook };

const X = FORMAT_EXTENSIONS;
export const REPORT_FORMATS = {
  // text formats print ticket text: control characters and direction overrides come out escaped
  table: { extensions: X.table, render: (r, ctx) => tableReport(safeStrings(r), ctx) },
  json: { extensions: X.json, render: (r, ctx) => safeJson(jsonReport(r, ctx)) },
  csv: { extensions: X.csv, rows: { header: CSV_HEADER, lines: csvLines, idCell: csvCell, keep: keepAfterReplacing }, wide: wideCsv },
  markdown: { extensions: X.markdown, render: (r, ctx) => markdownReport(safeStrings(r), ctx) },
  html: { extensions: X.html, render: htmlReport },
  junit: { extensions: X.junit, render: junitReport },
  xlsx: { extensions: X.xlsx, workbook: workbookSheets },
} satisfies Record<FormatName, ReportFormat>;

export { FORMAT_NAMES, formatOfFile, type FormatName };

/** The formats rendered from the whole result as text. */
export type TextFormat = Exclude<FormatName, 'csv' | 'xlsx'>;

/** A whole-result report as text (every format but the per-ticket csv and the workbook). */
export function renderReport(r: AuditResult, format: TextFormat, ctx: ReportContext): string {
  return REPORT_FORMATS[format].render(r, ctx);
}

export type { ReportContext };
