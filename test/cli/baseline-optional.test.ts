import { describe, expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, ROOT } from './run.js';

// the demo, as of the end of October: 412 tickets, two of its three objectives missed (exit 1)
const DEMO = ['-c', join(ROOT, 'fixtures/demo/sla.yaml'), join(ROOT, 'fixtures/demo/tickets.csv'), '--as-of', '2026-11-01T00:00'];
const NOTICE = 'sla-audit: notice: --baseline last.json: no such file yet; nothing is compared on this run (--baseline-optional)\n';

describe('--baseline-optional', () => {
  test('a baseline not there yet: a notice on stderr, the objectives decide the exit code, and every report says nothing was compared', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-baseline-opt-'));
    const r = await cli(['check', ...DEMO, '--baseline', 'last.json', '--baseline-optional', '--max-drop', '2', '-o', 'r.json', '-o', 'r.md', '-o', 'r.xml', '-o', 'r.html'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(NOTICE);
    expect(r.stdout).toContain('Against baseline last.json\nNo baseline yet: last.json does not exist, so nothing is compared on this run (--baseline-optional).\n');
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).baseline).toEqual({ file: 'last.json', missing: true, max_drop: 2, rows: [], kpis: [], differs: [], passed: true });
    const md = readFileSync(join(dir, 'r.md'), 'utf8');
    // the verdict is the objectives', not a baseline's
    expect(md).toMatch(/^## SLA audit: ❌ objectives 1 met, 2 failed \(of 3\)\n/);
    expect(md).toContain('### Against baseline `last.json`\n\nNo baseline yet: `last.json` does not exist, so nothing is compared on this run (`--baseline-optional`).\n');
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toContain('<testsuite name="baseline" tests="1" failures="0" errors="0" skipped="1"');
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('No baseline yet: last.json does not exist');
    expect(existsSync(join(dir, 'last.json'))).toBe(false);
  });

  test('a baseline that is there is compared as with --baseline alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-baseline-opt-'));
    await cli(['check', ...DEMO, '-q', '-o', 'last.json'], { cwd: dir });
    const r = await cli(['check', ...DEMO, '--baseline', 'last.json', '--baseline-optional', '-f', 'markdown'], { cwd: dir });
    expect(r.stderr).toBe('');
    // the same tickets: overall 89.1% (0.8910891089108911) before and after, 0 points
    expect(r.stdout).toContain('| overall | 89.1% | 89.1% | 0 |');
  });

  test('only a missing file is optional: one that is not a report is still exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-baseline-opt-'));
    writeFileSync(join(dir, 'last.json'), 'not json');
    const r = await cli(['check', ...DEMO, '--baseline', 'last.json', '--baseline-optional', '-q'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: --baseline last.json: not valid JSON; pass a report written by "sla-audit check -o report.json"\n');
  });

  test('without --baseline-optional a missing baseline is exit 2, and the message names the option for a first run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-baseline-opt-'));
    const r = await cli(['check', ...DEMO, '--baseline', 'last.json', '-q'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: --baseline last.json: no such file; pass a report written by "sla-audit check -o report.json" (on a first run, with no report yet, add --baseline-optional)\n');
  });

  test('without --baseline it is a usage error', async () => {
    const r = await cli(['check', ...DEMO, '--baseline-optional', '-q']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: --baseline-optional needs --baseline <report.json>\n');
  });

  test('-o or --summary onto the baseline\'s name is refused before anything is written, there or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-baseline-opt-'));
    const o = await cli(['check', ...DEMO, '--baseline', 'last.json', '--baseline-optional', '-q', '-o', 'last.json'], { cwd: dir });
    expect(o.exitCode).toBe(2);
    expect(o.stderr).toBe(`${NOTICE}sla-audit: -o last.json: is the --baseline report (last.json, not there yet); a report is never written over an input: write the report under another name and copy it to last.json for the next run\n`);
    const s = await cli(['check', ...DEMO, '--baseline', 'last.json', '--baseline-optional', '-q', '--summary', 'last.json'], { cwd: dir });
    expect(s.exitCode).toBe(2);
    expect(s.stderr).toContain('sla-audit: --summary last.json: is the --baseline report (last.json, not there yet)');
    expect(readdirSync(dir)).toEqual([]);
  });
});
