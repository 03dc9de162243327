import type { AuditResult } from '../engine/audit.js';
import { jsonReport, type ReportContext } from './json.js';
import { markdownReport } from './markdown.js';
import { tableReport } from './table.js';
import { htmlReport } from './html.js';
import { junitReport } from './junit.js';

export type Reporter = (r: AuditResult, ctx: ReportContext) => string;

/** Formats rendered from the aggregates. The per-ticket `csv` format streams through CsvSink instead. */
export const REPORTERS: Record<string, Reporter> = {
  table: tableReport,
  json: jsonReport,
  markdown: markdownReport,
  html: htmlReport,
  junit: junitReport,
};

export const FORMATS = ['table', 'json', 'csv', 'markdown', 'html', 'junit'] as const;

export const EXTENSIONS: Record<string, string> = {
  '.json': 'json',
  '.csv': 'csv',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'table',
  '.html': 'html',
  '.htm': 'html',
  '.xml': 'junit',
};

export type { ReportContext };
