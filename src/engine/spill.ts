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
  count = 0;

  add(hi: number, lo: number): void {
    if (this.n === this.chunk) this.spill();
    const i = this.n++ * 2;
    this.words[i] = lo; // little-endian: low word first
    this.words[i + 1] = hi;
    this.count++;
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
    const sources: { keys: BigUint64Array<ArrayBufferLike>; pos: number; fd?: number; done: boolean }[] = [{ keys: mem, pos: 0, done: false }];
    for (const file of this.runs) {
      const fd = openSync(file, 'r');
      sources.push({ keys: refill(fd, new BigUint64Array(READ)), pos: 0, fd, done: false });
    }
    const words = new Uint32Array(2);
    const key = new BigUint64Array(words.buffer);
    // a k-way merge; k is small (one run per million keys), so a linear scan for the minimum is fine
    for (;;) {
      let best = -1;
      for (let i = 0; i < sources.length; i++) {
        const s = sources[i];
        if (s.pos >= s.keys.length) {
          if (s.fd === undefined || s.done) continue;
          s.keys = refill(s.fd, s.keys);
          s.pos = 0;
          if (!s.keys.length) {
            s.done = true;
            continue;
          }
        }
        if (best < 0 || s.keys[s.pos] < sources[best].keys[sources[best].pos]) best = i;
      }
      if (best < 0) break;
      key[0] = sources[best].keys[sources[best].pos++];
      visit(words[1], words[0]);
    }
    this.dispose();
    for (const s of sources) if (s.fd !== undefined) closeSync(s.fd);
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

function refill(fd: number, into: BigUint64Array<ArrayBufferLike>): BigUint64Array<ArrayBufferLike> {
  const full = into.length === READ ? into : new BigUint64Array(READ);
  const bytes = readSync(fd, new Uint8Array(full.buffer), 0, full.byteLength, null);
  return full.subarray(0, Math.floor(bytes / 8));
}
