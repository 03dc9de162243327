// npm run bench -- spark [N ...] (or node test/bench/spark-sql.mjs [N ...]): the script
// `sla-audit sql --dialect spark` writes, on Spark in local mode (every core, driver memory 3g),
// through the venv npm run test:spark makes (.venv-spark; SPARK_PYTHON another python with pyspark).
// For each N (default 1,000,000) the bench's tickets (generate.mjs, sla.yaml; BENCH_SHAPE=real:
// generate-real.mjs, sla-real.yaml) are read as text columns, cached and counted (the load), then
// every statement of the script runs in the same session (the run; each statement's seconds go to
// stderr). Peak memory: the JVM's VmHWM (proc-peak.mjs), and the Python driver's. Beside it,
// `check` on the same CSV. Nothing is asserted.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkOnCsv, loadNow, watchTree } from './proc-peak.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const python = process.env.SPARK_PYTHON ?? join(root, '.venv-spark/bin/python');
if (!existsSync(python)) throw new Error(`no ${python}: bash test/spark/setup.sh makes it (npm run test:spark does)`);
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const Ns = sizes.length ? sizes : [1_000_000];
const real = process.env.BENCH_SHAPE === 'real';
const config = join(root, real ? 'test/bench/sla-real.yaml' : 'test/bench/sla.yaml');
const dir = mkdtempSync(join(tmpdir(), 'sla-spark-bench-'));

/** runs the Python half, watching its process tree's memory: its BENCH_ lines, and the peaks */
function runSpark(file, script) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('nice', ['-n', '5', python, join(root, 'test/bench/spark_run.py'), file, script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const watch = watchTree(child.pid);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const mem = watch.stop();
      if (code !== 0) return reject(new Error(`spark_run.py exited ${code}`));
      resolve({ out, mem, wall: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
  });
}

try {
  const pyspark = execFileSync(python, ['-c', 'import pyspark; print(pyspark.__version__)'], { encoding: 'utf8' }).trim();
  console.log(`machine: ${cpus()[0].model.trim()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; pyspark ${pyspark}, local[*]; ${real ? 'real-shaped export, sla-real.yaml' : 'bench export, sla.yaml'}`);
  console.log(`commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()}`);
  for (const n of Ns) {
    const file = join(tmpdir(), real ? `sla-real-${n}-utf-8.csv` : `sla-audit-bench-${n}.csv`);
    if (!existsSync(file)) execFileSync('node', [join(root, real ? 'test/bench/generate-real.mjs' : 'test/bench/generate.mjs'), String(n), file], { stdio: 'inherit' });
    const script = join(dir, `bench-${n}.sql`);
    execFileSync('node', [join(root, 'bin/sla-audit.js'), 'sql', '--dialect', 'spark', '-c', config, '--from', '2025-01-01', '--to', '2027-01-01', '--as-of', '2027-01-01', '--row-column', '_row', '-o', script], { stdio: ['ignore', 'ignore', 'inherit'] });
    let before = loadNow();
    const r = await runSpark(file, script);
    const [, load, rows] = /BENCH_LOAD ([\d.]+) (\d+)/.exec(r.out) ?? [];
    const run = /BENCH_RUN ([\d.]+)/.exec(r.out)?.[1];
    const jvm = r.mem.peaks.find((p) => p.name === 'java');
    const py = r.mem.peaks.find((p) => /python/.test(p.name));
    console.log(`\n${n.toLocaleString('en-US')} tickets, ${(statSync(file).size / 2 ** 20).toFixed(0)} MB CSV (${rows} rows read)`);
    console.log(`  load (read.csv, cache, count): ${Number(load).toFixed(1)} s; script: ${Number(run).toFixed(1)} s; process ${r.wall.toFixed(1)} s with the JVM's start, JVM CPU ${jvm?.cpuS.toFixed(1) ?? '?'} s; peak RSS: JVM ${jvm?.hwmMB.toFixed(0) ?? '?'} MB, Python ${py?.hwmMB.toFixed(0) ?? '?'} MB, all ${r.mem.sumRssMB.toFixed(0)} MB; ${/BENCH_RESULT (.*)/.exec(r.out)?.[1]}; ${before} → ${loadNow()}`);
    before = loadNow();
    const check = checkOnCsv(root, config, file);
    console.log(`  check on the CSV: ${check.seconds.toFixed(1)} s (CPU ${check.cpuS.toFixed(1)} s), peak RSS ${check.rssMB.toFixed(0)} MB; ${before} → ${loadNow()}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
