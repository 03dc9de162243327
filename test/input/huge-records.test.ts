import { expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { audit, InputError } from '../../src/index.js';
import { readCsv } from '../../src/input/csv.js';
import type { OpenedInput } from '../../src/input/source.js';
import { at, cfg } from '../helpers/index.js';

const YAML = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, subject: subject }
policies:
  - name: All
    targets: { first_response: { default: 1h } }
`;
const HEADER = 'id,created,replied,subject';
const row = (n: number, subject = 'x') => `T${n},2026-05-01 09:00,2026-05-01 09:${String(n).padStart(2, '0')},${subject}`;
const OVER = 'is over 16 MiB; no ticket row is that large (a quote that is never closed, or a file that is not a ticket export?); it is left out';

// ~17 MiB in one subject cell, quoted with line breaks inside (so the line numbers after it count them) and not
const huge = (quoted: boolean) => {
  const block = 'lorem ipsum dolor sit amet '.repeat(40);
  const body = Array.from({ length: Math.ceil((17 << 20) / block.length) }, () => block).join(quoted ? '\r\n' : ' ');
  return quoted ? `"${body.replace(/o/g, '""')}"` : body;
};

test.each([
  ['unquoted, through the worker thread', false, 'file'],
  ['quoted over many lines, through the worker thread', true, 'file'],
  ['quoted over many lines, from standard input', true, 'stdin'],
] as const)('a 17 MiB field (%s) is a problem at its row; the next rows are read', async (_name, quoted, via) => {
  const big = huge(quoted);
  const text = [HEADER, row(1), row(2, big), row(3), 'T4,2026-05-01 25:00,,x', row(5)].join('\n') + '\n';
  const bigLines = quoted ? big.split('\r\n').length - 1 : 0;
  const config = cfg(YAML);
  const ids: string[] = [];
  const options = { config, asOf: at('2026-06-01T00:00', 'UTC'), onTicket: ({ ticket: t }: { ticket: { id: string; row: number } }) => void ids.push(`${t.id}@${t.row}`) };
  let r;
  if (via === 'file') {
    const file = join(mkdtempSync(join(tmpdir(), 'sla-huge-')), 'big.csv');
    writeFileSync(file, text);
    r = await audit({ ...options, inputs: [file], worker: 'always' });
  } else {
    r = await audit({ ...options, inputs: ['-'], stdin: Readable.from([Buffer.from(text)]) });
  }
  expect(r.problems.map((p) => ({ row: p.row, line: p.line ?? p.row, message: p.message }))).toEqual([
    { row: 3, line: 3, message: OVER },
    { row: 5, line: 5 + bigLines, message: '"2026-05-01 25:00": the time 25:00 does not exist' },
  ]);
  expect(ids).toEqual(['T1@2', 'T3@4', 'T5@6']);
  expect(r.totals).toMatchObject({ rows: 5, evaluated: 3, problems: 2 });
});

test('a header over the limit refuses the file', async () => {
  const text = 'id,' + 'h'.repeat(100) + '\nT1,x\n';
  await expect(records(text, 7, 50)).rejects.toThrow(new InputError('t.csv: the first row (the header) is over 50 bytes; this is not a CSV ticket export, or a quote in it is never closed'));
});

test('an oversized row whose quote never closes takes the rest of the file with it, once', async () => {
  const text = `a,b\nT1,x\nT2,"${'y'.repeat(30)}\nT3,z\nT4,${'w'.repeat(30)}\n`;
  for (const size of [1, 4, 9, 1000]) {
    expect(await records(text, size, 20), `chunks of ${size}`).toEqual([
      'header a|b',
      'row 2 line 2: T1|x',
      'problem row 3 line 3: is over 20 bytes; no ticket row is that large (a quote that is never closed, or a file that is not a ticket export?); it is left out',
    ]);
  }
});

// Property: with a small limit and any chunk boundaries, reading gives what reading without a limit
// gives, except that each record over the limit is a problem at the same row and line.
const plain = fc.oneof(
  fc.constantFrom('', 'a', 'T1', '中文', 'x"y'),
  fc.tuple(fc.integer({ min: 20, max: 90 }), fc.constantFrom('x', '中', 'ab"c')).map(([n, c]) => c.repeat(Math.ceil(n / c.length))),
);
const quotedPart = fc.constantFrom('q', 'long text inside quotes ', '""', ',', '\n', '\r\n', '\r', '中文');
const quoted = fc.array(quotedPart, { maxLength: 12 }).map((parts) => `"${parts.join('')}"`);
const field = fc.oneof({ arbitrary: plain, weight: 3 }, { arbitrary: quoted, weight: 2 }, { arbitrary: fc.constant('"q"junk'), weight: 1 });
const record = fc.array(field, { minLength: 1, maxLength: 4 }).map((fs) => fs.join(','));
const eol = fc.constantFrom('\n', '\r\n', '\r');

test('records over the limit become problems at their row and line; the rest reads as without a limit (3,000 cases)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.tuple(record, eol), { minLength: 1, maxLength: 8 }),
      fc.boolean(),
      fc.integer({ min: 1, max: 60 }),
      async (rows, finalEol, size) => {
        const text = 'h1,h2\n' + rows.map(([r, e], i) => r + (i < rows.length - 1 || finalEol ? e : '')).join('');
        const limit = 40;
        const expected = (await records(text, text.length, 1 << 30, true)).map((r) => {
          const m = /^row (\d+) line (\d+) bytes (\d+): /.exec(r);
          if (!m) return r;
          return Number(m[3]) > limit ? `problem row ${m[1]} line ${m[2]}: is over ${limit} bytes; no ticket row is that large (a quote that is never closed, or a file that is not a ticket export?); it is left out` : r.replace(/ bytes \d+/, '');
        });
        expect(await records(text, size, limit)).toEqual(expected);
      },
    ),
    { numRuns: 3000, seed: 7 },
  );
});

/** What readCsv hands over when the text arrives in chunks of `size` bytes. */
async function records(text: string, size: number, limit: number, withBytes = false): Promise<string[]> {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const input: OpenedInput = { name: 't.csv', chunks: chunks(), encoding: 'utf-8', head: text, warnings: [], notUtf8: false, close() {} };
  const out: string[] = [];
  await readCsv(
    input,
    ',',
    {
      header: (fields) => out.push(`header ${fields.join('|')}`),
      record: (fields, r, line) => out.push(`row ${r} line ${line}${withBytes ? ` bytes ${fields.reduce((n, f) => n + Buffer.byteLength(f), 0)}` : ''}: ${fields.join('|')}`),
      problem: (p) => out.push(`problem row ${p.row} line ${p.line}: ${p.message}`),
    },
    limit,
  );
  return out;
}
