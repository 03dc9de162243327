import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { audit } from '../../src/index.js';
import { auditText, cfg } from '../helpers/index.js';
import { openInput } from '../../src/input/source.js';
import { InputError } from '../../src/errors.js';

const YAML = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved, priority: priority, subject: subject, first_response_minutes: frm }
  null_values: ["", "N/A", "-"]
priorities: { P1: [Urgent], P2: [High] }
policies:
  - name: All
    targets: { first_response: { default: 1h }, resolution: { default: 8h } }
`;
const HEADER = 'id,created,replied,resolved,priority,subject,frm';
const OK = 'T0,2026-05-01 09:00,2026-05-01 09:10,2026-05-01 12:00,High,fine,';

async function problemsOf(rows: string[]) {
  const r = await auditText(YAML, [HEADER, OK, ...rows].join('\n') + '\n', '2026-06-01T00:00');
  // the good row is always evaluated; every other row is evaluated or named
  expect(r.totals.rows).toBe(r.totals.tickets + r.totals.problems);
  return r.problems.map((p) => `row ${p.row}${p.line && p.line !== p.row ? ` (line ${p.line})` : ''}${p.column ? ` [${p.column}]` : ''}: ${p.message}`);
}

const NOT_A_DATE = '(expected e.g. 2026-03-01 09:30, 2026-03-01T09:30:00+08:00, 01/03/2026 09:30, or set tickets.timestamp_format)';

// [case, rows after the good row 2, the problems expected]
const CASES: [string, string[], string[]][] = [
  ['words for a date', ['T1,yesterday,,,High,x,'], [`row 3 [created]: "yesterday" is not a date ${NOT_A_DATE}`]],
  ['31 February', ['T1,2026-02-31 10:00,,,High,x,'], ['row 3 [created]: "2026-02-31 10:00": February 2026 has no day 31']],
  ['29 February in a common year', ['T1,2026-02-29,,,High,x,'], ['row 3 [created]: "2026-02-29": February 2026 has no day 29']],
  ['month 13', ['T1,2026-13-01 10:00,,,High,x,'], ['row 3 [created]: "2026-13-01 10:00": month 13 does not exist']],
  ['hour 25', ['T1,2026-05-01 25:00,,,High,x,'], ['row 3 [created]: "2026-05-01 25:00": the time 25:00 does not exist']],
  ['a leap second', ['T1,2026-06-30 23:59:60,,,High,x,'], ['row 3 [created]: "2026-06-30 23:59:60": the time 23:59:60 does not exist']],
  ['minute 61', ['T1,2026-05-01 10:61,,,High,x,'], ['row 3 [created]: "2026-05-01 10:61": the time 10:61 does not exist']],
  ['year 1899', ['T1,1899-12-31 10:00,,,High,x,'], ['row 3 [created]: "1899-12-31 10:00": year 1899 is out of range (1900-2199)']],
  ['a five-digit number', ['T1,12345,,,High,x,'], [`row 3 [created]: "12345" is not a date ${NOT_A_DATE}`]],
  ['13 PM', ['T1,2026-05-01 13:00 PM,,,High,x,'], [`row 3 [created]: "2026-05-01 13:00 PM" is not a date ${NOT_A_DATE}`]],
  ['offset +25:00', ['T1,2026-05-01T10:00+25:00,,,High,x,'], [`row 3 [created]: "2026-05-01T10:00+25:00" is not a date ${NOT_A_DATE}`]],
  ['junk after the offset', ['T1,2026-05-01T10:00:00+08:00Z,,,High,x,'], [`row 3 [created]: "2026-05-01T10:00:00+08:00Z" is not a date ${NOT_A_DATE}`]],
  ['resolved before created', ['T1,2026-05-01 10:00,,2026-05-01 09:59,High,x,'], ['row 3 [resolved]: 2026-05-01 09:59 is before the ticket was created (2026-05-01 10:00)']],
  ['replied before created', ['T1,2026-05-01 10:00,2026-04-30 10:00,,High,x,'], ['row 3 [replied]: 2026-04-30 10:00 is before the ticket was created (2026-05-01 10:00)']],
  ['unreadable resolution time', ['T1,2026-05-01 10:00,,soon,High,x,'], [`row 3 [resolved]: "soon" is not a date ${NOT_A_DATE}`]],
  ['unknown priority', ['T1,2026-05-01 10:00,,,Critical,x,'], ['row 3 [priority]: unknown priority "Critical" (known: P1, P2); add it as an alias under priorities in sla.yaml, e.g. P1: [..., "Critical"]']],
  ['a canonical-looking unknown priority', ['T1,2026-05-01 10:00,,,P9,x,'], ['row 3 [priority]: unknown priority "P9" (known: P1, P2); add it as an alias under priorities in sla.yaml, e.g. P1: [..., "P9"]']],
  ['empty id', [',2026-05-01 10:00,,,High,x,'], ['row 3 [id]: is empty; every ticket needs an id']],
  ['blank id', ['   ,2026-05-01 10:00,,,High,x,'], ['row 3 [id]: is empty; every ticket needs an id']],
  ['empty creation time', ['T1,,,,High,x,'], ['row 3 [created]: is empty; every ticket needs a creation time']],
  ['a null marker as creation time', ['T1,N/A,,,High,x,'], ['row 3 [created]: is empty; every ticket needs a creation time']],
  ['too few fields', ['T1,2026-05-01 10:00,,High'], ['row 3: has 4 fields, the header has 7; check for an unquoted delimiter or a line break inside a field']],
  ['too many fields', ['T1,2026-05-01 10:00,,,High,a, b,c,'], ['row 3: has 9 fields, the header has 7; check for an unquoted delimiter or a line break inside a field']],
  ['an empty line between rows', ['', 'T1,2026-05-01 10:00,,,High,x,'], ['row 3: empty row']],
  ['blank lines at the end of the file (not rows)', ['', '  ', ''], []],
  ['blank lines before a bad last row', ['', 'T1,soon,,,High,x,', ''], ['row 3: empty row', `row 4 [created]: "soon" is not a date ${NOT_A_DATE}`]],
  ['only delimiters', [',,,,,,'], ['row 3 [id]: is empty; every ticket needs an id', 'row 3 [created]: is empty; every ticket needs a creation time']],
  ['negative first-reply minutes', ['T1,2026-05-01 10:00,,,High,x,-5'], ['row 3 [frm]: "-5" is not a number of minutes']],
  ['words as first-reply minutes', ['T1,2026-05-01 10:00,,,High,x,soon'], ['row 3 [frm]: "soon" is not a number of minutes']],
  ['duplicate id (the later row wins)', ['T0,2026-05-01 09:00,,,High,again,'], ['row 2 [id]: duplicate ticket id "T0": row 3 has the same id and replaces this row']],
  ['an id three times', ['T1,2026-05-01 10:00,,,High,a,', 'T1,2026-05-01 10:00,,,High,b,', 'T1,2026-05-01 10:00,,,High,c,'], [
    'row 3 [id]: duplicate ticket id "T1": row 4 has the same id and replaces this row',
    'row 4 [id]: duplicate ticket id "T1": row 5 has the same id and replaces this row',
  ]],
  ['a repeated header', [HEADER, 'T1,2026-05-01 10:00,,,High,x,'], ['row 3: repeats the header row (two exports joined together?); left out']],
  ['a byte-order mark in the middle', [`\uFEFF${HEADER}`, `\uFEFFT1,2026-05-01 10:00,,,High,x,`], ['row 3: repeats the header row after a byte-order mark (two exports joined together?); left out']],
  ['an unclosed quote', ['T1,2026-05-01 10:00,,,High,"never closed,', 'T2,2026-05-01 10:00,,,High,x,'], [
    'row 3: a quote opened in this row (line 3) is never closed, so the rest of the file could not be split into rows; fix the quoting and export again',
  ]],
  ['a bad row after a quoted line break', ['T1,2026-05-01 10:00,,,High,"two\nlines",', 'T2,2026-05-01 25:00,,,High,x,'], ['row 4 (line 5) [created]: "2026-05-01 25:00": the time 25:00 does not exist']],
];

describe('dirty rows: each named with its row, column, value and fix', () => {
  test.each(CASES)('%s', async (_name, rows, expected) => {
    expect(await problemsOf(rows)).toEqual(expected);
  });

  test('a data row behind a stray byte-order mark is read normally', async () => {
    const r = await auditText(YAML, [HEADER, OK, '\uFEFFT1,2026-05-01 10:00,,,High,x,'].join('\n'), '2026-06-01T00:00', {
      onTicket: ({ ticket: t }) => expect(['T0', 'T1']).toContain(t.id),
    });
    expect(r.totals).toMatchObject({ rows: 2, evaluated: 2, problems: 0 });
  });

  test('personal data in a bad row is never echoed', async () => {
    const msgs = await problemsOf(['T1,yesterday,,,Critical,jane.doe@example.com complains,']);
    expect(msgs.join('\n')).not.toContain('jane.doe');
    expect(msgs).toHaveLength(2);
  });
});

describe('files that are not CSV', () => {
  const open = (bytes: number[] | string) => openInput('-', 'auto', Readable.from([Buffer.from(bytes as number[])]));
  test.each([
    ['an Excel workbook', [0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0], 'is a ZIP archive (an Excel .xlsx workbook?), not CSV; name the file .xlsx to read it as a workbook, or in Excel use File > Save As > "CSV UTF-8 (Comma delimited)"'],
    ['an old .xls', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'is an old Excel .xls workbook, not CSV; in Excel use File > Save As > "CSV UTF-8 (Comma delimited)"'],
    ['a PDF', [...Buffer.from('%PDF-1.7\n')], 'is a PDF, not CSV; export the tickets as CSV'],
    ['gzip', [0x1f, 0x8b, 8, 0, 0, 0, 0, 0], 'is gzip-compressed; decompress it first (gunzip) and pass the .csv'],
    ['binary', [1, 2, 3, 0, 0, 5, 6, 7, 0, 1, 2, 3], 'looks binary (it has NUL bytes), not a CSV text export'],
  ])('%s', async (_name, bytes, message) => {
    await expect(open(bytes as number[])).rejects.toThrow(new InputError(`(stdin): ${message}`));
  });
  test.each([
    ['3 MB of zero bytes', () => Buffer.alloc(3 << 20)],
    ['1 MB of random bytes', () => {
      const b = Buffer.alloc(1 << 20);
      for (let i = 0, x = 7; i < b.length; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
      return b;
    }],
  ])('%s: refused as binary, not taken for UTF-16 without a byte-order mark', async (_name, bytes) => {
    const file = join(mkdtempSync(join(tmpdir(), 'sla-bin-')), 'export.csv');
    writeFileSync(file, bytes());
    const config = cfg(YAML);
    await expect(audit({ config, inputs: [file], asOf: Date.parse('2026-06-01T00:00:00Z') })).rejects.toThrow(
      new InputError(`${file}: looks binary (it has NUL bytes), not a CSV text export`),
    );
  });
  test('an empty input', async () => {
    await expect(openInput('-', 'auto', Readable.from([]))).rejects.toThrow(new InputError('(stdin): the file is empty; export the tickets again'));
  });
});
