/**
 * One byte range of a large CSV file, read AND evaluated: the config loaded from its file again
 * (functions, compiled rules and calendars do not cross threads, and a part's calendars note what
 * it reached apart from the run's), the rows read with the same reader as one pass, every ticket
 * evaluated and added to this part's aggregates. Posts the header (the first part), progress, and
 * at the end the aggregates, the problems and counts and the ids' fingerprints (job.ts). Rows and
 * lines are numbered within the part; the main thread moves them once the parts before are counted.
 * Runs on a worker thread (part-worker.ts), or for the first part on the main thread itself, which
 * would otherwise wait for the workers (parallel.ts).
 */
import { isMainThread } from 'node:worker_threads';
import { mark } from '../model/timeline.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/types.js';
import { ConfigError, InputError, UserError } from '../errors.js';
import { startAudit, type AuditRun } from '../engine/audit.js';
import { ColumnMap, decideDateOrder } from '../input/columns.js';
import { readCsv } from '../input/csv.js';
import { hashId } from '../input/fingerprint.js';
import { MAX_RECORD_BYTES } from '../input/limits.js';
import { TicketReader } from '../input/reader.js';
import { openInput, openRange, type OpenedInput } from '../input/source.js';
import type { RowProblem } from '../model/ticket.js';
import { KeyRuns } from '../store/key-runs.js';
import type { FromPart, PartJob, ProblemOrigin } from './job.js';

/** What a part is given and how it answers: its byte range and the header once known, and where its messages go. */
export interface PartIo {
  range: Promise<{ start: number; end: number }>;
  /** the header, read by the first part (the later parts start after it) */
  header: Promise<string[]>;
  post(m: FromPart, transfer?: ArrayBuffer[]): void;
  /** the part on the main thread: whether the run has stopped it (a worker thread is terminated instead) */
  stopped?: () => boolean;
}

/** progress is posted after this many bytes read (and every 16,384 rows) */
const PROGRESS_BYTES = 1 << 20;

/** below this, an array's buffer is cloned rather than moved (a small one may be Node's shared pool of small buffers) */
const MOVE_BYTES = 64 << 10;

/**
 * The buffers of the large typed arrays in a part's result (histograms' pages and tables, counters):
 * moved to the main thread rather than copied twice (into the message, then out of it), since
 * the part uses them no more. Each buffer once.
 */
function movable(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const seen = new Set<object>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.buffer.byteLength >= MOVE_BYTES) found.add(v.buffer);
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        walk(k);
        walk(x);
      }
    } else if (v instanceof Set || Array.isArray(v)) for (const x of v) walk(x);
    else for (const x of Object.values(v)) walk(x);
  };
  walk(value);
  return [...found];
}

/**
 * internal, for the tests of a failing part, at its first row: an uncaught exception, or the
 * thread's exit (on the main thread, where neither may end the process, an exception thrown)
 */
function failNow(job: PartJob): void {
  const crash = () => {
    throw new TypeError("Cannot read properties of undefined (reading 'x')");
  };
  if (isMainThread) crash();
  if (job.fail === 'crash') queueMicrotask(crash);
  else if (job.fail === 'exit') process.exit(70);
}

function loadSameConfig(job: PartJob): Config {
  const config = loadConfig(job.configPath);
  if (config.digest !== job.digest) throw new InputError(`${job.configPath}: the config changed while this run was reading; run again`);
  return config;
}

class Part {
  private readonly job: PartJob;
  private reader: TicketReader | undefined;
  private readonly origins = new Map<RowProblem, ProblemOrigin>();
  /** the ids' fingerprints, (high, low) words, in sorted runs spilled to disk as in the main thread */
  private readonly ids: KeyRuns;
  private readonly words = new Uint32Array(2);
  private dataRows = 0;
  private bytes = 0;
  private rows = 0;
  private lines = 0;
  private sawHeader = false;

  constructor(
    private readonly config: Config,
    private readonly run: AuditRun,
    private readonly io: PartIo,
    job: PartJob,
  ) {
    this.job = job;
    this.ids = new KeyRuns(job.keyChunk, job.tmp);
  }

  columns(fields: string[]): void {
    const { job } = this;
    const map = new ColumnMap(job.path, fields, this.config, false);
    const order = decideDateOrder(job.path, job.head, job.delimiter, map);
    this.reader = new TicketReader(map, this.config, order, job.engine.notAfter, false);
    this.run.item({ kind: 'source', columns: map });
  }

