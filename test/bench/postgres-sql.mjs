// npm run bench -- postgres [N ...] (or node test/bench/postgres-sql.mjs [N ...]): the compiled SQL
// on a real PostgreSQL server (Debian's, started here on 127.0.0.1 and removed after). For each N
// (default 1,000,000) the bench's tickets (test/bench/generate.mjs, sla.yaml: a Shanghai business
// calendar with lunch breaks, holidays and make-up days; BENCH_SHAPE=real: generate-real.mjs and
// sla-real.yaml) are copied into a text table, then made into the tickets table each way in
// BENCH_VARIANTS (default offset,typed): naive local text as exported, text with an offset as a
// warehouse's timestamptz::text gives it, typed timestamptz columns (sql --typed). Printed per
// variant: the load (\copy and CREATE TABLE … AS, ANALYZE), the `psql -f` of the script alone, the
// peak RSS of the backend that ran it and of the whole server (sum of its processes' resident
// sets, sampled every 200 ms: shared buffers the backend touched count in both), the CPU seconds of
// the backend and its parallel workers (the machine's load does not inflate them), and `check` on
// the same CSV (wall, CPU, peak RSS). Nothing is asserted. SLA_BENCH_CLI: another build's entry (e.g. an earlier commit's
// src/cli.ts, run through tsx) to compile the script with, for a before/after.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { checkOnCsv, loadNow, treePids, watchTree } from './proc-peak.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const { findPostgres, startPostgres } = await tsImport('../helpers/postgres-server.ts', import.meta.url);
const pg = findPostgres();
if (typeof pg === 'string') throw new Error(pg);
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const Ns = sizes.length ? sizes : [1_000_000];
const variants = (process.env.BENCH_VARIANTS ?? 'offset,typed').split(',');
const real = process.env.BENCH_SHAPE === 'real';
const config = join(root, real ? 'test/bench/sla-real.yaml' : 'test/bench/sla.yaml');
const times = real ? ['创建时间', '首次响应时间', '解决时间'] : ['Created', 'First Reply', 'Resolved'];
const q = (c) => `"${c.replaceAll('"', '""')}"`;
const as = (v, c) => (!times.includes(c) ? q(c) : v === 'offset' ? `((NULLIF(${q(c)}, '') || ' Asia/Shanghai')::timestamptz)::text AS ${q(c)}` : `(NULLIF(${q(c)}, '') || ' Asia/Shanghai')::timestamptz AS ${q(c)}`);
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

/** BENCH_PROFILE=1: psql echoes each statement and times it; the five slowest, with their seconds */
function slowest(out) {
  const stmts = [];
  let text = [];
  for (const line of out.split('\n')) {
    const t = /^Time: ([\d.]+) ms/.exec(line);
    if (t) {
      const head = text.find((l) => /^(CREATE|INSERT|DROP|ANALYZE|SELECT|DO|WITH)/.test(l)) ?? text[0] ?? '';
      stmts.push({ s: Number(t[1]) / 1000, head: head.slice(0, 90) });
      text = [];
    } else if (line.trim()) text.push(line);
  }
  return stmts
    .sort((a, b) => b.s - a.s)
    .slice(0, 5)
    .map((x) => `      ${x.s.toFixed(1).padStart(6)} s  ${x.head}`)
    .join('\n');
}

const server = await startPostgres(pg);
const postmaster = server.postmasterPid();
execFileSync('renice', ['-n', '5', '-p', String(postmaster)], { stdio: 'ignore' }); // backends forked from now on inherit it
const dir = mkdtempSync(join(tmpdir(), 'sla-pg-bench-'));
try {
  console.log(`machine: ${cpus()[0].model.trim()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${execFileSync(pg.psql, ['--version'], { encoding: 'utf8' }).trim()}; ${real ? 'real-shaped export, sla-real.yaml' : 'bench export, sla.yaml'}`);
  console.log(`commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()}`);
  for (const n of Ns) {
    const file = join(tmpdir(), real ? `sla-real-${n}-utf-8.csv` : `sla-audit-bench-${n}.csv`);
    if (!existsSync(file)) execFileSync('node', [join(root, real ? 'test/bench/generate-real.mjs' : 'test/bench/generate.mjs'), String(n), file], { stdio: 'inherit' });
    const cols = readFileSync(file, 'utf8').slice(0, 4096).split('\n')[0].replace(/^\uFEFF/, '').split(',');
    console.log(`\n${n.toLocaleString('en-US')} tickets, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB CSV`);
    let t0 = process.hrtime.bigint();
    await server.psql(`DROP TABLE IF EXISTS raw CASCADE; CREATE TABLE raw (${cols.map((c) => `${q(c)} text`).join(', ')});\n\\copy raw FROM '${file}' CSV HEADER`);
    const copy = seconds(t0);
    for (const v of variants) {
      t0 = process.hrtime.bigint();
      await server.psql(`DROP TABLE IF EXISTS tickets CASCADE; CREATE TABLE tickets AS SELECT ${cols.map((c) => (v === 'naive' ? q(c) : as(v, c))).join(', ')} FROM raw; ANALYZE tickets; CHECKPOINT;`);
      const make = seconds(t0);
      const script = join(dir, `${v}.sql`);
      const args = ['sql', '--dialect', 'postgres', '-c', config, '--from', '2025-01-01', '--to', '2027-01-01', '--as-of', '2027-01-01', '-o', script];
      if (v === 'typed') args.push('--typed');
      const entry = process.env.SLA_BENCH_CLI ? ['--import', 'tsx', process.env.SLA_BENCH_CLI] : [join(root, 'bin/sla-audit.js')];
      t0 = process.hrtime.bigint();
      execFileSync('node', [...entry, ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
      const compile = seconds(t0);
      const before = loadNow();
      const idle = treePids(postmaster);
      const watch = watchTree(postmaster);
      t0 = process.hrtime.bigint();
      // the count (cheap, after the script) in the same session: the tables are temporary
      const profile = process.env.BENCH_PROFILE ? '\\set ECHO queries\n\\timing on\n' : '';
      const out = await server.psql(`${profile}\\i ${script}\nSELECT count(*) || ' metric rows, ' || (SELECT count(*) FROM sla_problems) || ' problems' FROM sla_ticket_metrics;`);
      const run = seconds(t0);
      const mem = watch.stop();
      const backend = mem.peaks.find((p) => !idle.has(p.pid) && /postgres: postgres postgres/.test(p.cmd));
      const cpu = mem.peaks.filter((p) => !idle.has(p.pid)).reduce((a, p) => a + p.cpuS, 0); // the backend and any parallel workers
      console.log(`  ${v.padEnd(7)} load ${(copy + make).toFixed(1)} s (\\copy ${copy.toFixed(1)} s + tickets table ${make.toFixed(1)} s); compile ${compile.toFixed(1)} s; script ${run.toFixed(1)} s (CPU ${cpu.toFixed(1)} s); peak RSS: backend ${backend?.hwmMB.toFixed(0) ?? '?'} MB, server ${mem.sumRssMB.toFixed(0)} MB; ${/\d+ metric rows, \d+ problems/.exec(out)?.[0]}; ${before} → ${loadNow()}`);
      if (profile) console.log(slowest(out));
    }
    const before = loadNow();
    const check = checkOnCsv(root, config, file);
    console.log(`  check on the CSV: ${check.seconds.toFixed(1)} s (CPU ${check.cpuS.toFixed(1)} s), peak RSS ${check.rssMB.toFixed(0)} MB; ${before} → ${loadNow()}`);
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
