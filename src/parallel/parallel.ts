/**
 * The engine per byte range: a large CSV ticket file is cut at record boundaries proven outside
 * quotes (input/parts.ts), and each part is read, evaluated and aggregated on its own worker thread
 * (part-worker.ts), one per core. The parts' results join here in file order, so that the audit is
 * exactly what one pass gives: their aggregates absorbed with their rows moved by the rows of the
 * parts before, their problems renumbered so, their ids' fingerprints handed to the input stage
 * (which finds the duplicate ids across parts and retracts the earlier rows, as for one pass).
 *
 * What stays on one thread: standard input, workbooks, files under PARALLEL_MIN_BYTES, a file whose
 * cuts cannot be proven (parts.ts), the event-log layout, --events and --messages, runs with
 * per-ticket observers (the per-ticket CSV, --wide, the workbook, explain), API calls without the
 * config's file, and a machine with one core.
 */
import { mark } from '../model/timeline.js';
import { appendFileSync, rmSync, statSync } from 'node:fs';
import { forgetTempFolder, makeTempFolder } from '../model/temp-folders.js';
import { availableParallelism, tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/types.js';
import { ConfigError, InputError } from '../errors.js';
import { startAudit, type AuditRun, type EngineOptions } from '../engine/audit.js';
import type { AuditResult } from '../engine/result.js';
import { bomBytes, splitFile, type Split } from '../input/parts.js';
import { shiftProblem } from '../input/rows.js';
import { openInput, sniffDelimiter } from '../input/source.js';
import type { ReadElsewhere } from '../input/stream.js';
import { isWorkbookPath } from '../input/xlsx.js';
import type { InputItem, RowProblem, TicketStream } from '../model/ticket.js';
import type { FromPart, PartEngine, PartJob, PartResult, ProblemOrigin } from './job.js';
import { runPart, type PartIo } from './part.js';

/** Files smaller than this are read on one thread (the worker threads' start would cost more than they save). */
const PARALLEL_MIN_BYTES = 8 << 20;
/** A part has at least this many bytes: each thread pays its start and its own copy of the config and aggregates. */
const PART_MIN_BYTES = 4 << 20;
/** At most this many parts, however many cores: each thread's heap and aggregates add to the peak memory. */
const MAX_PARTS = 8;
/**
 * Records the sorted key runs (ids' fingerprints, repeat-complaint keys) of all the parts together
 * hold in memory before spilling to disk: the one thread's chunk (store/key-runs.ts) shared among
 * them, so that more threads do not hold more keys.
 */
const KEY_CHUNK = 1 << 20;
const MIN_KEY_CHUNK = 1 << 16;

// dist/…/part-worker.js beside this module once built; from the TypeScript sources (the test suite)
// the worker compiles its sources the same way, through tsx
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./part-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
/**
 * A part's young generation: V8's default (16 MiB semi-spaces, 32 MiB committed once grown) is
 * twice what a part's short-lived objects need between collections; on the 1M real-shaped file this
 * took some 40 MB off the peak with no more CPU (README: Performance).
 */
const LIMITS = { maxYoungGenerationSizeMb: 16 };

function startWorker(job: PartJob): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData: job, resourceLimits: LIMITS });
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData: job, resourceLimits: LIMITS });
}

/**
 * internal, for the tests and for measuring: SLA_AUDIT_PARALLEL=N cuts every ticket file that can
 * be cut into N parts on N threads, whatever its size and the cores; 0 or 1: one thread always
 */
function forcedParts(): number | undefined {
  const v = process.env.SLA_AUDIT_PARALLEL;
  return v === undefined || v === '' ? undefined : Math.max(1, Math.floor(Number(v)) || 1);
}

/** internal, for the tests: SLA_AUDIT_PARALLEL_FAIL=<part>:read|crash|exit makes that part's worker fail so */
function injectedFailure(index: number): PartJob['fail'] {
  const m = /^(\d+):(read|crash|exit)$/.exec(process.env.SLA_AUDIT_PARALLEL_FAIL ?? '');
  return m && Number(m[1]) === index ? (m[2] as PartJob['fail']) : undefined;
}

