/**
 * Sorted runs of 64-bit keys, each with a 32-bit payload, under a memory ceiling: records collect in
 * buffers that grow to a fixed size; a full buffer is radix-sorted by key and written to a temporary
 * file; at the end every run is merged in key order, equal keys in the order they were added. Keys are given as two 32-bit halves, so adding
 * one allocates nothing once the buffers have reached their size.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CHUNK = 1 << 20; // records per run by default (12 MiB)
const READ = 1 << 14; // records read from a run at a time
const FIRST = 1 << 12; // records the buffers hold at first

/**
 * LSD radix sort of records (hi, lo[, payload]) by (hi, lo); stable. Digits of 16 bits (four
 * passes) for many records; of 8 bits (eight passes) for fewer than 65,536, where clearing and
 * summing 65,536 counters four times would cost more than the records themselves. A pass whose
 * digit is the same in every record moves nothing and is skipped. The scratch arrays live only
 * while it runs. The loops are small functions of their own: the sort runs once or twice a run, and
 * V8 optimizes a function called a few times sooner than one long loop in a function called once.
 */
function radixSort(hi: Uint32Array, lo: Uint32Array, pay: Uint32Array | undefined, n: number): void {
  const bits = n < 1 << 16 ? 8 : 16;
  const mask = (1 << bits) - 1;
  const count = new Uint32Array(mask + 2);
  let sh: Uint32Array = hi, sl: Uint32Array = lo, sp: Uint32Array = pay ?? none;
  let dh: Uint32Array = new Uint32Array(n), dl: Uint32Array = new Uint32Array(n);
  let dp: Uint32Array = pay ? new Uint32Array(n) : none;
  for (let word = 1; word >= 0; word--) {
    for (let shift = 0; shift < 32; shift += bits) {
      const key = word ? sl : sh;
      if (!countDigits(key, shift, mask, count, n)) continue;
      if (pay) move3(key, shift, mask, count, n, sh, sl, sp, dh, dl, dp);
      else move2(key, shift, mask, count, n, sh, sl, dh, dl);
      const th = sh, tl = sl, tp = sp;
      sh = dh; sl = dl; sp = dp;
      dh = th; dl = tl; dp = tp;
    }
  }
  // the sorted records go back to the arrays they came in (when an odd number of passes ran)
  if (sh !== hi) {
    hi.set(sh.subarray(0, n));
    lo.set(sl.subarray(0, n));
    if (pay) pay.set(sp.subarray(0, n));
  }
}

const none = new Uint32Array(0);

/** Counts each digit's records and sums them to where each digit's first record goes; false when every record has the same digit (nothing to move). */
function countDigits(key: Uint32Array, shift: number, mask: number, count: Uint32Array, n: number): boolean {
  count.fill(0);
  for (let i = 0; i < n; i++) count[((key[i] >>> shift) & mask) + 1]++;
  if (n === 0 || count[((key[0] >>> shift) & mask) + 1] === n) return false;
  for (let d = 0; d <= mask; d++) count[d + 1] += count[d];
  return true;
}

function move2(key: Uint32Array, shift: number, mask: number, count: Uint32Array, n: number, sh: Uint32Array, sl: Uint32Array, dh: Uint32Array, dl: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const to = count[(key[i] >>> shift) & mask]++;
    dh[to] = sh[i];
    dl[to] = sl[i];
  }
}

function move3(key: Uint32Array, shift: number, mask: number, count: Uint32Array, n: number, sh: Uint32Array, sl: Uint32Array, sp: Uint32Array, dh: Uint32Array, dl: Uint32Array, dp: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const to = count[(key[i] >>> shift) & mask]++;
    dh[to] = sh[i];
    dl[to] = sl[i];
    dp[to] = sp[i];
  }
}

export class KeyRuns {
  /** buffers start small and double up to `chunk` records, so a small file allocates little */
  private hi: Uint32Array;
  private lo: Uint32Array;
  /** payloads, made on the first one that is not 0 (fingerprints of ids carry none) */
  private pay: Uint32Array | undefined;
  private n = 0;
  private readonly runs: string[] = [];
  /** records written to the runs */
  private spilled = 0;
  private dir: string | undefined;

  constructor(private readonly chunk = CHUNK) {
    this.hi = new Uint32Array(Math.min(chunk, FIRST));
    this.lo = new Uint32Array(this.hi.length);
  }

  add(hi: number, lo: number, payload = 0): void {
    if (this.n === this.hi.length) {
      if (this.n === this.chunk) this.spill();
      else this.grow();
    }
    const i = this.n++;
    this.hi[i] = hi;
    this.lo[i] = lo;
    if (payload !== 0) this.pay ??= new Uint32Array(this.hi.length);
    if (this.pay) this.pay[i] = payload;
  }

  private grow(): void {
    const size = Math.min(this.chunk, this.hi.length * 2);
    const larger = (a: Uint32Array) => {
      const b = new Uint32Array(size);
      b.set(a);
      return b;
    };
    this.hi = larger(this.hi);
    this.lo = larger(this.lo);
    if (this.pay) this.pay = larger(this.pay);
  }

  private sort(): void {
    radixSort(this.hi, this.lo, this.pay, this.n);
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
    this.spilled += this.n;
    this.n = 0;
  }

  /**
   * Every record in key order as columns (equal keys in the order added), then frees everything: a
   * part's keys handed to another thread, whose own runs take them (12 bytes a record while in hand).
   */
  drain(): { hi: Uint32Array; lo: Uint32Array; pay: Uint32Array } {
    const total = this.spilled + this.n;
    const out = { hi: new Uint32Array(total), lo: new Uint32Array(total), pay: new Uint32Array(total) };
    let i = 0;
    this.merge((hi, lo, payload) => {
      out.hi[i] = hi;
      out.lo[i] = lo;
      out.pay[i++] = payload;
    });
    return out;
  }

  /** Calls `visit(hi, lo, payload)` for every record in key order (equal keys in the order added), then frees everything. */
  merge(visit: (hi: number, lo: number, payload: number) => void): void {
    this.sort();
    // each run from its file, a slice at a time, oldest first; then the records still in memory, where
    // they are: the first source holding the smallest key gives it, so equal keys come in the order added
    const none = new Uint32Array(0);
    const sources: Source[] = [];
    for (const file of this.runs) {
      const s: Source = { hi: new Uint32Array(READ), lo: new Uint32Array(READ), pay: new Uint32Array(READ), len: 0, pos: 0, fd: openSync(file, 'r'), raw: new Uint32Array(READ * 3) };
      fill(s);
      sources.push(s);
    }
    sources.push({ hi: this.hi, lo: this.lo, pay: this.pay ?? none, len: this.n, pos: 0 });
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
    this.spilled = 0;
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
