// npm run bench -- duckdb [N ...] (or node test/bench/duckdb-sql.mjs [N ...]): the script
// `sla-audit sql --dialect duckdb` writes, run alone on embedded DuckDB (@duckdb/node-api, as many
// threads as cores). For each N (default 1,000,000) the bench's tickets (generate.mjs, sla.yaml;
// BENCH_SHAPE=real: generate-real.mjs, sla-real.yaml) are loaded as text columns into a DuckDB
// file by one process (the load, timed), and a second process opens it and runs the script: its
// wall time, CPU time and peak RSS (peak-rss.cjs) are the script's alone. Beside it, `check` on the same CSV.
// Nothing is asserted.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOnCsv, loadNow } from './proc-peak.mjs';

const here = fileURLToPath(import.meta.url);
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;

// the measured child: BENCH_DUCKDB_STEP=load|run, BENCH_DUCKDB_DB the database file
if (process.env.BENCH_DUCKDB_STEP) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(process.env.BENCH_DUCKDB_DB, { threads: String(Math.max(1, cpus().length)) });
  const con = await db.connect();
  const t0 = process.hrtime.bigint();
  if (process.env.BENCH_DUCKDB_STEP === 'load') {
    const lit = (s) => `'${s.replaceAll("'", "''")}'`;
    await con.run(`CREATE OR REPLACE TABLE tickets AS SELECT * FROM read_csv(${lit(process.env.BENCH_DUCKDB_CSV)}, header = true, auto_detect = true, all_varchar = true)`);
  } else {
    await con.run(readFileSync(process.env.BENCH_DUCKDB_SCRIPT, 'utf8'));
    const r = await con.runAndReadAll(`SELECT (SELECT count(*) FROM sla_ticket_metrics) AS m, (SELECT count(*) FROM sla_problems) AS p`);
    const [m, p] = r.getRows()[0];
    process.stderr.write(`BENCH_RESULT ${m} metric rows, ${p} problems\n`);
  }
  process.stderr.write(`BENCH_SECONDS ${seconds(t0)}\n`);
  con.closeSync();
  db.closeSync();
  process.exit(0);
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const Ns = sizes.length ? sizes : [1_000_000];
const real = process.env.BENCH_SHAPE === 'real';
const config = join(root, real ? 'test/bench/sla-real.yaml' : 'test/bench/sla.yaml');
const dir = mkdtempSync(join(tmpdir(), 'sla-duckdb-bench-'));

function step(env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('nice', ['-n', '5', 'node', '--require', join(root, 'test/bench/peak-rss.cjs'), here], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  const wall = seconds(t0);
  if (r.status !== 0) throw new Error(`duckdb ${env.BENCH_DUCKDB_STEP} exited ${r.status}: ${r.stderr.slice(0, 1000)}`);
  return {
    wall,
    inside: Number(/BENCH_SECONDS ([\d.]+)/.exec(r.stderr)?.[1]),
    cpuS: Number(/BENCH_CPU_S ([\d.]+)/.exec(r.stderr)?.[1]),
    rssMB: Number(/BENCH_MAX_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024,
    result: /BENCH_RESULT (.*)/.exec(r.stderr)?.[1],
  };
}

try {
  const { version } = JSON.parse(readFileSync(join(root, 'node_modules/@duckdb/node-api/package.json'), 'utf8'));
  console.log(`machine: ${cpus()[0].model.trim()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}, @duckdb/node-api ${version}; ${real ? 'real-shaped export, sla-real.yaml' : 'bench export, sla.yaml'}`);
  console.log(`commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()}`);
  for (const n of Ns) {
    const file = join(tmpdir(), real ? `sla-real-${n}-utf-8.csv` : `sla-audit-bench-${n}.csv`);
    if (!existsSync(file)) execFileSync('node', [join(root, real ? 'test/bench/generate-real.mjs' : 'test/bench/generate.mjs'), String(n), file], { stdio: 'inherit' });
    const db = join(dir, `bench-${n}.duckdb`);
    const script = join(dir, `bench-${n}.sql`);
    execFileSync('node', [join(root, 'bin/sla-audit.js'), 'sql', '--dialect', 'duckdb', '-c', config, '--from', '2025-01-01', '--to', '2027-01-01', '--as-of', '2027-01-01', '-o', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    let before = loadNow();
    const load = step({ BENCH_DUCKDB_STEP: 'load', BENCH_DUCKDB_DB: db, BENCH_DUCKDB_CSV: file });
    const run = step({ BENCH_DUCKDB_STEP: 'run', BENCH_DUCKDB_DB: db, BENCH_DUCKDB_SCRIPT: script });
    console.log(`\n${n.toLocaleString('en-US')} tickets, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB CSV`);
    console.log(`  load (read_csv into a table, own process): ${load.inside.toFixed(1)} s, peak RSS ${load.rssMB.toFixed(0)} MB`);
    console.log(`  script alone: ${run.inside.toFixed(1)} s (process ${run.wall.toFixed(1)} s, CPU ${run.cpuS.toFixed(1)} s), peak RSS ${run.rssMB.toFixed(0)} MB; ${run.result}; ${before} → ${loadNow()}`);
    before = loadNow();
    const check = checkOnCsv(root, config, file);
    console.log(`  check on the CSV: ${check.seconds.toFixed(1)} s (CPU ${check.cpuS.toFixed(1)} s), peak RSS ${check.rssMB.toFixed(0)} MB; ${before} → ${loadNow()}`);
    rmSync(db, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