/** internal, for the tests: SLA_AUDIT_PARALLEL_TRACE=<file> appends how each file was cut (its parts, or why it stays whole) */
function trace(path: string, split: Split): void {
  const to = process.env.SLA_AUDIT_PARALLEL_TRACE;
  if (to) appendFileSync(to, `${path}\t${split.whole ? `whole: ${split.whole}` : split.parts.map((p) => p.start).join(',')}\n`);
}

export interface PartsOptions {
  config: Config;
  /** the file the config was loaded from (each worker loads it again) */
  configPath: string;
  engine: PartEngine;
}

/** Whether a run can be read in parts at all (each file then decides by its size and cuts). */
export function partsAllowed(): boolean {
  const forced = forcedParts();
  return forced === undefined ? availableParallelism() > 1 : forced > 1;
}

/** The input stage's `elsewhere` for a run: a large CSV file read and evaluated in parts on worker threads, or undefined. */
export function readerInParts(o: PartsOptions): (path: string, progress: (rows: number, bytes: number) => void) => Promise<ReadElsewhere | undefined> {
  return async (path, progress) => {
    if (isWorkbookPath(path)) return undefined;
    const forced = forcedParts();
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile()) return undefined; // a pipe is read once, as it comes
      size = st.size;
    } catch {
      return undefined; // opening it on one thread reports the problem
    }
    if (forced === undefined && size < PARALLEL_MIN_BYTES) return undefined;
    const count = forced ?? Math.min(availableParallelism(), MAX_PARTS, Math.floor(size / PART_MIN_BYTES));
    if (count < 2) return undefined;
    const { encoding: setting, delimiter: delimiterSetting } = o.config.tickets;
    const probe = await openInput(path, setting);
    probe.close();
    const delimiter = delimiterSetting === 'auto' ? sniffDelimiter(probe.head) : delimiterSetting;
    const keyChunk = Math.max(MIN_KEY_CHUNK, Math.floor(KEY_CHUNK / count));
    // the parts' runs go under one folder, removed whole once the run is over (or has failed): a
    // thread stopped half-way leaves no file behind
    const tmp = makeTempFolder(tmpdir(), 'sla-audit-parts-');
    const base = { path, encodingSetting: setting, encoding: probe.encoding, delimiter, head: probe.head, configPath: o.configPath, digest: o.config.digest, engine: o.engine, keyChunk, tmp };
    // the threads start (load their modules and the config) while this one proves the cuts; they
    // wait for their byte ranges, and are stopped if the file stays whole
    const threads = new Parts(count, base, progress);
    let parts: PartResult[] | undefined;
    try {
      const split = proveSplit(path, count, probe.encoding, delimiter);
      if (split) threads.go(split);
      else await threads.stop();
      if (split) parts = await threads.results;
    } catch (e) {
      await threads.stop();
      removeTmp(tmp);
      throw e;
    }
    if (!parts) {
      removeTmp(tmp);
      return undefined;
    }
    return {
      rows: parts.reduce((a, p) => a + p.dataRows, 0),
      bytes: parts.reduce((a, p) => a + p.bytes, 0),
      ids: parts.map((p) => p.ids),
      warnings: parts.flatMap((p) => p.warnings),
      result: { parts, tmp } satisfies Computed,
    };
  };
}

interface Computed {
  /** each part's result until it is absorbed (then undefined, so that its memory goes) */
  parts: (PartResult | undefined)[];
  /** the folder of the parts' sorted key runs */
  tmp: string;
}

/** Removes the folder of a file's parts and whatever is left in it. */
function removeTmp(tmp: string): void {
  try {
    rmSync(tmp, { recursive: true, force: true });
    forgetTempFolder(tmp);
  } catch {
    /* gone, or not removable: the system's temporary folder */
  }
}

