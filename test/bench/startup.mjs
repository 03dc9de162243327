// npm run bench -- startup: how long the CLI takes to start, as medians of many runs of each
// command beside `node -e 0` (Node's own start-up on this machine). Nothing here is asserted;
// README quotes the figures. STARTUP_COMPARE=<another checkout's bin/sla-audit.js> adds its rows,
// interleaved with these, for a before/after comparison under the same load.
import { spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin/sla-audit.js');
const RUNS = Number(process.env.STARTUP_RUNS ?? 41);
const demo = ['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '-q'];
const commands = (b, tag) => [
  [`sla-audit --version${tag}`, [b, '--version']],
  [`sla-audit --help${tag}`, [b, '--help']],
  [`sla-audit check (demo, -q)${tag}`, [b, ...demo]],
  [`sla-audit check (demo, table)${tag}`, [b, ...demo.slice(0, -1)]],
];
const other = process.env.STARTUP_COMPARE;
const cases = [['node -e 0', ['-e', '0']], ...commands(bin, ''), ...(other ? commands(other, ' [compare]') : [])];

function seconds(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'ignore', env: { ...process.env, FORCE_COLOR: '0' } });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

console.log(`machine: ${cpus()[0].model.trim()}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ${RUNS} runs each, interleaved`);
const times = cases.map(() => []);
for (const [, args] of cases) seconds(args); // warm the file cache
for (let i = 0; i < RUNS; i++) cases.forEach(([, args], k) => times[k].push(seconds(args)));
const width = Math.max(...cases.map(([name]) => name.length));
console.log(`${'command'.padEnd(width)}  median s   min s   max s`);
cases.forEach(([name], k) => {
  const t = times[k];
  console.log(`${name.padEnd(width)}  ${median(t).toFixed(3).padStart(8)}  ${Math.min(...t).toFixed(3).padStart(6)}  ${Math.max(...t).toFixed(3).padStart(6)}`);
});
