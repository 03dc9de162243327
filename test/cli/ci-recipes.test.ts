import { describe, expect, test } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, ROOT } from './run.js';

// README's CI step and cron line, run as written (npx sla-audit → the built CLI) under bash -e.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = (title: string) => readme.slice(readme.indexOf(`## ${title}\n`), readme.indexOf('\n## ', readme.indexOf(`## ${title}\n`) + 4));

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

interface Step { name?: string; uses?: string; if?: string; run?: string; with?: Record<string, string> }

/** README's GitHub Actions steps, parsed as YAML. */
function ciSteps(): Step[] {
  const block = /```yaml\n([\s\S]*?)```/.exec(section('In CI'))![1];
  return parseYaml(block) as Step[];
}

/**
 * Runs README's steps as a GitHub runner would, in a checkout `dir`: `run` scripts under bash -e
 * -o pipefail (npx sla-audit → the built CLI; `npm ci` is this repository's own), `if:` conditions
 * (only those the README uses: a step after a failure runs only under always(); hashFiles is
 * whether the file exists), and actions/cache restore and save with a folder standing in for
 * GitHub's cache (a key is never overwritten; restore-keys takes the newest entry with the prefix).
 */
async function runWorkflow(dir: string, cache: string, runId: number) {
  const summary = join(dir, 'step-summary.md');
  const expr = (v: string) => v.replace(/\$\{\{\s*github\.run_id\s*\}\}/g, String(runId)).replace(/\$\{\{\s*github\.run_attempt\s*\}\}/g, '1');
  let failed = false;
  const runs: { name: string; exitCode: number; stderr: string }[] = [];
  for (const step of ciSteps()) {
    const cond = step.if?.trim();
    let go: boolean;
    if (cond === undefined) go = !failed;
    else if (cond === 'always()') go = true;
    else {
      const m = /^always\(\) && hashFiles\('([^']+)'\) != ''$/.exec(cond);
      if (!m) throw new Error(`the test runner does not know the condition ${cond}`);
      go = existsSync(join(dir, m[1]));
    }
    if (!go) continue;
    if (step.uses?.startsWith('actions/cache/restore@')) {
      const key = expr(step.with!.key);
      const prefix = expr(step.with!['restore-keys']);
      const entries = existsSync(cache) ? readdirSync(cache).sort((a, b) => Number(a.split('@')[0]) - Number(b.split('@')[0])) : [];
      const hit = entries.find((e) => e.split('@')[1] === key) ?? entries.filter((e) => e.split('@')[1].startsWith(prefix)).pop();
      if (hit) cpSync(join(cache, hit), join(dir, step.with!.path), { recursive: true });
    } else if (step.uses?.startsWith('actions/cache/save@')) {
      const key = expr(step.with!.key);
      mkdirSync(cache, { recursive: true });
      if (!readdirSync(cache).some((e) => e.split('@')[1] === key)) cpSync(join(dir, step.with!.path), join(cache, `${runId}@${key}`), { recursive: true });
    } else if (step.run !== undefined && step.run.trim() !== 'npm ci') {
      const script = step.run.replace(/npx sla-audit/g, `node ${BIN}`);
      const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], { cwd: dir, reject: false, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, FORCE_COLOR: '0' } });
      runs.push({ name: step.name ?? step.run, exitCode: r.exitCode ?? -1, stderr: r.stderr });
      if (r.exitCode !== 0) failed = true;
    } else if (step.uses && !step.uses.startsWith('actions/upload-artifact@') && step.run === undefined) {
      throw new Error(`the test runner does not know the action ${step.uses}`);
    }
  }
  const audit = runs.find((r) => r.name === 'SLA audit')!;
  return { audit, runs, summary: readFileSync(summary, 'utf8') };
}

