import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { reportsOf } from '../helpers/index.js';

// The same 40 tickets (Chinese headers and text, a quoted comma, quotes and a line break inside
// fields, full-width letters) written in several encodings and dialects: every report must be identical.
const DIR = 'fixtures/input/encodings';
const VARIANTS = ['utf8.csv', 'utf8-bom-crlf.csv', 'utf16le.csv', 'utf16be.csv', 'gb18030.csv', 'semicolon.csv', 'tab.csv', 'pipe.csv'];
const run = (file: string) => reportsOf(`${DIR}/${file.startsWith('late') ? 'late' : 'sla'}.yaml`, [`${DIR}/${file}`], '2026-04-01T00:00', { groupBy: ['priority', 'channel'] });
const comparable = (json: Record<string, any>) => {
  const j = structuredClone(json);
  delete j.generatedAt;
  delete j.inputs;
  for (const p of j.problems) delete p.file;
  return j;
};

test('every encoding and dialect gives the same JSON and CSV reports, read without being told', async () => {
  const base = await run('utf8.csv');
  expect(base.warnings).toEqual([]);
  const ref = comparable(base.json);
  expect(ref.totals).toEqual({ rows: 40, tickets: 40, evaluated: 40, problems: 0, outside_range: 0 });
  expect(ref.categories.map((c: { name: string }) => c.name).sort()).toEqual(['价格问题', '其他', '物流问题']);
  for (const v of VARIANTS.slice(1)) {
    const r = await run(v);
    expect(r.warnings, v).toEqual([]);
    expect(comparable(r.json), v).toEqual(ref);
    expect(r.csv, v).toBe(base.csv);
  }
});

test('GB18030 bytes after 64 KiB of plain ASCII are still read as GB18030 (with a note on stderr)', async () => {
  const utf8 = await run('late-utf8.csv');
  const gb = await run('late-gb18030.csv');
  expect(utf8.warnings).toEqual([]);
  expect(gb.warnings).toHaveLength(1);
  expect(gb.warnings[0]).toMatch(/^fixtures\/input\/encodings\/late-gb18030\.csv: not UTF-8 after byte \d+ \(the first 64 KiB were plain ASCII\); read as GB18030\. Set tickets\.encoding if that is wrong$/);
  expect(comparable(gb.json)).toEqual(comparable(utf8.json));
  expect(gb.json.totals.evaluated).toBe(1140);
});

test('UTF-16 without a byte-order mark whose rows are mostly Chinese reads like its UTF-8 twin (LE and BE)', async () => {
  // the fixture's rows, each after a long Chinese note: most UTF-16 code units have no zero byte
  const rows: string[][] = parse(readFileSync(`${DIR}/utf8.csv`));
  const note = '客户多次来电投诉，要求尽快处理并给出明确答复，已转交二线跟进处理，并约定次日回访'.repeat(2);
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const text = rows.map((r, i) => [i === 0 ? '备注' : note, ...r].map(cell).join(',')).join('\r\n') + '\r\n';
  const dir = mkdtempSync(join(tmpdir(), 'sla-utf16-'));
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  writeFileSync(join(dir, 'utf8.csv'), text);
  writeFileSync(join(dir, 'le.csv'), le);
  writeFileSync(join(dir, 'be.csv'), be);
  let asciiUnits = 0;
  for (let i = 1; i < 512; i += 2) if (le[i] === 0) asciiUnits++;
  expect(asciiUnits).toBeLessThan(100); // well under half of the first 256 characters are ASCII
  const runIn = (file: string) => reportsOf(`${DIR}/sla.yaml`, [join(dir, file)], '2026-04-01T00:00', { groupBy: ['priority', 'channel'] });
  const base = await runIn('utf8.csv');
  expect(base.json.totals).toMatchObject({ rows: 40, evaluated: 40, problems: 0 });
  for (const file of ['le.csv', 'be.csv']) {
    const r = await runIn(file);
    expect(r.warnings, file).toEqual([]);
    expect(comparable(r.json), file).toEqual(comparable(base.json));
    expect(r.csv, file).toBe(base.csv);
  }
});

test('one Latin-1 byte in a UTF-8 file is a problem at its row, after 64 KiB of ASCII or within them; every other row is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-latin1-'));
  const NOT_UTF8 = 'has bytes that are not valid UTF-8 (the file is read as UTF-8); set tickets.encoding if the file is in another encoding';
  /** The file with the first "e" of `word`, in the line of ticket `id`, written as Latin-1 "é" (byte 0xE9). */
  const spoil = (file: string, id: string, word: string) => {
    const text = readFileSync(`${DIR}/${file}`);
    const at = text.indexOf(word, text.indexOf(`\n${id},`));
    const bytes = Buffer.concat([text.subarray(0, at), Buffer.from(word.replace('e', '\xe9'), 'latin1'), text.subarray(at + word.length)]);
    const out = join(dir, `spoilt-${file}`);
    writeFileSync(out, bytes);
    return { out, offset: at + word.indexOf('e') };
  };

  // late-utf8.csv: 64 KiB and more of ASCII rows, then rows with Chinese in UTF-8 (the same chunk as the bad byte)
  const late = spoil('late-utf8.csv', 'A1000', 'line'); // row 1002
  expect(late.offset).toBeGreaterThan(64 << 10);
  const clean = await reportsOf(`${DIR}/late.yaml`, [`${DIR}/late-utf8.csv`], '2026-04-01T00:00');
  const r = await reportsOf(`${DIR}/late.yaml`, [late.out], '2026-04-01T00:00');
  expect(r.warnings).toEqual([]);
  expect(r.json.problems).toEqual([{ file: late.out, row: 1002, column: 'subject', message: NOT_UTF8 }]);
  expect(r.json.totals).toEqual({ ...clean.json.totals, problems: 1, tickets: clean.json.totals.tickets - 1, evaluated: clean.json.totals.evaluated - 1 });

  // utf8.csv: Chinese from the first row on (the whole file is in the first 64 KiB)
  const early = spoil('utf8.csv', 'W105', 'please'); // row 7 (line 11)
  const e = await reportsOf(`${DIR}/sla.yaml`, [early.out], '2026-04-01T00:00');
  expect(e.warnings).toEqual([]);
  expect(e.json.problems).toEqual([{ file: early.out, row: 7, line: 11, column: '主题', message: NOT_UTF8 }]);
  expect(e.json.totals).toMatchObject({ rows: 40, problems: 1, evaluated: 39 });
});
