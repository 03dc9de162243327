import { describe, expect, test } from 'vitest';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, ROOT, cli } from './run.js';

const DEMO = ['-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00'];
const STATUSES = ['-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', 'fixtures/engine/statuses-at-as-of/tickets.csv', '--as-of', '2026-05-01T12:00'];
const tmp = (p: string) => mkdtempSync(join(tmpdir(), `sla-${p}-`));

describe('reports are never written over an input', () => {
  const setup = () => {
    const dir = tmp('over');
    const files = { tickets: 't.csv', events: 'h.csv', baseline: 'base.json', config: 'sla.yaml' };
    writeFileSync(join(dir, 't.csv'), readFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/tickets.csv')));
    writeFileSync(join(dir, 'sla.yaml'), readFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml')));
    writeFileSync(join(dir, 'h.csv'), 'ticket_id,timestamp,status\nA5,2026-05-01 10:30,Open\n');
    return { dir, files };
  };
  test.each([
    ['the tickets file', ['-o', 't.csv'], 't.csv', 'is a tickets file (t.csv)'],
    ['the events file', ['--events', 'h.csv', '-o', 'h.csv'], 'h.csv', 'is an --events file (h.csv)'],
    ['the config', ['-o', 'sla.yaml.json'], 'sla.yaml', 'is the config'],
    ['a symbolic link to the tickets', ['-o', 'link.csv'], 't.csv', 'is a tickets file (t.csv)'],
    ['a hard link to the tickets', ['-o', 'hard.csv'], 't.csv', 'is a tickets file (t.csv)'],
  ])('%s: exit 2 before reading, the input untouched', async (name, extra, guarded, message) => {
    const { dir } = setup();
    if (name.includes('symbolic')) symlinkSync(join(dir, 't.csv'), join(dir, 'link.csv'));
    if (name.includes('hard')) linkSync(join(dir, 't.csv'), join(dir, 'hard.csv'));
    if (name === 'the config') symlinkSync(join(dir, 'sla.yaml'), join(dir, 'sla.yaml.json'));
    const before = readFileSync(join(dir, guarded));
    const r = await cli(['check', 't.csv', '--as-of', '2026-05-01T12:00', ...extra], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(readFileSync(join(dir, guarded))).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('the file redirected into standard input is refused as -o too (check - -o t.csv < t.csv)', async () => {
    const { dir } = setup();
    const before = readFileSync(join(dir, 't.csv'));
    const r = await execa('bash', ['-c', `node ${BIN} check - --as-of 2026-05-01T12:00 -o t.csv < t.csv`], { cwd: dir, reject: false, env: { FORCE_COLOR: '0' } });
    expect([r.exitCode, r.stderr]).toEqual([2, 'sla-audit: -o t.csv: is a tickets file (standard input); a report is never written over an input, give it another name']);
    expect(readFileSync(join(dir, 't.csv'))).toEqual(before);
    // another file as -o is written as usual
    const ok = await execa('bash', ['-c', `node ${BIN} check - --as-of 2026-05-01T12:00 -q -o r.csv < t.csv`], { cwd: dir, reject: false, env: { FORCE_COLOR: '0' } });
    expect([ok.exitCode, existsSync(join(dir, 'r.csv'))]).toEqual([0, true]);
  });

  test('scorecard and queue refuse an --events file as -o too; scorecard -q writes its files and prints nothing', async () => {
    const dir = tmp('over-sc');
    const sheet = join(ROOT, 'fixtures/scorecards/kpi-sheet');
    writeFileSync(join(dir, 'h.csv'), 'ticket_id,timestamp,status\nA1,2026-05-04 09:10,Open\n');
    const before = readFileSync(join(dir, 'h.csv'));
    for (const command of ['scorecard', 'queue']) {
      const r = await cli([command, '-c', join(sheet, 'sla.yaml'), join(sheet, 'tickets.csv'), '--as-of', '2026-06-01', '--events', 'h.csv', '-o', 'h.csv'], { cwd: dir });
      expect([r.exitCode, r.stderr]).toEqual([2, 'sla-audit: -o h.csv: is an --events file (h.csv); a report is never written over an input, give it another name\n']);
      expect(readFileSync(join(dir, 'h.csv'))).toEqual(before);
    }
    const q = await cli(['scorecard', '-c', join(sheet, 'sla.yaml'), join(sheet, 'tickets.csv'), '--as-of', '2026-06-01', '-q', '-o', 'sc.json'], { cwd: dir });
    // 二线 is below its minimum score (see kpi-sheet.test.ts): exit 1, as without -q
    expect([q.exitCode, q.stdout]).toEqual([1, '']);
    expect(JSON.parse(readFileSync(join(dir, 'sc.json'), 'utf8')).scorecards.length).toBeGreaterThan(0);
  });

  test('the --baseline report as -o is refused too', async () => {
    const { dir } = setup();
    await cli(['check', 't.csv', '--as-of', '2026-05-01T12:00', '-q', '-o', 'base.json'], { cwd: dir });
    const before = readFileSync(join(dir, 'base.json'), 'utf8');
    const r = await cli(['check', 't.csv', '--as-of', '2026-05-01T12:00', '--baseline', 'base.json', '-o', 'base.json'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: -o base.json: is the --baseline report (base.json); a report is never written over an input, give it another name\n');
    expect(readFileSync(join(dir, 'base.json'), 'utf8')).toBe(before);
  });
});

describe('output failures and folders', () => {
  test('a folder that cannot be made is one line and exit 2: under /proc (where Node\'s recursive mkdir would spin forever), under a file, and a folder given as -o', async () => {
    const dir = tmp('folders');
    writeFileSync(join(dir, 'sla.yaml'), readFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml')));
    const base = ['check', join(ROOT, 'fixtures/engine/statuses-at-as-of/tickets.csv'), '-c', 'sla.yaml', '--as-of', '2026-05-01T12:00', '-q'];
    if (existsSync('/proc/self')) {
      const proc = await cli([...base, '-o', '/proc/sla-audit-nope/x.json'], { cwd: dir });
      expect([proc.exitCode, proc.stderr]).toEqual([2, 'sla-audit: -o /proc/sla-audit-nope/x.json: cannot create its folder /proc/sla-audit-nope: ENOENT (no such file or folder)\n']);
    }
    const underFile = await cli([...base, '-o', 'sla.yaml/x.json'], { cwd: dir });
    expect([underFile.exitCode, underFile.stderr]).toEqual([2, `sla-audit: -o sla.yaml/x.json: cannot create its folder ${join(dir, 'sla.yaml')}: ENOTDIR (a part of the path is not a directory)\n`]);
    mkdirSync(join(dir, 'reports'));
    const folder = await cli([...base, '-o', 'reports'], { cwd: dir });
    expect([folder.exitCode, folder.stderr]).toEqual([2, 'sla-audit: -o reports: is a directory; give a file name, e.g. reports/report.json\n']);
    const sheet = join(ROOT, 'fixtures/scorecards/kpi-sheet');
    for (const args of [['queue', ...base.slice(1)], ['scorecard', '-c', join(sheet, 'sla.yaml'), join(sheet, 'tickets.csv'), '--as-of', '2026-06-01']]) {
      const r = await cli([...args, '-o', 'reports'], { cwd: dir });
      expect([r.exitCode, r.stderr], args[0]).toEqual([2, 'sla-audit: -o reports: is a directory; give a file name, e.g. reports/report.json\n']);
    }
  });

  test('a closed stdout pipe: every -o is written, the exit code is the run\'s, no temporary file is left', async () => {
    const dir = tmp('pipe');
    const tmpd = tmp('pipetmp');
    const r = await execa('bash', ['-c', `node ${BIN} check ${STATUSES.join(' ')} -f csv -o ${dir}/r.json -o ${dir}/r.md | head -1; echo "status \${PIPESTATUS[0]}"`], { cwd: ROOT, reject: false, env: { FORCE_COLOR: '0', TMPDIR: tmpd } });
    expect(r.stdout).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at\nstatus 0\n'.trimEnd());
    expect(r.stderr).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['r.json', 'r.md']);
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).totals.evaluated).toBe(11);
    expect(readdirSync(tmpd)).toEqual([]);
  });

  test('standard output on a full disk: one line, exit 2, no stack', async () => {
    const r = await execa('bash', ['-c', `node ${BIN} check ${DEMO.join(' ')} > /dev/full`], { cwd: ROOT, reject: false, env: { FORCE_COLOR: '0' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: cannot write standard output: ENOSPC (no space left on device)');
  });

  test('a report that cannot be written (file size limit while streaming the csv): one line naming it, exit 2, no temporary file', async () => {
    const dir = tmp('full');
    // ulimit -f 8 (blocks of 1 KiB) lets the first 8 KiB through; the demo's csv is ~100 KiB
    const r = await execa('bash', ['-c', `trap '' XFSZ; ulimit -f 8; exec node ${BIN} check ${DEMO.join(' ')} -q -o ${dir}/out/r.csv`], { cwd: ROOT, reject: false, env: { FORCE_COLOR: '0' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`sla-audit: cannot write ${dir}/out/r.csv: EFBIG (file too large)`);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
  });

  test('-o onto a directory: exit 2 before reading, nothing left behind', async () => {
    const dir = tmp('dir');
    mkdirSync(join(dir, 'r.json'));
    const r = await cli(['check', ...DEMO, '-o', join(dir, 'r.json')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`sla-audit: -o ${join(dir, 'r.json')}: is a directory; give a file name, e.g. ${join(dir, 'r.json')}/report.json\n`);
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  test('-o and init into a folder that does not exist create it', async () => {
    const dir = tmp('mk');
    const r = await cli(['check', ...DEMO, '-q', '-o', join(dir, 'a/b/r.json'), '-o', join(dir, 'c/r.csv')]);
    expect(r.exitCode).toBe(1);
    expect(existsSync(join(dir, 'a/b/r.json')) && existsSync(join(dir, 'c/r.csv'))).toBe(true);
    const i = await cli(['init', 'conf/sla.yaml'], { cwd: dir });
    expect(i.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'conf/sla.yaml'), 'utf8')).toContain('version: 1');
  });
});

describe('a gate never passes on nothing', () => {
  test('a header-only export with --fail-under: exit 2, "no tickets to audit"', async () => {
    const dir = tmp('empty');
    writeFileSync(join(dir, 't.csv'), 'id,created,first_reply,resolved,priority\n');
    const r = await cli(['check', '-c', join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml'), 't.csv', '--as-of', '2026-05-01T12:00', '--fail-under', '95'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sla-audit: no tickets to audit: 0 rows read, 0 left out with problems, 0 outside --since/--until or created after --as-of; nothing is judged on no tickets (pass --allow-empty to accept an empty run)\n');
    const allowed = await cli(['check', '-c', join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml'), 't.csv', '--as-of', '2026-05-01T12:00', '--fail-under', '95', '--allow-empty'], { cwd: dir });
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toContain('Objectives: 0 met, 1 not judged (of 1).');
    expect(allowed.stdout).not.toContain('All objectives met');
  });

  test('a --since window that matches nothing: exit 2 with the counts', async () => {
    const r = await cli(['check', ...STATUSES, '--since', '2030-01-01']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('sla-audit: no tickets to audit: 11 rows read, 0 left out with problems, 11 outside --since/--until or created after --as-of');
  });

  test('the summary line counts met, failed and not judged objectives', async () => {
    const dir = tmp('judged');
    writeFileSync(join(dir, 'sla.yaml'), readFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml'), 'utf8') + 'objectives:\n  - { metric: first_response, min: 50% }\n  - { metric: resolution, min: 50%, min_tickets: 100 }\n');
    const r = await cli(['check', '-c', join(dir, 'sla.yaml'), 'fixtures/engine/statuses-at-as-of/tickets.csv', '--as-of', '2026-05-01T12:00', '-o', join(dir, 'r.md')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Objectives: 1 met, 1 not judged (of 2).');
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toMatch(/^## SLA audit: ➖ objectives 1 met, 1 not judged \(of 2\)\n/);
  });
});

describe('CI: job summary and annotations', () => {
  test('$GITHUB_STEP_SUMMARY and --summary get the markdown summary whatever the exit code; annotations on stderr', async () => {
    const dir = tmp('gh');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'step.md') };
    const failing = await cli(['check', ...DEMO, '-q', '--summary', join(dir, 'mine.md')], { env });
    expect(failing.exitCode).toBe(1);
    for (const f of ['step.md', 'mine.md']) expect(readFileSync(join(dir, f), 'utf8')).toMatch(/^## SLA audit: ❌ objectives 1 met, 2 failed \(of 3\)/);
    expect(failing.stderr).toBe([
      '::error title=SLA objective failed::first_response ≥ 90%25: actual 87.6%25 is below the target 90%25 (410 tickets measured)',
      '::error title=SLA objective failed::resolution P1 ≥ 99%25: actual 94.6%25 is below the target 99%25 (37 tickets measured)',
      '',
    ].join('\n'));
    const broken = await cli(['check', '-c', 'fixtures/demo/broken.yaml', 'fixtures/demo/tickets.csv'], { env });
    expect(broken.exitCode).toBe(2);
    expect(readFileSync(join(dir, 'step.md'), 'utf8')).toContain('## SLA audit: ⛔ not run\n\n```\nfixtures/demo/broken.yaml:10:25');
  });
});

describe('hostile cells', () => {
  test('terminal escapes in a ticket id never reach the terminal or a text report raw', async () => {
    const dir = tmp('esc');
    const evil = 'X\x1b[2J\x1b]0;owned\x07\u202eY';
    writeFileSync(join(dir, 't.csv'), `id,created,first_reply,resolved,priority\n"${evil}",2026-05-01 06:00,2026-05-01 09:00,,Urgent\n"${evil}",2026-05-01 06:00,2026-05-01 09:00,,Urgent\n`);
    const r = await cli(['check', '-c', join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml'), 't.csv', '--as-of', '2026-05-01T12:00', '-o', 'r.txt', '-o', 'r.md', '-o', 'r.csv', '-o', 'r.json'], { cwd: dir });
    const raw = /[\x1b\x07\u202e]/;
    for (const text of [r.stdout, r.stderr, ...['r.txt', 'r.md', 'r.csv', 'r.json'].map((f) => readFileSync(join(dir, f), 'utf8'))]) expect(text).not.toMatch(raw);
    expect(r.stdout).toContain('X\\x1b[2J\\x1b]0;owned\\x07\\u202eY');
    expect(r.stderr).toContain('duplicate ticket id "X\\x1b[2J\\x1b]0;owned\\x07\\u202eY"');
    // JSON keeps the id exactly (as JSON escapes)
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).breaches[0].id).toBe(evil);
  });

  test('format characters (a zero-width space, a soft hyphen, a tag character) in a cell a message shows are escaped like control characters; joiners are kept', async () => {
    const dir = tmp('fmt');
    // 处理时长 (a custom KPI mean) holds 1, a zero-width space, 2: not a number; the id holds a soft hyphen and the tag character U+E0041
    writeFileSync(join(dir, 't.csv'), 'id,created,replied,resolved,team,质检结果,处理时长\nC1,2026-05-04 09:00,2026-05-04 09:10,2026-05-04 10:00,一线,合格,1\u200b2\n"C\u00ad2\u{e0041}",2026-05-04 09:00,,,一线,合格,3\n"C\u00ad2\u{e0041}",2026-05-04 09:00,,,一线,合格,4\nD\u200d4,2026-05-04 09:00,,,一线,合格,5\n');
    const r = await cli(['check', '-c', join(ROOT, 'fixtures/kpis/custom-kpis/sla.yaml'), 't.csv', '--as-of', '2026-05-05T00:00', '-o', 'r.md', '-o', 'r.json'], { cwd: dir });
    const raw = /[\u200b\u00ad\u{e0041}]/u;
    for (const text of [r.stdout, r.stderr, ...['r.md', 'r.json'].map((f) => readFileSync(join(dir, f), 'utf8'))]) expect(text).not.toMatch(raw);
    expect(r.stderr).toContain('t.csv row 2, column "处理时长": "1\\u200b2" is not a number; custom KPI handle_minutes leaves this ticket out');
    expect(r.stderr).toContain('duplicate ticket id "C\\xad2\\u{e0041}"');
    // a zero-width joiner (Persian, Indic scripts, emoji) reorders nothing and stays as written
    expect(r.stdout).toContain('│ D\u200d4 ');
    // JSON keeps the cell exactly (as JSON escapes)
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8'));
    expect(json.problems.map((p: { message: string }) => p.message)).toContain('"1\u200b2" is not a number; custom KPI handle_minutes leaves this ticket out (it is evaluated for everything else). Write plain numbers such as 12 or 12.5, without units or thousands separators');
  });

  test('cells are quoted only when short and free of "@": an email or a 3 MB cell is described instead', async () => {
    const dir = tmp('echo');
    const huge = 'x'.repeat(3 * 1024 * 1024);
    writeFileSync(join(dir, 't.csv'), `id,created,first_reply,resolved,priority\nT1,jane@example.com,,,Urgent\nT2,${huge},,,Urgent\nT3,2026-05-01 06:00,,,pw=hunter2@corp\nT4,2026-05-01 06:00,,,Critical\n`);
    const r = await cli(['check', '-c', join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml'), 't.csv', '--as-of', '2026-05-01T12:00', '--allow-empty'], { cwd: dir });
    expect(r.stderr).not.toContain('jane');
    expect(r.stderr).not.toContain('hunter2');
    expect(r.stderr.length).toBeLessThan(2000);
    expect(r.stderr).toContain('t.csv row 2, column "created": 16 characters, not a timestamp');
    expect(r.stderr).toContain('t.csv row 3, column "created": 3,145,728 characters, not a timestamp');
    expect(r.stderr).toContain('t.csv row 4, column "priority": 15 characters, not a known priority (known: P1, P2)');
    expect(r.stderr).toContain('t.csv row 5, column "priority": unknown priority "Critical"');
  });

  test('--fail-under 1 is ambiguous', async () => {
    const r = await cli(['check', ...STATUSES, '--fail-under', '1']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: --fail-under: 1 is ambiguous (1% or 100%?); write "1%" or "100%"\n');
  });
});

describe('init and validate for event logs', () => {
  test('init --preset servicenow runs as-is on a ServiceNow audit log; validate warns when rows layout meets repeating ids', async () => {
    const dir = tmp('sn');
    expect((await cli(['init', '--preset', 'servicenow'], { cwd: dir })).exitCode).toBe(0);
    const log = join(ROOT, 'fixtures/presets/servicenow/incidents.csv');
    const r = await cli(['check', log, '--as-of', '2016-06-01', '-f', 'json'], { cwd: dir });
    // 25 rows of 4 incidents: each incident once, no duplicate-id problems
    expect(JSON.parse(r.stdout).totals).toEqual({ rows: 25, tickets: 4, evaluated: 4, problems: 0, outside_range: 0 });
    const rows = readFileSync(join(dir, 'sla.yaml'), 'utf8').replace('layout: events', 'layout: rows  ');
    writeFileSync(join(dir, 'sla.yaml'), rows);
    const v = await cli(['validate', log], { cwd: dir });
    expect(v.exitCode).toBe(0);
    expect(v.stderr).toBe(`sla-audit: warning: ${log}: 21 of 25 rows repeat an id seen earlier (e.g. "INC0001068"); if this is an event log with many rows per ticket, set tickets.layout: events\n`);
  });
});