/** The file's cuts proven (input/parts.ts), or undefined when it stays whole or cannot be read through (the one-thread reading then reports it as it does). */
function proveSplit(path: string, count: number, encoding: string, delimiter: string): Split | undefined {
  mark('parts: proving cuts');
  let split: Split;
  try {
    split = splitFile(path, { count, minBytes: 0, encoding, delimiter, bom: encoding === 'utf-8' ? bomBytes(path) : 0 });
  } catch {
    return undefined;
  }
  mark('parts: cuts proven');
  trace(path, split);
  return split.whole ? undefined : split;
}

/**
 * The parts of a file: the first on the main thread itself (which would otherwise only wait: one
 * thread's start and heap fewer), each later one on a worker thread started before the cuts are
 * known (it loads its modules and the config meanwhile) and handed its byte range by `go`.
 * `results` gives their results in file order, or the first failure (every part then stopped).
 * Proving may give fewer parts than threads: the threads beyond them are stopped.
 */
class Parts {
  readonly results: Promise<PartResult[]>;
  /** the later parts' threads (none at 0: the main thread's part) */
  private readonly workers: (Worker | undefined)[] = [undefined];
  /** the first part, on this thread: its job, and once started, its end and its range */
  private readonly first: { job: PartJob; running?: Promise<void>; range?: (r: { start: number; end: number }) => void; stopped: boolean };
  private readonly done: (PartResult | undefined)[] = [];
  private seen: { rows: number; bytes: number }[] = [];
  private n = 0;
  private left = Infinity;
  private settled = false;
  private resolve!: (r: PartResult[]) => void;
  private reject!: (e: Error) => void;

  constructor(
    count: number,
    private readonly base: Omit<PartJob, 'index'>,
    private readonly progress: (rows: number, bytes: number) => void,
  ) {
    this.results = new Promise<PartResult[]>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // nobody waits for the results of threads stopped before their ranges were known
    this.results.catch(() => undefined);
    this.first = { job: { ...base, index: 0, fail: injectedFailure(0) }, stopped: false };
    for (let k = 1; k < count; k++) {
      const w = startWorker({ ...base, index: k, fail: injectedFailure(k) });
      mark(`parts: part ${k} thread started`);
      this.workers.push(w);
      w.on('message', (m: FromPart) => this.onMessage(k, m));
      w.on('error', (e) => this.fail(this.broken(String(e?.message ?? e).split('\n')[0])));
      w.on('exit', (code) => {
        if (this.done[k] === undefined && k < this.n) this.fail(this.broken(`a thread stopped, exit code ${code}`));
      });
    }
  }

  /** Hands each thread its part (the threads beyond the parts are stopped). */
  go(split: Split): void {
    // a thread that failed while the cuts were proven has stopped them all: results says why
    if (this.settled) return;
    const { parts } = split;
    this.n = this.left = parts.length;
    this.seen = parts.map(() => ({ rows: 0, bytes: 0 }));
    for (const w of this.workers.slice(parts.length)) void w?.terminate();
    parts.forEach((p, k) => this.workers[k]?.postMessage({ t: 'range', start: p.start, end: p.end }));
    this.startFirst(parts[0]);
  }

  /** The first part, read and evaluated on this thread while the workers read theirs. */
  private startFirst(range: { start: number; end: number }): void {
    const first = this.first;
    const io: PartIo = {
      range: Promise.resolve(range),
      header: new Promise<string[]>(() => undefined), // the first part reads it
      // its result cloned as a worker's is (the part's own structures are disposed once it is done)
      post: (m, transfer) => this.onMessage(0, m.t === 'done' ? structuredClone(m, { transfer }) : m),
      stopped: () => first.stopped,
    };
    first.running = runPart(first.job, io);
  }

  /** Stops every part (the file stays whole, or the run failed): the threads, and the first part at its next check. */
  async stop(): Promise<void> {
    this.settled = true;
    this.first.stopped = true;
    await Promise.allSettled([...this.workers.map((w) => w?.terminate()), this.first.running]);
  }

