// HTML colours follow each row's own objective: met, at risk (met within report.at_risk_margin of
// the line), failed; no colour where no objective applies. The figures of the fixture are worked
// out by hand in fixtures/reports/html-standing/sla.yaml.
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from '../cli/run.js';
import { objectivesFor, objectiveStanding, standingOfValue } from '../../src/report/standing.js';
import { Standings } from '../../src/report/html.js';
import type { ObjectiveResult } from '../../src/engine/result.js';

const DIR = 'fixtures/reports/html-standing';

/** Per body row of the table under the heading `h2`: each cell as text, with its standing class ("met", "risk", "failed") or "-" for none. */
function tableStandings(html: string, h2: string): string[][] {
  const at = html.indexOf(`<h2>${h2}</h2>`);
  expect(at, h2).toBeGreaterThan(-1);
  const tbody = html.slice(at).match(/<tbody>(.*?)<\/tbody>/s)![1];
  return [...tbody.matchAll(/<tr>(.*?)<\/tr>/gs)].map(([, tr]) => [...tr.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map(([, td]) => {
    const st = td.match(/class="st st-(\w+)"/)?.[1] ?? '-';
    return `${td.replace(/<[^>]+>/g, '')} ${st}`;
  }));
}

async function report(margin?: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sla-standing-'));
  let config = join(ROOT, DIR, 'sla.yaml');
  if (margin !== undefined) {
    const text = readFileSync(config, 'utf8').replace(/^timezone: UTC$/m, `timezone: UTC\nreport: { at_risk_margin: ${margin} }`);
    config = join(dir, 'sla.yaml');
    writeFileSync(config, text);
  }
  const out = join(dir, 'r.html');
  const r = await cli(['check', '-c', config, join(ROOT, DIR, 'tickets.csv'), '--as-of', '2026-06-01T00:00', '--group-by', 'team,priority', '-q', '-o', out]);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(1); // 二线's objective failed
  return readFileSync(out, 'utf8');
}

describe('HTML colours by objective', () => {
  test('each team row is coloured by the objective on that team: 94.1% met, 88.7% failed, 90% at risk, none for 夜班', async () => {
    const html = await report();
    // columns: team, tickets, first response, resolution, overall, breached, overdue. Only resolution
    // has objectives per team; first response and overall of a team have none.
    expect(tableStandings(html, 'By team').map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      ['二线 -', '100% -', '88.7% failed', '94.3% -'],
      ['一线 -', '100% -', '94.1% met', '97.1% -'],
      ['外包 -', '100% -', '90% risk', '95% -'],
      ['夜班 -', '100% -', '100% -', '100% -'],
    ]);
    // the priority row P3 has all tickets, but no objective is written for P3: no colour
    expect(tableStandings(html, 'By priority').map((r) => r.slice(2, 5))).toEqual([['100% -', '90.6% -', '95.3% -']]);
    // the cards: first response 100% against ≥ 99% is within 2 points (at risk), resolution 90.6%
    // against ≥ 85% is met, overall has no objective
    const cards = [...html.matchAll(/<div class="card">([^<]*)<b( class="st st-(\w+)")?[^>]*>([^<]*)<\/b>/g)].map((m) => `${m[1]} ${m[4]} ${m[3] ?? '-'}`);
    expect(cards).toEqual(['overall 95.3% -', 'first response 100% risk', 'resolution 90.6% met']);
    // the KPI table: resolution.median 2h against ≤ 8h is met; the other KPIs have no objective
    const kpis = tableStandings(html, 'KPIs').flatMap((r) => [[r[0], r[1]], [r[2], r[3]]]).filter(([k]) => k.trim() !== '-');
    expect(kpis.filter(([, v]) => !v.endsWith(' -'))).toEqual([['resolution.median -', '2h met']]);
    // the objectives table: the mark and the actual value in the objective's own standing
    expect(tableStandings(html, 'Objectives').map((r) => [r[0], r[2]])).toEqual([
      ['✓ risk', '100% risk'], ['✓ met', '90.6% met'], ['✓ met', '94.1% met'], ['✗ failed', '88.7% failed'], ['✓ risk', '90% risk'], ['✓ met', '2h met'],
    ]);
    // a legend says what each colour means, with the margin
    expect(html).toMatch(/<p class="standing-legend">.*met, but within 2 points of the line/);
    expect(html).not.toMatch(/<script/i);
  });

  test('report.at_risk_margin moves the at-risk band: 0.5 points leaves 100% against 99% met, 5 points puts 94.1% against 90% at risk', async () => {
    const narrow = await report(0.5);
    // 100 - 99 = 1 point ≥ 0.5: met; 90 - 90 = 0 < 0.5: still at risk
    expect(tableStandings(narrow, 'Objectives').map((r) => r[2])).toEqual(['100% met', '90.6% met', '94.1% met', '88.7% failed', '90% risk', '2h met']);
    expect(narrow).toContain('met, but within 0.5 points of the line');
    const wide = await report(5);
    // 94.1 - 90 = 4.1 < 5: at risk; 90.6 - 85 = 5.6: met; 2h against 8h: 6h clear, 5% of 8h is 24m: met
    expect(tableStandings(wide, 'Objectives').map((r) => r[2])).toEqual(['100% risk', '90.6% met', '94.1% risk', '88.7% failed', '90% risk', '2h met']);
    expect(tableStandings(wide, 'By team').map((r) => r[3])).toEqual(['88.7% failed', '94.1% risk', '90% risk', '100% -']);
  });

  test('a scorecard group is coloured by the scorecard objective: 100 and 90.63 met, 55.65 failed against min_score 80', async () => {
    // scores of fixtures/scorecards/kpi-sheet worked out in test/scorecards/kpi-sheet.test.ts
    const out = join(mkdtempSync(join(tmpdir(), 'sla-standing-')), 'r.html');
    const r = await cli(['check', '-c', 'fixtures/scorecards/kpi-sheet/sla.yaml', 'fixtures/scorecards/kpi-sheet/tickets.csv', '--as-of', '2026-06-01', '-q', '-o', out]);
    expect(r.exitCode).toBe(1);
    const html = readFileSync(out, 'utf8');
    // columns: team, tickets, six indicators, score, grade, rank
    expect(tableStandings(html, 'Scorecard team-quarterly by team (weighted)').map((row) => `${row[0]}${row[8]}`)).toEqual(['一线 -100 met', '外包 -90.63 met', '二线 -55.65 failed', '夜班 -– -']); // 夜班 is not scored: no colour
    // the other scorecards have no objective: no colour
    for (const row of tableStandings(html, 'Scorecard team-rsr by team (rank-sum ratio)')) expect(row.every((c) => c.endsWith(' -'))).toBe(true);
  });
});

