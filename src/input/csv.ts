import { parse } from 'csv-parse';
import { once } from 'node:events';
import type { OpenedInput } from './source.js';
import { sniffDelimiter } from './source.js';
import type { RowProblem } from '../model/ticket.js';

export interface CsvHandlers {
  /** Awaited after each chunk is fed to the parser: lets a consumer slow the reading down. */
  pace?(): Promise<void> | void;
  header(fields: string[], delimiter: string): void;
  /** Called for every data row in file order; `row` counts rows as a spreadsheet shows them. */
  record(fields: string[], row: number, line: number): void;
  problem(p: RowProblem): void;
}

/** Physical lines a record spans beyond its first (line breaks inside quoted fields). */
function extraLines(fields: string[]): number {
  let n = 0;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i];
    if (f.length > 0 && f.indexOf('\n') !== -1) for (let j = f.indexOf('\n'); j !== -1; j = f.indexOf('\n', j + 1)) n++;
  }
  return n;
}

/**
 * Streams one input through csv-parse and hands every record over in file order. Records are read
 * from the parser's stream (no per-record info objects); rows the parser had to skip are slotted
 * back in at their place, so row and line numbers stay exact.
 */
export async function readCsv(input: OpenedInput, delimiterSetting: string, h: CsvHandlers): Promise<void> {
  const delimiter = delimiterSetting === 'auto' ? sniffDelimiter(input.head) : delimiterSetting;
  let row = 0;
  let line = 0; // last physical line consumed
  let emitted = 0; // records taken from the parser
  const skips: { after: number; code?: string; message: string }[] = [];
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    skip_empty_lines: false,
    bom: true,
    on_skip: (err: { code?: string; message: string } | undefined) => {
      skips.push({ after: parser.info.records, code: err?.code, message: err?.message ?? 'unreadable row' });
      return undefined;
    },
  });
  const skipped = (s: { code?: string; message: string }) => {
    row++;
    const startLine = line + 1;
    h.problem(
      s.code === 'CSV_QUOTE_NOT_CLOSED'
        ? { file: input.name, row, line: startLine, message: `a quote opened in this row (line ${startLine}) is never closed, so the rest of the file could not be split into rows; fix the quoting and export again` }
        : { file: input.name, row, line: startLine, message: `not valid CSV: ${s.message}` },
    );
  };
  let si = 0;
  // While no record has spanned several lines, the parser's own counters say so and the fields need
  // no scanning for line breaks; from the first such record on, every record is scanned.
  let multiline = false;
  const drain = () => {
    if (!multiline && parser.info.lines > parser.info.records + skips.length + 1) multiline = true;
    let fields: string[] | null;
    while ((fields = parser.read() as string[] | null) !== null) {
      while (si < skips.length && skips[si].after <= emitted) skipped(skips[si++]);
      emitted++;
      row++;
      const startLine = line + 1;
      line = multiline ? startLine + extraLines(fields) : startLine;
      if (row === 1) h.header(fields, delimiter);
      else h.record(fields, row, startLine);
    }
  };
  let failure: unknown;
  let settle!: () => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = resolve;
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  parser.on('readable', () => {
    if (failure) return;
    try {
      drain();
    } catch (e) {
      // a handler refused the input (e.g. a missing column): stop reading and report it
      failure = e;
      parser.destroy();
      settle();
    }
  });
  for await (const chunk of input.chunks) {
    if (failure) break;
    if (!parser.write(chunk)) await Promise.race([once(parser, 'drain'), done]);
    if (h.pace) await h.pace();
  }
  if (!failure) parser.end();
  await done;
  if (failure) throw failure;
  while (si < skips.length) skipped(skips[si++]);
}
