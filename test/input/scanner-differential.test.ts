// The byte scanner against csv-parse: random CSV text, hostile quoting included, must come out of
// both readers as the same header, records (fields, row and line numbers) and problems (message,
// row, line, column), in the same order, whatever the chunk sizes. csv-parse is the reference.
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { readCsv, type CsvReader } from '../../src/input/csv.js';
import { CsvScanner, scannable } from '../../src/input/scanner.js';
import type { OpenedInput } from '../../src/input/source.js';

/** Everything a reader hands over, as lines (the same handlers for both readers). */
async function read(bytes: Buffer, sizes: number[], via: CsvReader, o: { limit?: number; delimiter?: string; notUtf8?: boolean } = {}): Promise<string[]> {
  async function* chunks() {
    let at = 0;
    for (let i = 0; at < bytes.length; i++) {
      const size = sizes[i % sizes.length];
      yield bytes.subarray(at, at + size);
      at += size;
    }
  }
  const input: OpenedInput = { name: 't.csv', chunks: chunks(), encoding: 'utf-8', head: bytes.subarray(0, 65536).toString(), warnings: [], notUtf8: !!o.notUtf8, bytesRead: bytes.length, close() {} };
  const out: string[] = [];
  try {
    await readCsv(
      input,
      o.delimiter ?? ',',
      {
        header: (fields, d) => out.push(`header ${JSON.stringify(fields)} ${JSON.stringify(d)}`),
        record: (fields, r, line) => out.push(`row ${r} line ${line}: ${JSON.stringify(fields)}`),
        problem: (p) => out.push(`problem ${JSON.stringify(p)}`),
      },
      o.limit,
      via,
    );
  } catch (e) {
    out.push(`error ${(e as Error).message}`);
  }
  return out;
}

const piece = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'T1', '2026-05-01 09:00', ' ', '快递', '😀', 'é', '\t', ';'), weight: 6 },
  { arbitrary: fc.constantFrom(',', ',', '\n', '\r\n', '\r', '\n\n', '\r\r\n'), weight: 6 },
  { arbitrary: fc.constantFrom('"', '""', '"x"', '"a,b"', '"q"junk', '"a\nb"', '"a\r\nb"', '"\r"', '"""', 'x"y', '""""'), weight: 5 },
  { arbitrary: fc.constantFrom('\uFEFF', '\0', '\uFFFD'), weight: 1 },
  { arbitrary: fc.string({ maxLength: 6 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 4 }), weight: 1 },
);
const text = fc.array(piece, { maxLength: 40 }).map((ps) => ps.join(''));
const header = fc.constantFrom('id,created,priority\n', 'id,created,priority\r\n', '\uFEFFid,created,priority\n', '"id","created","priority"\n', '', 'id;created\n');
const sizes = fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 4 });

test('the scanner reads random CSV exactly as csv-parse: records, rows, lines and problems (400 cases)', async () => {
  await fc.assert(
    fc.asyncProperty(header, text, sizes, async (h, body, a) => {
      // the same chunks for both: which line endings csv-parse is told about depends on the first
      // chunk (a file of CRLF lines ending in a lone CR keeps that CR as text), and the scanner follows
      const bytes = Buffer.from(h + body);
      const expected = await read(bytes, a, 'csv-parse');
      expect(await read(bytes, a, 'scanner')).toEqual(expected);
    }),
    { numRuns: 400, seed: 21 },
  );
});

test('with a small size limit: records over it, never-closed quotes and the rest of the file alike (300 cases)', async () => {
  await fc.assert(
    fc.asyncProperty(text, sizes, fc.integer({ min: 20, max: 80 }), async (body, a, limit) => {
      const bytes = Buffer.from('h1,h2\n' + body);
      const expected = await read(bytes, a, 'csv-parse', { limit });
      expect(await read(bytes, a, 'scanner', { limit })).toEqual(expected);
    }),
    { numRuns: 300, seed: 22 },
  );
});

test('bytes that are not UTF-8, other delimiters (300 cases)', async () => {
  await fc.assert(
    fc.asyncProperty(text, fc.uint8Array({ maxLength: 6 }), fc.constantFrom(',', ';', '\t', '|'), sizes, async (body, junk, delimiter, a) => {
      const s = Buffer.from('id,created\n' + body);
      const at = s.length >> 1;
      const bytes = Buffer.concat([s.subarray(0, at), Buffer.from(junk), s.subarray(at)]);
      const expected = await read(bytes, a, 'csv-parse', { delimiter, notUtf8: true });
      expect(await read(bytes, a, 'scanner', { delimiter, notUtf8: true })).toEqual(expected);
    }),
    { numRuns: 300, seed: 23 },
  );
});

test('very long fields and multi-byte characters across chunk boundaries', async () => {
  const long = '快'.repeat(100_000);
  const body = `id,text\n1,"${long}\n${long}"\n2,${long}\r\n3,"a""b"${long}\n`;
  const bytes = Buffer.from(body);
  for (const size of [1, 7, 65536, 65537]) expect(await read(bytes, [size], 'scanner')).toEqual(await read(bytes, [65536], 'csv-parse'));
});

test('a delimiter the scanner does not handle is left to csv-parse', () => {
  for (const d of [',', ';', '\t', '|', ' ', 'x']) expect(scannable(d)).toBe(true);
  for (const d of ['"', '::', '\n', '\r', '\0', '§', '']) expect(scannable(d)).toBe(false);
});

test('a range of bytes says whether it ends at a record boundary or inside quotes', () => {
  const s = new CsvScanner(44);
  const rows: string[][] = [];
  const buf = Buffer.from('a,"b\nc"\nd,"e\n');
  // cut after the first line break: inside the quoted field, so not a record boundary
  expect(s.scan(buf.subarray(0, 5), 0, false, (f) => rows.push(f))).toEqual({ at: 0, open: true, quoted: true, unclosed: false });
  // cut after the second: one record, then a boundary
  expect(s.scan(buf.subarray(0, 8), 0, false, (f) => rows.push(f))).toEqual({ at: 8, open: false, quoted: false, unclosed: false });
  expect(rows).toEqual([['a', 'b\nc']]);
  // at the end of the input, a quote never closed is left to csv-parse
  expect(s.scan(buf, 8, true, (f) => rows.push(f))).toEqual({ at: 8, open: false, quoted: false, unclosed: true });
});

test('short cells shared per column keep their exact text: values whose hashes collide, and a column of distinct ids', async () => {
  // "Aa" and "BB" have the same 31-based hash (65 × 31 + 97 = 66 × 31 + 66 = 2112) and length
  const lines = ['id,code,team'];
  for (let i = 0; i < 10_000; i++) lines.push(`T${i},${i % 2 ? 'Aa' : 'BB'},${['一线', '二线', 'Tech'][i % 3]}`);
  const bytes = Buffer.from(lines.join('\n') + '\n');
  const got = await read(bytes, [65536], 'scanner');
  expect(got).toEqual(await read(bytes, [65536], 'csv-parse'));
  expect(got[2]).toBe('row 3 line 3: ["T1","Aa","二线"]');
  expect(got[10_000]).toBe('row 10001 line 10001: ["T9999","Aa","一线"]');
});