describe('standing of a value against its lines', () => {
  test('rates: the margin is in percentage points (90% objective, 2 points)', () => {
    expect(standingOfValue(16 / 17, { min: 0.9 }, 'rate', 2)).toBe('met'); // 94.1%
    expect(standingOfValue(47 / 53, { min: 0.9 }, 'rate', 2)).toBe('failed'); // 88.7%
    expect(standingOfValue(0.9, { min: 0.9 }, 'rate', 2)).toBe('risk');
    expect(standingOfValue(0.915, { min: 0.9 }, 'rate', 2)).toBe('risk');
    expect(standingOfValue(0.92, { min: 0.9 }, 'rate', 2)).toBe('met'); // 2 points clear: no longer within
    expect(standingOfValue(0.9, { min: 0.9 }, 'rate', 0)).toBe('met'); // no margin: no at risk
  });
  test('times: a share of the line (≤ 8h, 2%: at risk above 470.4 minutes)', () => {
    expect(standingOfValue(470, { max: 480 }, 'other', 2)).toBe('met');
    expect(standingOfValue(471, { max: 480 }, 'other', 2)).toBe('risk');
    expect(standingOfValue(480, { max: 480 }, 'other', 2)).toBe('risk');
    expect(standingOfValue(481, { max: 480 }, 'other', 2)).toBe('failed');
  });
  test('scores: points (min_score 80, 2 points)', () => {
    expect(standingOfValue(79.9, { min: 80 }, 'score', 2)).toBe('failed');
    expect(standingOfValue(81.5, { min: 80 }, 'score', 2)).toBe('risk');
    expect(standingOfValue(82, { min: 80 }, 'score', 2)).toBe('met');
  });
  test('an objective not judged (too few tickets) has no standing; a failed one is failed', () => {
    const o: ObjectiveResult = { metric: 'resolution', min: 0.99, actual: 0.5, tickets: 3, passed: true, skipped: 'only 3 tickets (min_tickets 20)' };
    expect(objectiveStanding(o, 2, true)).toBeNull();
    expect(objectiveStanding({ ...o, skipped: undefined, passed: false }, 2, true)).toBe('failed');
  });
});

