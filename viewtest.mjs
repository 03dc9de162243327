import { DuckDBInstance } from '@duckdb/node-api';
import { loadConfig } from '/work/wt-sql/dist/config/load.js';
import { compileSql } from '/work/wt-sql/dist/sql/compile.js';
import { spineRangeFor } from '/work/wt-sql/dist/sql/range.js';
import { ColumnMap } from '/work/wt-sql/dist/input/columns.js';
const config = loadConfig('test/bench/sla.yaml');
const header = 'Ticket ID,Created,First Reply,Resolved,Priority,Status,Channel,Category,Group,Requester ID,Subject,Customer Tier,CSAT'.split(',');
const map = new ColumnMap('x', header, config);
const columns = { column: (k) => (map.resolve(k) === undefined ? undefined : `c${map.resolve(k)}`) };
const asOf = Date.parse('2027-01-01T00:00:00+08:00');
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
let t0 = performance.now();
const names = header.map((_, i) => `c${i}`);
await con.run(`CREATE TABLE t AS SELECT * FROM read_csv('/tmp/sla-audit-bench-${process.argv[2] ?? 1000000}.csv', header=true, auto_detect=false, all_varchar=true, delim=',', quote='"', escape='"', columns={${names.map((n) => `'${n}':'VARCHAR'`).join(',')}})`); await con.run('CREATE TABLE tt AS SELECT rowid + 2 AS _ord, * FROM t');
console.log('load', (performance.now() - t0).toFixed(0));
const compiled = compileSql({ config, dialect: 'duckdb', table: 'tt', columns, rowColumn: '_ord', asOf, range: spineRangeFor(config, Date.parse('2025-01-01'), asOf), objectives: [] });
const mode = process.argv[3] ?? 'view';
for (const s0 of compiled.statements) {
  const name = /"(sla_[a-z_]+)"/.exec(s0)[1];
  if (['sla_ticket_metrics', 'sla_summary', 'sla_objectives', 'sla_problems'].includes(name)) continue;
  const s = s0;
  t0 = performance.now();
  await con.run(s);
  console.log(name, (performance.now() - t0).toFixed(0));
}
t0 = performance.now();
const r = await con.runAndReadAll('SELECT count(*), sum(elapsed_ms) FROM sla_evaluated');
console.log('evaluate all', (performance.now() - t0).toFixed(0), r.getRows());
if (process.argv[4]) { const p = await con.runAndReadAll('EXPLAIN ANALYZE SELECT count(*), sum(elapsed_ms) FROM sla_evaluated'); console.log(p.getRows()[0][1]); }
if (process.argv[5]) {
  await con.run("PRAGMA enable_profiling='json'"); await con.run("PRAGMA profiling_output='/tmp/prof.json'");
  await con.runAndReadAll('SELECT count(*), sum(elapsed_ms) FROM sla_evaluated');
}
