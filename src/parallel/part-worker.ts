/**
 * Worker thread: one byte range of a large CSV file, read and evaluated by part.ts; its range and
 * the header come from the main thread in messages (job.ts), its answers go back so.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { mark } from '../model/timeline.js';
import type { PartJob, ToPart } from './job.js';
import { runPart } from './part.js';

const job = workerData as PartJob;
mark(`part ${job.index}: modules loaded`);
const port = parentPort!;
let gotRange!: (r: { start: number; end: number }) => void;
let gotHeader!: (fields: string[]) => void;
const range = new Promise<{ start: number; end: number }>((resolve) => (gotRange = resolve));
const header = new Promise<string[]>((resolve) => (gotHeader = resolve));
port.on('message', (m: ToPart) => {
  if (m.t === 'range') gotRange(m);
  else gotHeader(m.fields);
});
await runPart(job, { range, header, post: (m, transfer) => port.postMessage(m, transfer) });
