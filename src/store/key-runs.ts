/**
 * Sorted runs of 64-bit keys, each with a 32-bit payload, under a memory ceiling: records collect in
 * buffers that grow to a fixed size; a full buffer is radix-sorted by key and written to a temporary
 * file; at the end every run is merged in key order, equal keys in the order they were added. Keys are given as two 32-bit halves, so adding
 * one allocates nothing once the buffers have reached their size.
 */
import { closeSync, openSync, readSync, unlinkSync, writeSync, rmdirSync } from 'node:fs';
import { forgetTempFolder, makeTempFolder } from '../model/temp-folders.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandedKeys } from '../model/sorted-keys.js';

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
  private dir: string | undefined;
  /** folders of runs adopted from another owner, removed with the runs */
  private readonly dirs: string[] = [];

  constructor(
    private readonly chunk = CHUNK,
    /** where its runs' folder is made (a part's thread: its run's folder, removed whole if the run fails) */
    private readonly parent = tmpdir(),
  ) {
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
    this.dir ??= makeTempFolder(this.parent, 'sla-audit-');
    const file = join(this.dir, `run-${this.runs.length}`);
    const fd = openSync(file, 'w');
    try {
      // written a slice at a time (hi, lo, payload interleaved): no copy of the whole run
      const out = new Uint32Array(Math.min(this.n, READ) * 3);
      for (let from = 0; from < this.n; from += READ) {
        const to = Math.min(this.n, from + READ);
        for (let i = from, j = 0; i < to; i++, j += 3) {
          out[j] = this.hi[i];
          out[j + 1] = this.lo[i];
          out[j + 2] = this.pay ? this.pay[i] : 0;
        }
        writeSync(fd, new Uint8Array(out.buffer, 0, (to - from) * 12));
      }
    } finally {
      closeSync(fd);
    }
    this.runs.push(file);
    this.n = 0;
  }

  /**
   * Hands every record over as sorted runs in files (the records still in memory written as the
   * last run), oldest first, and forgets them: another owner (another thread's KeyRuns) merges them
   * with mergeHanded or adopt, which remove the files; nothing of them stays in memory here.
   */
  handOver(): HandedKeys {
    if (this.n > 0) this.spill();
    const handed = { files: [...this.runs], dirs: this.dir ? [this.dir, ...this.dirs] : [...this.dirs] };
    this.runs.length = 0;
    this.dirs.length = 0;
    this.dir = undefined;
    this.dispose();
    return handed;
  }

  /**
   * Takes another owner's runs (handOver) as runs of this one, after the records added so far (so
   * that equal keys still come in the order added): no record is read or copied.
   */
  adopt(h: HandedKeys): void {
    if (this.n > 0) this.spill();
    this.runs.push(...h.files);
    this.dirs.push(...h.dirs);
    const r = h.records;
    if (r) for (let i = 0; i < r.hi.length; i++) this.add(r.hi[i], r.lo[i], r.pay[i]);
  }

  /** Calls `visit(hi, lo, payload)` for every record handed over (handOver), in key order (equal keys in the order added), then removes their files. */
  mergeHanded(h: HandedKeys, visit: (hi: number, lo: number, payload: number) => void): void {
    const r = h.records;
    try {
      mergeSources(h.files, r && { hi: r.hi, lo: r.lo, pay: r.pay, len: r.hi.length, pos: 0 }, visit);
    } finally {
      discardHanded(h);
    }
  }

  /** Removes what was handed over and is not to be merged (a part whose repeat keys are of no use). */
  discard(h: HandedKeys): void {
    discardHanded(h);
  }

  /** Calls `visit(hi, lo, payload)` for every record in key order (equal keys in the order added), then frees everything. */
  merge(visit: (hi: number, lo: number, payload: number) => void): void {
    this.sort();
    try {
      mergeSources(this.runs, { hi: this.hi, lo: this.lo, pay: this.pay ?? new Uint32Array(0), len: this.n, pos: 0 }, visit);
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    discardHanded({ files: this.runs, dirs: this.dir ? [this.dir, ...this.dirs] : this.dirs });
    this.dir = undefined;
    this.runs.length = 0;
    this.dirs.length = 0;
    this.n = 0;
    // the buffers go too (a part hands its keys over long before its thread ends)
    this.hi = new Uint32Array(Math.min(this.chunk, FIRST));
    this.lo = new Uint32Array(this.hi.length);
    this.pay = undefined;
  }
}

/** Removes the files of runs handed over and not merged (a run that stops before taking them). */
function discardHanded(h: HandedKeys): void {
  for (const f of h.files) {
    try {
      unlinkSync(f);
    } catch {
      /* gone */
    }
  }
  for (const dir of h.dirs) {
    try {
      rmdirSync(dir);
      forgetTempFolder(dir);
    } catch {
      /* not empty or gone */
    }
  }
}

/**
 * A k-way merge of sorted runs, each from its file a slice at a time, oldest first, then the records
 * in memory: the first source holding the smallest key gives it, so equal keys come in the order
 * added. k is small (one run per chunk of records), so a linear scan for the minimum is fine.
 */
function mergeSources(files: string[], memory: Source | undefined, visit: (hi: number, lo: number, payload: number) => void): void {
  const sources: Source[] = [];
  try {
    for (const file of files) {
      const s: Source = { hi: new Uint32Array(READ), lo: new Uint32Array(READ), pay: new Uint32Array(READ), len: 0, pos: 0, fd: openSync(file, 'r'), raw: new Uint32Array(READ * 3) };
      sources.push(s);
      fill(s);
    }
    if (memory) sources.push(memory);
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
  } finally {
    for (const s of sources) if (s.fd !== undefined) closeSync(s.fd);
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
    const fd = s.fd!;
    s.fd = undefined;
    closeSync(fd);
  }
  return n > 0;
}
