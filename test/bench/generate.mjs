// Writes N realistic tickets (seeded) for the benchmark: Shanghai business hours with holidays and
// make-up days, VIP and standard policies, several priorities, channels and Chinese categories.
// Usage: node test/bench/generate.mjs N out.csv
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const n = Number(process.argv[2] ?? 100000);
const out = createWriteStream(process.argv[3] ?? `/tmp/sla-bench-${n}.csv`);
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const pad = (v) => String(v).padStart(2, '0');
const START = Date.UTC(2025, 0, 1);
const fmt = (ms) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const subjects = ['快递三天没有更新物流信息', '申请退款一直没到账', '收到的商品有破损', '无法登录账号', 'Delivery delayed again', 'Refund not received', '咨询一下发票怎么开', 'General question'];
const cats = ['物流问题', '价格问题', '质量问题', '账户问题', '', ''];
let buf = 'Ticket ID,Created,First Reply,Resolved,Priority,Status,Channel,Category,Group,Requester ID,Subject,Customer Tier,CSAT\n';
const span = 2 * 365 * 86400000;
for (let i = 0; i < n; i++) {
  const created = START + Math.floor((i / n) * span) + Math.floor(rnd() * 3600000);
  const reply = created + Math.floor(rnd() * 8 * 3600000);
  const open = rnd() < 0.03;
  const resolved = reply + Math.floor(rnd() * 5 * 86400000);
  const pr = pick(['Urgent', 'High', 'Normal', 'Normal', 'Normal', 'Low', '紧急', '高']);
  buf += `T${1000000 + i},${fmt(created)},${rnd() < 0.05 ? '' : fmt(reply)},${open ? '' : fmt(resolved)},${pr},${open ? 'Open' : 'Solved'},${pick(['Email', 'Chat', 'Phone', '微信'])},${pick(cats)},${pick(['一线客服', '售后组', 'Tech Support'])},C${Math.floor(rnd() * (n / 4 + 10))},${pick(subjects)},${rnd() < 0.1 ? 'VIP' : 'Standard'},${open ? '' : 1 + Math.floor(rnd() * 5)}\n`;
  if (buf.length > 1 << 20) {
    if (!out.write(buf)) await once(out, 'drain');
    buf = '';
  }
}
out.end(buf);
await once(out, 'finish');
