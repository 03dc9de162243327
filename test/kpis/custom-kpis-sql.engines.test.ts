/**
 * Custom KPIs (kpis:) compiled to SQL, worked by hand, on PGlite and a PostgreSQL server: the
 * relations put back into the engine's accumulators (as check --engine postgres and report --from
 * do) give the streaming engine's KPIs, objectives, scorecards, problems and totals; DuckDB (no
 * NFKC) leaves them out with a note, and refuses an objective on one naming the way out.
 *
 * 24x7, UTC. qa_rate is a share of qa in (OK, Pass): hits are compared NFKC-normalised, trimmed as
 * JavaScript trims, lower-cased. handle_mean is the mean of the numeric handle cells.
 *   team A: T1 "ok" (hit), T2 " ＯＫ " (full-width, NFKC OK: hit), T3 "fail" (miss)  → 2/3
 *           handle 0.1, 0.2, 0.3 → the exact sum of the three doubles rounds once to 0.6, mean 0.6 / 3
 *           (a SUM of doubles in order gives 0.6000000000000001, mean 0.20000000000000004)
 *   team B: T4 "PASS" (hit), T7 "pass" + U+3000 (NFKC makes it a space, trimmed: hit), T8 "Passed" (miss),
 *           T5, T6 and T9-T11 empty (not counted) → 2/3
 *           handle: T4 "１２" (NFKC 12), T8 "00000000000000000000007" (7: leading zeros are no size) → (12 + 7) / 2 = 9.5;
 *           T5 "12 min" is not a number; T6 empty (not counted); T7 9007199254740993 > 2^53 - 1 and
 *           T9 12345678901234567890 (20 digits) are numbers a mean cannot use; T10 fifty x: its
 *           length said (over 40); T11 "a@b": an email, its length said — five problems
 *   team C: qa empty (no value: null); handle T12 "𝟏" (U+1D7CF, NFKC 1) → 1; T13 twenty-one 😀 is 21
 *           characters but 42 UTF-16 units, as JavaScript counts: "42 characters" — a problem
 *   overall: qa 4/6; handle 0.1 + 0.2 + 0.3 + 12 + 7 + 1 = 20.6 over 6 → 20.6 / 6; 6 cell problems
 *   (rows 6, 8, 10, 11, 12, 14: the header is row 1), every ticket evaluated for everything else.
 * Objectives: qa_rate ≥ 70% overall: 66.67% of 6 fails; handle_mean ≤ 5 where team B: 9.50 of 2 fails.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sqlEngines } from '../helpers/sql-engines.js';
import { restoredRun } from '../helpers/sql-restore.js';

const CONFIG = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved, team: team }
  null_values: [""]
policies:
  - name: Desk
    calendar: 24x7
    targets: { first_response: 1h, resolution: 8h }
kpis:
  qa_rate: { share: { column: qa, values: [OK, Pass] } }
  handle_mean: { mean: { column: handle }, direction: lower }
objectives:
  - { kpi: qa_rate, min: 70% }
  - { kpi: handle_mean, max: 5, where: { team: B } }
scorecards:
  desk:
    by: team
    indicators:
      - { kpi: resolution.compliance, weight: 40, target: 95% }
      - { kpi: qa_rate, weight: 30, target: 90%, worst: 50% }
      - { kpi: handle_mean, weight: 30, target: 1, worst: 20 }
`;

const TICKETS: [string, string, string, string][] = [
  ['T1', 'A', 'ok', '0.1'],
  ['T2', 'A', ' ＯＫ ', '0.2'],
  ['T3', 'A', 'fail', '0.3'],
  ['T4', 'B', 'PASS', '１２'],
  ['T5', 'B', '', '12 min'],
  ['T6', 'B', '', ''],
  ['T7', 'B', 'pass\u3000', '9007199254740993'],
  ['T8', 'B', 'Passed', '00000000000000000000007'],
  ['T9', 'B', '', '12345678901234567890'],
  ['T10', 'B', '', 'x'.repeat(50)],
  ['T11', 'B', '', 'a@b'],
  ['T12', 'C', '', '\u{1d7cf}'],
  ['T13', 'C', '', '😀'.repeat(21)],
];

const TAIL = (k: string) => `; custom KPI ${k} leaves this ticket out (it is evaluated for everything else). Write plain numbers such as 12 or 12.5, without units or thousands separators`;

describe.each(sqlEngines())('custom KPIs in SQL, worked by hand, on $name', (engine) => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sla-custom-sql-'));
    writeFileSync(join(dir, 'sla.yaml'), CONFIG);
    const at = (i: number, min: number) => new Date(Date.UTC(2026, 2, 2, 9 + i, min)).toISOString().slice(0, 16).replace('T', ' ');
    const rows = TICKETS.map(([id, team, qa, handle], i) => [id, at(i, 0), at(i, 5), at(i, 30), team, `"${qa}"`, `"${handle}"`].join(','));
    writeFileSync(join(dir, 'tickets.csv'), `id,created,replied,resolved,team,qa,handle\n${rows.join('\n')}\n`);
    writeFileSync(join(dir, 'plain.yaml'), CONFIG.replace(/^objectives:\n(  - .*\n)+/m, ''));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test.skipIf(engine.skip !== undefined || engine.name === 'DuckDB')('the relations give the engine\'s KPIs, objectives, scorecards and problems', async () => {
    const db = await engine.make();
    try {
      const r = await restoredRun(db, dir, '2026-03-10T00:00', { groupBy: ['team'] });
      const { restored, streaming } = r;
      const group = (team: string) => restored.groups.team.find((g) => g.key === team)!.kpis;
      expect([restored.kpis.qa_rate, group('A').qa_rate, group('B').qa_rate, group('C').qa_rate]).toEqual([4 / 6, 2 / 3, 2 / 3, null]);
      expect([restored.kpis.handle_mean, group('A').handle_mean, group('B').handle_mean, group('C').handle_mean]).toEqual([20.6 / 6, 0.6 / 3, 9.5, 1]);
      // the exact sum, not a SUM of doubles in order
      expect(group('A').handle_mean).not.toBe((0.1 + 0.2 + 0.3) / 3);
      expect(restored.problems.map((p) => [p.row, p.column, p.message])).toEqual([
        [6, 'handle', `"12 min" is not a number${TAIL('handle_mean')}`],
        [8, 'handle', `"9007199254740993" is not a number a mean can use (larger than 9,007,199,254,740,991)${TAIL('handle_mean')}`],
        [10, 'handle', `"12345678901234567890" is not a number a mean can use (larger than 9,007,199,254,740,991)${TAIL('handle_mean')}`],
        [11, 'handle', `50 characters is not a number${TAIL('handle_mean')}`],
        [12, 'handle', `3 characters is not a number${TAIL('handle_mean')}`],
        [14, 'handle', `42 characters is not a number${TAIL('handle_mean')}`],
      ]);
      expect([restored.totals.evaluated, restored.totals.problems, restored.totals.kpi_cell_problems]).toEqual([13, 0, 6]);
      expect(restored.objectives.map((o) => [o.kpi, o.actual, o.tickets, o.passed])).toEqual([['qa_rate', 4 / 6, 6, false], ['handle_mean', 9.5, 2, false]]);
      // the script's own verdicts (sla_objectives, for a gate in the warehouse)
      const verdicts = (await db.run('SELECT objective, kpi, tickets, passed, detail FROM sla_objectives ORDER BY objective')).map((o) => [Number(o.objective), o.kpi, Number(o.tickets), o.passed, o.detail]);
      expect(verdicts).toEqual([[1, 'qa_rate', 6, 'failed', '66.67% < 70.00%'], [2, 'handle_mean', 2, 'failed', '9.50 > 5.00']]);
      // and all of it is the streaming engine's
      for (const k of ['kpis', 'groups', 'objectives', 'scorecards', 'problems', 'totals'] as const) expect(restored[k]).toEqual(streaming[k]);
    } finally {
      await db.close();
    }
  });

  test.skipIf(engine.name !== 'DuckDB')('DuckDB (no NFKC) leaves them out with a note, and refuses an objective on one', async () => {
    const db = await engine.make();
    try {
      await expect(restoredRun(db, dir, '2026-03-10T00:00')).rejects.toThrow(
        'sql: objective 1 (kpi qa_rate) is not compiled for duckdb: custom KPIs (kpis:) read their cells NFKC-normalised (full-width ＯＫ is OK, １２０ is 120), which duckdb cannot do; compile for postgres or bigquery, or run sla-audit check on the export (and 1 more: objective 2',
      );
      const r = await restoredRun(db, dir, '2026-03-10T00:00', { config: 'plain.yaml' });
      expect(r.compiled.notes).toEqual(['qa_rate, handle_mean: custom KPIs (kpis:) read their cells NFKC-normalised (full-width ＯＫ is OK, １２０ is 120), which duckdb cannot do; compile for postgres or bigquery, or run sla-audit check on the export']);
      expect(r.relations.sla_acc_custom).toBeUndefined();
    } finally {
      await db.close();
    }
  });
});
