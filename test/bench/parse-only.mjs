// The floor: csv-parse alone, streaming the file and discarding records. Prints seconds and rows.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
const t0 = process.hrtime.bigint();
let rows = 0;
const parser = createReadStream(process.argv[2]).pipe(parse({ relax_column_count: true }));
for await (const _ of parser) rows++;
console.log(JSON.stringify({ seconds: Number(process.hrtime.bigint() - t0) / 1e9, rows, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
