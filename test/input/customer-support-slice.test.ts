import { expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from '../cli/run.js';

const DIR = 'fixtures/input/customer-support-slice';

test('the dirty public sample: sensible totals, and no name or email in any output', async () => {
  const csv = readFileSync(join(ROOT, DIR, 'tickets.csv'), 'utf8').split('\n').slice(1).filter(Boolean);
  const names = csv.map((l) => l.split(',')[1]);
  const emails = csv.map((l) => l.split(',')[2]);
  const out = mkdtempSync(join(tmpdir(), 'sla-pii-'));
  const r = await cli(['check', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--as-of', '2024-01-01', '-o', join(out, 'r.json'), '-o', join(out, 'r.html'), '-o', join(out, 'r.md'), '-o', join(out, 'r.csv'), '--group-by', 'channel']);
  expect(r.exitCode).toBe(0);
  const json = JSON.parse(readFileSync(join(out, 'r.json'), 'utf8'));
  // 40 rows: every one either evaluated or named as a problem ("resolved before created" mostly)
  expect(json.totals.rows).toBe(40);
  expect(json.totals.evaluated + json.totals.problems).toBe(40);
  expect(json.problems.every((p: { message: string }) => /is before the ticket was created|is empty/.test(p.message))).toBe(true);
  const everything = [r.stdout, r.stderr, ...['r.json', 'r.html', 'r.md', 'r.csv'].map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
  for (const s of [...names, ...emails]) expect(everything).not.toContain(s);
});
