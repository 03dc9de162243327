/**
 * Names in the SQL script's header comments: a line break in a table or config file name would end
 * the comment and run the rest of the name as a statement.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli, ROOT } from '../cli/run.js';
import { duckdbRunner } from '../helpers/sql-parity.js';
import { quoteTableName } from '../../src/sql/index.js';

const RANGE = ['--from', '2026-10-01', '--to', '2026-11-01', '--as-of', '2026-11-01'];
const HOSTILE = 'tickets\nDROP TABLE victim; --';
/** Standard error but for the notes of what a dialect does not compile (the demo's category rules on DuckDB, Spark and Snowflake). */
const notesAside = (stderr: string) => stderr.split('\n').filter((l) => l && !l.startsWith('sla-audit: note: not compiled: ')).join('\n');

/** The script's header (every line before the first statement), run in DuckDB beside a table that must survive it. */
async function victimSurvives(script: string): Promise<boolean> {
  const header = script.slice(0, script.indexOf('\n\n'));
  const db = await duckdbRunner();
  try {
    await db.run('CREATE TABLE victim (x INTEGER)');
    await db.run(`${header}\nSELECT 1`);
    return (await db.run("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'victim'"))[0].n === 1n;
  } finally {
    await db.close();
  }
}

describe('names in SQL comments', () => {
  test.each(['duckdb', 'postgres', 'spark', 'bigquery', 'snowflake'])('%s: a line break in --table, --history or --spine-table stays inside the comment', async (dialect) => {
    const r = await cli(['sql', '--dialect', dialect, '-c', 'fixtures/demo/sla.yaml', ...RANGE, '--table', HOSTILE, '--spine-table', `s\rDROP TABLE victim;`]);
    expect([r.exitCode, notesAside(r.stderr)]).toEqual([0, '']);
    const header = r.stdout.slice(0, r.stdout.indexOf('\n\n')).split('\n');
    // every header line is a comment; the name is there with its line break written as \u{a}
    for (const line of header) expect(line.startsWith('--')).toBe(true);
    expect(header.find((l) => l.startsWith('-- Reads:'))).toContain('tickets\\u{a}DROP TABLE victim; --');
    expect(header.find((l) => l.startsWith('-- Reads:'))).toContain('s\\u{d}DROP TABLE victim;');
    if (dialect === 'duckdb') expect(await victimSurvives(r.stdout)).toBe(true);
  });

  test('a config file whose name has a line break: the name is escaped in the first comment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-sqlname-'));
    const name = 'sla\nDROP TABLE victim; --.yaml';
    copyFileSync(join(ROOT, 'fixtures/demo/sla.yaml'), join(dir, name));
    const r = await cli(['sql', '--dialect', 'duckdb', '-c', name, ...RANGE], { cwd: dir });
    expect([r.exitCode, notesAside(r.stderr)]).toEqual([0, '']);
    expect(r.stdout.split('\n')[0]).toBe('-- sla-audit: sla\\u{a}DROP TABLE victim; --.yaml compiled for duckdb');
    expect(await victimSurvives(r.stdout)).toBe(true);
  });

  test.each([
    // Spark doubles a backtick inside a quoted identifier and reads a backslash as itself; BigQuery escapes both with a backslash
    ['spark', 'a`b\\c', '`a``b\\c`'],
    ['bigquery', 'a`b\\c', '`a\\`b\\\\c`'],
    ['postgres', 'a"b', '"a""b"'],
    ['spark', 'db.t`x', '`db`.`t``x`'],
  ] as const)('%s quotes the table name %s as %s (never drops a character)', (dialect, name, quoted) => {
    expect(quoteTableName(dialect, name)).toBe(quoted);
  });
});
