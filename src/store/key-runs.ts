/**
 * Sorted runs of 64-bit keys with a memory ceiling: keys collect in a fixed buffer; a full buffer is
 * sorted and written to a temporary file; at the end every run is merged in key order. Keys are
 * given as two 32-bit halves, so adding one allocates nothing.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = 1 << 20; // keys per run by default (8 MiB)
const READ = 1 << 14; // keys read from a run at a time

export class KeyRuns {
  private readonly buf: BigUint64Array;
  private readonly words: Uint32Array;
  constructor(private readonly chunk = CHUNK) {
    this.buf = new BigUint64Array(chunk);
    this.words = new Uint32Array(this.buf.buffer);
  }
  private n = 0;
  private readonly runs: string[] = [];
  private dir: string | undefined;

  add(hi: number, lo: number): void {
    if (this.n === this.chunk) this.spill();
    const i = this.n++ * 2;
    this.words[i] = lo; // little-endian: low word first
    this.words[i + 1] = hi;
  }

  private spill(): void {
    const sorted = this.buf.subarray(0, this.n).sort();
    this.dir ??= mkdtempSync(join(tmpdir(), 'sla-audit-'));
    const file = join(this.dir, `run-${this.runs.length}`);
    const fd = openSync(file, 'w');
    writeSync(fd, new Uint8Array(sorted.buffer, sorted.byteOffset, sorted.byteLength));
    closeSync(fd);
    this.runs.push(file);
    this.n = 0;
  }

  /** Calls `visit(hi, lo)` for every key in ascending order, then frees everything. */
  merge(visit: (hi: number, lo: number) => void): void {
    const mem = this.buf.subarray(0, this.n).sort();
    // sources are read through 32-bit views: no BigInt is created per key
    const sources: { w: Uint32Array; len: number; pos: number; fd?: number; buf?: BigUint64Array }[] = [
      { w: new Uint32Array(mem.buffer, mem.byteOffset, mem.length * 2), len: mem.length, pos: 0 },
    ];
    for (const file of this.runs) {
      const fd = openSync(file, 'r');
      const buf = new BigUint64Array(READ);
      const s = { w: new Uint32Array(buf.buffer), len: 0, pos: 0, fd, buf };
      s.len = fill(fd, buf);
      sources.push(s);
    }
    // a k-way merge; k is small (one run per million keys), so a linear scan for the minimum is fine
    for (;;) {
      let best = -1;
      let bh = 0, bl = 0;
      for (let i = 0; i < sources.length; i++) {
        const s = sources[i];
        if (s.pos >= s.len) {
          if (s.fd === undefined) continue;
          s.len = fill(s.fd, s.buf!);
          s.pos = 0;
          if (!s.len) {
            closeSync(s.fd);
            s.fd = undefined;
            continue;
          }
        }
        const h = s.w[s.pos * 2 + 1], l = s.w[s.pos * 2];
        if (best < 0 || h < bh || (h === bh && l < bl)) {
          best = i;
          bh = h;
          bl = l;
        }
      }
      if (best < 0) break;
      sources[best].pos++;
      visit(bh, bl);
    }
    this.dispose();
  }

  dispose(): void {
    for (const f of this.runs) {
      try {
        unlinkSync(f);
      } catch {
        /* gone */
      }
    }
    if (this.dir) {
      try {
        rmdirSync(this.dir);
      } catch {
        /* not empty or gone */
      }
    }
    this.runs.length = 0;
    this.n = 0;
  }
}

/** Reads the next keys of a run into `buf`; returns how many. */
function fill(fd: number, buf: BigUint64Array): number {
  const bytes = readSync(fd, new Uint8Array(buf.buffer), 0, buf.byteLength, null);
  return Math.floor(bytes / 8);
}
