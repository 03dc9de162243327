/**
 * Progress of a run while it reads its inputs, on standard error only (standard output carries the
 * report). On a terminal: one line redrawn in place (rows, the share of the files read, the rate and
 * the time left). Without one (CI, cron, a pipe): a dated heartbeat line every interval, so a long
 * unattended run shows it is alive and a log tells when. A run shorter than one interval prints
 * nothing there; with -q nothing at all unless --progress always.
 */
import { statSync } from 'node:fs';

export const PROGRESS_WHEN = ['auto', 'always', 'never'] as const;
export type ProgressWhen = (typeof PROGRESS_WHEN)[number];

/** What is known at one moment of a run. */
export interface ProgressState {
  rows: number;
  /** bytes of the ticket files read so far; undefined when the reader cannot tell */
  bytes?: number;
  /** bytes of all the ticket files; undefined for standard input (no total) */
  total?: number;
  /** since the reading began */
  elapsedMs: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

/** 1,536 → "1.5 KiB"; binary units, one decimal below 10. */
export function sizeText(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** 38 → "38 s", 150 → "2 min 30 s", 7260 → "2 h 01 min". */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * The parts of a progress report: rows, the share of the files (when their size is known), the rate
 * (rows per second since the start) and the time left (from the bytes still to read at the bytes'
 * rate so far). Rate and time left need a second of reading, and the time left a share read.
 */
function parts(p: ProgressState): string[] {
  const out = [`${int(p.rows)} rows read`];
  const known = p.bytes !== undefined && p.total !== undefined && p.total > 0;
  if (known) out.push(`${Math.min(100, Math.floor((p.bytes! / p.total!) * 100))}% of ${sizeText(p.total!)}`);
  const secs = p.elapsedMs / 1000;
  if (secs >= 1) {
    out.push(`${int(p.rows / secs)} rows/s`);
    if (known && p.bytes! > 0 && p.bytes! < p.total!) out.push(`about ${durationText(((p.total! - p.bytes!) / p.bytes!) * secs)} left`);
  }
  return out;
}

/** The line a terminal shows (redrawn in place): "  1,234 rows read · 45% of 120 MiB · 52,000 rows/s · about 38 s left". */
export function terminalLine(p: ProgressState): string {
  return `  ${parts(p).join(' · ')}`;
}

/** The heartbeat without a terminal, dated in UTC to the second: "sla-audit: 2026-12-07T14:03:00Z progress: 1,234 rows read, …". */
export function heartbeatLine(now: number, p: ProgressState): string {
  return `sla-audit: ${new Date(now).toISOString().slice(0, 19)}Z progress: ${parts(p).join(', ')}`;
}

/** --progress-interval: "30s", "2m", "500ms" or a number of seconds; at least 100 ms. */
export function parseInterval(text: string): number | string {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(text);
  if (!m) return `--progress-interval "${text}" is not a duration (e.g. 30s, 2m or 500ms)`;
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 'm' ? 60_000 : 1000);
  if (!(ms >= 100) || !Number.isFinite(ms)) return `--progress-interval "${text}" is too short or too long: give at least 100ms`;
  return Math.min(ms, 2 ** 31 - 1);
}

/** The total size of the inputs, or undefined when one is standard input or not a regular file. */
export function totalBytes(inputs: string[]): number | undefined {
  let total = 0;
  for (const i of inputs) {
    if (i === '-') return undefined;
    try {
      const st = statSync(i);
      if (!st.isFile()) return undefined;
      total += st.size;
    } catch {
      return undefined; // opening it says why
    }
  }
  return total;
}

export interface ProgressOptions {
  when: ProgressWhen;
  quiet: boolean;
  intervalMs: number;
  /** total size of the inputs (undefined for standard input) */
  total?: number;
  stream?: NodeJS.WriteStream;
  now?: () => number;
}

/** A run's progress reporter: `update` from the reading, `stop` when the reading is over (clears the terminal line). */
export class Progress {
  private state: ProgressState = { rows: 0, elapsedMs: 0 };
  private readonly start: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly tty: boolean;
  private drawn = false;
  private draw: (() => void) | undefined;

  constructor(private readonly o: ProgressOptions) {
    const stream = o.stream ?? process.stderr;
    const now = o.now ?? Date.now;
    this.start = now();
    this.state.total = o.total;
    this.tty = !!stream.isTTY && process.env.TERM !== 'dumb';
    const on = o.when === 'always' || (o.when === 'auto' && !o.quiet);
    if (!on) return;
    const tick = () => {
      this.state.elapsedMs = now() - this.start;
      if (this.tty) {
        // one row of the terminal at most: a wrapped line could not be redrawn in place
        const line = terminalLine(this.state);
        stream.write(`\r${stream.columns > 1 ? line.slice(0, stream.columns - 1) : line}\x1b[K`);
        this.drawn = true;
      } else stream.write(heartbeatLine(now(), this.state) + '\n');
    };
    this.draw = tick;
    // the terminal line is redrawn four times a second; the heartbeat every interval. Neither keeps the process alive.
    this.timer = setInterval(tick, this.tty ? 250 : o.intervalMs);
    this.timer.unref();
  }

  get active(): boolean {
    return this.timer !== undefined;
  }

  update = (rows: number, bytes?: number): void => {
    this.state.rows = rows;
    if (bytes !== undefined) this.state.bytes = bytes;
    // a terminal shows the line from the first rows on, then four times a second
    if (this.tty && !this.drawn) this.draw?.();
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drawn) (this.o.stream ?? process.stderr).write('\r\x1b[K');
  }
}
