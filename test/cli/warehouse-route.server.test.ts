import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { postgresForTests, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { BIN, ROOT } from './run.js';

/**
 * README's warehouse route, run as written against a real PostgreSQL: the demo's tickets in a typed
 * table (timestamptz times, an integer CSAT, NULL for an empty cell), README's view over it, and
 * README's `psql -c "\copy (…) TO STDOUT CSV HEADER" | sla-audit check -` line. Every report and the
 * exit code must be those of `check` on fixtures/demo/tickets.csv itself.
 */
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const at = readme.indexOf('### From a warehouse through `check`');
const section = readme.slice(at, at + 4 + readme.slice(at + 4).search(/\n#{2,3} /));
const viewSql = /```sql\n([\s\S]*?)```/.exec(section)![1];
// the shell lines as README gives them: set -o pipefail, then the psql line; then the same for duckdb
const [shBlock, duckBlock] = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
const psqlLine = shBlock.split('\n').find((l) => l.startsWith('psql '))!;


/** README's lines under bash (npx sla-audit → the built CLI; the demo's config by its full path). */
const runLines = (lines: string, cwd: string, env: Record<string, string>) =>
  execa('bash', ['-c', lines.replace(/npx sla-audit/g, `node ${BIN}`).replace(/fixtures\//g, `${ROOT}/fixtures/`)], { cwd, reject: false, env });

/**
 * Runs a route's lines in `cwd`/db, and its sla-audit command on the demo's CSV file in `cwd`/file;
 * every report, standard error and the exit code must be the same.
 */
async function sameAsTheFile(lines: string, cwd: string, env: Record<string, string>) {
  const viaDb = join(cwd, 'db');
  const viaFile = join(cwd, 'file');
  for (const d of [viaDb, viaFile]) mkdirSync(d, { recursive: true });
  const r = await runLines(lines, viaDb, env);
  // the same sla-audit command, the export read from the file instead of standard input
  const command = lines.split('\n').find((l) => l.includes(' | npx sla-audit '))!.replace(/^.*? \| /, '');
  const f = await runLines(command.replace(/ - /, ' fixtures/demo/tickets.csv '), viaFile, env);
  // the demo misses two of its three objectives, through either route
  expect([r.exitCode, f.exitCode]).toEqual([1, 1]);
  expect(r.stderr).toBe(f.stderr);
  const json = (d: string) => {
    const j = JSON.parse(readFileSync(join(d, 'report.json'), 'utf8'));
    delete j.generatedAt;
    j.inputs = j.inputs.length;
    return j;
  };
  const a = json(viaDb);
  expect(a).toEqual(json(viaFile));
  expect([a.totals.rows, a.totals.evaluated, a.totals.problems, a.overall.compliance]).toEqual([412, 412, 0, 0.8910891089108911]);
  expect(readFileSync(join(viaDb, 'tickets-sla.csv'), 'utf8')).toBe(readFileSync(join(viaFile, 'tickets-sla.csv'), 'utf8'));
  const md = (d: string) => readFileSync(join(d, 'report.md'), 'utf8').replace(/from `[^`]*`/, 'from …');
  expect(md(viaDb)).toBe(md(viaFile));
  expect(readFileSync(join(viaDb, 'report.md'), 'utf8')).toContain('from `(stdin)`');
}

const { pg, skip: reason } = postgresForTests();

// the demo's export loaded as text, then typed as a warehouse holds it: its naive times are Shanghai's
const LOAD = `
CREATE SCHEMA support;
CREATE TABLE raw ("Ticket ID" text, "Created" text, "First Reply" text, "Resolved" text, "Priority" text, "Status" text, "Channel" text,
  "Category" text, "Group" text, "Assignee" text, "Requester ID" text, "Subject" text, "Customer Tier" text, "CSAT" text);
\\copy raw FROM '${join(ROOT, 'fixtures/demo/tickets.csv')}' CSV HEADER
CREATE TABLE support.tickets AS SELECT
  "Ticket ID" AS id,
  (NULLIF("Created", '') || ' Asia/Shanghai')::timestamptz AS created_at,
  (NULLIF("First Reply", '') || ' Asia/Shanghai')::timestamptz AS first_reply_at,
  (NULLIF("Resolved", '') || ' Asia/Shanghai')::timestamptz AS resolved_at,
  "Priority" AS priority, "Status" AS status, "Channel" AS channel, "Category" AS category, "Group" AS team,
  "Assignee" AS assignee, "Requester ID" AS requester_id, "Subject" AS subject, "Customer Tier" AS customer_tier,
  NULLIF("CSAT", '')::integer AS csat
FROM raw;
DROP TABLE raw;
`;

test('Debian PostgreSQL for the warehouse route is here under CI', () => {
  // locally the route's tests are skipped (saying why, in their title) without the binaries; CI installs them
  if (process.env.CI) expect(reason).toBeUndefined();
});

describe.skipIf(reason !== undefined)(`README's psql \\copy route into check -${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let server: PgServer;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres(pg!);
    await server.psql(LOAD);
    await server.psql(viewSql);
    dir = mkdtempSync(join(tmpdir(), 'sla-warehouse-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ DATABASE_URL: server.url, FORCE_COLOR: '0', NO_COLOR: '1' });
  const viaPsql = (line: string, cwd: string) => runLines(line, cwd, env());

  test('the timestamps come out of PostgreSQL with their offset, NULL as an empty cell', async () => {
    const out = await server.psql("\\copy (SELECT * FROM sla_export WHERE \"Ticket ID\" IN ('T10001', 'T10013') ORDER BY 1) TO STDOUT CSV HEADER");
    const [header, first] = out.split('\n');
    expect(header).toBe('Ticket ID,Created,First Reply,Resolved,Priority,Status,Channel,Category,Group,Assignee,Requester ID,Subject,Customer Tier,CSAT');
    // T10001 was created 2026-10-01 13:43 in Shanghai; the server's zone here is UTC: 05:43+00
    expect(first.startsWith('T10001,2026-10-01 05:43:00+00,2026-10-01 09:22:00+00,2026-10-02 18:26:00+00,Normal,')).toBe(true);
  });

  test('every report and the exit code are those of check on the CSV file', async () => {
    expect(shBlock.startsWith('set -o pipefail\npsql ')).toBe(true);
    await sameAsTheFile(shBlock, dir, env());
  });

  test('a query that fails part-way fails the line under pipefail, though check audited the rows it got', async () => {
    // no objectives, so check exits 0 on what it reads; no ORDER BY, so the rows before the error are
    // sent: the 300th ticket divides by zero, and check gets T10001..T10299
    const demo = readFileSync(join(ROOT, 'fixtures/demo/sla.yaml'), 'utf8');
    writeFileSync(join(dir, 'no-objectives.yaml'), demo.slice(0, demo.indexOf('\nobjectives:')) + '\n');
    const broken = shBlock
      .replace('SELECT *', `SELECT *, 1 / (CASE WHEN \\"Ticket ID\\" = 'T10300' THEN 0 ELSE 1 END) AS x`)
      .replace(/ ORDER BY \\"Ticket ID\\"/, '')
      .replace('-c fixtures/demo/sla.yaml', `-c ${join(dir, 'no-objectives.yaml')}`);
    expect(broken).not.toContain('ORDER BY');
    const failed = await viaPsql(broken, dir);
    expect(failed.stderr).toContain('division by zero');
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).totals.rows).toBe(299);
    expect(failed.exitCode).not.toBe(0);
    // the same line without pipefail: check's exit code alone, 0
    const unguarded = await viaPsql(broken.replace('set -o pipefail\n', ''), dir);
    expect(unguarded.exitCode).toBe(0);
  });
});

/** DuckDB's command-line client: on PATH, or in .venv-duckdb (where .ci/run installs duckdb-cli from PyPI). */
function findDuckdb(): string | { skip: string } {
  const venv = join(ROOT, '.venv-duckdb/bin/duckdb');
  if (existsSync(venv)) return venv;
  const r = execaSync('sh', ['-c', 'command -v duckdb'], { reject: false });
  if (r.exitCode === 0 && r.stdout) return r.stdout.trim();
  return { skip: 'no DuckDB CLI on PATH or in .venv-duckdb: python3 -m venv .venv-duckdb && .venv-duckdb/bin/pip install duckdb-cli==1.5.6 (.ci/run does)' };
}

const duckdb = findDuckdb();
const noDuck = typeof duckdb === 'string' ? undefined : duckdb.skip;

test('the DuckDB CLI for the warehouse route is here under CI', () => {
  if (process.env.CI) expect(noDuck).toBeUndefined();
});

describe.skipIf(noDuck !== undefined)(`README's duckdb COPY route into check -${noDuck ? ` (skipped: ${noDuck})` : ''}`, () => {
  test('every report and the exit code are those of check on the CSV file', async () => {
    const bin = duckdb as string;
    const dir = mkdtempSync(join(tmpdir(), 'sla-duckdb-route-'));
    try {
      mkdirSync(join(dir, 'db'));
      // the demo typed as a warehouse holds it, then README's view, in the file README's line opens
      const db = join(dir, 'db/warehouse.duckdb');
      const q = (c: string) => `(NULLIF("${c}", '') || ':00 Asia/Shanghai')::timestamptz`;
      await execa(bin, [db, '-c', `CREATE SCHEMA support; CREATE TABLE support.tickets AS SELECT "Ticket ID" AS id, ${q('Created')} AS created_at,
        ${q('First Reply')} AS first_reply_at, ${q('Resolved')} AS resolved_at, "Priority" AS priority, "Status" AS status, "Channel" AS channel,
        "Category" AS category, "Group" AS team, "Assignee" AS assignee, "Requester ID" AS requester_id, "Subject" AS subject,
        "Customer Tier" AS customer_tier, NULLIF("CSAT", '')::integer AS csat
        FROM read_csv('${join(ROOT, 'fixtures/demo/tickets.csv')}', all_varchar = true);`]);
      await execa(bin, [db], { input: viewSql });
      expect(duckBlock.startsWith('set -o pipefail\nduckdb ')).toBe(true);
      const lines = duckBlock.replace(/^duckdb /m, `${bin} `);
      await sameAsTheFile(lines, dir, { FORCE_COLOR: '0', NO_COLOR: '1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
