import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, runFixture } from '../engine/run.js';
import { renderReport } from '../../src/index.js';

const DIR = 'scorecards/kpi-catalogue';
const events = [join(FIXTURES, DIR, 'history.csv')];

// 24x7 in UTC; first response 1h, resolution 10h; measured at 2026-06-01 00:00.
// ticket  created     reply   resolved  csat  nps  contacts  customer/category
// K1      05-04 09:00 10m     1h        5     10   1         X 物流
// K2      05-05 09:00 20m     2h        Good  9    –         X 物流   (repeat of K1: 1 day later)
// K3      05-04 09:00 30m     4h        3     6    2         Y 物流
// K4      05-04 09:00 40m     8h        Bad   8    1         Y 价格
// K5      05-20 09:00 110m    12h       –     –    –         X 物流   (repeat of K2: 15 days later)
// K6      05-31 20:00 –       –         –     –    –         Z 价格   (open: 4h at --as-of)
// K7      05-10 09:00 5m      15:00     –     –    –         Z 其他   history: Resolved 12:00, Open 13:00, Resolved 15:00
describe('the KPI catalogue, worked out by hand', () => {
  test('compliance, time statistics, satisfaction, NPS, FCR, repeat and reopen rates, counts', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00', { events });
    const k = result.kpis;
    // first response: met K1-K4, K7; breached K5 (110m); overdue K6 (4h ≥ 1h) → 5 / 7
    expect(k['first_response.compliance']).toBe(5 / 7);
    // resolution: met K1-K4 (≤ 10h) and K7 (6h less the hour reopened = 5h); breached K5 (12h); K6 running → 5 / 6
    expect(k['resolution.compliance']).toBe(5 / 6);
    expect(k['overall.compliance']).toBe(10 / 13);
    // completed first responses (minutes): 5, 10, 20, 30, 40, 110
    //   mean 215 / 6; median (20 + 30) / 2 = 25; p90: position ceil(0.9 × 6) = 6 → 110
    expect(k['first_response.mean']).toBe(35.83);
    expect(k['first_response.median']).toBe(25);
    expect(k['first_response.p90']).toBe(110);
    // completed resolutions (minutes): 60, 120, 240, 300 (K7), 480, 720
    //   mean 1920 / 6 = 320; median (240 + 300) / 2 = 270; p90 → 720
    expect([k['resolution.mean'], k['resolution.median'], k['resolution.p90']]).toEqual([320, 270, 720]);
    // rated: 5, Good = 5, 3, Bad = 1 → mean 14 / 4 = 3.5; rated 4 or more: K1, K2 → 2 / 4
    expect(k['satisfaction.mean']).toBe(3.5);
    expect(k['satisfaction.good_share']).toBe(0.5);
    // answers 10, 9, 6, 8: promoters (9-10) 2, detractors (0-6) 1 → (2 − 1) / 4 × 100
    expect(k.nps).toBe(25);
    // with --events every ticket has a history; K1-K6 have no row in it (empty: never reopened).
    // resolved: K1 (1 contact, not reopened: yes), K2 (not reopened, contacts unknown: yes), K3 (2 contacts: no),
    // K4 (1 contact: yes), K5 (not reopened: yes), K7 (reopened: no) → 4 / 6
    expect(k.fcr).toBe(4 / 6);
    // repeats: K2 and K5 (customer X, 物流, within 30 days of the previous) → 2 / 7 tickets
    expect(k.repeat_rate).toBe(2 / 7);
    // resolved tickets (each with a history, empty for K1-K5): K1-K5, K7; only K7 reopened → 1 / 6
    expect(k.reopen_rate).toBe(1 / 6);
    // the history lists only K7 (a "reopened tickets" export): 6 of 7 evaluated tickets have no row, a warning
    expect(result.totals.without_history).toBe(6);
    expect(result.historyCoverage).toEqual({ without: 6, evaluated: 7, warning: true, message: '--events: 6 of 7 evaluated tickets had no row in the status history (up to --as-of); fcr and reopen_rate assume they were never reopened (and nothing paused their clocks): if the export lists only tickets whose status changed, check that it lists every reopened ticket' });
    expect([k.tickets, k.backlog, k.overdue]).toEqual([7, 1, 1]);
  });

  test('a KPI without data is null and shown as such, never as 0', async () => {
    // without the history, nothing is known to be reopened
    const { result } = await runFixture(DIR, '2026-06-01T00:00');
    expect(result.kpis.reopen_rate).toBeNull();
    expect(renderReport(result, 'table')).toMatch(/│ reopen_rate\s+│\s+– │/);
    expect(JSON.parse(renderReport(result, 'json')).kpis.reopen_rate).toBeNull();
  });

  test('KPIs per breakdown group and per period', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00', { events, groupBy: ['category'], period: 'month' });
    const logistics = result.groups.category.find((g) => g.key === '物流')!;
    // 物流: K1, K2, K3, K5: first responses 10, 20, 30, 110 → median 25, mean 42.5; rated 5, 5, 3
    expect([logistics.tickets, logistics.kpis['first_response.median'], logistics.kpis['first_response.mean'], logistics.kpis['satisfaction.mean']]).toEqual([4, 25, 42.5, 13 / 3]);
    // every ticket was created in May 2026
    expect(result.periods.map((p) => [p.period, p.kpis?.tickets])).toEqual([['2026-05', 7]]);
  });
});

test('phased objectives are judged in every period of their range; where: narrows the tickets', async () => {
  const { result } = await runFixture(DIR, '2026-06-01T00:00', { events, period: 'week' });
  const lines = result.objectives.map((o) => `${o.kpi} ${o.period ?? ''} ${o.skipped ? `not judged (${o.skipped})` : o.passed ? 'pass' : 'FAIL'} ${o.actual} / ${o.tickets}`);
  expect(lines).toEqual([
    // before 15 May, max 30m: week 19 holds K1, K2, K3, K4, K7 → (10 + 20 + 30 + 40 + 5) / 5 = 21
    'first_response.mean 2026-W19 pass 21 / 5',
    // from 15 May, max 20m: week 21 holds K5 (110m); week 22 only K6, still unanswered
    'first_response.mean 2026-W21 FAIL 110 / 1',
    'first_response.mean 2026-W22 not judged (no data for this KPI) null / 0',
    // 物流 rated: 5, 5, 3 → 4.33 ≥ 4
    `satisfaction.mean  pass ${13 / 3} / 3`,
    'repeat_rate  FAIL 0.2857142857142857 / 7',
  ]);
  expect(result.passed).toBe(false);
});

test('check says how many tickets had no --events history row: a warning past half, in the totals of every report', async () => {
  const { cli } = await import('../cli/run.js');
  const args = ['check', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-06-01T00:00'];
  // only K7 is in history.csv: 6 of 7 without a row
  const r = await cli([...args, '--events', `fixtures/${DIR}/history.csv`, '-f', 'markdown']);
  expect(r.stderr).toContain('sla-audit: warning: --events: 6 of 7 evaluated tickets had no row in the status history (up to --as-of); fcr and reopen_rate assume');
  expect(r.stdout).toContain('7 rows read, 0 left out with problems; 6 with no --events history row.');
  // without --events there is nothing to say
  const none = await cli([...args, '-q']);
  expect(none.stderr).not.toContain('history');
});
