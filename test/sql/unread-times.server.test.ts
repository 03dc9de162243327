/**
 * `check --engine postgres` on times that `timestamp_format: auto` reads in `check` but the
 * compiled SQL does not (its auto reads ISO 8601 only): the run is refused (exit 2, one line naming
 * the column, the count and the first row, no cell text), never audited with other numbers than
 * check's. Times neither reads stay row problems, with check's numbers and exit code. On a real
 * PostgreSQL server (Debian's, started by test/helpers/postgres-server.ts on 127.0.0.1).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresForTests, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { loadTable, pgRunner, readCsvText, type SqlRunner } from '../helpers/sql-parity.js';
import { cli, ROOT } from '../cli/run.js';

const { pg, skip: reason } = postgresForTests();

const CONFIG = join(ROOT, 'fixtures/demo/sla.yaml');
const DEMO = readFileSync(join(ROOT, 'fixtures/demo/tickets.csv'), 'utf8');
const AS_OF = '2026-11-01T00:00';

/** The demo with one data line's Created cell (line 1 = the first ticket, row 2) replaced. */
function withCreated(line: number, text: string): string {
  const lines = DEMO.split('\n');
  const cells = lines[line].split(',');
  cells[1] = text;
  lines[line] = cells.join(',');
  return lines.join('\n');
}

describe.skipIf(reason !== undefined)(`check --engine postgres on times only check reads${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let server: PgServer;
  let db: SqlRunner;
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    server = await startPostgres(pg!);
    db = await pgRunner(server.url);
    dir = mkdtempSync(join(tmpdir(), 'sla-unread-'));
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** The CSV text as a file and as a table; check on each (JSON report). */
  const both = async (csv: string) => {
    const i = n++;
    const file = join(dir, `t${i}.csv`);
    writeFileSync(file, csv);
    await loadTable(db, `u${i}`, file);
    const [onCsv, inDb] = await Promise.all([
      cli(['check', '-c', CONFIG, file, '--as-of', AS_OF, '-f', 'json']),
      cli(['check', '-c', CONFIG, '--engine', 'postgres', '--db', server.url, '--table', `u${i}`, '--row-column', '_row', '--as-of', AS_OF, '-f', 'json']),
    ]);
    return { file, onCsv, inDb };
  };

  test('every date written yyyy/MM/dd: check audits the 412 tickets (exit 1); the database run is refused (exit 2) naming the column, the count and the first row', async () => {
    const slash = DEMO.split('\n').map((l, k) => (k === 0 ? l : l.replace(/(\d{4})-(\d{2})-(\d{2})/g, '$1/$2/$3'))).join('\n');
    const { file, onCsv, inDb } = await both(slash);
    expect(onCsv.exitCode).toBe(1);
    expect((JSON.parse(onCsv.stdout) as { totals: { tickets: number } }).totals.tickets).toBe(412);
    // every Created cell of the 412 rows (rows 2-413); the other times: the non-empty First Reply and Resolved cells, counted here
    const { rows } = readCsvText(file);
    const others = rows.filter((r) => r[2].trim() !== '').length + rows.filter((r) => r[3].trim() !== '').length;
    expect(others).toBeGreaterThan(0);
    expect(inDb.exitCode).toBe(2);
    expect(inDb.stdout).toBe('');
    const lines = inDb.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/column "Created": 412 times \(the first in row 2\) and (\d+) in other columns/);
    expect(Number(/and (\d+) in other columns/.exec(lines[0])![1])).toBe(others);
    expect(lines[0]).toMatch(/tickets\.timestamp_format/);
    expect(lines[0]).not.toMatch(/2026\//);
  });

  test.for([
    ['2026.10.04 10:00', 5],
    ['2026-10-04 10:00 PM', 7],
    ['1790000000', 9],
  ] as const)('one Created cell %s (row %i): check reads it; the database run is refused with that row', async ([text, row]) => {
    const { onCsv, inDb } = await both(withCreated(row - 1, text));
    // check reads it: no problem on that row's Created cell
    const problems = (JSON.parse(onCsv.stdout) as { problems: { row: number; column?: string }[] }).problems;
    expect(problems.filter((p) => p.row === row && p.column === 'Created')).toEqual([]);
    expect(inDb.exitCode).toBe(2);
    const lines = inDb.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`column "Created": 1 time (the first in row ${row}) the SQL does not read`);
    expect(lines[0]).not.toContain(text);
  });

  test('a Created cell neither reads (February 30th) stays a row problem: the same exit code, problems and totals as check', async () => {
    const { onCsv, inDb } = await both(withCreated(4, '2026-02-30 10:00'));
    expect(inDb.exitCode).toBe(onCsv.exitCode);
    type J = { totals: unknown; problems: { row: number; column?: string }[] };
    const a = JSON.parse(inDb.stdout) as J;
    const b = JSON.parse(onCsv.stdout) as J;
    expect(b.problems.map((p) => [p.row, p.column])).toEqual([[5, 'Created']]);
    expect(a.problems.map((p) => [p.row, p.column])).toEqual([[5, 'Created']]);
    expect(a.totals).toEqual(b.totals);
  });
});