describe("README's GitHub Actions steps, under bash -e, with the baseline kept in the cache", () => {
  test('the steps are YAML whose cache restore and save agree on the folder and the key', () => {
    const steps = ciSteps();
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'))!;
    expect(restore.with!.path).toBe(save.with!.path);
    expect(save.with!.key.startsWith(restore.with!['restore-keys'])).toBe(true);
    // the audit reads its baseline from the cached folder, and the report is copied there
    const audit = steps.find((s) => s.name === 'SLA audit')!.run!;
    expect(audit).toContain(`--baseline ${restore.with!.path}/sla-report.json --baseline-optional`);
    expect(steps.findIndex((s) => s === restore)).toBeLessThan(steps.findIndex((s) => s.name === 'SLA audit'));
  });

  test('first run: no baseline is a notice, nothing compared, exit 0; the second run compares with the first', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'sla-ci-cache-'));
    const first = await runWorkflow(workspace(GOOD), cache, 101);
    expect(first.runs.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(first.audit.stderr).toBe('sla-audit: notice: --baseline .sla-baseline/sla-report.json: no such file yet; nothing is compared on this run (--baseline-optional)');
    expect(first.summary).toMatch(/^## SLA audit: ✅ objectives 2 met \(of 2\)/);
    expect(first.summary).toContain('No baseline yet: `.sla-baseline/sla-report.json` does not exist, so nothing is compared on this run');
    expect(readdirSync(cache)).toEqual(['101@sla-baseline-101-1']);
    // a new checkout, the cache restored from the first run: both tickets met both targets in both
    // runs, so each compliance is 100% before and after (0 points)
    const dir = workspace(GOOD);
    const second = await runWorkflow(dir, cache, 102);
    expect(second.runs.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(second.audit.stderr).toBe('');
    expect(second.summary).toContain('### Against baseline `.sla-baseline/sla-report.json`');
    expect(second.summary).toContain('| overall | 100% | 100% | 0 |');
    expect(JSON.parse(readFileSync(join(dir, 'sla-report.json'), 'utf8')).baseline.rows.length).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('sla-')).sort()).toEqual(['sla-junit.xml', 'sla-report.html', 'sla-report.json']);
  });

  test('failing: the step fails (exit 1), leaves its summary and annotations, and its report is still the next baseline', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'sla-ci-cache-'));
    await runWorkflow(workspace(GOOD), cache, 201);
    const dir = workspace(BAD);
    const { audit, runs, summary } = await runWorkflow(dir, cache, 202);
    expect(audit.exitCode).toBe(1);
    // A answered after 3h10m (1h target) and resolved after 49h (8h), B met both: per metric 1 of 2
    // met → 50%, overall 2 of 4 → 50%, against 100% in the first run's report: 50 points down (max 2)
    expect(summary).toMatch(/^## SLA audit: ❌ compliance dropped against the baseline\n/);
    expect(summary).toContain('| overall | 100% | 50% | -50 | ❌ more than 2 down |');
    expect(summary).toContain('| ❌ | resolution ≥ 90% | 50% |');
    expect(audit.stderr).toContain('::error title=SLA objective failed::resolution ≥ 90%25: actual 50%25 is below the target 90%25 (2 tickets measured)');
    // the keep step ran after the failure (always()), and the save took it
    expect(runs.map((r) => r.exitCode)).toEqual([1, 0]);
    expect(readdirSync(cache).sort()).toEqual(['201@sla-baseline-201-1', '202@sla-baseline-202-1']);
    expect(JSON.parse(readFileSync(join(cache, '202@sla-baseline-202-1/sla-report.json'), 'utf8')).overall.compliance).toBe(0.5);
  });
});

/**
 * README's nightly cron line as cron runs it (/bin/sh -c; no -e): /srv/sla is a temporary folder,
 * npx sla-audit the built CLI, cron's \% back to %, and a `mail` that keeps its arguments and body.
 */
