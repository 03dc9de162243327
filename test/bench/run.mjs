// npm run bench [-- N ...]: generates a realistic file per size (seeded), then times csv-parse alone
// on it (the floor) and the full `sla-audit check`, each in its own process, and prints tickets/s,
// their ratio and the peak RSS. Nothing here is asserted; README quotes the figures.
// Then the same check writing the Excel workbook (-o .xlsx) of the 1M file: time, peak RSS, size;
// and LibreOffice reading it back (time, peak RSS, rows) when soffice is installed.
// And --engine duckdb at 1M and 4M beside the streaming engine (BENCH_NO_DUCKDB=1 leaves it out).
// npm run bench -- postgres|duckdb|spark [N]: the compiled SQL script at N tickets (default 1M) on a
// PostgreSQL server started here, on DuckDB, on Spark in local mode: load, run, peak memory, beside
// `check` on the same CSV (postgres-sql.mjs, duckdb-sql.mjs, spark-sql.mjs).
// npm run bench -- startup: the start-up medians instead (startup.mjs).
// npm run bench -- pairs [N]: this build against another (BENCH_BASE), interleaved A/B pairs on the
// bench file and the real-shaped one in UTF-8 and GBK (pairs.mjs); the full run ends with it at 1M
// when BENCH_BASE is set.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
if (process.argv[2] === 'startup') {
  await import('./startup.mjs');
  process.exit(0);
}
const warehouse = { postgres: './postgres-sql.mjs', duckdb: './duckdb-sql.mjs', spark: './spark-sql.mjs' }[process.argv[2]];
if (warehouse) {
  await import(warehouse); // each reads its sizes from process.argv, where the name is not a number
  process.exit(0);
}
if (process.argv[2] === 'pairs') {
  await import('./pairs.mjs');
  process.exit(0);
}
const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const Ns = sizes.length ? sizes : [100_000, 1_000_000, 4_000_000];

