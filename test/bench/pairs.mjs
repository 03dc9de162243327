// npm run bench -- pairs [N]: this build against another, in interleaved A/B pairs on the same files:
// the bench file (generate.mjs) and the real-shaped one (generate-real.mjs: distinct rows, 16
// columns, Chinese text, 50,000 customers) in UTF-8 and in GBK, N tickets each (default 1M). Each
// pair runs both builds back to back, the order alternating from pair to pair; the table shows the
// medians of wall time and peak RSS, on every core and on one (taskset -c 0), and whether the two
// builds' reports are the same (JSON without generatedAt, CSV, Markdown). Nothing is asserted.
//   BENCH_BASE=<the other checkout>/bin/sla-audit.js  the build to compare against (required)
//   BENCH_PAIRS=5                                     pairs per figure
//   BENCH_ONE_CORE=0                                  leave out the one-core figures
//   BENCH_SAME=0                                      leave out the comparison of the reports
//   BENCH_FILES=bench,utf-8,gbk                       which files
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const base = process.env.BENCH_BASE;
if (!base || !existsSync(base)) {
  console.error('npm run bench -- pairs: set BENCH_BASE to the bin/sla-audit.js of a built checkout to compare against');
  process.exit(2);
}
const n = Number(process.argv[3] ?? 1_000_000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 5);
const oneCore = process.env.BENCH_ONE_CORE !== '0' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const here = join(root, 'bin/sla-audit.js');

function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? 'unknown CPU';
  const nproc = spawnSync('nproc', { encoding: 'utf8' }).stdout?.trim() || String(availableParallelism());
  return `machine: ${cpu}, nproc ${nproc}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; load average at start ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;
}

function file(kind) {
  if (kind === 'bench') {
    const f = join(tmpdir(), `sla-audit-bench-${n}.csv`);
    if (!existsSync(f)) execFileSync('node', [join(root, 'test/bench/generate.mjs'), String(n), f], { stdio: 'inherit' });
    return { name: 'bench file', path: f, config: join(root, 'test/bench/sla.yaml') };
  }
  const f = join(tmpdir(), `sla-audit-real-${n}-${kind}.csv`);
  if (!existsSync(f)) execFileSync('node', [join(root, 'test/bench/generate-real.mjs'), String(n), f, kind], { stdio: 'inherit' });
  return { name: `real-shaped ${kind === 'gbk' ? 'GBK' : 'UTF-8'}`, path: f, config: join(root, 'test/bench/sla-real.yaml') };
}

/** One run: wall seconds and peak RSS (MB) of the whole process, worker threads included. */
function timed(bin, f, cores) {
  const args = ['--require', join(root, 'test/bench/peak-rss.cjs'), bin, 'check', '-c', f.config, f.path, '--as-of', '2027-01-01', '-q'];
  const [cmd, argv] = cores === 1 ? ['taskset', ['-c', '0', process.execPath, ...args]] : [process.execPath, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { seconds, rss: Number(/BENCH_MAX_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Whether both builds write the same reports (JSON without generatedAt, CSV, Markdown with shares past 999% as one). */
function same(f) {
  const out = (bin, format) => {
    const r = spawnSync(process.execPath, [bin, 'check', '-c', f.config, f.path, '--as-of', '2027-01-01', '-f', format], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${bin} -f ${format} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
    let text = r.stdout.replace(/"generatedAt": "[^"]*"/, '');
    // the worst breaches' share past 999% reads "×4,176 of target" since the reports work (it was "417600%"):
    // an intended change of wording, not of a number, so both spellings compare as one
    if (format === 'markdown') text = text.replace(/\| (?:\d{4,}%|×[\d,.]+ of target) \|/g, '| (past 999%) |');
    return text;
  };
  const differ = ['json', 'csv', 'markdown'].filter((format) => out(base, format) !== out(here, format));
  return differ.length ? `NO (${differ.join(', ')})` : 'yes';
}

console.log(machine());
console.log(`A: ${base}\nB: ${here}\n${PAIRS} interleaved pairs per figure, medians; ${n.toLocaleString('en-US')} tickets per file`);
console.log('file                  MB  cores  A s      B s      A/B    A RSS MB  B RSS MB  same reports');
for (const kind of (process.env.BENCH_FILES ?? 'bench,utf-8,gbk').split(',')) {
  const f = file(kind);
  const mb = statSync(f.path).size / 2 ** 20;
  const identical = process.env.BENCH_SAME === '0' ? 'not compared' : same(f);
  for (const cores of oneCore ? [0, 1] : [0]) {
    const a = [], b = [];
    for (let i = 0; i < PAIRS; i++) {
      // the order alternates, so neither build always runs on a warmer (or busier) machine
      if (i % 2 === 0) {
        a.push(timed(base, f, cores));
        b.push(timed(here, f, cores));
      } else {
        b.push(timed(here, f, cores));
        a.push(timed(base, f, cores));
      }
    }
    const as = median(a.map((x) => x.seconds)), bs = median(b.map((x) => x.seconds));
    console.log(
      `${f.name.padEnd(20)}${mb.toFixed(0).padStart(4)}  ${(cores === 1 ? '1' : 'all').padStart(5)}  ${as.toFixed(2).padStart(6)}  ${bs.toFixed(2).padStart(6)}  ${(as / bs).toFixed(2).padStart(5)}×  ${median(a.map((x) => x.rss)).toFixed(0).padStart(8)}  ${median(b.map((x) => x.rss)).toFixed(0).padStart(8)}  ${cores === 0 ? identical : ''}`,
    );
  }
}
