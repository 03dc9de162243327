import { describe, expect, test } from 'vitest';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';

const DIR = 'scorecards/kpi-sheet';
const ARGS = ['-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-06-01'];
const r2 = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

// Four teams, every ticket created Mon 2026-05-04 09:00 (24x7, UTC; first response 1h, resolution 8h).
//  一线 (A1-A4): replies 20m, resolved 2h, rated 5/5/Good/满意 (= 5), NPS 10, 1 contact each
//  二线 (B1-B4): replies 30m, 90m (late), 20m, 50m; resolved 4h, 6h, 10h (late), 8h;
//                rated 4, Good (5), 3, Bad (1); NPS 9, 7, 5, 10; contacts 1, 2, 1, 3
//  外包 (C1-C4): replies 10-50m; resolved 2h, 3h, 5h, 9h (late); rated 5, 4, 4, 4; no NPS; contacts 1, 1, 1, 2
//  夜班 (D1-D2): two tickets, under min_tickets 3
describe('the 20/15/15/25/15/10 sheet with grade lines 80/90/95', () => {
  test('weighted: points per indicator, composite, grade and rank, worked out by hand', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00');
    const card = result.scorecards.find((s) => s.name === 'team-quarterly')!.cards[0];
    const row = (k: string) => card.rows.find((r) => r.key === k)!;
    // 一线: every indicator at or beyond its target: 100 points each → 100, 卓越, rank 1
    expect([row('一线').composite, row('一线').grade, row('一线').rank]).toEqual([100, '卓越', 1]);
    // 二线:
    //   on-time 3/4 = 75% → 0.75 / 0.95 → 78.95       hand-off 3/4 → 0.75 / 0.90 → 83.33
    //   median of 4, 6, 8, 10 h = 7h → (12 − 7) / (12 − 4) → 62.5
    //   satisfaction (4 + 5 + 3 + 1) / 4 = 3.25 → (3.25 − 3) / (4.5 − 3) → 16.67
    //   fcr: contacts ≤ 1 for B1 and B3 → 50% → 0.5 / 0.85 → 58.82
    //   nps: promoters 9, 10; detractor 5 → (2 − 1) / 4 = 25 → 25 / 50 → 50
    //   (20×78.947 + 15×83.333 + 15×62.5 + 25×16.667 + 15×58.824 + 10×50) / 100 = 55.65 → below (未达标), rank 3
    expect(row('二线').indicators.map((i) => r2(i.points))).toEqual([78.95, 83.33, 62.5, 16.67, 58.82, 50]);
    expect([r2(row('二线').composite), row('二线').grade, row('二线').rank]).toEqual([55.65, '未达标', 3]);
    // 外包 has no NPS answers: that KPI is null and drops out with its weight (the card says so):
    //   on-time 100; hand-off 3/4 → 83.33; median (3 + 5) / 2 = 4h → 100; satisfaction 4.25 → 83.33;
    //   fcr 3/4 → 88.24; (20×100 + 15×83.333 + 15×100 + 25×83.333 + 15×88.235) / 90 = 90.63 → 优秀, rank 2
    expect(row('外包').left_out).toEqual(['nps']);
    expect(row('外包').indicators.find((i) => i.kpi === 'nps')!.points).toBeNull();
    expect([r2(row('外包').composite), row('外包').grade, row('外包').rank]).toEqual([90.63, '优秀', 2]);
    // 夜班 has 2 tickets, under min_tickets 3: not scored, no rank
    expect([row('夜班').scored, row('夜班').composite, row('夜班').rank, row('夜班').reason]).toEqual([false, null, null, 'only 2 tickets (min_tickets 3)']);
    expect(card.rows.map((r) => r.key)).toEqual(['一线', '外包', '二线', '夜班']);
  });

  test('two-level: groups scored first, then weighed', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00');
    const rows = result.scorecards.find((s) => s.name === 'team-two-level')!.cards[0].rows;
    // 二线: 服务 = (78.947 + 83.333) / 2 = 81.14; 质量 = 16.667; (60 × 81.14 + 40 × 16.667) / 100 = 55.35
    // 外包: 服务 = (100 + 83.333) / 2 = 91.667; 质量 = 83.333; (60 × 91.667 + 40 × 83.333) / 100 = 88.33
    expect(rows.map((r) => [r.key, r2(r.composite), r.groups?.map((g) => r2(g.score))])).toEqual([
      ['一线', 100, [100, 100]], ['外包', 88.33, [91.67, 83.33]], ['二线', 55.35, [81.14, 16.67]], ['夜班', null, undefined],
    ]);
  });

  test('rank-sum ratio with ties: equal values share the mean rank', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00');
    const rows = result.scorecards.find((s) => s.name === 'team-rsr')!.cards[0].rows;
    // three scored teams. On-time: 二线 75% ranks 1; 一线 and 外包 tie at 100% for ranks 2 and 3 → 2.5 each.
    // Satisfaction: 二线 3.25 → 1, 外包 4.25 → 2, 一线 5 → 3.
    // RSR = Σ w·R / (n·Σ w): 一线 (2.5 + 3) / 6 = 0.9167; 外包 (2.5 + 2) / 6 = 0.75; 二线 (1 + 1) / 6 = 0.3333
    expect(rows.map((r) => [r.key, r.indicators.map((i) => i.rank ?? null), r2(r.composite), r.rank])).toEqual([
      ['一线', [2.5, 3], 91.67, 1], ['外包', [2.5, 2], 75, 2], ['二线', [1, 1], 33.33, 3], ['夜班', [null, null], null, null],
    ]);
  });

  test('a scorecard objective fails when a scored group is below min_score (exit 1)', async () => {
    const { result } = await runFixture(DIR, '2026-06-01T00:00');
    expect(result.objectives).toEqual([{ scorecard: 'team-quarterly', min_score: 80, actual: result.scorecards[0].cards[0].rows[2].composite, group: '二线', tickets: 3, passed: false }]);
    const r = await cli(['scorecard', ...ARGS, '-f', 'csv']);
    expect(r.exitCode).toBe(1);
  });
});

