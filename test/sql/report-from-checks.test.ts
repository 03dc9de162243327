/**
 * `report --from DIR` refuses relations it cannot take at their word, without a PostgreSQL server:
 * fixtures/warehouse/demo (the demo's relations as \copy exports them) copied, with custom KPIs
 * added by hand — sla_acc_custom, sla_totals.kpi_cell_problems and one custom KPI cell problem in
 * sla_problems — then one cell edited at a time: each is exit 2 with one line naming the file, the
 * row (the header is row 1), the column, the value and what is allowed.
 *
 * The hand-made custom KPIs (overall scope): email_share, a share of Channel in (Email): value 1 for
 * 3 tickets and 0 for 1 → 3 / 4 = 0.75; csat_mean, the mean of CSAT: 4 for 2 tickets and 2.5 for 2
 * → (4·2 + 2.5·2) / 4 = 13 / 4 = 3.25; one cell problem (row 7, CSAT "n/a").
 *
 * And the checks are no stricter than an exporter: the demo compiled for DuckDB, run in DuckDB and
 * exported with its own COPY … (HEADER), gives check's KPIs, totals, objectives and exit code (the
 * \copy exports of every SQL fixture are checked so in test/sql/postgres-check.server.test.ts).
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cli, ROOT } from '../cli/run.js';
import { duckdbRunner, loadTable } from '../helpers/sql-parity.js';
import { RELATION_COLUMNS } from '../../src/warehouse/relations.js';

const KPIS = '\nkpis:\n  email_share: { share: { column: Channel, values: [Email] } }\n  csat_mean: { mean: { column: CSAT }, direction: higher }\n';
const CELL = '"n/a" is not a number; custom KPI csat_mean leaves this ticket out (it is evaluated for everything else). Write plain numbers such as 12 or 12.5, without units or thousands separators';
/** the cell problem as report lists it on stderr (its file: the table's name, as the script names it) */
const LISTED = `sla-audit: tickets row 7, column "CSAT": ${CELL}`;
const CUSTOM = ['scope,dimension,key,period_label,kpi,value,n', 'overall,"","","",email_share,1,3', 'overall,"","","",email_share,0,1', 'overall,"","","",csat_mean,4,2', 'overall,"","","",csat_mean,2.5,2'];
const TOTALS = ['rows,tickets,evaluated,problems,outside_range,without_history,event_rows,event_problems,kpi_cell_problems', '412,412,412,0,0,,,,1'];
const PROBLEMS = ['row_no,id,source,problem', `7,T-0007,tickets,"${CELL.replace(/"/g, '""')}"`];

