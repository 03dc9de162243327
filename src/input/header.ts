/** A file's header checked against the config's column mapping, without reading its rows (for validate). */
import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import type { Config } from '../config/types.js';
import { ColumnMap, decideDateOrder } from './columns.js';
import { openInput, sniffDelimiter } from './source.js';
import { readTable } from './table.js';
import { isWorkbookPath, noSheetInCsv } from './xlsx.js';
import { makeParser, type DateOrder } from '../time/timestamp.js';
import { civilFromDays } from '../time/civil.js';

export interface HeaderCheck {
  name: string;
  encoding: string;
  delimiter: string;
  columns: ColumnMap;
  /** the worksheet read, when the file is a workbook */
  sheet?: string;
  /** how "03/04/2026" reads in this file, when its first rows tell */
  order?: DateOrder;
}

/**
 * Rows read, how many of them repeat an id seen before (ids are kept in memory: this is for
 * validate), and the local years (config zone) the rows' creation times fall in.
 */
export async function repeatedIds(file: string, config: Config, h: HeaderCheck): Promise<{ rows: number; repeated: number; example?: string; years: number[] }> {
  const { columns, sheet } = h;
  const seen = new Set<string>();
  const years = new Set<number>();
  let rows = 0;
  let repeated = 0;
  let example: string | undefined;
  const id = columns.at.id!;
  const created = columns.index.get('created_at');
  const made = makeParser(config.tickets.timestampFormat, config.tickets.zone, h.order);
  const parse = typeof made === 'string' ? undefined : made;
  await readTable({ path: file, encoding: config.tickets.encoding, delimiter: config.tickets.delimiter, worker: 'never', sheet }, {
    open: () => undefined,
    header: () => undefined,
    problem: () => undefined,
    record(fields) {
      rows++;
      // a cell that is not a time is check's row problem, not this scan's
      const c = created === undefined ? undefined : fields[created];
      const t = c && parse ? parse(c) : NaN;
      if (Number.isFinite(t)) years.add(civilFromDays(config.zone.localDay(t)).y);
      const v = columns.text(fields, id);
      if (!v) return;
      if (seen.has(v)) {
        repeated++;
        example ??= v;
      } else seen.add(v);
    },
  });
  return { rows, repeated, example, years: [...years].sort((a, b) => a - b) };
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
  const order = decideDateOrder(info.name, info.head, ',', columns);
  return { name: info.name, encoding: info.encoding, delimiter: ',', columns, sheet: info.sheet, order };
}

export async function inspectHeader(file: string, config: Config, sheet?: string): Promise<HeaderCheck> {
  if (file !== '-' && isWorkbookPath(file)) return inspectSheet(file, config, sheet);
  noSheetInCsv(file, sheet);
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
  const order = decideDateOrder(input.name, input.head, delimiter, columns);
  return { name: input.name, encoding: input.encoding, delimiter, columns, order };
}
