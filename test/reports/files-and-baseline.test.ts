import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';

const DEMO = ['-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00'];

test('markdown, HTML and JUnit written in one run with -o', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-files-'));
  const r = await cli(['check', ...DEMO, '-q', '--period', 'month', '-o', join(dir, 's.md'), '-o', join(dir, 'r.html'), '-o', join(dir, 'j.xml'), '-o', join(dir, 'r.json')]);
  expect(r.exitCode).toBe(1);
  expect(readdirSync(dir).sort()).toEqual(['j.xml', 'r.html', 'r.json', 's.md']);
  const md = readFileSync(join(dir, 's.md'), 'utf8');
  expect(md).toContain('### Trend by month\n\n| month | first response | resolution | overall | breached | overdue |');
  expect(md).toContain('| 物流问题 | 186 | 45.1% | 45.1% |');
  const xml = readFileSync(join(dir, 'j.xml'), 'utf8');
  expect(xml).toContain('<testsuites name="sla-audit" tests="3" failures="2">');
  expect(xml).toContain('<testcase classname="sla-audit.objectives" name="first_response ≥ 90%"><failure message="actual 87.6% is below the target 90% (410 tickets measured)" type="objective">');
  expect(xml).toContain('<testcase classname="sla-audit.objectives" name="resolution ≥ 85%"/>');
  const html = readFileSync(join(dir, 'r.html'), 'utf8');
  expect(html).toMatch(/^<!doctype html>/);
  expect(html).not.toMatch(/<script|https?:\/\//i); // self-contained, no scripts, nothing fetched
  const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
  expect(json.periods.map((p: { period: string }) => p.period)).toEqual(['2026-10']);
  expect(json.categories[0]).toMatchObject({ name: '物流问题', tickets: 186 });
});

test('--baseline with --max-drop: exit 1 and the before/after table when compliance fell too far', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-base-'));
  // an earlier report whose compliance was higher: overall 93%, first response 92%, resolution 91%
  writeFileSync(join(dir, 'old.json'), JSON.stringify({ schemaVersion: 1, asOf: '2026-10-01T00:00:00+08:00', overall: { compliance: 0.93 }, metrics: { first_response: { compliance: 0.92 }, resolution: { compliance: 0.91 } } }));
  // now: overall 720/808 = 89.1%, first response 359/410 = 87.6%, resolution 361/398 = 90.7%
  const loose = await cli(['check', ...DEMO, '-f', 'json', '--baseline', join(dir, 'old.json'), '--max-drop', '5']);
  const j = JSON.parse(loose.stdout);
  expect(j.baseline.rows.map((x: { metric: string; change_points: number; failed: boolean }) => [x.metric, x.change_points, x.failed])).toEqual([
    ['overall', -3.89, false], ['first_response', -4.44, false], ['resolution', -0.3, false],
  ]);
  const tight = await cli(['check', ...DEMO, '--baseline', join(dir, 'old.json'), '--max-drop', '4', '--fail-under', '0']);
  expect(tight.exitCode).toBe(1);
  expect(tight.stdout).toContain('Against baseline');
  expect(tight.stdout).toMatch(/│ first_response │\s+92% │\s+87\.6% │ -4\.44 pts │ ✗ dropped too far │/);
  expect(tight.stdout).toContain('Compliance dropped more than 4 points against the baseline.');
  const junit = await cli(['check', ...DEMO, '-f', 'junit', '--baseline', join(dir, 'old.json'), '--max-drop', '4']);
  expect(junit.stdout).toContain('<failure message="first_response fell from 92% to 87.6% (-4.44 points; allowed -4)" type="baseline">');
  const bad = await cli(['check', ...DEMO, '--max-drop', '2']);
  expect([bad.exitCode, bad.stderr]).toEqual([2, 'sla-audit: --max-drop needs --baseline <report.json>\n']);
  const notReport = await cli(['check', ...DEMO, '--baseline', 'package.json']);
  expect([notReport.exitCode, notReport.stderr]).toEqual([2, 'sla-audit: --baseline package.json: not a sla-audit JSON report (schemaVersion 1 with overall and metrics)\n']);
});
