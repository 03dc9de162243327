// Writes five public messages per ticket of a generated ticket file (seeded), the --messages
// conversation for next_reply and periodic_update: the customer opens, an agent replies, the
// customer writes back, an agent answers, the customer writes once more (often after resolution).
// Usage: node test/bench/generate-messages.mjs tickets.csv out.csv
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const [source, target] = process.argv.slice(2);
const out = createWriteStream(target);
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pad = (v) => String(v).padStart(2, '0');
const fmt = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const parse = (s) => Date.parse(`${s.replace(' ', 'T')}:00Z`);
let buf = 'ticket_id,timestamp,author\n';
let header = true;
for await (const line of createInterface({ input: createReadStream(source) })) {
  if (header) {
    header = false;
    continue;
  }
  // the generated file has no quoted fields: Ticket ID, Created, First Reply, ...
  const [id, created, reply] = line.split(',', 3);
  const c = parse(created);
  const r = reply ? parse(reply) : c + 3600000;
  const back = r + Math.floor(rnd() * 86400000);
  const answer = back + Math.floor(rnd() * 8 * 3600000);
  const last = answer + Math.floor(rnd() * 3 * 86400000);
  buf += `${id},${created},customer\n${id},${fmt(r)},agent\n${id},${fmt(back)},customer\n${id},${fmt(answer)},agent\n${id},${fmt(last)},customer\n`;
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  }
}
out.end(buf);
await once(out, 'finish');
