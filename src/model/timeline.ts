/**
 * internal, for measuring: SLA_AUDIT_TIMELINE=1 writes to standard error when each step of a run
 * starts or ends, in milliseconds since the main thread's start (the worker threads' steps on the
 * same clock), one line per step: `timeline <ms> <thread> <the process's resident set, MB> <step>`. Off, a step costs a test of a constant.
 */
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { isMainThread, threadId } from 'node:worker_threads';

const ON = !!process.env.SLA_AUDIT_TIMELINE;
// the worker threads inherit the main thread's environment: its start, to count from
if (ON && isMainThread) process.env.SLA_AUDIT_TIMELINE_ORIGIN = String(performance.timeOrigin);
const ORIGIN = Number(process.env.SLA_AUDIT_TIMELINE_ORIGIN ?? performance.timeOrigin);

/** Notes that a step of the run is reached (SLA_AUDIT_TIMELINE set): nothing otherwise. */
export function mark(step: string): void {
  if (!ON) return;
  const ms = performance.timeOrigin + performance.now() - ORIGIN;
  const m = process.memoryUsage();
  const mb = (n: number) => (n / 1048576).toFixed(0).padStart(4);
  const rss = `${mb(m.rss)} heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} ab ${mb(m.arrayBuffers)}`;
  writeSync(2, `timeline ${ms.toFixed(1).padStart(8)} ${isMainThread ? 'main' : `t${threadId}`.padEnd(4)} ${rss} ${step}\n`);
}
