// The byte scanner alone (dist/input/scanner.js, built by `npm run build`) over CSV files, fed in
// 64 KiB pieces as the reader feeds it, each record's fields handed to a callback that only counts
// them: CPU time per row, the best of seven passes. Usage: node test/bench/scan-cost.mjs FILE... [--delimiter=;]
import fs from 'node:fs';
import { CsvScanner } from '../../dist/input/scanner.js';

const args = process.argv.slice(2);
const delimiter = (args.find((a) => a.startsWith('--delimiter=')) ?? '--delimiter=,').slice('--delimiter='.length);
const PIECE = 1 << 16;

function pass(bytes) {
  const scanner = new CsvScanner(delimiter.charCodeAt(0));
  const b = Buffer.allocUnsafe(PIECE * 4);
  let rows = 0, fields = 0, pos = 0, len = 0, at = 0;
  const start = process.cpuUsage();
  while (at < bytes.length) {
    const piece = bytes.subarray(at, at + PIECE);
    at += piece.length;
    if (len + piece.length > b.length) {
      b.copy(b, 0, pos, len);
      len -= pos;
      pos = 0;
    }
    piece.copy(b, len);
    len += piece.length;
    pos = scanner.scan(b.subarray(0, len), pos, at >= bytes.length, (f) => {
      rows++;
      fields += f.length;
    }).at;
  }
  const used = process.cpuUsage(start);
  return { rows, fields, ms: (used.user + used.system) / 1000 };
}

for (const file of args.filter((a) => !a.startsWith('--'))) {
  const bytes = fs.readFileSync(file);
  let best;
  for (let i = 0; i < 7; i++) {
    const r = pass(bytes);
    if (!best || r.ms < best.ms) best = r;
  }
  console.log(`${file}: ${best.rows} rows, ${best.fields} fields, ${best.ms.toFixed(0)} ms, ${((best.ms * 1000) / best.rows).toFixed(2)} µs per row`);
}
