/**
 * `check --engine duckdb` on the files only DuckDB reads: a Parquet file, JSON lines and a table of
 * a DuckDB database, each made from a fixture's CSV by DuckDB itself in the test. The reports must
 * be the CSV's (the streaming engine's), byte for byte, except the input's name and generatedAt:
 * the expected numbers are the hand-worked fixtures' own, reached here through a second reader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-duckdb-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

const FIXTURES: [string, string, string[]?][] = [
  ['demo', '2026-11-01T00:00', ['--period', 'week']],
  ['presets/zendesk', '2026-03-04T00:00', ['--group-by', 'team']],
  ['reports/categories', '2026-03-10T00:00', ['--period', 'month']],
  ['engine/new-york-dst', '2026-11-03T00:00'],
];

const base = (fixture: string) => join(dir, fixture.replace('/', '-'));

/** DuckDB writes each fixture's rows as Parquet (its own types: timestamps as TIMESTAMP), JSON lines (text) and a table in a database file. */
beforeAll(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  for (const [fixture] of FIXTURES) {
    const csv = lit(`fixtures/${fixture}/tickets.csv`);
    const b = base(fixture);
    await con.run(`COPY (SELECT * FROM read_csv(${csv})) TO ${lit(`${b}.parquet`)} (FORMAT parquet)`);
    await con.run(`COPY (SELECT * FROM read_csv(${csv}, all_varchar = true)) TO ${lit(`${b}.jsonl`)} (FORMAT json)`);
    await con.run(`ATTACH ${lit(`${b}.duckdb`)} AS out`);
    await con.run(`CREATE TABLE out.tickets AS SELECT * FROM read_csv(${csv})`);
    await con.run('DETACH out');
  }
  const demo = lit('fixtures/demo/tickets.csv');
  // the demo's times as instants (TIMESTAMP WITH TIME ZONE), read in its zone
  await con.run(`COPY (SELECT * REPLACE (timezone('Asia/Shanghai', "Created") AS "Created", timezone('Asia/Shanghai', "Resolved") AS "Resolved")
    FROM read_csv(${demo})) TO ${lit(join(dir, 'demo-tz.parquet'))} (FORMAT parquet)`);
  await con.run(`COPY (SELECT * EXCLUDE ("Created") FROM read_csv(${demo})) TO ${lit(join(dir, 'no-created.parquet'))} (FORMAT parquet)`);
  // a database of two tables: which one is named with --table
  await con.run(`ATTACH ${lit(join(dir, 'two.duckdb'))} AS two`);
  await con.run(`CREATE TABLE two.tickets AS SELECT * FROM read_csv(${demo})`);
  await con.run(`CREATE TABLE two.agents AS SELECT DISTINCT "Assignee" FROM read_csv(${demo})`);
  await con.run('DETACH two');
  con.closeSync();
  db.closeSync();
  // not a Parquet file: the right magic at the start, garbage after it
  writeFileSync(join(dir, 'corrupt.parquet'), Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(200, 7)]));
}, 60_000);

/**
 * The streaming engine's run on a CSV, made once for each list of arguments: several cases compare
 * with the same one.
 */
const references = new Map<string, ReturnType<typeof cli>>();
function reference(args: string[]) {
  const key = JSON.stringify(args);
  if (!references.has(key)) references.set(key, cli(args));
  return references.get(key)!;
}

/** a JSON report without what differs from run to run or names the input */
const comparable = (json: string, input: string) => json.replace(/"generatedAt": "[^"]*"/, '"generatedAt": …').split(JSON.stringify(input)).join('"<input>"');

