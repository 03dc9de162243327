/**
 * Worker thread: opens and parses one CSV file with the same code as the main thread and posts its
 * records in batches (with their row and line numbers, and problems at their place). At most a few
 * batches are in flight, so memory stays flat however large the file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openInput } from './source.js';
import { readCsv } from './csv.js';
import type { RowProblem } from '../model/ticket.js';
import { UserError } from '../errors.js';

const BATCH = 2048;
const IN_FLIGHT = 4;
const { path, encoding, delimiter } = workerData as { path: string; encoding: string; delimiter: string };
const port = parentPort!;

let inflight = 0;
let resume: (() => void) | undefined;
port.on('message', (m) => {
  if (m === 'ack') {
    inflight--;
    resume?.();
  }
});

let recs: string[][] = [];
let rows: number[] = [];
let lines: number[] = [];
let problems: { at: number; p: RowProblem }[] = [];
let bytes = 0;
const flush = () => {
  if (!recs.length && !problems.length) return;
  port.postMessage({ t: 'batch', recs, rows, lines, problems, bytes });
  recs = [];
  rows = [];
  lines = [];
  problems = [];
  inflight++;
};

try {
  const input = await openInput(path, encoding);
  port.postMessage({ t: 'open', name: input.name, head: input.head, encoding: input.encoding });
  await readCsv(input, delimiter, {
    async pace() {
      while (inflight >= IN_FLIGHT) await new Promise<void>((r) => (resume = r));
    },
    header(fields, delim) {
      port.postMessage({ t: 'header', fields, delimiter: delim });
    },
    record(fields, row, line) {
      recs.push(fields);
      rows.push(row);
      lines.push(line);
      if (recs.length >= BATCH) flush();
    },
    problem(p) {
      problems.push({ at: recs.length, p });
    },
    progress(b) {
      bytes = b;
    },
  });
  flush();
  port.postMessage({ t: 'end', warnings: input.warnings });
} catch (e) {
  port.postMessage({ t: 'error', message: (e as Error).message, user: e instanceof UserError, stack: (e as Error).stack });
}
