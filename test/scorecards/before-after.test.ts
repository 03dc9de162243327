import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';
import { parseInstant } from '../../src/index.js';
import { Zone } from '../../src/time/zone.js';

const DIR = 'scorecards/kpi-catalogue';
const events = [join(FIXTURES, DIR, 'history.csv')];

// The tickets of the KPI catalogue test (see kpi-catalogue.test.ts), split at 2026-05-10 00:00:
// before: K1, K2, K3, K4; after: K7 (05-10), K5 (05-20), K6 (05-31).
test('--split compares every KPI, category share and scorecard group before and after a date, marking what got worse', async () => {
  const split = parseInstant('--split', '2026-05-10', Zone.of('UTC'));
  const { result } = await runFixture(DIR, '2026-06-01T00:00', { events, split });
  const row = (what: string) => result.split!.rows.find((r) => r.what === what)!;
  expect(result.split!.at).toBe('2026-05-10T00:00:00+00:00');
  // first response: before 4 of 4 met; after K7 met, K5 breached, K6 overdue → 1 of 3: worse
  expect(row('first_response.compliance')).toEqual({ what: 'first_response.compliance', before: 1, after: 1 / 3, change: 1 / 3 - 1, worse: true });
  // median first response: before 10, 20, 30, 40 → 25; after 5, 110 → 57.5: longer is worse
  expect(row('first_response.median')).toMatchObject({ before: 25, after: 57.5, worse: true });
  // tickets: 4 → 3 (more is better by default: fewer is marked)
  expect(row('tickets')).toMatchObject({ before: 4, after: 3, change: -1 });
  // 物流 share: 3 of 4 → 1 of 3 (a smaller share is not marked); 其他 0 → 1 of 3 (a larger share is)
  expect(row('category 物流 share')).toMatchObject({ before: 0.75, after: 1 / 3, worse: false });
  expect(row('category 其他 share')).toMatchObject({ before: 0, after: 1 / 3, worse: true });
});

test('--baseline compares every KPI and scorecard with an earlier report, and warns when the config differs', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-base-'));
  const args = [join(FIXTURES, DIR, 'tickets.csv'), '--events', join(FIXTURES, DIR, 'history.csv'), '--as-of', '2026-06-01'];
  const earlier = await cli(['check', '-c', join(FIXTURES, DIR, 'sla.yaml'), ...args, '--until', '2026-05-10', '-q', '-o', join(dir, 'may-early.json')]);
  expect(earlier.exitCode).toBe(0);
  // the same SLA with one objective less: another config
  writeFileSync(join(dir, 'sla.yaml'), readFileSync(join(FIXTURES, DIR, 'sla.yaml'), 'utf8').replace(/ {2}- \{ kpi: repeat_rate, max: 25% \}\n/, ''));
  const now = await cli(['check', '-c', join(dir, 'sla.yaml'), ...args, '--baseline', join(dir, 'may-early.json'), '-f', 'json']);
  const b = JSON.parse(now.stdout).baseline;
  // before 10 May only K1-K4 were in: first response 4 of 4; now 5 of 7
  expect(b.kpis.find((x: { what: string }) => x.what === 'first_response.compliance')).toEqual({ what: 'first_response.compliance', before: 1, after: 5 / 7, change: 5 / 7 - 1, worse: true });
  expect(b.differs).toHaveLength(1);
  expect(b.differs[0]).toMatch(/^its config .*kpi-catalogue\/sla\.yaml \(digest [0-9a-f]{12}\) is not this run's .*sla\.yaml \(digest [0-9a-f]{12}\)$/);
  expect(now.stderr).toContain(`sla-audit: warning: --baseline ${join(dir, 'may-early.json')}: its config`);
  expect((await cli(['check', '-c', join(dir, 'sla.yaml'), ...args, '--baseline', join(dir, 'may-early.json')])).stdout).toContain('KPIs and scores against the baseline');
});

test('a scorecard with a period: a card per period and one over all tickets', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-period-'));
  const yaml = readFileSync(join(FIXTURES, DIR, 'sla.yaml'), 'utf8').replace(/objectives:[\s\S]*$/, '') + `scorecards:
  by-customer:
    by: customer
    period: month
    indicators:
      - { kpi: first_response.compliance, weight: 1, target: 100% }
`;
  writeFileSync(join(dir, 'sla.yaml'), yaml);
  const r = await cli(['scorecard', '-c', join(dir, 'sla.yaml'), join(FIXTURES, DIR, 'tickets.csv'), '--as-of', '2026-06-01', '-f', 'json']);
  const cards = JSON.parse(r.stdout).scorecards[0].cards;
  expect(cards.map((c: { period: string | null }) => c.period)).toEqual([null, '2026-05']);
  // customer X: K1, K2 met, K5 breached → 2/3 → 66.67 points against a 100% target
  expect(cards[0].rows.find((x: { key: string }) => x.key === 'X').composite).toBeCloseTo(200 / 3, 10);
});

test('--baseline compares scorecard groups too, and warns when the inputs are other files', async () => {
  // The kpi-sheet (see kpi-sheet.test.ts) as it was before: B3 (二线) resolved at 16:00 (7h, on time)
  // instead of 19:00 (10h, late). For 二线 that was:
  //   hand-off (resolution compliance) 4/4 → capped at 100 points instead of 3/4 → 83.33
  //   median resolution of 4, 6, 7, 8 h = 6.5h → (12 − 6.5) / (12 − 4) → 68.75 instead of 62.5
  //   composite higher by (15 × 16.667 + 15 × 6.25) / 100 = 3.4375: now 55.65, before 59.09, worse
  const dir = mkdtempSync(join(tmpdir(), 'sla-base-sc-'));
  const sheet = join(FIXTURES, 'scorecards/kpi-sheet');
  writeFileSync(join(dir, 'early.csv'), readFileSync(join(sheet, 'tickets.csv'), 'utf8').replace('B3,2026-05-04 09:00,2026-05-04 09:20,2026-05-04 19:00', 'B3,2026-05-04 09:00,2026-05-04 09:20,2026-05-04 16:00'));
  const args = ['-c', join(sheet, 'sla.yaml'), '--as-of', '2026-06-01'];
  expect((await cli(['check', ...args, join(dir, 'early.csv'), '-q', '-o', join(dir, 'early.json')])).exitCode).toBe(1);
  const now = await cli(['check', ...args, join(sheet, 'tickets.csv'), '--baseline', join(dir, 'early.json'), '-f', 'json']);
  const b = JSON.parse(now.stdout).baseline;
  const row = (what: string) => b.kpis.find((x: { what: string }) => x.what === what);
  expect(row('scorecard team-quarterly 二线').worse).toBe(true);
  expect(row('scorecard team-quarterly 二线').change).toBeCloseTo(-3.4375, 10);
  expect(row('scorecard team-quarterly 一线')).toEqual({ what: 'scorecard team-quarterly 一线', before: 100, after: 100, change: 0, worse: false });
  // 夜班 is under min_tickets in both: not scored then or now
  expect(row('scorecard team-quarterly 夜班')).toEqual({ what: 'scorecard team-quarterly 夜班', before: null, after: null, change: null, worse: false });
  expect(b.differs).toEqual([`its inputs (${join(dir, 'early.csv')}) are not this run's (${join(sheet, 'tickets.csv')})`]);
  expect(now.stderr).toContain(`sla-audit: warning: --baseline ${join(dir, 'early.json')}: its inputs (${join(dir, 'early.csv')}) are not this run's`);
});