  private problem(p: RowProblem, rows: number, origin: ProblemOrigin): void {
    this.origins.set(p, origin);
    this.run.item({ kind: 'problem', problem: p, rows });
  }

  /** bytes read when progress was last posted */
  private posted = 0;

  private progress(): void {
    this.posted = this.bytes;
    this.io.post({ t: 'progress', rows: this.dataRows, bytes: this.bytes });
  }

  async read(input: OpenedInput): Promise<void> {
    const { job } = this;
    // a later part starts after the header, which the first part read
    const given = job.index === 0 ? undefined : { header: await this.io.header };
    if (given) this.columns(given.header);
    await readCsv(
      input, job.delimiter,
      {
        header: (fields) => {
          this.sawHeader = true;
          this.io.post({ t: 'header', fields });
          this.columns(fields);
        },
        record: (fields, row, line) => {
          if (job.fail) failNow(job);
          if (this.dataRows === 0) mark(`part ${job.index}: first row`);
          if ((++this.dataRows & 0x3fff) === 0) {
            if (this.io.stopped?.()) throw new Error('stopped');
            this.progress();
          }
          const t = this.reader!.read(fields, row, line);
          if (Array.isArray(t)) {
            t.forEach((p, i) => this.problem(p, i === 0 ? 1 : 0, 'reader'));
            return;
          }
          hashId(t.id, this.words);
          this.ids.add(this.words[1], this.words[0]);
          this.run.item({ kind: 'ticket', ticket: t });
        },
        problem: (p) => {
          this.dataRows++;
          this.problem(p, 1, 'csv');
        },
        progress: (bytes) => {
          this.bytes = bytes;
          // a message per MiB, not per chunk read (64 KiB): each one costs the thread a hand-over
          if (bytes - this.posted >= PROGRESS_BYTES) this.progress();
        },
        end: (rows, lines) => {
          mark(`part ${job.index}: last row`);
          this.rows = rows;
          this.lines = lines;
        },
      },
      MAX_RECORD_BYTES, undefined, given,
    );
  }

  /** frees the ids' runs (temporary files past a million) */
  dispose(): void {
    this.ids.dispose();
  }

  finish(input: OpenedInput): void {
    const { run, job } = this;
    const kept = run.problems.kept;
    const reach = [...this.config.calendars].map(([name, cal]) => [name, cal.reachState()] as [string, ReturnType<typeof cal.reachState>]);
    const result = {
      rows: this.rows, lines: this.lines, dataRows: this.dataRows, bytes: input.bytesRead, tickets: run.tickets, ids: this.ids.handOver(), state: run.agg.exportState(),
      problems: { kept, origins: kept.map((p) => this.origins.get(p) ?? 'engine'), dropped: run.problems.dropped, rows: run.problems.rows, cells: run.problems.cells },
      warnings: input.warnings, reach,
    };
    mark(`part ${job.index}: state exported`);
    this.io.post({ t: 'done', result, header: this.sawHeader }, movable(result));
  }
}

/** Reads and evaluates a part (job), answering through io; every failure is posted as an error. */
export async function runPart(job: PartJob, io: PartIo): Promise<void> {
  try {
    const config = loadSameConfig(job);
    mark(`part ${job.index}: config loaded`);
    const run = startAudit({
      config, ...job.engine, messages: false, observers: [], sortedKeys: () => new KeyRuns(job.keyChunk, job.tmp),
    });
    const part = new Part(config, run, io, job);
    try {
      // internal, for the tests of a failing part: a read error as the OS gives it
      if (job.fail === 'read') throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
      const { start, end } = await io.range;
      mark(`part ${job.index}: range received`);
      const input = job.index === 0 ? await openInput(job.path, job.encodingSetting, undefined, undefined, end) : openRange(job.path, start, end, job.encoding);
      await part.read(input);
      part.finish(input);
    } finally {
      part.dispose();
      run.agg.dispose();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof ConfigError) io.post({ t: 'error', message: err.message, user: true, configLines: e.lines });
    else if (e instanceof UserError) io.post({ t: 'error', message: err.message, user: true });
    else if (typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) io.post({ t: 'error', message: `${job.path}: cannot read (${err.code})`, user: true });
    else io.post({ t: 'error', message: String(err?.message ?? e).split('\n')[0], user: false });
  }
}