describe('check --engine duckdb on Parquet, JSON lines and a DuckDB table gives the CSV\'s reports', () => {
  test.each(FIXTURES)('%s as of %s', async (fixture, asOf, extra = []) => {
    const args = ['-c', `fixtures/${fixture}/sla.yaml`, '--as-of', asOf, ...extra];
    const csvPath = `fixtures/${fixture}/tickets.csv`;
    // each run prints the terminal summary and writes the JSON report (-o: the bytes -f json prints),
    // so one run of each gives both
    const out = (name: string) => join(dir, `${name}.json`);
    const name = fixture.replace('/', '-');
    const table = await cli(['check', ...args, csvPath, '-o', out(`${name}-csv`)]);
    const csv = readFileSync(out(`${name}-csv`), 'utf8');
    expect(table.stderr).toBe('');
    expect(JSON.parse(csv).totals.evaluated).toBeGreaterThan(0);
    for (const ext of ['parquet', 'jsonl', 'duckdb']) {
      const path = `${base(fixture)}.${ext}`;
      const run = await cli(['check', ...args, path, '--engine', 'duckdb', '-o', out(`${name}-${ext}`)]);
      expect(run.stderr, ext).toBe('');
      expect(run.exitCode, ext).toBe(table.exitCode);
      expect(comparable(readFileSync(out(`${name}-${ext}`), 'utf8'), path), ext).toBe(comparable(csv, csvPath));
      // the terminal summary too
      expect([run.exitCode, run.stdout.split(path).join('<input>')], ext).toEqual([table.exitCode, table.stdout.split(csvPath).join('<input>')]);
    }
  }, 120_000);

  test.each(['tickets.parquet', 'tickets.jsonl', 'helpdesk.duckdb'])('README\'s fixtures/duckdb/%s (made from reports/categories) gives that CSV\'s report', async (file) => {
    const args = ['check', '-c', 'fixtures/reports/categories/sla.yaml', '--as-of', '2026-03-10T00:00', '-f', 'json'];
    const csv = await reference([...args, 'fixtures/reports/categories/tickets.csv']);
    const run = await cli([...args, `fixtures/duckdb/${file}`, '--engine', 'duckdb']);
    expect(run.stderr).toBe('');
    expect(comparable(run.stdout, `fixtures/duckdb/${file}`)).toBe(comparable(csv.stdout, 'fixtures/reports/categories/tickets.csv'));
  }, 60_000);

  test('Parquet times typed TIMESTAMP WITH TIME ZONE give the same numbers as the naive CSV in the config zone', async () => {
    const args = ['check', '-c', 'fixtures/demo/sla.yaml', '--as-of', '2026-11-01T00:00', '-f', 'json'];
    const csv = await reference([...args, 'fixtures/demo/tickets.csv']);
    const path = join(dir, 'demo-tz.parquet');
    const run = await cli([...args, path, '--engine', 'duckdb']);
    expect(run.stderr).toBe('');
    expect(comparable(run.stdout, path)).toBe(comparable(csv.stdout, 'fixtures/demo/tickets.csv'));
  }, 60_000);

  test('--engine auto picks DuckDB for a Parquet file (the streaming engine cannot read it)', async () => {
    const path = `${base('demo')}.parquet`;
    const args = ['check', '-c', 'fixtures/demo/sla.yaml', '--as-of', '2026-11-01T00:00', '-f', 'json'];
    const csv = await cli([...args, 'fixtures/demo/tickets.csv', '--engine', 'auto']);
    const run = await cli([...args, path, '--engine', 'auto']);
    expect(run.stderr).toBe('');
    expect(comparable(run.stdout, path)).toBe(comparable(csv.stdout, 'fixtures/demo/tickets.csv'));
  }, 60_000);

  test('a database of two tables: --table names the one to read', async () => {
    const path = join(dir, 'two.duckdb');
    const args = ['check', '-c', 'fixtures/demo/sla.yaml', '--as-of', '2026-11-01T00:00', '-f', 'json', path, '--engine', 'duckdb'];
    const unnamed = await cli(args);
    expect([unnamed.exitCode, unnamed.stdout, unnamed.stderr]).toEqual([2, '', `sla-audit: ${path}: has 2 tables (agents, tickets); name one with --table\n`]);
    const wrong = await cli([...args, '--table', 'nope']);
    expect([wrong.exitCode, wrong.stderr]).toEqual([2, `sla-audit: ${path}: has no table named "nope" (its tables: agents, tickets)\n`]);
    const named = await cli([...args, '--table', 'tickets']);
    const csv = await reference(['check', '-c', 'fixtures/demo/sla.yaml', '--as-of', '2026-11-01T00:00', '-f', 'json', 'fixtures/demo/tickets.csv']);
    expect(named.stderr).toBe('');
    expect(comparable(named.stdout, path)).toBe(comparable(csv.stdout, 'fixtures/demo/tickets.csv'));
  }, 60_000);
});

describe('files DuckDB cannot audit: exit 2, one line, no stack trace', () => {
  const one = (r: { exitCode?: number; stdout: string; stderr: string }, lines = 1) => {
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(lines);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };
  const args = ['check', '-c', 'fixtures/demo/sla.yaml', '--as-of', '2026-11-01T00:00'];

  test('a Parquet file without a mapped column names the column, as for a CSV of the same columns', async () => {
    const path = join(dir, 'no-created.parquet');
    const r = await cli([...args, path, '--engine', 'duckdb']);
    // the CSV's message: the missing column, then the headers found
    one(r, 2);
    expect(r.stderr.split('\n')[0]).toBe(`sla-audit: ${path}: no column "Created" for created_at; map it under tickets.columns.created_at in fixtures/demo/sla.yaml`);
    const csvPath = join(dir, 'no-created.csv');
    const demo = readFileSync('fixtures/demo/tickets.csv', 'utf8').split('\n').map((l) => l.split(',').filter((_, i) => i !== 1).join(',')).join('\n');
    writeFileSync(csvPath, demo);
    const csv = await cli([...args, csvPath]);
    expect(r.stderr.split(path).join('<input>')).toBe(csv.stderr.split(csvPath).join('<input>'));
  });

  test('a corrupt Parquet file', async () => {
    const path = join(dir, 'corrupt.parquet');
    const r = await cli([...args, path, '--engine', 'duckdb']);
    one(r);
    expect(r.stderr).toBe(`sla-audit: ${path}: DuckDB cannot read it as a Parquet file (Invalid Input Error)\n`);
  });

  test.each(['parquet', 'jsonl', 'duckdb'])('the streaming engine given a .%s file says to use --engine duckdb', async (ext) => {
    const path = `${base('demo')}.${ext}`;
    const r = await cli([...args, path]);
    one(r);
    expect(r.stderr).toMatch(new RegExp(`^sla-audit: ${path.replace(/[.]/g, '[.]')}: is a .*, which the streaming engine does not read; check, scorecard and queue read it with --engine duckdb`));
  });

  test('a Parquet file with a row the SQL cannot read as the streaming engine would (a bad time) is refused, not guessed', async () => {
    const path = join(dir, 'bad-time.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const con = await db.connect();
    await con.run(`COPY (SELECT * REPLACE (CASE WHEN "Ticket ID" = 'T10002' THEN 'not a time' ELSE CAST("Created" AS VARCHAR) END AS "Created")
      FROM read_csv('fixtures/demo/tickets.csv')) TO ${lit(path)} (FORMAT parquet)`);
    con.closeSync();
    db.closeSync();
    const r = await cli([...args, path, '--engine', 'duckdb']);
    one(r);
    expect(r.stderr).toContain('rows with problems');
    expect(r.stderr).not.toContain('not a time');
  });
});
