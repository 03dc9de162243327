/** Small promises of the CLI's words and numbers. */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';

describe('words and numbers', () => {
  test('one row: "1 row read", "1 ticket evaluated" (table and markdown)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-one-'));
    writeFileSync(join(dir, 'sla.yaml'), 'timezone: UTC\ntickets:\n  columns: { id: id, created_at: created, resolved_at: resolved }\npolicies:\n  - name: All\n    targets: { resolution: 8h }\n');
    writeFileSync(join(dir, 't.csv'), 'id,created,resolved\nA,2026-05-04 09:00,2026-05-04 10:00\n');
    const table = await cli(['check', 't.csv', '--as-of', '2026-06-01'], { cwd: dir });
    expect(table.stdout).toContain('1 ticket evaluated from t.csv');
    expect(table.stdout).toContain('1 row read');
    expect(table.stdout).not.toMatch(/1 rows|1 tickets/);
    const md = await cli(['check', 't.csv', '--as-of', '2026-06-01', '-f', 'markdown'], { cwd: dir });
    expect(md.stdout).toContain('1 ticket evaluated from `t.csv` as of 2026-06-01 00:00 (UTC); 1 row read, 0 left out with problems.');
  });

  test.each(['0x7e9', '2026.0', '2e3', ' 0b11111101010', '+2026'])('calendar --year %s is refused, not read as a number', async (year) => {
    const r = await cli(['calendar', 'office', '--year', year, '-c', 'fixtures/warnings/queue/sla.yaml']);
    expect([r.exitCode, r.stderr]).toEqual([2, `sla-audit: --year "${year}" is not a year between 1900 and 2199\n`]);
  });
});

describe('the DuckDB hand-over note', () => {
  test('names no count of problems (the SQL counted rows the streaming engine does not take for problems)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-note-'));
    writeFileSync(join(dir, 'sla.yaml'), 'timezone: UTC\ntickets:\n  columns: { id: id, created_at: created, resolved_at: resolved }\npolicies:\n  - name: All\n    targets: { resolution: 8h }\n');
    // A twice: the later row replaces the earlier, one problem
    writeFileSync(join(dir, 't.csv'), 'id,created,resolved\nA,2026-05-04 09:00,2026-05-04 10:00\nA,2026-05-04 09:30,2026-05-04 10:00\nB,2026-05-04 09:00,2026-05-04 10:00\n');
    const r = await cli(['check', 't.csv', '--as-of', '2026-06-01', '--engine', 'duckdb', '-f', 'json'], { cwd: dir });
    expect(r.stderr.split('\n')[0]).toBe('sla-audit: note: --engine duckdb: rows with problems, which the streaming engine finds and names row by row; the streaming engine reads this run (the same numbers)');
    expect(JSON.parse(r.stdout).totals.problems).toBe(1);
  });
});
