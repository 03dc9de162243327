import { expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './run.js';

const CFG = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied }
policies:
  - name: All
    targets: { first_response: { default: 1h } }
`;

function files(map: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'sla-in-'));
  for (const [name, text] of Object.entries(map)) writeFileSync(join(dir, name), text);
  return dir;
}

test('several files: rows numbered per file; a duplicate across files names both', async () => {
  const dir = files({
    'sla.yaml': CFG,
    'a.csv': 'id,created,replied\nX1,2026-05-01 09:00,2026-05-01 09:30\nX2,2026-05-01 09:00,2026-05-01 11:00\n',
    'b.csv': 'id,created,replied\nX3,2026-05-01 09:00,2026-05-01 09:10\nX1,2026-05-01 09:00,2026-05-01 12:00\n',
  });
  const r = await cli(['check', 'a.csv', 'b.csv', '--as-of', '2026-05-02', '-f', 'json'], { cwd: dir });
  const j = JSON.parse(r.stdout);
  expect(j.inputs).toEqual(['a.csv', 'b.csv']);
  expect(j.totals).toEqual({ rows: 4, tickets: 3, evaluated: 3, problems: 1, outside_range: 0 });
  expect(j.problems).toEqual([{ file: 'a.csv', row: 2, column: 'id', message: 'duplicate ticket id "X1": b.csv row 3 has the same id and replaces this row' }]);
  // X1 from b.csv (3h) and X2 (2h) breached, X3 met
  expect(j.metrics.first_response).toMatchObject({ met: 1, breached: 2 });
  expect(r.stderr).toContain('sla-audit: a.csv row 2, column "id": duplicate ticket id "X1"');
});

test('auto dates: day-first decided from the rows; undecidable files are refused', async () => {
  const dir = files({
    'sla.yaml': CFG,
    'dmy.csv': 'id,created,replied\nD1,03/04/2026 09:00,03/04/2026 09:30\nD2,29/04/2026 09:00,29/04/2026 11:00\n',
    'unclear.csv': 'id,created,replied\nU1,03/04/2026 09:00,03/04/2026 09:30\n',
    'mixed.csv': 'id,created,replied\nM1,13/04/2026 09:00,\nM2,04/13/2026 09:00,\n',
  });
  const ok = await cli(['check', 'dmy.csv', '--as-of', '2026-05-01', '-f', 'csv'], { cwd: dir });
  expect(ok.stdout).toContain('D1,All,,first_response,met,60,30,2026-04-03T10:00:00+00:00,2026-04-03T09:30:00+00:00');
  const unclear = await cli(['check', 'unclear.csv', '--as-of', '2026-05-01'], { cwd: dir });
  expect(unclear.exitCode).toBe(2);
  expect(unclear.stderr).toBe('sla-audit: unclear.csv: dates like "03/04/2026 09:00" in column "created" could be day/month or month/day, and the first rows do not tell; set tickets.timestamp_format to "dd/MM/yyyy HH:mm" or "MM/dd/yyyy HH:mm" (or the form your export uses)\n');
  const mixed = await cli(['check', 'mixed.csv', '--as-of', '2026-05-01'], { cwd: dir });
  expect(mixed.exitCode).toBe(2);
  expect(mixed.stderr).toContain('dates are day-first in some rows ("13/04/2026 09:00") and month-first in others ("04/13/2026 09:00")');
});

test('--group-by a column the file does not have is a usage error naming the headers', async () => {
  const dir = files({ 'sla.yaml': CFG, 'a.csv': 'id,created,replied\nX1,2026-05-01 09:00,\n' });
  const r = await cli(['check', 'a.csv', '--group-by', 'team', '--as-of', '2026-05-02'], { cwd: dir });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe('sla-audit: --group-by team: a.csv has no such column (headers: "id", "created", "replied")\n');
});

test('semicolon-delimited with CRLF and a BOM, tickets.path as the default input', async () => {
  const dir = files({
    'sla.yaml': CFG.replace('tickets:\n', 'tickets:\n  path: export.csv\n'),
    'export.csv': '\uFEFFid;created;replied\r\nS1;2026-05-01 09:00;2026-05-01 09:20\r\n',
  });
  const r = await cli(['check', '--as-of', '2026-05-02', '-f', 'json'], { cwd: dir });
  expect(JSON.parse(r.stdout).metrics.first_response).toMatchObject({ met: 1, compliance: 1 });
});

test('--strict passes a file that ends in a blank line (it is not a row)', async () => {
  const dir = files({ 'sla.yaml': CFG, 'a.csv': 'id,created,replied\r\nX1,2026-05-01 09:00,2026-05-01 09:30\r\n\r\n' });
  const r = await cli(['check', 'a.csv', '--strict', '--as-of', '2026-05-02', '-q'], { cwd: dir });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
});

test('the same file twice exits 2 with one line, before reading it', async () => {
  const dir = files({ 'sla.yaml': CFG, 'a.csv': 'id,created,replied\nX1,2026-05-01 09:00,2026-05-01 09:30\n' });
  const r = await cli(['check', 'a.csv', 'a.csv', '--as-of', '2026-05-02'], { cwd: dir });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe('sla-audit: a.csv is given twice; pass each file once\n');
});
