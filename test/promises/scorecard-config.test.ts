/**
 * Scorecard config slips that gave wrong rankings or no number: a target of 0 or below without
 * worst (NPS target −20 gave a team at NPS −100 full points), weights of 1e308 (a NaN composite),
 * two grades on the same line.
 */
import { describe, expect, test } from 'vitest';
import { configErrors as errors } from '../helpers/index.js';

const card = (indicators: string, extra = '') => `timezone: UTC
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, team: team, nps: nps }
policies:
  - name: All
    targets: { resolution: 8h }
scorecards:
  teams:
    by: team
    indicators:
${indicators}${extra}`;

describe('scorecard config', () => {
  test('a target below 0 without worst is one error naming the fix; with worst it is accepted', () => {
    expect(errors(card('      - { kpi: nps, weight: 1, target: -20 }\n'))).toEqual([
      'sla.yaml:11:40 scorecards.teams.indicators[0].target: a target of -20 (0 or below) needs worst: too (the score is the ratio to the target otherwise, which a target of 0 or below turns round); e.g. worst: -100',
    ]);
    expect(errors(card('      - { kpi: nps, weight: 1, target: -20, worst: -100 }\n'))).toEqual([]);
  });

  test('a weight of 1e308 is refused (indicators and groups of indicators)', () => {
    expect(errors(card('      - { kpi: resolution.compliance, weight: 1e308, target: 95% }\n      - { kpi: nps, weight: 1e308, target: 50, worst: 0 }\n'))).toEqual([
      'sla.yaml:11:47 scorecards.teams.indicators[0].weight: 1e+308 is too large: weights are relative (10, 25, 0.5 ...), at most 1000000',
      'sla.yaml:12:29 scorecards.teams.indicators[1].weight: 1e+308 is too large: weights are relative (10, 25, 0.5 ...), at most 1000000',
    ]);
  });

  test('two grades on the same line are refused', () => {
    expect(errors(card('      - { kpi: resolution.compliance, weight: 1, target: 95% }\n', '    grades: { A: 90, B: 90, C: 80 }\n'))).toEqual([
      'sla.yaml:12:25 scorecards.teams.grades.B: 90 is also the line of grade "A"; a composite at that score would earn both (give each grade its own line)',
    ]);
  });
});
