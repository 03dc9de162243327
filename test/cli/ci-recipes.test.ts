import { describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, ROOT } from './run.js';

// README's CI step and cron line, run as written (npx sla-audit → the built CLI) under bash -e.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = (title: string) => readme.slice(readme.indexOf(`## ${title}\n`), readme.indexOf('\n## ', readme.indexOf(`## ${title}\n`) + 4));

function ciScript(): string {
  const yaml = /```yaml\n([\s\S]*?)```/.exec(section('In CI'))![1].split('\n');
  const start = yaml.findIndex((l) => l.trim() === 'run: |' && yaml[yaml.indexOf(l) - 1].includes('SLA audit'));
  const indent = /^ */.exec(yaml[start + 1])![0];
  const body: string[] = [];
  for (const l of yaml.slice(start + 1)) {
    if (!l.startsWith(indent)) break;
    body.push(l.slice(indent.length));
  }
  return body.join('\n').replace(/npx sla-audit/g, `node ${BIN}`);
}

const SLA = `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved }
policies:
  - name: All
    targets: { first_response: 1h, resolution: 8h }
objectives:
  - { metric: resolution, min: 90% }
`;

function workspace(ticketsCsv: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sla-ci-'));
  mkdirSync(join(dir, 'exports'));
  writeFileSync(join(dir, 'sla.yaml'), SLA);
  writeFileSync(join(dir, 'exports/tickets.csv'), ticketsCsv);
  return dir;
}

const GOOD = 'id,created,replied,resolved\nA,2026-10-05 09:00,2026-10-05 09:10,2026-10-05 10:00\nB,2026-10-06 09:00,2026-10-06 09:20,2026-10-06 12:00\n';
const BAD = 'id,created,replied,resolved\nA,2026-10-05 09:00,2026-10-05 12:10,2026-10-07 10:00\nB,2026-10-06 09:00,2026-10-06 09:20,2026-10-06 12:00\n';

describe("README's GitHub Actions step, under bash -e", () => {
  const run = async (dir: string) => {
    const summary = join(dir, 'step-summary.md');
    // last month's report for --baseline
    await execa('node', [BIN, 'check', '-c', 'sla.yaml', 'exports/tickets.csv', '--as-of', '2026-11-01', '-q', '--allow-empty', '-o', 'last-month.json'], { cwd: dir, reject: false });
    const r = await execa('bash', ['-e', '-c', ciScript()], { cwd: dir, reject: false, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, FORCE_COLOR: '0' } });
    return { r, summary: readFileSync(summary, 'utf8') };
  };

  test('passing: exit 0, reports written, the summary in the job summary', async () => {
    const dir = workspace(GOOD);
    const { r, summary } = await run(dir);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(readdirSync(dir).filter((f) => f.startsWith('sla-')).sort()).toEqual(['sla-junit.xml', 'sla-report.html', 'sla-report.json']);
    expect(summary).toMatch(/^## SLA audit: ✅ objectives 2 met \(of 2\)/);
  });

  test('failing: the step fails (exit 1) and still leaves its summary, with annotations', async () => {
    const dir = workspace(BAD);
    const { r, summary } = await run(dir);
    expect(r.exitCode).toBe(1);
    expect(summary).toMatch(/^## SLA audit: ❌ objectives 0 met, 2 failed \(of 2\)/);
    expect(r.stderr).toContain('::error title=SLA objective failed::resolution ≥ 90%25: actual 50%25 is below the target 90%25 (2 tickets measured)');
    expect(existsSync(join(dir, 'sla-report.json'))).toBe(true);
  });
});

test("README's cron line, as written, writes the dated reports and the log", async () => {
  const cron = /```cron\n(.*)\n```/.exec(section('From cron'))![1];
  const dir = workspace(GOOD);
  mkdirSync(join(dir, 'logs'));
  writeFileSync(join(dir, 'exports/latest.csv'), GOOD);
  // the schedule fields off; cron's \% back to %; /srv/sla is this folder
  const command = cron.replace(/^(\S+\s+){5}/, '').replace(/\\%/g, '%').replace('/srv/sla', dir).replace(/npx sla-audit/g, `node ${BIN}`);
  const r = await execa('bash', ['-e', '-c', command], { reject: false, env: { FORCE_COLOR: '0' } });
  expect(r.exitCode).toBe(0);
  const day = (await execa('date', ['+%F'])).stdout;
  expect(readdirSync(join(dir, 'reports')).sort()).toEqual([`${day}.csv`, `${day}.json`]);
  expect(JSON.parse(readFileSync(join(dir, 'reports', `${day}.json`), 'utf8')).totals.evaluated).toBe(2);
  expect(readFileSync(join(dir, 'logs/sla-audit.log'), 'utf8')).toBe('');
});
