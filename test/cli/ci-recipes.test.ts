import { describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
  // the line audits as of last midnight: tickets from three days before it, whatever day the test runs
  const day = (await execa('date', ['+%F'])).stdout;
  const before = new Date(Date.parse(`${day}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(join(dir, 'exports/latest.csv'), GOOD.replace(/2026-10-0[56]/g, before));
  // the schedule fields off; cron's \% back to %; /srv/sla is this folder
  const command = cron.replace(/^(\S+\s+){5}/, '').replace(/\\%/g, '%').replace('/srv/sla', dir).replace(/npx sla-audit/g, `node ${BIN}`);
  const r = await execa('bash', ['-e', '-c', command], { reject: false, env: { FORCE_COLOR: '0' } });
  expect(r.exitCode).toBe(0);
  expect(readdirSync(join(dir, 'reports')).sort()).toEqual([`${day}.csv`, `${day}.json`]);
  expect(JSON.parse(readFileSync(join(dir, 'reports', `${day}.json`), 'utf8')).totals.evaluated).toBe(2);
  expect(readFileSync(join(dir, 'logs/sla-audit.log'), 'utf8')).toBe('');
});

test("README's cron line, failing: an export with nothing to audit exits 2, writes no report and says why in the log", async () => {
  const cron = /```cron\n(.*)\n```/.exec(section('From cron'))![1];
  const dir = workspace(GOOD);
  mkdirSync(join(dir, 'logs'));
  // the export came through empty (its header alone)
  writeFileSync(join(dir, 'exports/latest.csv'), GOOD.split('\n')[0] + '\n');
  const command = cron.replace(/^(\S+\s+){5}/, '').replace(/\\%/g, '%').replace('/srv/sla', dir).replace(/npx sla-audit/g, `node ${BIN}`);
  const r = await execa('bash', ['-e', '-c', command], { reject: false, env: { FORCE_COLOR: '0' } });
  expect(r.exitCode).toBe(2);
  expect(existsSync(join(dir, 'reports')) ? readdirSync(join(dir, 'reports')) : []).toEqual([]);
  expect(readFileSync(join(dir, 'logs/sla-audit.log'), 'utf8')).toMatch(/^sla-audit: no tickets to audit: 0 rows read/);
});

test("README's hourly queue line, as written, pages through mail when a ticket reached the level", async () => {
  const block = [...section('From cron').matchAll(/```cron\n(.*)\n```/g)].map((m) => m[1]).find((l) => l.includes('queue'))!;
  const dir = mkdtempSync(join(tmpdir(), 'sla-queue-cron-'));
  for (const d of ['exports', 'logs', 'queue', 'bin']) mkdirSync(join(dir, d));
  // the line runs as of now: the tickets are dated from the clock of this run, so the test holds on any day
  writeFileSync(join(dir, 'sla.yaml'), [
    'timezone: UTC',
    'tickets:',
    '  columns: { id: id, created_at: created, resolved_at: resolved }',
    'policies:',
    '  - name: All',
    '    targets: { resolution: 8h }',
    '    escalation: [{ at: 50%, level: 组长 }, { at: 100%, level: 经理 }]',
    '',
  ].join('\n'));
  const ago = (hours: number) => new Date(Date.now() - hours * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
  // a mail that keeps what it was given
  writeFileSync(join(dir, 'bin/mail'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/mail.args\ncat > ${dir}/mail.body\n`, { mode: 0o755 });
  const run = async (csv: string) => {
    writeFileSync(join(dir, 'exports/latest.csv'), csv);
    rmSync(join(dir, 'mail.body'), { force: true });
    const command = block.replace(/^(\S+\s+){5}/, '').replace('/srv/sla', dir).replace(/npx sla-audit/g, `node ${BIN}`);
    return execa('bash', ['-e', '-c', command], { reject: false, env: { FORCE_COLOR: '0', PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
  };
  // 2h of 8h: below every rung: no page
  const quiet = await run(`id,created,resolved\nA,${ago(2)},\n`);
  expect([quiet.exitCode, existsSync(join(dir, 'mail.body'))]).toEqual([0, false]);
  // 10h of 8h: 经理
  const paged = await run(`id,created,resolved\nA,${ago(2)},\nB,${ago(10)},\n`);
  expect(paged.exitCode).toBe(0);
  expect(readFileSync(join(dir, 'mail.args'), 'utf8')).toBe('-s\nSLA: tickets at 经理 or above\noncall@example.com\n');
  const body = readFileSync(join(dir, 'mail.body'), 'utf8');
  expect(body.split('\n')[0]).toMatch(/^### Queue as of .*: 2 open clocks, 1 overdue, 0 at risk$/);
  expect(body.indexOf('| B |')).toBeLessThan(body.indexOf('| A |'));
  expect(readFileSync(join(dir, 'logs/queue.log'), 'utf8')).toBe('sla-audit: 1 open clock at 经理 or above (--fail-on-level)\n');
  rmSync(dir, { recursive: true });
});
