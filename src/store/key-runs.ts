/**
 * Sorted runs of 64-bit keys, each with a 32-bit payload, under a memory ceiling: records collect in
 * fixed buffers; a full buffer is radix-sorted by key and written to a temporary file; at the end
 * every run is merged in key order. Keys are given as two 32-bit halves, so adding one allocates
 * nothing.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = 1 << 20; // records per run by default (12 MiB)
const READ = 1 << 14; // records read from a run at a time

/**
 * LSD radix sort of records (hi, lo[, payload]) by (hi, lo): four passes of 16 bits; stable. The
 * scratch arrays live only while it runs.
 */
function radixSort(cols: Uint32Array[], n: number): void {
  const count = new Uint32Array(65537);
  let src: Uint32Array[] = cols;
  let dst: Uint32Array[] = cols.map(() => new Uint32Array(n));
  for (const [word, shift] of [[1, 0], [1, 16], [0, 0], [0, 16]] as const) {
    count.fill(0);
    const key = src[word];
    for (let i = 0; i < n; i++) count[((key[i] >>> shift) & 0xffff) + 1]++;
    for (let d = 0; d < 65536; d++) count[d + 1] += count[d];
    for (let i = 0; i < n; i++) {
      const to = count[(key[i] >>> shift) & 0xffff]++;
      for (let c = 0; c < src.length; c++) dst[c][to] = src[c][i];
    }
    [src, dst] = [dst, src];
  }
  // four passes: the sorted records are back in the arrays they started in
}

export class KeyRuns {
  private readonly hi: Uint32Array;
  private readonly lo: Uint32Array;
  /** payloads, made on the first one that is not 0 (fingerprints of ids carry none) */
  private pay: Uint32Array | undefined;
  private n = 0;
  private readonly runs: string[] = [];
  private dir: string | undefined;

  constructor(private readonly chunk = CHUNK) {
    this.hi = new Uint32Array(chunk);
    this.lo = new Uint32Array(chunk);
  }

  add(hi: number, lo: number, payload = 0): void {
    if (this.n === this.chunk) this.spill();
    const i = this.n++;
    this.hi[i] = hi;
    this.lo[i] = lo;
    if (payload !== 0) this.pay ??= new Uint32Array(this.chunk);
    if (this.pay) this.pay[i] = payload;
  }

  private sort(): void {
    radixSort(this.pay ? [this.hi, this.lo, this.pay] : [this.hi, this.lo], this.n);
  }

  private spill(): void {
    this.sort();
    const out = new Uint32Array(this.n * 3);
    for (let i = 0; i < this.n; i++) {
      out[i * 3] = this.hi[i];
      out[i * 3 + 1] = this.lo[i];
      out[i * 3 + 2] = this.pay?.[i] ?? 0;
    }
    this.dir ??= mkdtempSync(join(tmpdir(), 'sla-audit-'));
    const file = join(this.dir, `run-${this.runs.length}`);
    const fd = openSync(file, 'w');
    writeSync(fd, new Uint8Array(out.buffer));
    closeSync(fd);
    this.runs.push(file);
    this.n = 0;
  }

  /** Calls `visit(hi, lo, payload)` for every record in key order, then frees everything. */
  merge(visit: (hi: number, lo: number, payload: number) => void): void {
    this.sort();
    // the records still in memory are read where they are; each run from its file, a slice at a time
    const none = new Uint32Array(0);
    const sources: Source[] = [{ hi: this.hi, lo: this.lo, pay: this.pay ?? none, len: this.n, pos: 0 }];
    for (const file of this.runs) {
      const s: Source = { hi: new Uint32Array(READ), lo: new Uint32Array(READ), pay: new Uint32Array(READ), len: 0, pos: 0, fd: openSync(file, 'r'), raw: new Uint32Array(READ * 3) };
      fill(s);
      sources.push(s);
    }
    // a k-way merge; k is small (one run per million records), so a linear scan for the minimum is fine
    for (;;) {
      let best = -1;
      let bh = 0, bl = 0;
      for (let i = 0; i < sources.length; i++) {
        const s = sources[i];
        if (s.pos >= s.len) {
          if (s.fd === undefined || !fill(s)) continue;
        }
        const h = s.hi[s.pos], l = s.lo[s.pos];
        if (best < 0 || h < bh || (h === bh && l < bl)) {
          best = i;
          bh = h;
          bl = l;
        }
      }
      if (best < 0) break;
      const s = sources[best];
      const payload = s.pay.length ? s.pay[s.pos] : 0;
      s.pos++;
      visit(bh, bl, payload);
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

interface Source {
  hi: Uint32Array;
  lo: Uint32Array;
  pay: Uint32Array;
  len: number;
  pos: number;
  fd?: number;
  /** a run's records as written: hi, lo, payload interleaved */
  raw?: Uint32Array;
}

/** Reads a run's next records into its columns; false (and the file closed) at its end. */
function fill(s: Source): boolean {
  const bytes = readSync(s.fd!, new Uint8Array(s.raw!.buffer), 0, s.raw!.byteLength, null);
  const n = Math.floor(bytes / 12);
  for (let i = 0; i < n; i++) {
    s.hi[i] = s.raw![i * 3];
    s.lo[i] = s.raw![i * 3 + 1];
    s.pay[i] = s.raw![i * 3 + 2];
  }
  s.len = n;
  s.pos = 0;
  if (!n) {
    closeSync(s.fd!);
    s.fd = undefined;
  }
  return n > 0;
}
