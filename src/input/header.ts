/** A file's header checked against the config's column mapping, without reading its rows (for validate). */
import { parse as parseSync } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import type { Config } from '../config/types.js';
import { ColumnMap, decideDateOrder } from './columns.js';
import { openInput, sniffDelimiter } from './source.js';

export interface HeaderCheck {
  name: string;
  encoding: string;
  delimiter: string;
  columns: ColumnMap;
}

export async function inspectHeader(file: string, config: Config): Promise<HeaderCheck> {
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
