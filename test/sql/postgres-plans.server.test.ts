/**
 * PostgreSQL's plans for the compiled script's main relations: every calendar lookup is an
 * equi-join on a day key, so the planner never runs a nested loop of the tickets over the spine
 * (the cost that grew with tickets × spine rows). 20,000 of the bench's tickets (a business
 * calendar with lunch breaks, holidays and make-up days over two years), loaded as text as a
 * warehouse export gives them, with a status history; each statement's query is EXPLAINed just
 * before it runs, with the statistics the script itself gathers (ANALYZE).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { postgresForTests, startPostgres, type PgServer } from '../helpers/postgres-server.js';
import { pgRunner, type SqlRunner } from '../helpers/sql-parity.js';
import { cli, ROOT } from '../cli/run.js';

const { pg, skip: reason } = postgresForTests();

/** The spine's relations, and the relations with a row per ticket (or ticket and metric) */
const SPINE = new Set(['sla_spine', 'sla_cover', 'sla_inverse', 'sla_cover_days', 'sla_inverse_days', 'sla_bdays']);
const PER_TICKET = /^(sla_rows|sla_parsed|sla_checked|sla_tickets|sla_times|sla_metric_rows|sla_clock|sla_excluded|sla_paused|sla_segments|sla_evaluated|sla_runs|sla_events|sla_ticket_metrics|sla_facts|tickets|history)$/;
/** The KPI relations: each built from tables already made, by hash or merge joins on a ticket's row */
const KPI = new Set(['sla_facts', 'sla_fact_flags', 'sla_acc', 'sla_acc_status', 'sla_acc_times', 'sla_kpi_times', 'sla_kpi_wide', 'sla_kpis', 'sla_objectives']);

interface PlanNode { 'Node Type': string; 'Relation Name'?: string; Plans?: PlanNode[] }

const relations = (n: PlanNode): string[] => [...(n['Relation Name'] ? [n['Relation Name']] : []), ...(n.Plans ?? []).flatMap(relations)];

/** Each nested loop with the spine on one side and a per-ticket relation on the other, as "outer × inner". */
function spineLoops(n: PlanNode): string[] {
  const here: string[] = [];
  if (n['Node Type'] === 'Nested Loop' && n.Plans?.length === 2) {
    const [a, b] = n.Plans.map(relations);
    const spine = (rs: string[]) => rs.some((r) => SPINE.has(r));
    const tickets = (rs: string[]) => rs.some((r) => PER_TICKET.test(r));
    if ((spine(a) && tickets(b)) || (spine(b) && tickets(a))) here.push(`${a.join('+')} × ${b.join('+')}`);
  }
  return [...here, ...(n.Plans ?? []).flatMap(spineLoops)];
}

/** Each nested loop with a per-ticket relation on both sides (tickets × tickets), as "outer × inner". */
function ticketLoops(n: PlanNode): string[] {
  const here: string[] = [];
  if (n['Node Type'] === 'Nested Loop' && n.Plans?.length === 2) {
    const [a, b] = n.Plans.map(relations);
    const tickets = (rs: string[]) => rs.some((r) => PER_TICKET.test(r));
    if (tickets(a) && tickets(b)) here.push(`${a.join('+')} × ${b.join('+')}`);
  }
  return [...here, ...(n.Plans ?? []).flatMap(ticketLoops)];
}

