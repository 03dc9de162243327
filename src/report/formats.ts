/**
 * The report formats' names and file extensions: what `-f` and `-o` accept. Kept apart from the
 * renderers (`index.ts`, one row per format there) so that a command can check its options and
 * its -o targets without loading any renderer or the libraries they use.
 */
import { extname } from 'node:path';

export const FORMAT_EXTENSIONS = {
  table: ['.txt'],
  json: ['.json'],
  csv: ['.csv'],
  markdown: ['.md', '.markdown'],
  html: ['.html', '.htm'],
  junit: ['.xml'],
  xlsx: ['.xlsx'],
} as const satisfies Record<string, readonly string[]>;

export type FormatName = keyof typeof FORMAT_EXTENSIONS;
export const FORMAT_NAMES = Object.keys(FORMAT_EXTENSIONS) as FormatName[];
/** What -f can send to standard output (a workbook is a file: -o report.xlsx). */
export const STDOUT_FORMATS = FORMAT_NAMES.filter((f): f is Exclude<FormatName, 'xlsx'> => f !== 'xlsx');
export const ALL_EXTENSIONS: string[] = FORMAT_NAMES.flatMap((f) => FORMAT_EXTENSIONS[f]);

/** The formats of the commands with a report of their own (scorecard, queue), and -o's extension for each. */
export const PAGE_FORMATS = ['table', 'json', 'csv', 'markdown', 'html'] as const;
export type PageFormat = (typeof PAGE_FORMATS)[number];
export const PAGE_EXTENSIONS: Record<string, PageFormat> = Object.fromEntries(PAGE_FORMATS.map((f) => [FORMAT_EXTENSIONS[f][0], f]));

/** The format a file name asks for by its extension, or undefined. */
export function formatOfFile(file: string): FormatName | undefined {
  const ext = extname(file).toLowerCase();
  return FORMAT_NAMES.find((f) => (FORMAT_EXTENSIONS[f] as readonly string[]).includes(ext));
}
