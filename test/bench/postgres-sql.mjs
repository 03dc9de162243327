// node test/bench/postgres-sql.mjs [N ...]: the compiled SQL on a real PostgreSQL server (Debian's,
// started here on 127.0.0.1 and removed after): for each N (default 2,000 and 10,000), the bench's
// tickets loaded three ways — naive local text as exported, text with an offset as a warehouse's
// timestamptz::text gives it, and typed timestamptz columns (sql --typed) — and the wall time of
// `psql -f` on the script `sla-audit sql --dialect postgres` writes for each. Nothing is asserted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { findPostgres, startPostgres } = await tsImport('../helpers/postgres-server.ts', import.meta.url);
const pg = findPostgres();
if (typeof pg === 'string') throw new Error(pg);
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const Ns = sizes.length ? sizes : [2_000, 10_000];
const variants = (process.env.BENCH_VARIANTS ?? 'naive,offset,typed').split(',');
const server = await startPostgres(pg);
const dir = mkdtempSync(join(tmpdir(), 'sla-pg-bench-'));
const cols = ['Ticket ID', 'Created', 'First Reply', 'Resolved', 'Priority', 'Status', 'Channel', 'Category', 'Group', 'Requester ID', 'Subject', 'Customer Tier', 'CSAT'];
const q = (c) => `"${c}"`;
const times = ['Created', 'First Reply', 'Resolved'];
const as = (v, c) => (!times.includes(c) ? q(c) : v === 'offset' ? `((NULLIF(${q(c)}, '') || ' Asia/Shanghai')::timestamptz)::text AS ${q(c)}` : `(NULLIF(${q(c)}, '') || ' Asia/Shanghai')::timestamptz AS ${q(c)}`);
try {
  console.log(`machine: ${cpus()[0].model.trim()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${execFileSync(pg.psql, ['--version'], { encoding: 'utf8' }).trim()}`);
  for (const n of Ns) {
    const file = join(tmpdir(), `sla-audit-bench-${n}.csv`);
    if (!existsSync(file)) execFileSync('node', [join(root, 'test/bench/generate.mjs'), String(n), file], { stdio: 'inherit' });
    await server.psql(`DROP TABLE IF EXISTS raw CASCADE; CREATE TABLE raw (${cols.map((c) => `${q(c)} text`).join(', ')});\n\\copy raw FROM '${file}' CSV HEADER`);
    for (const v of variants) {
      await server.psql(`DROP TABLE IF EXISTS tickets CASCADE; CREATE TABLE tickets AS SELECT ${cols.map((c) => (v === 'naive' ? q(c) : as(v, c))).join(', ')} FROM raw; ANALYZE tickets;`);
      const script = join(dir, `${v}.sql`);
      const args = ['sql', '--dialect', 'postgres', '-c', join(root, 'test/bench/sla.yaml'), '--from', '2025-01-01', '--to', '2027-01-01', '--as-of', '2027-01-01', '-o', script];
      if (v === 'typed') args.push('--typed');
      // SLA_BENCH_CLI: another build's entry (e.g. an earlier commit's src/cli.ts, run through tsx) to compare with
      const entry = process.env.SLA_BENCH_CLI ? ['--import', 'tsx', process.env.SLA_BENCH_CLI] : [join(root, 'bin/sla-audit.js')];
      execFileSync('node', [...entry, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
      const t0 = process.hrtime.bigint();
      const out = await server.psql(`\\i ${script}\nSELECT count(*) || ' rows, ' || (SELECT count(*) FROM sla_problems) || ' problems' FROM sla_ticket_metrics;`);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      console.log(`${String(n).padStart(8)} tickets  ${v.padEnd(7)} ${s.toFixed(2).padStart(8)} s  (${/\d+ rows, \d+ problems/.exec(out)?.[0]})`);
    }
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