describe('report --from DIR: cells and counts it cannot take are exit 2 naming them', () => {
  let dir: string;
  let out: string;
  let config: string;
  const write = (relation: string, lines: string[]) => writeFileSync(join(out, `${relation}.csv`), `${lines.join('\n')}\n`);
  const file = (relation: string) => join(out, `${relation}.csv`);
  /** the run with `relation`'s file as `lines`, then put back as the hand-made export has it */
  const reportWith = async (relation: string, lines: string[]) => {
    const before = readFileSync(file(relation), 'utf8');
    write(relation, lines);
    const r = await cli(['report', '--from', out, '-c', config, '-f', 'json']);
    writeFileSync(file(relation), before);
    return r;
  };
  const runWith = async (relation: string, lines: string[]) => {
    const r = await reportWith(relation, lines);
    return [r.exitCode, r.stderr.trim()];
  };
  const customRow = (i: number, row: string) => CUSTOM.map((l, j) => (j === i ? row : l));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sla-from-checks-'));
    out = join(dir, 'exports');
    cpSync(join(ROOT, 'fixtures/warehouse/demo'), out, { recursive: true });
    config = join(dir, 'sla.yaml');
    writeFileSync(config, readFileSync(join(ROOT, 'fixtures/demo/sla.yaml'), 'utf8') + KPIS);
    write('sla_acc_custom', CUSTOM);
    write('sla_totals', TOTALS);
    write('sla_problems', PROBLEMS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the hand-made export as it is: the KPIs worked out above, the cell problem counted and listed', async () => {
    const r = await cli(['report', '--from', out, '-c', config, '-f', 'json']);
    expect([r.exitCode, r.stderr.trim()]).toEqual([1, LISTED]);
    const j = JSON.parse(r.stdout) as { kpis: Record<string, number>; totals: Record<string, number>; problems: { row: number; column?: string; message: string }[] };
    expect([j.kpis.email_share, j.kpis.csat_mean, j.totals.kpi_cell_problems]).toEqual([0.75, 3.25, 1]);
    expect(j.problems.map((p) => [p.row, p.column, p.message])).toEqual([[7, 'CSAT', CELL]]);
  });

  test('sla_acc_custom: an empty value or count, an unknown KPI or scope, a share\'s value other than 1 or 0, a count with an exponent', async () => {
    const f = file('sla_acc_custom');
    const again = 'export the relation as the script computes it';
    expect(await runWith('sla_acc_custom', customRow(4, 'overall,"","","",csat_mean,,2'))).toEqual([2, `sla-audit: ${f}: row 5, column "value": an empty cell is not a number; ${again}`]);
    expect(await runWith('sla_acc_custom', customRow(2, 'overall,"","","",email_share,0,'))).toEqual([2, `sla-audit: ${f}: row 3, column "n": an empty cell is not a whole number >= 0 (a count); ${again}`]);
    expect(await runWith('sla_acc_custom', customRow(1, 'overall,"","","",emails,1,3'))).toEqual([2, `sla-audit: ${f}: row 2, column "kpi": "emails" is not a custom KPI of the config (kpis: email_share, csat_mean); compile the script with this config, or report with the config the script was compiled with`]);
    expect(await runWith('sla_acc_custom', customRow(3, 'everything,"","","",csat_mean,4,2'))).toEqual([2, `sla-audit: ${f}: row 4, column "scope": "everything" is not a scope (overall, group, period, objective, scorecard); ${again}`]);
    expect(await runWith('sla_acc_custom', customRow(1, 'overall,"","","",email_share,2,3'))).toEqual([2, `sla-audit: ${f}: row 2, column "value": "2" is not 1 or 0 (share email_share: a hit or not); ${again}`]);
    expect(await runWith('sla_acc_custom', customRow(3, 'overall,"","","",csat_mean,4,1e3'))).toEqual([2, `sla-audit: ${f}: row 4, column "n": "1e3" is not a whole number >= 0 (a count); ${again}`]);
    // a share's 1 and a count as doubles (pandas writes an integer column with a NULL so): taken
    const doubles = await runWith('sla_acc_custom', customRow(1, 'overall,"","","",email_share,1.0,3.0'));
    expect(doubles).toEqual([1, LISTED]);
  });

  test('every relation\'s counts: digits only (an exponent, a sign, a fraction refused)', async () => {
    const [header, ...rows] = readFileSync(file('sla_channels'), 'utf8').trim().split('\n');
    const f = file('sla_channels');
    // sla_channels: channel, tickets, breached; row 2 is Email,127,25
    for (const bad of ['1.27e2', '+127', '127.5', '0x7f']) {
      expect(await runWith('sla_channels', [header, `Email,${bad},25`, ...rows.slice(1)])).toEqual([2, `sla-audit: ${f}: row 2, column "tickets": "${bad}" is not a whole number >= 0 (a count); export the relation as the script computes it`]);
    }
    const [th, tr] = TOTALS;
    expect(await runWith('sla_totals', [th, tr.replace(/^412,/, '4.12e2,')])).toEqual([2, `sla-audit: ${file('sla_totals')}: row 2, column "rows": "4.12e2" is not a whole number >= 0 (a count); export the relation as the script computes it`]);
  });

  test('sla_totals.kpi_cell_problems: missing with custom KPIs, or not what the complete sla_problems lists', async () => {
    const f = file('sla_totals');
    const [th, tr] = TOTALS;
    const without = [th.replace(/,kpi_cell_problems$/, ''), tr.replace(/,1$/, '')];
    expect(await runWith('sla_totals', without)).toEqual([2, `sla-audit: ${f}: no kpi_cell_problems column, which the script of this version writes when the config has custom KPIs (kpis:): without it the custom KPI cells that are not numbers would be counted as 0; compile the script with this version's \`sla-audit sql\`, run it and export sla_totals, sla_problems and sla_acc_custom from that run`]);
    // sla_problems holds every row (0 row problems, no history: its one row is the cell problem): 2 and 0 disagree
    expect(await runWith('sla_totals', [th, tr.replace(/,1$/, ',2')])).toEqual([2, `sla-audit: ${f}: row 2, column "kpi_cell_problems": 2 is not the 1 custom KPI cell problem sla_problems.csv lists (it holds every row of the relation); export sla_totals and sla_problems from the same run of the script`]);
    expect(await runWith('sla_totals', [th, tr.replace(/,1$/, ',0')])).toEqual([2, `sla-audit: ${f}: row 2, column "kpi_cell_problems": 0 is not the 1 custom KPI cell problem sla_problems.csv lists (it holds every row of the relation); export sla_totals and sla_problems from the same run of the script`]);
    // sla_problems cut short (3 row problems counted, none of them exported): its cells may be a part, the count is taken
    const cut = await reportWith('sla_totals', [th, '412,412,409,3,0,,,,2']);
    expect([cut.exitCode, cut.stderr.trim().split('\n')[0]]).toEqual([1, LISTED]);
    expect((JSON.parse(cut.stdout) as { totals: Record<string, number> }).totals.kpi_cell_problems).toBe(2);
    // without custom KPIs in the config, the demo's own sla_totals (no such column) is taken as before
    const plain = await cli(['report', '--from', join(ROOT, 'fixtures/warehouse/demo'), '-c', join(ROOT, 'fixtures/demo/sla.yaml'), '-f', 'json']);
    expect([plain.exitCode, plain.stderr]).toEqual([1, '']);
  });

  test('the checks take DuckDB\'s own export (COPY … (HEADER)) of the demo: the report and exit code of check on the demo', async () => {
    const demo = join(ROOT, 'fixtures/demo');
    const asOf = '2026-11-01T00:00';
    const sql = await cli(['sql', '--dialect', 'duckdb', '-c', join(demo, 'sla.yaml'), '--table', 'tickets', '--row-column', '_row', '--from', '2023-01-01', '--to', '2026-11-01', '--as-of', asOf]);
    expect(sql.exitCode).toBe(0);
    const db = await duckdbRunner();
    const exported = join(dir, 'duckdb');
    mkdirSync(exported);
    try {
      await loadTable(db, 'tickets', join(demo, 'tickets.csv'));
      await db.run(sql.stdout);
      const defined = new Set([...sql.stdout.matchAll(/(?:TABLE|VIEW) "(sla_[a-z_]+)"/g)].map((m) => m[1]));
      for (const r of Object.keys(RELATION_COLUMNS).filter((n) => defined.has(n))) await db.run(`COPY (SELECT * FROM ${r}) TO '${join(exported, `${r}.csv`)}' (HEADER)`);
    } finally {
      await db.close();
    }
    const [fromDir, check] = await Promise.all([
      cli(['report', '--from', exported, '-c', join(demo, 'sla.yaml'), '-f', 'json']),
      cli(['check', '-c', join(demo, 'sla.yaml'), join(demo, 'tickets.csv'), '--as-of', asOf, '-f', 'json']),
    ]);
    expect(fromDir.stderr).not.toMatch(/ is not /);
    expect(fromDir.exitCode).toBe(check.exitCode);
    const [a, b] = [fromDir.stdout, check.stdout].map((t) => JSON.parse(t) as Record<string, unknown>);
    for (const k of ['kpis', 'totals', 'objectives', 'groups']) expect(a[k], k).toEqual(b[k]);
  });
});