async function nightly(csv: string) {
  const cron = /```cron\n(.*)\n```/.exec(section('From cron'))![1];
  const dir = workspace(GOOD);
  for (const d of ['logs', 'bin']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'exports/latest.csv'), csv);
  writeFileSync(join(dir, 'bin/mail'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${dir}/mail.args\ncat > ${dir}/mail.body\n`, { mode: 0o755 });
  const command = cron.replace(/^(\S+\s+){5}/, '').replace(/\\%/g, '%').replace('/srv/sla', dir).replace(/npx sla-audit/g, `node ${BIN}`);
  const day = (await execa('date', ['+%F'])).stdout;
  const r = await execa('sh', ['-c', command], { reject: false, env: { FORCE_COLOR: '0', PATH: `${join(dir, 'bin')}:${process.env.PATH}` } });
  const log = readFileSync(join(dir, 'logs/sla-audit.log'), 'utf8');
  const mail = existsSync(join(dir, 'mail.args')) ? { args: readFileSync(join(dir, 'mail.args'), 'utf8'), body: readFileSync(join(dir, 'mail.body'), 'utf8') } : undefined;
  const reports = existsSync(join(dir, 'reports')) ? readdirSync(join(dir, 'reports')).sort() : [];
  return { r, dir, day, log, mail, reports };
}

// every log line starts with the run's local time and offset, e.g. 2026-12-08T02:15:01+0800
const STAMP = String.raw`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}`;

test("README's cron line, as written: a night that passes writes the dated reports and one dated log line, and mails nothing", async () => {
  // the line audits as of last midnight: tickets from three days before it, whatever day the test runs
  const day = (await execa('date', ['+%F'])).stdout;
  const before = new Date(Date.parse(`${day}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
  const n = await nightly(GOOD.replace(/2026-10-0[56]/g, before));
  expect(n.reports).toEqual([`${n.day}.csv`, `${n.day}.json`, `${n.day}.md`]);
  expect(JSON.parse(readFileSync(join(n.dir, 'reports', `${n.day}.json`), 'utf8')).totals.evaluated).toBe(2);
  expect(n.log).toMatch(new RegExp(`^${STAMP} sla-audit check for ${n.day} exited 0\n$`));
  expect(n.mail).toBeUndefined();
});

test("README's cron line, failing objectives: exit 1 is logged with its date and mailed with the summary", async () => {
  const day = (await execa('date', ['+%F'])).stdout;
  const before = new Date(Date.parse(`${day}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10);
  // BAD moved to three days before the run: A answered after 3h10m (1h) and resolved after two days
  // (8h), B met both: resolution 1 of 2 = 50%, below its 90%
  const plus2 = new Date(Date.parse(`${before}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);
  const n = await nightly(BAD.replace('2026-10-07', plus2).replace(/2026-10-0[56]/g, before));
  expect(n.log).toMatch(new RegExp(`^${STAMP} sla-audit check for ${n.day} exited 1\n$`));
  expect(n.mail!.args).toBe(`-s\nSLA audit ${n.day}: exit 1\nops@example.com\n`);
  expect(n.mail!.body).toMatch(/^## SLA audit: ❌ objectives 0 met, 1 failed \(of 1\)/);
  expect(n.reports).toEqual([`${n.day}.csv`, `${n.day}.json`, `${n.day}.md`]);
});

test("README's cron line, failing: an export with nothing to audit exits 2, writes no report, logs why with the date and mails it", async () => {
  // the export came through empty (its header alone)
  const n = await nightly(GOOD.split('\n')[0] + '\n');
  expect(n.reports).toEqual([]);
  const lines = n.log.trimEnd().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(new RegExp(`^${STAMP} sla-audit: no tickets to audit: 0 rows read`));
  expect(lines[1]).toMatch(new RegExp(`^${STAMP} sla-audit check for ${n.day} exited 2$`));
  // both lines carry the same run's time
  expect(lines[0].slice(0, 24)).toBe(lines[1].slice(0, 24));
  expect(n.mail!.args).toBe(`-s\nSLA audit ${n.day}: exit 2\nops@example.com\n`);
  expect(n.mail!.body).toMatch(/^sla-audit: no tickets to audit: 0 rows read/);
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
