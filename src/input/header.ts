/** A file's header checked against the config's column mapping, without reading its rows (for validate). */
import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import type { Config } from '../config/types.js';
import { ColumnMap, decideDateOrder } from './columns.js';
import { openInput, sniffDelimiter } from './source.js';
import { readTable } from './table.js';
import { isWorkbookPath } from './xlsx.js';

export interface HeaderCheck {
  name: string;
  encoding: string;
  delimiter: string;
  columns: ColumnMap;
  /** the worksheet read, when the file is a workbook */
  sheet?: string;
}

/** Rows read, and how many of them repeat an id seen before (ids are kept in memory: this is for validate). */
export async function repeatedIds(file: string, config: Config, columns: ColumnMap, sheet?: string): Promise<{ rows: number; repeated: number; example?: string }> {
  const seen = new Set<string>();
  let rows = 0;
  let repeated = 0;
  let example: string | undefined;
  const id = columns.at.id!;
  await readTable({ path: file, encoding: config.tickets.encoding, delimiter: config.tickets.delimiter, worker: 'never', sheet }, {
    open: () => undefined,
    header: () => undefined,
    problem: () => undefined,
    record(fields) {
      rows++;
      const v = columns.text(fields, id);
      if (!v) return;
      if (seen.has(v)) {
        repeated++;
        example ??= v;
      } else seen.add(v);
    },
  });
  return { rows, repeated, example };
}

/** A workbook's header (its first row holding anything), read as check reads it: the merged-cell and sheet checks included. */
async function inspectSheet(file: string, config: Config, sheet: string | undefined): Promise<HeaderCheck> {
  let header: string[] = [];
  const info = await readTable({ path: file, encoding: config.tickets.encoding, delimiter: ',', sheet }, {
    open: () => undefined,
    header: (fields) => void (header = fields),
    record: () => undefined,
    problem: () => undefined,
  });
  const columns = new ColumnMap(info.name, header, config);
  decideDateOrder(info.name, info.head, ',', columns);
  return { name: info.name, encoding: info.encoding, delimiter: ',', columns, sheet: info.sheet };
}

export async function inspectHeader(file: string, config: Config, sheet?: string): Promise<HeaderCheck> {
  if (file !== '-' && isWorkbookPath(file)) return inspectSheet(file, config, sheet);
  const input = await openInput(file, config.tickets.encoding);
  input.close();
  const delimiter = config.tickets.delimiter === 'auto' ? sniffDelimiter(input.head) : config.tickets.delimiter;
  let header: string[] | undefined;
  try {
    header = parseSync(input.head.split(/\r?\n/)[0] ?? '', { delimiter, relax_quotes: true })[0];
  } catch {
    /* reported below */
  }
  if (!header?.length) throw new InputError(`${input.name}: the first line is not a CSV header`);
  const columns = new ColumnMap(input.name, header, config);
  decideDateOrder(input.name, input.head, delimiter, columns);
  return { name: input.name, encoding: input.encoding, delimiter, columns };
}
