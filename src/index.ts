/**
 * sla-audit as a library:
 *
 *   import { loadConfig, audit, explain, renderReport } from 'sla-audit';
 *
 * The same stages the CLI runs: a config, the input stage (files to a stream of typed tickets),
 * the engine (evaluation and aggregates) and the reports.
 */
import { renderReport as render, type TextFormat } from './report/index.js';
import type { AuditResult } from './engine/result.js';
import { Zone } from './time/zone.js';

export { findConfig, loadConfig, parseConfig } from './config/load.js';
export type { Config, Objective, Policy } from './config/types.js';
export { audit, explain, type AuditOptions, type ExplainOptions } from './api.js';
export { readTickets, type ReadOptions } from './input/stream.js';
export { auditStream, type EngineOptions, type TicketObserver } from './engine/audit.js';
export type * from './engine/result.js';
export type { Columns, InputItem, RowProblem, StatusHistory, Ticket, TicketStream } from './model/ticket.js';
export { REPORT_FORMATS, FORMAT_NAMES, formatOfFile, type FormatName, type ReportContext } from './report/index.js';
export { CSV_HEADER, csvLines } from './report/csv.js';
export { explainText } from './report/explain.js';
export { parseInstant } from './time/instant.js';
export { ConfigError, InputError, UsageError, UserError } from './errors.js';

/**
 * A report of a finished audit as text: table, json, markdown, html or junit (the per-ticket csv
 * is written while the audit runs: use `csvLines` in an `onTicket` callback).
 */
export function renderReport(result: AuditResult, format: TextFormat, options: { color?: boolean; generatedAt?: number } = {}): string {
  return render(result, format, { zone: Zone.of(result.zone), color: options.color ?? false, generatedAt: options.generatedAt });
}