function timed(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('node', ['--require', join(root, 'test/bench/peak-rss.cjs'), ...args], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = Number(/BENCH_MAX_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { seconds, rss };
}

console.log(`machine: ${cpus()[0].model.trim()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`);
console.log('tickets     file MB  csv-parse s  check s  ratio  tickets/s  peak RSS MB');
const rows = [];
for (const n of Ns) {
  const file = join(tmpdir(), `sla-audit-bench-${n}.csv`);
  if (!existsSync(file)) execFileSync('node', [join(root, 'test/bench/generate.mjs'), String(n), file], { stdio: 'inherit' });
  const floor = timed([join(root, 'test/bench/parse-only.mjs'), file]);
  const check = timed([join(root, 'bin/sla-audit.js'), 'check', '-c', join(root, 'test/bench/sla.yaml'), file, '--as-of', '2027-01-01', '-q']);
  const row = { n, mb: statSync(file).size / 2 ** 20, floor: floor.seconds, check: check.seconds, ratio: check.seconds / floor.seconds, tps: n / check.seconds, rss: check.rss };
  rows.push(row);
  console.log(
    `${String(n).padStart(9)}  ${row.mb.toFixed(0).padStart(7)}  ${row.floor.toFixed(2).padStart(11)}  ${row.check.toFixed(2).padStart(7)}  ${row.ratio.toFixed(2).padStart(5)}  ${Math.round(row.tps).toLocaleString('en-US').padStart(9)}  ${row.rss.toFixed(0).padStart(11)}`,
  );
}
const r1 = rows.find((r) => r.n === 1_000_000);
const r4 = rows.find((r) => r.n === 4_000_000);
if (r1 && r4) console.log(`peak RSS at 4M / at 1M: ${(r4.rss / r1.rss).toFixed(2)}`);

// the same 1M file with KPI objectives (phased, filtered), a quarterly team scorecard and --period month
const at = rows.find((r) => r.n === 1_000_000) ?? rows[rows.length - 1];
if (at) {
  const file = join(tmpdir(), `sla-audit-bench-${at.n}.csv`);
  const kpi = timed([join(root, 'bin/sla-audit.js'), 'check', '-c', join(root, 'test/bench/sla-scorecards.yaml'), file, '--as-of', '2027-01-01', '--period', 'month', '-q']);
  console.log(`with scorecards and KPI objectives at ${at.n.toLocaleString('en-US')}: check ${kpi.seconds.toFixed(2)} s (${(kpi.seconds / at.check).toFixed(2)}× the plain check), ${Math.round(at.n / kpi.seconds).toLocaleString('en-US')} tickets/s, peak RSS ${kpi.rss.toFixed(0)} MB`);
}

// --engine duckdb on the same files (DuckDB reads and evaluates, the engine aggregates and
// reports): wall time, tickets/s and peak RSS beside the streaming engine's, whether the JSON
// reports are the same, and (SLA_AUDIT_PROFILE) where the time went in the 1M run
if (!process.env.BENCH_NO_DUCKDB) {
  console.log('\n--engine duckdb  tickets  streaming s  duckdb s  speed-up  tickets/s  peak RSS MB  same JSON');
  for (const r of rows.filter((x) => x.n >= 1_000_000)) {
    const file = join(tmpdir(), `sla-audit-bench-${r.n}.csv`);
    const args = [join(root, 'bin/sla-audit.js'), 'check', '-c', join(root, 'test/bench/sla.yaml'), file, '--as-of', '2027-01-01'];
    const d = timed([...args, '-q', '--engine', 'duckdb']);
    const json = (engine) => spawnSync('node', [...args, '-f', 'json', '--engine', engine], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.replace(/"generatedAt": "[^"]*"/, '');
    const same = json('duckdb') === json('streaming');
    console.log(`${' '.repeat(15)}${String(r.n).padStart(9)}  ${r.check.toFixed(2).padStart(11)}  ${d.seconds.toFixed(2).padStart(8)}  ${(r.check / d.seconds).toFixed(2).padStart(8)}  ${Math.round(r.n / d.seconds).toLocaleString('en-US').padStart(9)}  ${d.rss.toFixed(0).padStart(11)}  ${same ? 'yes' : 'NO'}`);
    if (r.n === 1_000_000) {
      const p = spawnSync('node', [...args, '-q', '--engine', 'duckdb'], { cwd: root, encoding: 'utf8', env: { ...process.env, SLA_AUDIT_PROFILE: '1' } });
      console.log(p.stderr.split('\n').filter((l) => /profile: +\d{3,} ms/.test(l)).map((l) => `  ${l.replace('sla-audit: profile: ', '')}`).join('\n'));
    }
  }
}

// the same 1M file with five --messages per ticket: next reply, periodic update, escalation ladders, credits
if (at) {
  const file = join(tmpdir(), `sla-audit-bench-${at.n}.csv`);
  const messages = join(tmpdir(), `sla-audit-bench-${at.n}-messages.csv`);
  if (!existsSync(messages)) execFileSync('node', [join(root, 'test/bench/generate-messages.mjs'), file, messages], { stdio: 'inherit' });
  const msg = timed([join(root, 'bin/sla-audit.js'), 'check', '-c', join(root, 'test/bench/sla-messages.yaml'), file, '--messages', messages, '--as-of', '2027-01-01', '-q']);
  console.log(`with --messages (${(statSync(messages).size / 2 ** 20).toFixed(0)} MB, 5 per ticket), reply metrics, ladders and credits at ${at.n.toLocaleString('en-US')}: check ${msg.seconds.toFixed(2)} s (${(msg.seconds / at.check).toFixed(2)}× the plain check), ${Math.round(at.n / msg.seconds).toLocaleString('en-US')} tickets/s, peak RSS ${msg.rss.toFixed(0)} MB`);
}

// the workbook: every ticket a row of the Tickets sheet, streamed into the zip
const nx = Ns.includes(1_000_000) || !sizes.length ? 1_000_000 : Math.max(...Ns);
const source = join(tmpdir(), `sla-audit-bench-${nx}.csv`);
if (!existsSync(source)) execFileSync('node', [join(root, 'test/bench/generate.mjs'), String(nx), source], { stdio: 'inherit' });
const xlsx = join(tmpdir(), `sla-audit-bench-${nx}.xlsx`);
const wb = timed([join(root, 'bin/sla-audit.js'), 'check', '-c', join(root, 'test/bench/sla.yaml'), source, '--as-of', '2027-01-01', '-q', '-o', xlsx]);
console.log(`\nworkbook (-o .xlsx)  tickets  check s  tickets/s  peak RSS MB  file MB`);
console.log(`${' '.repeat(19)}${String(nx).padStart(9)}  ${wb.seconds.toFixed(2).padStart(7)}  ${Math.round(nx / wb.seconds).toLocaleString('en-US').padStart(9)}  ${wb.rss.toFixed(0).padStart(11)}  ${(statSync(xlsx).size / 2 ** 20).toFixed(0).padStart(7)}`);
// ... and opened by a real spreadsheet application: LibreOffice converts its Tickets sheet (the
// second) to CSV; every ticket must come back as a row (SOFFICE_PATH, default /usr/bin/soffice;
// left out when it is not installed)
const soffice = process.env.SOFFICE_PATH ?? '/usr/bin/soffice';
if (existsSync(soffice)) {
  const out = join(tmpdir(), `sla-audit-bench-lo-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const lo = spawnSync('/usr/bin/time', ['-f', 'BENCH_MAX_RSS_KB %M', soffice, `-env:UserInstallation=file://${out}/profile`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2', '--outdir', out, xlsx], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = Number(/BENCH_MAX_RSS_KB (\d+)/.exec(lo.stderr)?.[1] ?? NaN) / 1024;
  const csv = join(out, `sla-audit-bench-${nx}-Tickets.csv`); // one sheet chosen: named after it
  const lines = existsSync(csv) ? Number(execFileSync('wc', ['-l', csv], { encoding: 'utf8' }).split(' ')[0]) : 0;
  // the Tickets sheet holds the evaluated tickets (a ticket created after --as-of is outside the audit)
  const json = spawnSync('node', [join(root, 'bin/sla-audit.js'), 'check', '-c', join(root, 'test/bench/sla.yaml'), source, '--as-of', '2027-01-01', '-f', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const evaluated = JSON.parse(json.stdout).totals.evaluated;
  console.log(`LibreOffice (soffice --convert-to csv, the Tickets sheet): ${seconds.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB, ${(lines - 1).toLocaleString('en-US')} ticket rows read back of ${evaluated.toLocaleString('en-US')} evaluated${lines - 1 === evaluated ? '' : ' (NOT ALL)'}`);
  rmSync(out, { recursive: true, force: true });
}
rmSync(xlsx);

// this build against the one in BENCH_BASE, on the bench file and the real-shaped files at 1M
if (process.env.BENCH_BASE) {
  console.log('');
  process.argv[3] = '1000000';
  await import('./pairs.mjs');
}
