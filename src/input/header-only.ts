/** A file's header row as the input stage reads it (encoding, delimiter, fields), without reading its rows. */
import { readCsv } from './csv.js';
import { openInput } from './source.js';

export interface HeaderRead {
  path: string;
  name: string;
  encoding: string;
  delimiter: string;
  fields: string[];
}

const STOP = Symbol('header read');

export async function readHeader(path: string, encoding: string, delimiterSetting: string): Promise<HeaderRead> {
  const input = await openInput(path, encoding);
  let got: { fields: string[]; delimiter: string } | undefined;
  try {
    await readCsv(input, delimiterSetting, {
      header(fields, delimiter) {
        got = { fields, delimiter };
        throw STOP;
      },
      record() {},
      problem() {},
    });
  } catch (e) {
    if (e !== STOP) throw e;
  } finally {
    input.close();
  }
  if (!got) {
    const { InputError } = await import('../errors.js');
    throw new InputError(`${input.name}: has no header row; the first row must name the columns`);
  }
  return { path, name: input.name, encoding: input.encoding, delimiter: got.delimiter, fields: got.fields };
}
