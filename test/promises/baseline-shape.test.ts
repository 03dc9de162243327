/** --baseline reads only what a sla-audit report holds: a figure that is not one is exit 2 with one line. */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';

const DEMO = ['-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00'];

describe('--baseline shape', () => {
  test.each([
    ['a compliance of "abc"', (j: any) => (j.overall.compliance = 'abc'), 'overall.compliance is "abc", not a share from 0 to 1 (or null)'],
    ['a compliance of 1e308', (j: any) => (j.metrics.resolution.compliance = 1e308), 'metrics.resolution.compliance is 1e+308, not a share from 0 to 1 (or null)'],
    ['a KPI of "fast"', (j: any) => (j.kpis['resolution.median'] = 'fast'), 'kpis.resolution.median is "fast", not a number (or null)'],
    // a rate KPI is a share like a compliance: -5 compared as "-500%" made a change of +578.6 pts up
    ['a rate KPI of -5', (j: any) => (j.kpis['resolution.compliance'] = -5), 'kpis.resolution.compliance is -5, not a share from 0 to 1 (or null)'],
    ['an fcr of 7', (j: any) => (j.kpis.fcr = 7), 'kpis.fcr is 7, not a share from 0 to 1 (or null)'],
    ['an OLA compliance of 1.5', (j: any) => (j.kpis['ola.L1.compliance'] = 1.5), 'kpis.ola.L1.compliance is 1.5, not a share from 0 to 1 (or null)'],
    // metrics.overall stood in for overall.compliance: the baseline shown was 10% where the file says its overall
    ['a metric named overall', (j: any) => (j.metrics.overall = { compliance: 0.1 }), 'metrics.overall is no metric (the overall compliance is overall.compliance)'],
  ])('%s: exit 2, one line naming the figure', async (_name, edit, why) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-base-'));
    const first = await cli(['check', ...DEMO, '-q', '-o', join(dir, 'old.json')]);
    expect(first.exitCode).toBeLessThan(2);
    const j = JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8'));
    edit(j);
    writeFileSync(join(dir, 'old.json'), JSON.stringify(j));
    const r = await cli(['check', ...DEMO, '--baseline', join(dir, 'old.json')]);
    expect([r.exitCode, r.stderr]).toEqual([2, `sla-audit: --baseline ${join(dir, 'old.json')}: ${why}; pass a report written by "sla-audit check -o report.json", unedited\n`]);
  });
});

describe('--baseline without an overall or metrics object', () => {
  // overall: null or metrics: [] was taken for a report: nothing compared, and --max-drop passed
  test.each([
    ['overall: null', (j: any) => (j.overall = null)],
    ['overall: []', (j: any) => (j.overall = [])],
    ['metrics: []', (j: any) => (j.metrics = [])],
  ])('%s: exit 2, not a report', async (_name, edit) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-base-'));
    const first = await cli(['check', ...DEMO, '-q', '-o', join(dir, 'old.json')]);
    expect(first.exitCode).toBeLessThan(2);
    const j = JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8'));
    edit(j);
    writeFileSync(join(dir, 'old.json'), JSON.stringify(j));
    const r = await cli(['check', ...DEMO, '--baseline', join(dir, 'old.json'), '--max-drop', '1']);
    expect([r.exitCode, r.stderr]).toEqual([2, `sla-audit: --baseline ${join(dir, 'old.json')}: not a sla-audit JSON report (schemaVersion 1 with overall and metrics)\n`]);
  });
});

test('a device or a folder as --baseline is refused before reading (reading /dev/zero would never end); a pipe is read as cat reads it', async () => {
  const demo = ['check', ...DEMO, '-q'];
  const zero = await cli([...demo, '--baseline', '/dev/zero']);
  expect(zero.exitCode).toBe(2);
  expect(zero.stderr).toBe('sla-audit: --baseline /dev/zero: is a device or socket, not a file; pass a report written by "sla-audit check -o report.json"\n');
  const dir = await cli([...demo, '--baseline', 'fixtures']);
  expect(dir.exitCode).toBe(2);
  expect(dir.stderr).toBe('sla-audit: --baseline fixtures: is a directory; pass a report written by "sla-audit check -o report.json"\n');
});
