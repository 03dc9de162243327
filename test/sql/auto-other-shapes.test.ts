/**
 * A time the compiled SQL leaves unread (its auto reads ISO 8601 only) that check's auto may read
 * — year-first with / or ., AM/PM, a 10- or 13-digit epoch, day/month-first — is a problem of its
 * own in sla_problems, and `report --from` refuses an export that has one (exit 2, one line: the
 * count, the first row and the field, no cell text). A time neither reads keeps the old problem,
 * and report --from gives check's exit code. On DuckDB and PGlite.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { duckdbRunner, loadTable, pgliteRunner } from '../helpers/sql-parity.js';
import { cli } from '../cli/run.js';
import { AUTO_OTHER_SHAPE } from '../../src/sql/timestamps.js';
import { DEMO } from './gate.js';

const AS_OF = '2026-11-01T00:00';
const CONFIG = join(DEMO, 'sla.yaml');
const CSV = readFileSync(join(DEMO, 'tickets.csv'), 'utf8');

/** The demo with one data line's Created cell (line 1 = the first ticket, row 2) replaced. */
function withCreated(line: number, text: string): string {
  const lines = CSV.split('\n');
  const cells = lines[line].split(',');
  cells[1] = text;
  lines[line] = cells.join(',');
  return lines.join('\n');
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sla-shapes-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The CSV text run through DuckDB's script, its kept relations exported; report --from and check on the CSV. */
async function viaDuckdb(csv: string, name: string) {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, csv);
  const sql = await cli(['sql', '--dialect', 'duckdb', '-c', CONFIG, '--table', 'tickets', '--row-column', '_row', '--from', '2023-01-01', '--to', '2026-11-01', '--as-of', AS_OF, '--schema', 'kept']);
  expect(sql.exitCode).toBe(0);
  const kept = /^-- Kept: (.*) in schema kept/m.exec(sql.stdout)![1].split(', ');
  const out = mkdtempSync(join(dir, `${name}-`));
  const db = await duckdbRunner();
  try {
    await loadTable(db, 'tickets', file);
    await db.run(sql.stdout);
    for (const r of kept) await db.run(`COPY (SELECT * FROM kept.${r}) TO '${join(out, `${r}.csv`)}' (HEADER)`);
  } finally {
    await db.close();
  }
  const [fromDir, check] = await Promise.all([
    cli(['report', '--from', out, '-c', CONFIG, '-f', 'json']),
    cli(['check', '-c', CONFIG, file, '--as-of', AS_OF, '-f', 'json']),
  ]);
  return { fromDir, check, problems: readFileSync(join(out, 'sla_problems.csv'), 'utf8') };
}

describe('report --from on times only check reads', () => {
  test('every date yyyy/MM/dd: 412 rows of their own problem; report --from refuses (check audits 412 tickets, exit 1)', async () => {
    const slash = CSV.split('\n').map((l, k) => (k === 0 ? l : l.replace(/(\d{4})-(\d{2})-(\d{2})/g, '$1/$2/$3'))).join('\n');
    const { fromDir, check, problems } = await viaDuckdb(slash, 'slash');
    expect(check.exitCode).toBe(1);
    expect((JSON.parse(check.stdout) as { totals: { tickets: number } }).totals.tickets).toBe(412);
    // one problem per row (the first unread time of a row: Created, rows 2-413)
    expect(problems.split('\n').filter((l) => l.includes(`created_at: ${AUTO_OTHER_SHAPE}`))).toHaveLength(412);
    expect(fromDir.exitCode).toBe(2);
    expect(fromDir.stdout).toBe('');
    const lines = fromDir.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('sla_problems.csv: 412 rows (the first: row 2, created_at) with a time the script left unread');
    expect(lines[0]).not.toMatch(/2026\//);
  });

  test('a Created cell neither reads (February 30th) keeps its problem; report --from gives check\'s exit code and totals', async () => {
    const { fromDir, check, problems } = await viaDuckdb(withCreated(4, '2026-02-30 10:00'), 'feb30');
    expect(problems).toContain('created_at: not a timestamp the SQL reads as the engine does');
    expect(problems).not.toContain(AUTO_OTHER_SHAPE);
    expect(fromDir.exitCode).toBe(check.exitCode);
    const [a, b] = [fromDir.stdout, check.stdout].map((t) => JSON.parse(t) as Record<string, unknown>);
    expect(a.totals).toEqual(b.totals);
  });

  test.for([
    '2026.10.04 10:00', '2026/10/04 10:00', '2026-10-04 10:00 PM', '2026-10-04 10:00 pm', '1790000000', '1790000000000', '04/10/2026 10:00', '2026-10-04 10:00 UTC+08:00',
  ])('PGlite: Created %s in row 5 is the problem of its own', async (text) => {
    const file = join(dir, 'one.csv');
    writeFileSync(file, withCreated(4, text));
    const sql = await cli(['sql', '--dialect', 'postgres', '-c', CONFIG, '--table', 'tickets', '--row-column', '_row', '--from', '2023-01-01', '--to', '2026-11-01', '--as-of', AS_OF]);
    const db = await pgliteRunner();
    try {
      await loadTable(db, 'tickets', file);
      await db.run(sql.stdout);
      expect(await db.run('SELECT row_no::int AS row_no, problem FROM sla_problems ORDER BY row_no')).toEqual([{ row_no: 5, problem: `created_at: ${AUTO_OTHER_SHAPE}` }]);
    } finally {
      await db.close();
    }
  });
});
