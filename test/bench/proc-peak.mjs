// Peak memory of processes the bench does not spawn itself (a PostgreSQL server's backends, the
// JVM under PySpark): samples /proc every 200 ms while watching, keeping each process's VmHWM (the
// kernel's peak resident set, which only grows, so the last sample is within 200 ms of its peak)
// and the largest sum of VmRSS over the watched processes at one instant. Linux only.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function status(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? 0);
    // utime and stime, fields 14 and 15 of stat after the command's closing parenthesis, in ticks of 1/100 s
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cpu: (Number(f[11]) + Number(f[12])) / 100, ppid: Number(/^PPid:\s+(\d+)/m.exec(s)?.[1]), hwm: kb('VmHWM'), rss: kb('VmRSS'), name: /^Name:\s+(.*)$/m.exec(s)?.[1] ?? '' };
  } catch {
    return undefined; // gone between the listing and the read
  }
}

/** The process and its descendants now: pid → status. */
function tree(root) {
  const all = new Map();
  for (const d of readdirSync('/proc')) if (/^\d+$/.test(d)) {
    const s = status(d);
    if (s) all.set(Number(d), s);
  }
  const out = new Map();
  const add = (pid) => {
    const s = all.get(pid);
    if (!s || out.has(pid)) return;
    out.set(pid, s);
    for (const [p, c] of all) if (c.ppid === pid) add(p);
  };
  add(root);
  return out;
}

/** The processes of root's tree now (e.g. to leave the idle ones out of a watch). */
export const treePids = (root) => new Set(tree(root).keys());

/** Watches root's process tree until stop(): { peaks: [{pid, name, cmd, hwmMB, cpuS (CPU seconds so far)}] largest first, sumRssMB }. */
export function watchTree(root, { exclude = new Set() } = {}) {
  const peaks = new Map();
  let sumRss = 0;
  const sample = () => {
    let sum = 0;
    for (const [pid, s] of tree(root)) {
      if (exclude.has(pid)) continue;
      sum += s.rss;
      let cmd = peaks.get(pid)?.cmd;
      if (cmd === undefined) {
        try {
          cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
        } catch {
          cmd = s.name;
        }
      }
      peaks.set(pid, { pid, name: s.name, cmd, hwmMB: Math.max(peaks.get(pid)?.hwmMB ?? 0, s.hwm / 1024), cpuS: s.cpu });
    }
    sumRss = Math.max(sumRss, sum / 1024);
  };
  sample();
  const timer = setInterval(sample, 200);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peaks: [...peaks.values()].sort((a, b) => b.hwmMB - a.hwmMB), sumRssMB: sumRss };
    },
  };
}

/** The 1-, 5- and 15-minute load averages now, as uptime prints them (the machine is shared). */
export const loadNow = () => `load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;

/** `sla-audit check` on the CSV in its own process (nice 5): wall seconds, CPU seconds and peak RSS (MB). */
export function checkOnCsv(root, config, file) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('nice', ['-n', '5', 'node', '--require', join(root, 'test/bench/peak-rss.cjs'), join(root, 'bin/sla-audit.js'), 'check', '-c', config, file, '--as-of', '2027-01-01', '-q'], { cwd: root, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`check exited ${r.status}: ${r.stderr.slice(0, 500)}`);
  return { seconds, cpuS: Number(/BENCH_CPU_S ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN), rssMB: Number(/BENCH_MAX_RSS_KB (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024 };
}
