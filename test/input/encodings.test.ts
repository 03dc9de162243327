import { expect, test } from 'vitest';
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