describe('the scorecard command', () => {
  test('table: a row per group with each indicator as "actual → points", then score, grade, rank', async () => {
    const r = await cli(['scorecard', ...ARGS]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('│ 二线 │       4 │                     75% → 78.9 │                 75% → 83.3 │              7h → 62.5 │            3.25 → 16.7 │ 50% → 58.8 │      25 → 50 │ 55.65 │     未达标 │    3 │');
    expect(r.stdout).toContain('外包: nps left out (no data), with its weight\n夜班: not scored, only 2 tickets (min_tickets 3)\n');
    expect(r.stdout).toContain('grades: 卓越 ≥ 95 · 优秀 ≥ 90 · 达标 ≥ 80 · below: 未达标');
  });

  test('csv (long: a row per indicator), json, markdown and html', async () => {
    const csv = (await cli(['scorecard', ...ARGS, '-f', 'csv'])).stdout.split('\n');
    expect(csv[0]).toBe('scorecard,period,group,tickets,scored,score,grade,rank,indicator_group,kpi,weight,target,worst,actual,points');
    expect(csv).toContain('team-quarterly,all,二线,4,true,55.6547,未达标,3,,resolution.median,15,240,720,420,62.5');
    const json = JSON.parse((await cli(['scorecard', ...ARGS, '-f', 'json'])).stdout);
    expect(json.scorecards.map((s: { name: string }) => s.name)).toEqual(['team-quarterly', 'team-rsr', 'team-two-level']);
    expect(json.objectives[0]).toMatchObject({ scorecard: 'team-quarterly', passed: false, group: '二线' });
    const md = (await cli(['scorecard', ...ARGS, '-f', 'markdown'])).stdout;
    expect(md).toContain('### Scorecard team-quarterly by team (weighted)');
    expect(md).toContain('| 外包 | 4 | 100% → 100 | 75% → 83.3 | 4h → 100 | 4.25 → 83.3 | 75% → 88.2 | – → left out | 90.63 | 优秀 | 2 |');
    const html = (await cli(['scorecard', ...ARGS, '-f', 'html'])).stdout;
    expect((html.match(/class="score-bar"/g) ?? []).length).toBe(9); // three scored teams on each of three cards
    expect((html.match(/class="grade-line"/g) ?? []).length).toBe(4); // 95, 90, 80 and the two-level card's 80
    expect(html).not.toContain('<script');
  });

  test('check includes the scorecards in json and markdown', async () => {
    const r = await cli(['check', ...ARGS, '-f', 'json']);
    expect(JSON.parse(r.stdout).scorecards[0].cards[0].rows[0]).toMatchObject({ key: '一线', composite: 100, grade: '卓越', rank: 1 });
    expect((await cli(['check', ...ARGS, '-f', 'markdown'])).stdout).toContain('### Scorecard team-quarterly by team (weighted)');
  });

  test('explain --scorecard shows each indicator\'s inputs and arithmetic', async () => {
    const r = await cli(['explain', '--scorecard', 'team-quarterly', '--group', '二线', ...ARGS]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Scorecard team-quarterly · team 二线 (weighted), 4 tickets');
    expect(r.stdout).toContain('resolution.median, weight 15: 7h\n  from      4 completed resolution times, 1680 business minutes in all\n  target    4h, worst 12h (lower is better)\n  score     s = clamp((720 − 420) / (720 − 240)) = 0.625 → 62.5 points');
    expect(r.stdout).toContain('nps, weight 10: 25\n  from      2 promoters (9-10) and 1 detractors (0-6) of 4 answers');
    expect(r.stdout).toContain('composite   composite = Σ weight × points / Σ weight = (20 × 78.9474 + 15 × 83.3333 + 15 × 62.5 + 25 × 16.6667 + 15 × 58.8235 + 10 × 50) / 100 = 55.65');
    expect(r.stdout).toContain('grade       未达标 (lines: 卓越 95, 优秀 90, 达标 80)\nrank        3 of 3');
    const bad = await cli(['explain', '--scorecard', 'team-quarterly', '--group', '三线', ...ARGS]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe('sla-audit: --group 三线: not in scorecard team-quarterly (groups: 一线, 外包, 二线, 夜班)\n');
  });
});
