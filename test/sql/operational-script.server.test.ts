/**
 * The script as an operational step on a real PostgreSQL server, run by psql as README shows:
 * `--gate` makes `psql -v ON_ERROR_STOP=1 -f` exit non-zero when an objective fails, naming each
 * failed objective with its actual and minimum (the figures `check` gives on the same export);
 * a passing run exits 0 with nothing on stderr (no NOTICE lines); `--schema` keeps the result
 * tables after the session ends, and a second run replaces them. DuckDB's gate and schema: in
 * operational-script.test.ts.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresForTests, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { readCsvText } from '../helpers/sql-parity.js';
import { cli } from '../cli/run.js';
import { checkObjectives, DEMO, failedNames } from './gate.js';

const { pg, skip: reason } = postgresForTests();
const header = readCsvText(join(DEMO, 'tickets.csv')).header;

describe.skipIf(reason !== undefined)(`PostgreSQL: --gate and --schema through psql${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let server: PgServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres(pg!);
    dir = mkdtempSync(join(tmpdir(), 'sla-gate-'));
    await server.psql(`CREATE TABLE tickets (${header.map((h) => `"${h}" text`).join(', ')});\n\\copy tickets FROM '${join(DEMO, 'tickets.csv')}' CSV HEADER`);
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const compile = async (config: string, asOf: string, name: string) => {
    const out = join(dir, name);
    const r = await cli(['sql', '--dialect', 'postgres', '-c', config, '--from', '2026-10-01', '--to', '2026-11-01', '--as-of', asOf, '--schema', 'sla_report', '--gate', '-o', out]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    return out;
  };
  /** each query's one value, in a session of its own */
  const query = async (sql: string) => (await execa(pg!.psql, [server.url, '-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql])).stdout.split('\n');
  const psqlFile = (file: string) => execa(pg!.psql, [server.url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', file], { reject: false });

  test('a failing objective fails the script, naming it; the tables are kept all the same', async () => {
    const config = join(DEMO, 'sla.yaml');
    const expected = await checkObjectives(config, '2026-11-01');
    expect(expected.exitCode).toBe(1);
    const names = failedNames(expected.objectives);
    expect(names.length).toBeGreaterThan(0);
    const r = await psqlFile(await compile(config, '2026-11-01', 'failing.sql'));
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain(`ERROR:  sla-audit gate: ${names.join('; ')} failed`);
    expect(r.stderr).not.toContain('NOTICE');
    // kept after the session: a new session reads them
    const n = await query('SELECT count(*) FROM sla_report.sla_ticket_metrics; SELECT count(*) FROM sla_report.sla_objectives;');
    expect(n.map(Number)).toEqual([expected.evaluated * 2, expected.objectives.length]);
  });

  test('a passing run exits 0 with nothing on stderr, and replaces the previous run\'s tables', async () => {
    // the demo's objectives met by lower minimums, and an earlier --as-of: fewer tickets
    const yaml = readFileSync(join(DEMO, 'sla.yaml'), 'utf8').replace(/min: (90|85|99)%/g, 'min: 10%');
    const config = join(dir, 'passing.yaml');
    writeFileSync(config, yaml);
    const expected = await checkObjectives(config, '2026-10-15T00:00');
    expect(expected.exitCode).toBe(0);
    const r = await psqlFile(await compile(config, '2026-10-15T00:00', 'passing.sql'));
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, '', '']);
    const [count, verdicts] = await query("SELECT count(*) FROM sla_report.sla_ticket_metrics; SELECT string_agg(passed, ',' ORDER BY objective) FROM sla_report.sla_objectives;");
    expect(Number(count)).toBe(expected.evaluated * 2);
    // the P1 objective has fewer than its 20 tickets by then: not judged, as check has it
    expect(verdicts).toBe(expected.objectives.map((o) => (o.skipped ? 'not judged' : o.passed ? 'passed' : 'failed')).join(','));
    expect(verdicts).toBe('passed,passed,not judged');
  });

  test('a run without kpis: drops the sla_acc_custom an earlier run with kpis: kept, so an export of the schema gives check\'s report', async () => {
    const yaml = readFileSync(join(DEMO, 'sla.yaml'), 'utf8');
    const withKpis = join(dir, 'kpis.yaml');
    writeFileSync(withKpis, `${yaml}\nkpis:\n  csat_mean: { mean: { column: CSAT } }\n`);
    const plain = join(DEMO, 'sla.yaml');
    const schemaScript = async (config: string, name: string) => {
      const out = join(dir, name);
      const r = await cli(['sql', '--dialect', 'postgres', '-c', config, '--from', '2026-10-01', '--to', '2026-11-01', '--as-of', '2026-11-01', '--schema', 'stale_test', '-o', out]);
      expect([r.exitCode, r.stderr]).toEqual([0, '']);
      return { file: out, kept: /^-- Kept: (.*) in schema stale_test/m.exec(readFileSync(out, 'utf8'))![1].split(', ') };
    };
    const tables = async () => (await query("SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = 'stale_test'"))[0].split(',');
    const first = await schemaScript(withKpis, 'kpis.sql');
    expect(first.kept).toContain('sla_acc_custom');
    expect((await psqlFile(first.file)).exitCode).toBe(0);
    expect(await tables()).toEqual([...first.kept].sort());
    const second = await schemaScript(plain, 'plain.sql');
    expect(second.kept).not.toContain('sla_acc_custom');
    expect((await psqlFile(second.file)).exitCode).toBe(0);
    expect(await tables()).toEqual([...second.kept].sort());
    // the schema exported as report --from reads it (every table in it), beside check on the CSV
    const out = join(dir, 'stale-export');
    mkdirSync(out);
    const copies = second.kept.map((t) => `\\copy (SELECT * FROM stale_test.${t}) TO '${join(out, `${t}.csv`)}' CSV HEADER`).join('\n');
    await server.psql(`${copies}\n`);
    const [fromDir, check] = await Promise.all([
      cli(['report', '--from', out, '-c', plain, '-f', 'json']),
      cli(['check', '-c', plain, join(DEMO, 'tickets.csv'), '--as-of', '2026-11-01', '-f', 'json']),
    ]);
    expect(fromDir.exitCode).toBe(check.exitCode);
    const [a, b] = [fromDir.stdout, check.stdout].map((t) => JSON.parse(t) as Record<string, unknown>);
    for (const k of ['kpis', 'totals', 'objectives']) expect(a[k], k).toEqual(b[k]);
  });
});
