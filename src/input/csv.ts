import { parse } from 'csv-parse';
import { once } from 'node:events';
import type { OpenedInput } from './source.js';
import { sniffDelimiter } from './source.js';

export interface RowProblem {
  file: string;
  /** 1-based row number; the header is row 1, so the first ticket is row 2. */
  row: number;
  /** Physical line in the file where the row starts, when it differs from the row number. */
  line?: number;
  column?: string;
  message: string;
}

export interface CsvHandlers {
  header(fields: string[], delimiter: string): void;
  /** Called for every data row in file order; `row` counts rows as a spreadsheet shows them. */
  record(fields: string[], row: number, line: number): void;
  problem(p: RowProblem): void;
}

/**
 * Streams one decoded input through csv-parse. Records are handled synchronously inside the
 * parser's on_record hook (nothing is buffered), so row numbers and problems stay in file order.
 */
export async function readCsv(input: OpenedInput, delimiterSetting: string, h: CsvHandlers): Promise<void> {
  const delimiter = delimiterSetting === 'auto' ? sniffDelimiter(input.head) : delimiterSetting;
  let row = 0;
  let lastLine = 0;
  let failure: unknown;
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    skip_empty_lines: false,
    bom: true,
    on_record: (fields: string[], ctx: { lines: number }) => {
      row++;
      const startLine = lastLine + 1;
      lastLine = ctx.lines;
      try {
        if (row === 1) h.header(fields, delimiter);
        else h.record(fields, row, startLine);
      } catch (e) {
        failure ??= e;
      }
      return null;
    },
    on_skip: (err: { code?: string; message: string } | undefined) => {
      row++;
      const startLine = lastLine + 1;
      if (err?.code === 'CSV_QUOTE_NOT_CLOSED') {
        h.problem({
          file: input.name,
          row,
          line: startLine,
          message: `a quote opened in this row (line ${startLine}) is never closed, so the rest of the file could not be split into rows; fix the quoting and export again`,
        });
      } else {
        h.problem({ file: input.name, row, line: startLine, message: `not valid CSV: ${err?.message ?? 'unreadable row'}` });
      }
      return undefined;
    },
  });
  parser.resume();
  const done = new Promise<void>((resolve, reject) => {
    parser.on('end', resolve);
    parser.on('error', reject);
  });
  for await (const chunk of input.chunks) {
    if (!parser.write(chunk)) await once(parser, 'drain');
    if (failure) break;
  }
  parser.end();
  await done;
  if (failure) throw failure;
}