describe.skipIf(reason !== undefined)(`PostgreSQL plans: no nested loop over the spine${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let server: PgServer;
  let db: SqlRunner;
  let dir: string;
  beforeAll(async () => {
    server = await startPostgres(pg!);
    dir = mkdtempSync(join(tmpdir(), 'sla-plans-'));
    const file = join(dir, 'tickets.csv');
    execFileSync('node', [join(ROOT, 'test/bench/generate.mjs'), '20000', file]);
    // a history: every 7th ticket pending for two hours after its creation
    const lines = readFileSync(file, 'utf8').split('\n').slice(1).filter((l, i) => l && i % 7 === 6).map((l) => `${l.split(',').slice(0, 2).join(',')},Pending`);
    writeFileSync(join(dir, 'history.csv'), `ticket,at,status\n${lines.join('\n')}\n`);
    const cols = ['Ticket ID', 'Created', 'First Reply', 'Resolved', 'Priority', 'Status', 'Channel', 'Category', 'Group', 'Requester ID', 'Subject', 'Customer Tier', 'CSAT'];
    await server.psql(`CREATE TABLE tickets (${cols.map((c) => `"${c}" text`).join(', ')});\n\\copy tickets FROM '${file}' CSV HEADER
CREATE TABLE history (ticket text, at text, status text);\n\\copy history FROM '${join(dir, 'history.csv')}' CSV HEADER
ANALYZE tickets; ANALYZE history;`);
    db = await pgRunner(server.url);
  });
  afterAll(async () => {
    await db?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('each relation of the script is planned without a nested loop of tickets over the spine', async () => {
    const yaml = join(dir, 'sla.yaml');
    // and the KPI relations' scopes: groups, weeks, a where: objective with an effective range, a scorecard by team and month
    const kpis = `  - { kpi: resolution.median, max: 8h, where: { channel: Email }, effective: { from: 2026-01-01 } }
scorecards:
  teams: { by: team, period: month, indicators: [{ kpi: resolution.compliance, weight: 1, target: 90% }] }
events:
  columns: { ticket_id: ticket, timestamp: at, status: status }
`;
    writeFileSync(yaml, `${readFileSync(join(ROOT, 'test/bench/sla.yaml'), 'utf8')}\n${kpis}`);
    const r = await cli(['sql', '--dialect', 'postgres', '-c', yaml, '--history', 'history', '--from', '2025-01-01', '--to', '2027-01-01', '--as-of', '2027-01-01', '--group-by', 'team,channel', '--period', 'week']);
    expect(r.stderr).toBe('');
    const statements = r.stdout.split(/;\n(?=\n|DROP|CREATE|ANALYZE|SET|BEGIN|COMMIT)/);
    const loops: string[] = [];
    let explained = 0;
    for (const s of statements) {
      const m = /CREATE (?:TEMP |UNLOGGED )?TABLE "?(\w+)"? AS\n([\s\S]*)$/.exec(s);
      if (m && !SPINE.has(m[1]) && m[1] !== 'sla_numbers') {
        const [row] = await db.run(`EXPLAIN (FORMAT JSON) ${m[2]}`);
        const plan = (row['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan;
        explained++;
        loops.push(...spineLoops(plan).map((l) => `${m[1]}: ${l}`));
        if (KPI.has(m[1])) loops.push(...ticketLoops(plan).map((l) => `${m[1]}: ${l}`));
      }
      await db.run(s);
    }
    expect(explained).toBeGreaterThan(10);
    expect(loops).toEqual([]);
    // and the script ran whole: every ticket created by --as-of (Shanghai's 2027-01-01 00:00) has its rows
    const created = readFileSync(join(dir, 'tickets.csv'), 'utf8').split('\n').slice(1).filter((l) => l && l.split(',')[1] < '2027-01-01 00:00');
    const [count] = await db.run('SELECT count(DISTINCT ticket_id) AS n FROM sla_ticket_metrics');
    expect(Number(count.n)).toBe(created.length);
    expect(created.length).toBeGreaterThan(19_900);
    // the KPI relations ran whole too: the overall row counts every ticket, each scope kind is there
    const [overall] = await db.run("SELECT tickets FROM sla_acc WHERE scope = 'overall'");
    expect(Number(overall.tickets)).toBe(created.length);
    const kinds = await db.run('SELECT DISTINCT scope FROM sla_kpis ORDER BY scope');
    expect(kinds.map((k) => k.scope)).toEqual(['group', 'objective', 'overall', 'period', 'scorecard']);
  });
});
