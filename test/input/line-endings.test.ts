import { expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit, type RowProblem } from '../../src/index.js';
import { readCsv } from '../../src/input/csv.js';
import type { OpenedInput } from '../../src/input/source.js';
import { at, auditText, cfg } from '../helpers/index.js';

// Exports glued together from several tools (or edited on different systems) mix CRLF, LF and CR.
const YAML = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, subject: subject }
policies:
  - name: All
    targets: { first_response: { default: 1h } }
`;
const HEADER = 'id,created,replied,subject';
const row = (n: number, subject = 'x') => `T${n},2026-05-01 09:00,2026-05-01 09:${String(n).padStart(2, '0')},${subject}`;

async function read(text: string) {
  const ids: string[] = [];
  const r = await auditText(YAML, text, '2026-06-01T00:00', { onTicket: ({ ticket: t }) => ids.push(`${t.id}@${t.row}`) });
  const problems = r.problems.map((p: RowProblem) => `row ${p.row}${p.line && p.line !== p.row ? ` (line ${p.line})` : ''}: ${p.message}`);
  return { ids, problems, totals: r.totals };
}

test.each([
  ['a CRLF header, LF rows', `${HEADER}\r\n${row(1)}\n${row(2)}\n${row(3)}\n`],
  ['an LF header, CRLF rows', `${HEADER}\n${row(1)}\r\n${row(2)}\r\n${row(3)}\r\n`],
  ['CR alone (classic Mac)', `${HEADER}\r${row(1)}\r${row(2)}\r${row(3)}\r`],
  ['all three, no final line break', `${HEADER}\r\n${row(1)}\r${row(2)}\n${row(3)}`],
])('%s: every row is read, numbered as a spreadsheet numbers it', async (_name, text) => {
  const { ids, problems, totals } = await read(text);
  expect(problems).toEqual([]);
  expect(ids).toEqual(['T1@2', 'T2@3', 'T3@4']);
  expect(totals).toMatchObject({ rows: 3, evaluated: 3 });
});

test('line breaks of every kind inside quoted fields count once each for the physical line of later problems', async () => {
  const text = [
    `${HEADER}\r\n`,
    `${row(1, '"one\r\ntwo"')}\n`, // row 2, lines 2-3
    `${row(2, '"one\rtwo\nthree"')}\r`, // row 3, lines 4-6
    `${row(3)}\r\n`, // row 4, line 7
    'T4,2026-05-01 25:00,,x\n', // row 5, line 8
    `${row(5, '"a\n\nb"')}\r\n`, // row 6, lines 9-11
    'T6,soon,,x\r', // row 7, line 12
  ].join('');
  const { ids, problems } = await read(text);
  expect(ids).toEqual(['T1@2', 'T2@3', 'T3@4', 'T5@6']);
  expect(problems).toEqual([
    'row 5 (line 8): "2026-05-01 25:00": the time 25:00 does not exist',
    'row 7 (line 12): "soon" is not a date (expected e.g. 2026-03-01 09:30, 2026-03-01T09:30:00+08:00, 01/03/2026 09:30, or set tickets.timestamp_format)',
  ]);
});

test('day-first dates are still told from the first rows when the header ends in CRLF and the rows in LF', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-eol-'));
  const file = join(dir, 'dmy.csv');
  writeFileSync(file, `${HEADER}\r\nD1,03/04/2026 09:00,03/04/2026 09:30,x\nD2,29/04/2026 09:00,29/04/2026 09:10,x\n`);
  const config = cfg(YAML);
  const created: string[] = [];
  const r = await audit({ config, inputs: [file], asOf: at('2026-06-01T00:00', 'UTC'), onTicket: ({ ticket: t }) => created.push(new Date(t.created).toISOString()) });
  expect(r.problems).toEqual([]);
  expect(created).toEqual(['2026-04-03T09:00:00.000Z', '2026-04-29T09:00:00.000Z']);
});

test('the same rows and line numbers whatever the chunk boundaries (a CRLF split across chunks, endings changing mid-file)', async () => {
  const text = `${HEADER}\n${row(1)}\n${row(2, '"a\r\nb"')}\r\n${row(3)}\r${row(4, '"c\rd\ne"')}\n\n${row(5)}\r\n`;
  const expected = [
    'header id|created|replied|subject',
    'row 2 line 2: T1',
    'row 3 line 3: T2',
    'row 4 line 5: T3',
    'row 5 line 6: T4',
    'row 6 line 9: ',
    'row 7 line 10: T5',
  ];
  for (const size of [1, 2, 3, 5, 8, 13, 1000]) {
    expect(await records(text, size), `chunks of ${size} bytes`).toEqual(expected);
  }
});

/** Rows as readCsv hands them over when the text arrives in chunks of `size` bytes. */
async function records(text: string, size: number): Promise<string[]> {
  const bytes = Buffer.from(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const input: OpenedInput = { name: 't.csv', chunks: chunks(), encoding: 'utf-8', head: text, warnings: [], notUtf8: false, close() {} };
  const out: string[] = [];
  await readCsv(input, ',', {
    header: (fields) => out.push(`header ${fields.join('|')}`),
    record: (fields, r, line) => out.push(`row ${r} line ${line}: ${fields[0]}`),
    problem: (p) => out.push(`problem row ${p.row}: ${p.message}`),
  });
  return out;
}

test('blank lines at the very end are not rows (whatever their line endings); one in the middle is an empty row', async () => {
  const tail = await read(`${HEADER}\r\n${row(1)}\r\n\r\n`);
  expect(tail.problems).toEqual([]);
  expect(tail.totals).toMatchObject({ rows: 1, evaluated: 1, problems: 0 });
  const several = await read(`${HEADER}\n${row(1)}\n\n\r\n \r\t\n`);
  expect(several.problems).toEqual([]);
  expect(several.totals).toMatchObject({ rows: 1, evaluated: 1 });
  const middle = await read(`${HEADER}\n${row(1)}\n\n${row(3)}\n\n`);
  expect(middle.problems).toEqual(['row 3: empty row']);
  expect(middle.ids).toEqual(['T1@2', 'T3@4']);
  expect(middle.totals).toMatchObject({ rows: 3, evaluated: 2, problems: 1 });
});
