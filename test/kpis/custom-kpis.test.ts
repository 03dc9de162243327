import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';
import { configErrors } from '../helpers/index.js';
import { renderReport } from '../../src/index.js';

const DIR = 'kpis/custom-kpis';
const ARGS = ['check', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-06-01'];
const tmp = mkdtempSync(join(tmpdir(), 'sla-custom-kpis-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// tickets.csv (every ticket replied in 10m and resolved in 1h: all met), null_values "" and "-":
// id  created (Mon 4 May = ISO week 19)  team  质检结果      处理时长
// C1  05-04 (W19)                         一线  合格         30
// C2  05-05 (W19)                         一线  " 通过 "     45        (trimmed: a hit)
// C3  05-06 (W19)                         一线  不合格       １２０    (full-width digits: NFKC 120)
// C4  05-11 (W20)                         二线  (empty)      60        (null: not in the share)
// C5  05-12 (W20)                         二线  不合格       abc       (not a number: a problem of handle_minutes only)
// C6  05-13 (W20)                         二线  -            (empty)   (both null)
// C7  05-18 (W21)                         二线  ＰＡＳＳ     90        (NFKC "PASS", case-insensitive: a hit of "Pass")
// C8  05-19 (W21)                         一线  合格         15.5
describe('custom KPIs from columns, worked by hand', () => {
  test('share over non-empty cells, mean over numeric cells; a non-numeric cell is a problem of that KPI only', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00');
    // standards_rate: non-empty cells C1 C2 C3 C5 C7 C8 (6); hits C1 C2 C7 C8 (4) → 4 / 6
    expect(result.kpis.standards_rate).toBe(4 / 6);
    // handle_minutes: numbers 30, 45, 120, 60, 90, 15.5 (C5 not a number, C6 empty) → 360.5 / 6
    expect(result.kpis.handle_minutes).toBe(360.5 / 6);
    // C5 is evaluated for everything else: 8 rows read = 8 evaluated + 0 left out; its cell is one problem, not a row
    expect(result.totals).toEqual({ rows: 8, tickets: 8, evaluated: 8, problems: 0, outside_range: 0, kpi_cell_problems: 1 });
    expect(result.overall.met).toBe(16);
    expect(result.problems).toEqual([{
      file: expect.stringMatching(/tickets\.csv$/), row: 6, column: '处理时长',
      message: '"abc" is not a number; custom KPI handle_minutes leaves this ticket out (it is evaluated for everything else). Write plain numbers such as 12 or 12.5, without units or thousands separators',
    }]);
    // both are objectives: 66.7% < 90% fails; 60.08 ≤ 90 holds; each measured on 6 tickets
    expect(result.objectives.map((o) => [o.kpi, o.actual, o.tickets, o.passed])).toEqual([
      ['standards_rate', 4 / 6, 6, false],
      ['handle_minutes', 360.5 / 6, 6, true],
    ]);
    expect(result.passed).toBe(false);
  });

  test('per --group-by group and per --period, with null where a group has no data', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00', { groupBy: ['team'], period: 'week' });
    const team = Object.fromEntries(result.groups.team.map((g) => [g.key, [g.kpis.standards_rate, g.kpis.handle_minutes]]));
    // 一线 C1 C2 C3 C8: hits 3 of 4; (30 + 45 + 120 + 15.5) / 4 = 52.625
    // 二线 C4 C5 C6 C7: non-empty C5 C7, hit C7 → 1 / 2; numbers C4 60, C7 90 → 75
    expect(team).toEqual({ 一线: [0.75, 52.625], 二线: [0.5, 75] });
    // W19 C1-C3: 2 / 3, (30 + 45 + 120) / 3 = 65 · W20 C4-C6: only C5 non-empty, a miss → 0 (data, so 0, not null); C4 60
    // W21 C7 C8: 2 / 2, (90 + 15.5) / 2 = 52.75
    expect(result.periods.map((p) => [p.period, p.kpis!.standards_rate, p.kpis!.handle_minutes])).toEqual([
      ['2026-W19', 2 / 3, 65], ['2026-W20', 0, 60], ['2026-W21', 1, 52.75],
    ]);
    // JSON: the stable kpis objects carry them beside the catalogue's
    const json = JSON.parse(renderReport(result, 'json'));
    expect([json.kpis.standards_rate, json.groups.team[0].kpis.handle_minutes, json.periods[1].kpis.standards_rate]).toEqual([4 / 6, 52.625, 0]);
  });

  test('no data is null, never 0: a period whose cells are all empty', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00', { since: Date.parse('2026-05-13T00:00Z'), until: Date.parse('2026-05-14T00:00Z') });
    // only C6: both cells null
    expect([result.totals.evaluated, result.kpis.standards_rate, result.kpis.handle_minutes]).toEqual([1, null, null]);
    expect(result.objectives.map((o) => o.skipped)).toEqual(['no data for this KPI', 'no data for this KPI']);
    expect(renderReport(result, 'table')).toMatch(/│ standards_rate\s+│\s+– │/);
  });

  test('as scorecard indicators with points (the KPI plan\'s 服务规范执行率 at weight 15)', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00');
    const rows = result.scorecards[0].cards[0].rows.map((r) => [r.key, r.indicators.map((i) => i.points), r.composite]);
    // resolution.compliance 100% against 95%, no worst: ratio 1/0.95 clamped to 1 → 100 points
    // standards_rate between worst 50% and target 90%: 一线 (0.75 − 0.5) / 0.4 = 0.625 → 62.5; 二线 0.5 → 0
    // handle_minutes, lower is better (direction: lower), worst 120, target 30: 一线 (120 − 52.625) / 90 → 74.861…; 二线 (120 − 75) / 90 = 0.5 → 50
    // composite: 一线 (20·100 + 15·62.5 + 10·74.861…) / 45 = 81.913…; 二线 (2000 + 0 + 500) / 45 = 55.555…
    const h1 = ((120 - 52.625) / 90) * 100;
    expect(rows[0][0]).toBe('一线');
    expect(rows[0][1]).toEqual([100, 62.5, expect.closeTo(h1, 9)]);
    expect(rows[0][2]).toBeCloseTo((2000 + 937.5 + 10 * h1) / 45, 9);
    expect(rows[1]).toEqual(['二线', [100, 0, 50], expect.closeTo(2500 / 45, 9)]);
  });

  test('check: the failing custom objective exits 1; the reports show a share in percent, a mean as a number', async () => {
    const r = await cli([...ARGS, '-f', 'markdown']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('| standards_rate | 66.7% |');
    expect(r.stdout).toContain('| handle_minutes | 60.08 |');
    expect(r.stdout).toContain('| ❌ | standards_rate ≥ 90% | 66.7% | 6 |');
    expect(r.stderr).toContain('tickets.csv row 6, column "处理时长": "abc" is not a number; custom KPI handle_minutes leaves this ticket out');
    // the KPI's own row problem is not a row left out: no "left out of the counts" line
    expect(r.stderr).not.toContain('left out of the counts');
    // --strict counts it as a problem
    const strict = await cli([...ARGS, '-q', '--strict']);
    expect([strict.exitCode, strict.stderr.split('\n').at(-2)]).toEqual([2, 'sla-audit: --strict: 1 row had problems (1 in custom KPI cells (kpis:) of evaluated tickets)']);
    const junit = await cli([...ARGS, '-f', 'junit']);
    expect(junit.stdout).toContain('name="standards_rate ≥ 90%"><failure message="actual 66.7% is below the target 90% (6 tickets measured)"');
  });

  test('--split and --baseline compare them like catalogue KPIs (lower handle_minutes is better)', async () => {
    // before 18 May: C1-C6 → non-empty C1 C2 C3 C5, hits C1 C2 → 0.5; numbers 30, 45, 120, 60 → 63.75
    // from it: C7 C8 → 2 / 2 = 1; (90 + 15.5) / 2 = 52.75. Both got better: handle_minutes fell, and lower is
    // better for it (direction: lower), so its drop is not marked worse
    const { result } = await runFixture(DIR, '2026-06-01T00:00', { split: Date.parse('2026-05-18T00:00Z') });
    const rows = Object.fromEntries(result.split!.rows.filter((x) => x.what === 'standards_rate' || x.what === 'handle_minutes').map((x) => [x.what, [x.before, x.after, x.worse]]));
    expect(rows).toEqual({ standards_rate: [0.5, 1, false], handle_minutes: [63.75, 52.75, false] });
    // against an earlier report of the same run: every custom KPI compared, unchanged
    const base = join(tmp, 'base.json');
    await cli([...ARGS, '-q', '-o', base]);
    const again = await cli([...ARGS, '-f', 'json', '--baseline', base]);
    const kpis = JSON.parse(again.stdout).baseline.kpis.filter((k: { what: string }) => k.what === 'standards_rate' || k.what === 'handle_minutes');
    expect(kpis).toEqual([
      { what: 'standards_rate', before: 4 / 6, after: 4 / 6, change: 0, worse: false },
      { what: 'handle_minutes', before: 360.5 / 6, after: 360.5 / 6, change: 0, worse: false },
    ]);
  });

  test('--engine duckdb: the same reports (the SQL computes the metrics, the engine the custom KPIs from the cells)', async () => {
    const s = await cli([...ARGS, '-f', 'json', '--group-by', 'team', '--period', 'week']);
    const d = await cli([...ARGS, '-f', 'json', '--group-by', 'team', '--period', 'week', '--engine', 'duckdb']);
    const undated = (x: string) => x.replace(/"generatedAt": "[^"]*"/, '');
    expect([d.exitCode, d.stderr, undated(d.stdout)]).toEqual([s.exitCode, s.stderr, undated(s.stdout)]);
    expect(d.stderr).not.toContain('note:');
  });

  test('explain: what a ticket gives each custom KPI (its cell\'s text is not repeated)', async () => {
    const lines = async (id: string) => (await cli(['explain', id, '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-06-01'])).stdout.split('custom KPIs:\n')[1];
    // C2 " 通过 " is a hit, 45 minutes; C5 不合格 is a miss and "abc" no number; C6 "-" and "" are null values
    expect(await lines('C2')).toBe('  standards_rate: a hit (质检结果 is one of its values)\n  handle_minutes: 45 (处理时长)\n');
    expect(await lines('C5')).toMatch(/^ {2}standards_rate: not a hit \(质检结果 is not one of its values\)\n {2}handle_minutes: left out: "abc" is not a number; custom KPI handle_minutes leaves this ticket out/);
    expect(await lines('C6')).toBe('  standards_rate: not counted: 质检结果 is empty (or a null value)\n  handle_minutes: not counted: 处理时长 is empty (or a null value)\n');
    const json = JSON.parse((await cli(['explain', 'C3', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-06-01', '-f', 'json'])).stdout);
    expect(json.custom_kpis).toEqual([
      { kpi: 'standards_rate', stat: 'share', column: '质检结果', value: 0 },
      { kpi: 'handle_minutes', stat: 'mean', column: '处理时长', value: 120 },
    ]);
  });

  test('a cell of digits too large for a number is a problem, not an infinite mean (nothing invented)', async () => {
    // C1's 处理时长 is 400 nines: plain digits, but past Number.MAX_VALUE (Number() gives Infinity); C2 is 30.
    // The mean must be C2's 30 alone, the big cell a problem of handle_minutes (its length shown, not its text)
    const csv = 'id,created,replied,resolved,team,质检结果,处理时长\n'
      + `C1,2026-05-04 09:00,2026-05-04 09:10,2026-05-04 10:00,一线,合格,${'9'.repeat(400)}\n`
      + 'C2,2026-05-05 09:00,2026-05-05 09:10,2026-05-05 10:00,一线,合格,30\n';
    writeFileSync(join(tmp, 'huge.csv'), csv);
    const r = await cli(['check', '-c', `fixtures/${DIR}/sla.yaml`, join(tmp, 'huge.csv'), '--as-of', '2026-06-01', '-q', '-o', join(tmp, 'huge.json')]);
    const json = JSON.parse(readFileSync(join(tmp, 'huge.json'), 'utf8'));
    expect([json.kpis.handle_minutes, json.totals.kpi_cell_problems, json.totals.evaluated]).toEqual([30, 1, 2]);
    expect(r.stderr).toContain('row 2, column "处理时长": 400 characters is not a number a mean can use (larger than 9,007,199,254,740,991); custom KPI handle_minutes leaves this ticket out');
  });

  test('sql compiles custom KPIs for postgres, and refuses an objective on one for duckdb (no NFKC) naming the way out', async () => {
    const r = await cli(['sql', '--dialect', 'duckdb', '-c', `fixtures/${DIR}/sla.yaml`, '--from', '2026-05-01', '--to', '2026-06-01']);
    const why = (i: number, k: string) => `objective ${i} (kpi ${k}) is not compiled for duckdb: custom KPIs (kpis:) read their cells NFKC-normalised (full-width ＯＫ is OK, １２０ is 120), which duckdb cannot do; compile for postgres or bigquery, or run sla-audit check on the export`;
    expect([r.exitCode, r.stderr]).toEqual([2, `sla-audit: sql: ${why(1, 'standards_rate')} (and 1 more: ${why(2, 'handle_minutes')})\n`]);
    const pg = await cli(['sql', '--dialect', 'postgres', '-c', `fixtures/${DIR}/sla.yaml`, '--from', '2026-05-01', '--to', '2026-06-01']);
    expect([pg.exitCode, pg.stderr]).toEqual([0, '']);
    expect(pg.stdout).toContain('--   sla_acc_custom (kpi, value, n:');
    expect(pg.stdout).toMatch(/CREATE TEMP TABLE "sla_acc_custom" AS/);
  });

  test('a column the file does not have is an input error naming the KPI and the headers (exit 2)', async () => {
    const yaml = readFileSync(`fixtures/${DIR}/sla.yaml`, 'utf8').replace('column: 处理时长', 'column: 处理时间');
    writeFileSync(join(tmp, 'sla.yaml'), yaml);
    const r = await cli(['check', '-c', join(tmp, 'sla.yaml'), `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-06-01']);
    expect([r.exitCode, r.stdout]).toEqual([2, '']);
    const message = `sla-audit: fixtures/${DIR}/tickets.csv: custom KPI handle_minutes reads column "处理时间", but there is no such column (headers: "id", "created", "replied", "resolved", "team", "质检结果", "处理时长"); map it under tickets.columns or fix kpis.handle_minutes.mean.column in ${join(tmp, 'sla.yaml')}\n`;
    expect(r.stderr).toBe(message);
    // validate finds it from the header alone
    const v = await cli(['validate', '-c', join(tmp, 'sla.yaml'), `fixtures/${DIR}/tickets.csv`]);
    expect([v.exitCode, v.stderr]).toEqual([2, message]);
    const ok = await cli(['validate', '-c', `fixtures/${DIR}/sla.yaml`]);
    expect(ok.stdout).toContain('2 objectives, timezone UTC, custom KPIs standards_rate, handle_minutes)');
  });
});

describe('custom KPI config errors: one line each, all in one run', () => {
  const base = `policies: [{ name: A, targets: { resolution: 8h } }]\n`;
  test('names, shapes and references', () => {
    const lines = configErrors(`${base}kpis:
  fcr: { share: { column: x, values: [y] } }
  a.b: { mean: { column: x } }
  both: { share: { column: x, values: [y] }, mean: { column: x } }
  blank: { share: { column: x, values: [ok, " "] } }
  nothing: {}
  good: { mean: { column: 处理时长 } }
objectives:
  - { kpi: goood, max: 5 }
  - { kpi: blank, min: 90% }
  - { kpi: good, min: 90% }
scorecards:
  s:
    by: team
    indicators: [{ kpi: both, weight: 1, target: 1 }, { kpi: gooda, weight: 1, target: 1 }]
`);
    expect(lines).toEqual([
      'sla.yaml:3:3 kpis.fcr: "fcr" is a catalogue KPI; a custom KPI needs a name of its own (e.g. fcr_custom)',
      'sla.yaml:4:3 kpis["a.b"]: "a.b" cannot be a KPI name: one word of letters, digits, _ and -, starting with a letter (no dots or spaces), e.g. standards_rate',
      'sla.yaml:5:9 kpis.both: gives both share and mean; a custom KPI is one of them',
      'sla.yaml:6:45 kpis.blank.share.values[1]: is empty; an empty cell is never counted (neither a hit nor in the denominator), so list the values that count as a hit',
      'sla.yaml:7:12 kpis.nothing: says nothing to compute; give share: { column, values } or mean: { column }',
      expect.stringMatching(/^sla\.yaml:10:\d+ objectives\[0\]\.kpi: unknown KPI "goood" \(did you mean "good"\?\) \(known: .*, good; or define it under kpis:\)$/),
      'sla.yaml:12:23 objectives[2].min: "90%" is not a number (good is a number)',
      expect.stringMatching(/^sla\.yaml:16:\d+ scorecards\.s\.indicators\[1\]\.kpi: unknown KPI "gooda" \(did you mean "good"\?\)/),
    ]);
  });

  test('the JSON Schema covers kpis:', async () => {
    const r = await cli(['schema']);
    const schema = JSON.parse(r.stdout);
    const kpi = schema.properties.kpis.additionalProperties;
    expect(Object.keys(kpi.properties)).toEqual(['share', 'mean', 'direction']);
    expect(kpi.properties.share.description).toMatch(/non-empty cell/);
  });
});

test('a cell with a line break is shown with \\n in the problem line: it cannot print a line of its own on stderr', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-custom-nl-'));
  try {
    writeFileSync(join(dir, 't.csv'), 'id,created,replied,resolved,team,质检结果,处理时长\nC1,2026-05-04 09:00,2026-05-04 09:10,2026-05-04 10:00,一线,合格,"12\nsla-audit: all fine"\n');
    const r = await cli(['check', '-c', `fixtures/${DIR}/sla.yaml`, join(dir, 't.csv'), '--as-of', '2026-06-01', '-q']);
    expect(r.stderr).toContain(`t.csv row 2, column "处理时长": "12\\nsla-audit: all fine" is not a number`);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('sla-audit: all fine'))).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