describe('which objective applies to a row', () => {
  const base = { actual: 0.9, tickets: 10, passed: true };
  const all: ObjectiveResult[] = [
    { ...base, metric: 'resolution', min: 0.85 },
    { ...base, kpi: 'resolution.compliance', min: 0.8 },
    { ...base, metric: 'resolution', priority: 'P1', min: 0.99 },
    { ...base, metric: 'resolution', policy: 'VIP', min: 0.95 },
    { ...base, metric: 'resolution', where: 'team = 一线', min: 0.9 },
    { ...base, metric: 'resolution', priority: 'P1', where: 'team = 一线', min: 0.9 },
    { ...base, metric: 'resolution', effective: { from: '2026-05-01' }, min: 0.9 },
    { ...base, metric: 'resolution', period: '2026-05', min: 0.9 },
    { ...base, kpi: 'resolution.median', max: 480 },
  ];
  const idx = (os: ObjectiveResult[]) => os.map((o) => all.indexOf(o));
  test('the same KPI over exactly the same tickets, over the whole run', () => {
    expect(idx(objectivesFor(all, 'resolution.compliance'))).toEqual([0, 1]);
    expect(idx(objectivesFor(all, 'resolution.compliance', { field: 'priority', value: 'P1' }))).toEqual([2]);
    expect(idx(objectivesFor(all, 'resolution.compliance', { field: 'policy', value: 'VIP' }))).toEqual([3]);
    expect(idx(objectivesFor(all, 'resolution.compliance', { field: 'team', value: '一线' }))).toEqual([4]);
    expect(idx(objectivesFor(all, 'resolution.compliance', { field: 'Team', value: '一线' }))).toEqual([4]);
    expect(idx(objectivesFor(all, 'resolution.compliance', { field: 'team', value: '二线' }))).toEqual([]);
    expect(idx(objectivesFor(all, 'first_response.compliance'))).toEqual([]);
    expect(idx(objectivesFor(all, 'resolution.median'))).toEqual([8]);
  });

  test('a where: matches any case, a grouped row only when it holds exactly the objective\'s tickets', () => {
    // the objective counts 102 tickets spelled "Tech Support" or "tech support" (where: ignores case);
    // --group-by shows each spelling as its own row of 51: neither is the objective's tickets
    const o: ObjectiveResult = { metric: 'first_response', where: 'team = Tech Support', min: 0.85, actual: 87 / 102, tickets: 102, passed: true };
    expect(objectivesFor([o], 'first_response.compliance', { field: 'team', value: 'Tech Support', tickets: 51 })).toEqual([]);
    expect(objectivesFor([o], 'first_response.compliance', { field: 'team', value: 'tech support', tickets: 51 })).toEqual([]);
    // one spelling only: the row's 102 tickets are the objective's, whatever the row's case
    expect(objectivesFor([o], 'first_response.compliance', { field: 'team', value: 'Tech Support', tickets: 102 })).toEqual([o]);
    expect(objectivesFor([o], 'first_response.compliance', { field: 'team', value: 'tech support', tickets: 102 })).toEqual([o]);
    // no count known: only the value as written
    expect(objectivesFor([o], 'first_response.compliance', { field: 'team', value: 'Tech Support' })).toEqual([o]);
    expect(objectivesFor([o], 'first_response.compliance', { field: 'team', value: 'TECH SUPPORT' })).toEqual([]);
  });
});

describe('a tooltip names each objective under its own standing', () => {
  test('a KPI under a failed and an at-risk objective: the cell is failed, the tooltip says which is which', () => {
    // resolution.compliance 90%: against ≥ 95% failed; against ≥ 89% met by 1 point, within the 2-point margin: at risk
    const base = { kpi: 'resolution.compliance', actual: 0.9, tickets: 10 };
    const objectives: ObjectiveResult[] = [{ ...base, min: 0.95, passed: false }, { ...base, min: 0.89, passed: true }];
    const st = new Standings({ objectives, customKpis: [] }, { zone: undefined as never, color: false });
    expect(st.span('90%', ...st.tipped('resolution.compliance'))).toBe('<span class="st st-failed" title="failed: resolution.compliance ≥ 95%; at risk: resolution.compliance ≥ 89%">90%</span>');
  });
});