  private broken(why: string): Error {
    return new InputError(`${this.base.path}: reading the file in parts on ${this.n || this.workers.length} threads failed (${why}); run again, or with SLA_AUDIT_PARALLEL=1 to read it on one thread`);
  }

  private fail(e: Error): void {
    if (this.settled) return;
    // every thread stopped before the caller removes their folder
    void this.stop().then(() => this.reject(e));
  }

  private onMessage(k: number, m: FromPart): void {
    if (this.settled) return;
    if (m.t === 'header') for (const w of this.workers.slice(1, this.n)) w?.postMessage({ t: 'header', fields: m.fields });
    else if (m.t === 'progress') {
      this.seen[k] = { rows: m.rows, bytes: m.bytes };
      this.progress(this.seen.reduce((a, s) => a + s.rows, 0), this.seen.reduce((a, s) => a + s.bytes, 0));
    } else if (m.t === 'error') this.fail(m.user ? (m.configLines ? new ConfigError(m.configLines) : new InputError(m.message)) : this.broken(m.message));
    else if (m.t === 'done') {
      if (k === 0 && !m.header) return this.fail(new InputError(`${this.base.path}: has no header row; the first row must name the columns`));
      mark(`parts: part ${k} received`);
      this.done[k] = m.result;
      void this.workers[k]?.terminate();
      if (--this.left === 0) {
        this.settled = true;
        this.resolve(this.done as PartResult[]);
      }
    }
  }
}

/** Adds what a file's parts computed to the run, in file order, as one pass would have added it. */
function absorbComputed(run: AuditRun, computed: unknown, config: Config): void {
  let rows = 0, lines = 0;
  const { parts } = computed as Computed;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k]!;
    // the part's state goes once absorbed: its histograms and tables are not held to the end
    parts[k] = undefined;
    mark(`parts: absorbing part ${k}`);
    run.agg.absorb(part.state, rows);
    const ps = part.problems;
    run.problems.absorb({ kept: ps.kept.map((p, i) => moved(p, ps.origins[i], rows, lines)), dropped: ps.dropped, rows: ps.rows, events: 0, messages: 0, cells: ps.cells });
    run.tickets += part.tickets;
    for (const [name, reach] of part.reach) config.calendars.get(name)?.addReach(reach);
    rows += part.rows;
    lines += part.lines;
    mark(`parts: part ${k} absorbed`);
  }
}

/** A part's problem numbered as one pass numbers it: the rows and lines of the parts before added. */
function moved(p: RowProblem, origin: ProblemOrigin, rows: number, lines: number): RowProblem {
  if (origin === 'csv') return shiftProblem(p, rows, lines);
  if (origin === 'engine' || (rows === 0 && lines === 0)) return { ...p, row: p.row + rows };
  // the ticket reader names the line only where it is not the row's
  const row = p.row + rows;
  const line = (p.line ?? p.row) + lines;
  const { file, column, message } = p;
  return { file, row, ...(line !== row ? { line } : {}), ...(column !== undefined ? { column } : {}), message };
}

/** The audit of a stream whose files may have been computed in parts (`computed` items): auditStream's, with those absorbed in their place. */
export async function auditWithParts(stream: TicketStream, o: EngineOptions): Promise<AuditResult> {
  const run = startAudit(o);
  let end: Extract<InputItem, { kind: 'end' }> | undefined;
  const computed: Computed[] = [];
  try {
    for await (const batch of stream) {
      for (const item of batch) {
        if (item.kind === 'computed') {
          computed.push(item.result as Computed);
          absorbComputed(run, item.result, o.config);
        }
        else if (item.kind === 'end') end = item;
        else run.item(item);
      }
    }
    if (!end) throw new Error('the ticket stream ended without its end item');
    mark('engine: finishing');
    const result = run.finish(end);
    mark('engine: finished');
    return result;
  } finally {
    run.agg.dispose();
    // the parts' folders: empty once their runs are merged, or holding those of parts not absorbed (the run stopped first)
    for (const c of computed) removeTmp(c.tmp);
  }
}
