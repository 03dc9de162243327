import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { findPostgres, startPostgres, type PgServer } from '../helpers/postgres-server.js';
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
// the shell lines as README gives them: set -o pipefail, then the psql line
const shBlock = /```sh\n([\s\S]*?)```/.exec(section)![1];
const psqlLine = shBlock.split('\n').find((l) => l.startsWith('psql '))!;

const pg = findPostgres();
const reason = typeof pg === 'string' ? pg : undefined;

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
    server = await startPostgres(pg as Exclude<typeof pg, string>);
    await server.psql(LOAD);
    await server.psql(viewSql);
    dir = mkdtempSync(join(tmpdir(), 'sla-warehouse-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ DATABASE_URL: server.url, FORCE_COLOR: '0', NO_COLOR: '1' });
  const viaPsql = (line: string, cwd: string) => execa('bash', ['-c', line.replace(/npx sla-audit/g, `node ${BIN}`)], { cwd, reject: false, env: env() });

  test('the timestamps come out of PostgreSQL with their offset, NULL as an empty cell', async () => {
    const out = await server.psql("\\copy (SELECT * FROM sla_export WHERE \"Ticket ID\" IN ('T10001', 'T10013') ORDER BY 1) TO STDOUT CSV HEADER");
    const [header, first] = out.split('\n');
    expect(header).toBe('Ticket ID,Created,First Reply,Resolved,Priority,Status,Channel,Category,Group,Assignee,Requester ID,Subject,Customer Tier,CSAT');
    // T10001 was created 2026-10-01 13:43 in Shanghai; the server's zone here is UTC: 05:43+00
    expect(first.startsWith('T10001,2026-10-01 05:43:00+00,2026-10-01 09:22:00+00,2026-10-02 18:26:00+00,Normal,')).toBe(true);
  });

  test('every report and the exit code are those of check on the CSV file', async () => {
    const viaDb = join(dir, 'db');
    const viaFile = join(dir, 'file');
    for (const d of [viaDb, viaFile]) await execa('mkdir', ['-p', d]);
    expect(shBlock.startsWith('set -o pipefail\npsql ')).toBe(true);
    const r = await viaPsql(shBlock.replace(/fixtures\//g, `${ROOT}/fixtures/`), viaDb);
    // the same line, the export read from the file instead of standard input
    const fileLine = psqlLine.replace(/^psql .*? \| /, '').replace(/ - /, ` ${ROOT}/fixtures/demo/tickets.csv `).replace(/fixtures\/demo\/sla/g, `${ROOT}/fixtures/demo/sla`);
    const f = await viaPsql(fileLine, viaFile);
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
  });

  test('a query that fails part-way fails the line (pipefail), whatever check made of the rows it got', async () => {
    // the 300th ticket divides by zero: the rows before it may already be on their way to check
    const broken = shBlock.replace('SELECT *', `SELECT *, 1 / (CASE WHEN \\"Ticket ID\\" = 'T10300' THEN 0 ELSE 1 END) AS x`);
    expect(broken).not.toBe(shBlock);
    const r = await viaPsql(broken.replace(/fixtures\//g, `${ROOT}/fixtures/`), dir);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr).toContain('division by zero');
  });
});
