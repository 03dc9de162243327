import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { openInput } from './source.js';
import { readCsv, type CsvHandlers } from './csv.js';
import { isWorkbookPath, noSheetInCsv, readWorkbook } from './xlsx.js';
import { readInParts } from './parts.js';

/** What the reading learned about a file before its rows. */
export interface TableInfo {
  name: string;
  head: string;
  encoding: string;
  warnings: string[];
  /** the worksheet read, when the file is a workbook (encoding is then "xlsx") */
  sheet?: string;
}

export interface ReadTableOptions {
  path: string;
  encoding: string;
  delimiter: string;
  stdin?: Readable;
  /** copy standard input here while reading it */
  spool?: string;
  /** the worksheet to read when the file is a workbook (.xlsx); default: the first */
  sheet?: string;
  /**
   * parse in a worker thread: 'auto' for files of WORKER_MIN_BYTES and more on a machine with two
   * cores or more (on one core the thread runs in turns with this one and every record it hands
   * over is copied between them: reading in this thread costs less)
   */
  worker?: 'auto' | 'always' | 'never';
}

const WORKER_MIN_BYTES = 8 << 20;

// dist/input/csv-worker.js beside the built reader; when the reader itself runs from its TypeScript
// source (the test suite), the worker compiles its sources the same way, through tsx
const FROM_SOURCE = import.meta.url.endsWith('.ts');
const WORKER_URL = new URL(`./csv-worker.${FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);

// node:worker_threads is loaded with the first large file: a small run never needs it
async function startWorker(workerData: unknown): Promise<Worker> {
  const { Worker } = await import('node:worker_threads');
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData });
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * Reads one CSV file, standard input or one sheet of a workbook (.xlsx, by its name), calling `open` once (before the header) and then the
 * handlers in file order. Large files are parsed in a worker thread while this thread evaluates.
 */
export async function readTable(o: ReadTableOptions, h: CsvHandlers & { open(info: TableInfo): void }): Promise<TableInfo> {
  if (o.path !== '-' && isWorkbookPath(o.path)) return readWorkbook(o.path, o.sheet, h);
  noSheetInCsv(o.path, o.sheet);
  // internal, for the tests of cutting a file into byte ranges: SLA_AUDIT_PARTS=N reads a file (of
  // any size) as N parts one after the other, where the cuts can be proven
  const parts = Number(process.env.SLA_AUDIT_PARTS ?? 0);
  if (parts > 1 && o.path !== '-' && o.worker !== 'never') {
    const info = await readInParts(o.path, o.encoding, o.delimiter, parts, h);
    if (info) return info;
  }
  const inWorker = o.path !== '-' && o.worker !== 'never' && (o.worker === 'always' || (sizeOf(o.path) >= WORKER_MIN_BYTES && availableParallelism() > 1));
  if (!inWorker) {
    const input = await openInput(o.path, o.encoding, o.stdin, o.spool);
    const info = { name: input.name, head: input.head, encoding: input.encoding, warnings: input.warnings };
    h.open(info);
    await readCsv(input, o.delimiter, h);
    return info;
  }
  const w = await startWorker({ path: o.path, encoding: o.encoding, delimiter: o.delimiter });
  return new Promise<TableInfo>((resolve, reject) => {
    let info: TableInfo | undefined;
    let settled = false;
    const fail = (e: unknown) => {
      if (settled) return;
      settled = true;
      void w.terminate();
      reject(e);
    };
    w.on('message', (m) => {
      if (settled) return;
      try {
        if (m.t === 'open') {
          info = { name: m.name, head: m.head, encoding: m.encoding, warnings: [] };
          h.open(info);
        } else if (m.t === 'header') h.header(m.fields, m.delimiter);
        else if (m.t === 'batch') {
          const { recs, rows, lines, problems, bytes } = m as { recs: string[][]; rows: number[]; lines: number[]; problems: { at: number; p: Parameters<CsvHandlers['problem']>[0] }[]; bytes: number };
          let pi = 0;
          for (let i = 0; i < recs.length; i++) {
            while (pi < problems.length && problems[pi].at <= i) h.problem(problems[pi++].p);
            h.record(recs[i], rows[i], lines[i]);
          }
          while (pi < problems.length) h.problem(problems[pi++].p);
          h.progress?.(bytes);
          // the ack lets the worker send another batch: not before the consumer has caught up
          const paced = h.pace?.();
          if (paced) paced.then(() => w.postMessage('ack'), fail);
          else w.postMessage('ack');
        } else if (m.t === 'end') {
          info!.warnings.push(...(m.warnings as string[]));
          settled = true;
          void w.terminate();
          resolve(info!);
        } else if (m.t === 'error') {
          const e = m.user ? new InputError(m.message) : Object.assign(new Error(m.message), { stack: m.stack });
          fail(e);
        }
      } catch (e) {
        fail(e);
      }
    });
    w.on('error', fail);
    w.on('exit', (code) => {
      if (!settled) fail(new Error(`the CSV reader thread stopped (exit code ${code})`));
    });
  });
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // openInput reports the problem
  }
}
