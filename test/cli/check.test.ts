import { describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { cli, BIN, ROOT } from './run.js';

const DEMO = ['-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00'];
const STATUSES = ['-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', 'fixtures/engine/statuses-at-as-of/tickets.csv', '--as-of', '2026-05-01T12:00'];

describe('sla-audit check', () => {
  test('demo: table on stdout, nothing on stderr, exit 1 because an objective failed', async () => {
    const r = await cli(['check', ...DEMO]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('412 tickets evaluated from fixtures/demo/tickets.csv');
    expect(r.stdout).toContain('✗ first_response ≥ 90%');
    expect(r.stdout).not.toMatch(/\x1b\[/); // no colour when not a TTY
  });

  test('json report: schemaVersion 1 with the stable keys, numbers as numbers', async () => {
    const r = await cli(['check', ...STATUSES, '-f', 'json']);
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['schemaVersion', 'generatedAt', 'asOf', 'config', 'configDigest', 'inputs', 'totals', 'overall', 'metrics', 'kpis', 'objectives', 'groups', 'categories', 'escalation', 'hotspots', 'breaches', 'problems']);
    expect(j.schemaVersion).toBe(1);
    expect(j.asOf).toBe('2026-05-01T12:00:00+00:00');
    expect(j.overall).toEqual({ met: 8, breached: 2, overdue: 2, running: 5, at_risk: 2, not_applicable: 3, not_measured: 0, compliance: 8 / 12 });
    // the worst breach by share of its target: A2's first response, 90 minutes of 60 (150%)
    expect(j.breaches[0]).toEqual({
      id: 'A2', metric: 'first_response', status: 'breached', policy: 'All', priority: 'P1',
      target_minutes: 60, elapsed_minutes: 90, over_minutes: 30, share_of_target: 1.5, due_at: '2026-05-01T07:00:00+00:00', completed_at: '2026-05-01T07:30:00+00:00',
    });
    expect(j.groups.priority.map((g: { key: string }) => g.key)).toEqual(['P1', 'P2']);
  });

  test('csv report: the stable header, one row per ticket and metric', async () => {
    const r = await cli(['check', ...STATUSES, '-f', 'csv']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at');
    expect(lines).toHaveLength(1 + 2 * 11);
    expect(lines).toContain('A3,All,P1,first_response,met,60,45,2026-05-01T10:00:00+00:00,2026-05-01T09:45:00+00:00');
    expect(lines).toContain('A8,All,P2,resolution,not_applicable,,,,');
    expect(lines).toContain('A6,All,P1,resolution,at_risk,240,210,2026-05-01T12:30:00+00:00,');
  });

  test('-o writes every format atomically, format from the extension; -q keeps stdout empty', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-out-'));
    const r = await cli(['check', ...STATUSES, '-q', '-o', join(dir, 'r.json'), '-o', join(dir, 'r.csv'), '-o', join(dir, 'r.md'), '-o', join(dir, 'r.txt')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['r.csv', 'r.json', 'r.md', 'r.txt']); // no temp files left behind
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).totals.evaluated).toBe(11);
    expect(readFileSync(join(dir, 'r.csv'), 'utf8').split('\n')).toHaveLength(1 + 22 + 1);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('| first_response | 75% | 6 | 1 | 1 | 1 | 2 | 0 |');
    expect(readFileSync(join(dir, 'r.txt'), 'utf8')).toContain('Compliance');
  });

  test('--fail-under adds an overall objective: 66.7% passes 60, fails 70', async () => {
    expect((await cli(['check', ...STATUSES, '-q', '--fail-under', '60'])).exitCode).toBe(0);
    const r = await cli(['check', ...STATUSES, '--fail-under', '70%']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('✗ overall ≥ 70% (--fail-under)');
  });

  test('--strict turns row problems into exit 2; without it they go to stderr and the run goes on', async () => {
    const args = ['check', '-c', 'fixtures/input/bad-rows/sla.yaml', 'fixtures/input/bad-rows/tickets.csv', '--as-of', '2026-05-15T00:00'];
    const loose = await cli(args);
    expect(loose.exitCode).toBe(0);
    expect(loose.stderr).toContain('sla-audit: fixtures/input/bad-rows/tickets.csv row 4, column "Created": "2026-02-30 10:00": February 2026 has no day 30\n');
    expect(loose.stderr).toContain('11 rows left out of the counts because of problems');
    expect(loose.stderr).not.toMatch(/@example|Printer/); // no personal data
    const strict = await cli([...args, '--strict']);
    expect(strict.exitCode).toBe(2);
    expect(strict.stderr).toContain('--strict: 11 rows had problems');
  });

  test('standard input with -', async () => {
    const csv = readFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/tickets.csv'));
    const r = await cli(['check', '-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', '-', '--as-of', '2026-05-01T12:00', '-f', 'json'], { input: csv });
    expect(JSON.parse(r.stdout).inputs).toEqual(['(stdin)']);
    expect(JSON.parse(r.stdout).totals.evaluated).toBe(11);
  });

  test('--since/--until count only tickets created in [since, until)', async () => {
    const r = await cli(['check', ...STATUSES, '-f', 'json', '--since', '2026-05-01T09:00', '--until', '2026-05-01T11:00']);
    // created 09:00 (A3, A10), 10:00 (A5, A9), 10:00... : A3 A5 A9 A10 are in; 11:00 (A8) is not
    expect(JSON.parse(r.stdout).totals).toEqual({ rows: 11, tickets: 11, evaluated: 4, problems: 0, outside_range: 7 });
  });

  test('FORCE_COLOR forces colour, NO_COLOR and --no-color turn it off', async () => {
    expect((await cli(['check', ...STATUSES], { env: { FORCE_COLOR: '1' } })).stdout).toMatch(/\x1b\[/);
    expect((await cli(['check', ...STATUSES], { env: { FORCE_COLOR: '', NO_COLOR: '1' } })).stdout).not.toMatch(/\x1b\[/);
  });

  test('a closed pipe ends quietly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-pipe-'));
    const rows = ['id,created,first_reply,resolved,priority'];
    for (let i = 0; i < 60000; i++) rows.push(`T${i},2026-05-01 08:00,2026-05-01 08:30,,Urgent`);
    writeFileSync(join(dir, 't.csv'), rows.join('\n'));
    const r = await execa('bash', ['-c', `node ${BIN} check -c fixtures/engine/statuses-at-as-of/sla.yaml ${join(dir, 't.csv')} --as-of 2026-05-01T12:00 -f csv | head -2; echo "status \${PIPESTATUS[0]}"`], { cwd: ROOT, reject: false, env: { FORCE_COLOR: '0' } });
    expect(r.stdout.split('\n')[0]).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/status [01]$/);
  });

  test('formula injection is neutralised in the csv report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-inj-'));
    writeFileSync(join(dir, 't.csv'), 'id,created,first_reply,resolved,priority\n=HYPERLINK("http://x"),2026-05-01 08:00,,,Urgent\n+1,2026-05-01 08:00,,,Urgent\n@SUM(A1),2026-05-01 08:00,,,Urgent\n');
    const r = await cli(['check', '-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', join(dir, 't.csv'), '--as-of', '2026-05-01T12:00', '-f', 'csv']);
    const ids = r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(ids).toEqual(['"\'=HYPERLINK(""http://x"")"', '"\'=HYPERLINK(""http://x"")"', "'+1", "'+1", "'@SUM(A1)", "'@SUM(A1)"]);
  });
});

describe('exit 2 with one clear line and no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['missing config', ['check', '-c', 'nope.yaml', 'x.csv'], /^sla-audit: nope\.yaml: cannot read the config \(no such file\); create one with "sla-audit init"\n$/],
    ['no config found', ['check', 'x.csv'], /^sla-audit: no config file: looked for sla-audit\.yaml, sla-audit\.yml, sla\.yaml, sla\.yml in .*; pass -c <file> or create one with "sla-audit init"\n$/],
    ['missing tickets file', ['check', '-c', 'fixtures/demo/sla.yaml', 'missing.csv'], /^sla-audit: missing\.csv: cannot read \(no such file\)\n$/],
    ['bad --as-of', ['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', 'soon'], /^sla-audit: --as-of "soon" is not a time; use ISO 8601/],
    ['unknown format', ['check', '-c', 'fixtures/demo/sla.yaml', '-f', 'pdf'], /error: option '-f, --format <fmt>' argument 'pdf' is invalid/],
    ['unknown -o extension', ['check', '-c', 'fixtures/demo/sla.yaml', '-o', 'r.pdf', 'fixtures/demo/tickets.csv'], /^sla-audit: -o r\.pdf: unknown extension/],
    ['unknown option', ['check', '--colour'], /error: unknown option '--colour'/],
  ];
  test.each(cases)('%s', async (_name, args, message) => {
    const r = await cli(args, { cwd: args.includes('x.csv') && !args.includes('-c') ? tmpdir() : ROOT });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('empty file, a damaged workbook, binary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-bad-'));
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'book.xlsx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]));
    writeFileSync(join(dir, 'blob.csv'), Buffer.from([1, 2, 3, 0, 0, 5, 6, 7, 0, 1]));
    const run = (f: string) => cli(['check', '-c', 'fixtures/demo/sla.yaml', join(dir, f)]);
    const [e, x, b] = await Promise.all([run('empty.csv'), run('book.xlsx'), run('blob.csv')]);
    expect([e.exitCode, x.exitCode, b.exitCode]).toEqual([2, 2, 2]);
    expect(e.stderr).toMatch(/empty\.csv: the file is empty; export the tickets again\n$/);
    // the archive ends after its first header: exceljs's unzipper meets the end of the file
    expect(x.stderr).toMatch(/^sla-audit: [^\n]*book\.xlsx: cannot be read as an xlsx workbook \([^\n]*\); it may be damaged: open it in Excel and save it again, or save it as CSV\n$/);
    expect(b.stderr).toMatch(/blob\.csv: looks binary \(it has NUL bytes\), not a CSV text export\n$/);
  });

  test('a missing required column lists the headers found and the closest match', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-col-'));
    writeFileSync(join(dir, 't.csv'), 'Ticket ID,Created At,First Reply,Resolved,Priority\nT1,2026-10-08 10:00,,,High\n');
    const r = await cli(['check', '-c', 'fixtures/demo/sla.yaml', join(dir, 't.csv')]);
    expect(r.exitCode).toBe(2);
    const lines = r.stderr.trimEnd().split('\n').map((l) => l.replace(dir + '/', ''));
    expect(lines[0]).toBe('sla-audit: t.csv: no column "Created" for created_at (closest: "Created At"); map it under tickets.columns.created_at in fixtures/demo/sla.yaml');
    expect(lines.at(-1)).toBe('sla-audit: t.csv: headers found: "Ticket ID", "Created At", "First Reply", "Resolved", "Priority"');
  });

  test('an invalid config: one line per problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-cfg-'));
    writeFileSync(join(dir, 'sla.yaml'), 'timezone: Mars/Olympus\npolicies:\n  - name: p\n    targets: { resolution: { default: 2 } }\n');
    const r = await cli(['check', 'x.csv'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      'sla-audit: sla.yaml:1:11 timezone: unknown time zone "Mars/Olympus" (use an IANA name such as Asia/Shanghai, America/New_York or UTC)\n' +
        'sla-audit: sla.yaml:4:39 policies[0].targets.resolution.default: a duration needs a unit: write "2m", "2h" or "2bd"\n',
    );
  });
});

describe('YAML nested 10,000 levels deep', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-deep-'));
  test.each([
    ['flow lists', `timezone: UTC\npolicies: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, 'sla.yaml:2:75 the YAML is nested 10000 levels deep'],
    ['flow maps', `timezone: UTC\npolicies: ${'{a: '.repeat(10_000)}1${'}'.repeat(10_000)}\n`, 'sla.yaml:2:267 the YAML is nested 10001 levels deep'],
    ['block lists', `timezone: UTC\npolicies:\n${'- '.repeat(10_000)}x\n`, 'sla.yaml:3:129 the YAML is nested 10001 levels deep'],
  ])('%s: exit 2, one line, no stack', async (name, yaml, start) => {
    const cwd = join(dir, name.replace(' ', '-'));
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'sla.yaml'), yaml);
    const r = await cli(['validate'], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`sla-audit: ${start}; a config needs about six, and more than 64 are refused\n`);
  });
});

describe('validate, init, schema', () => {
  test('validate accepts the demo and names the mapping', async () => {
    const r = await cli(['validate', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('fixtures/demo/sla.yaml: valid (2 policies, 1 calendar (support-hours), 3 objectives, timezone Asia/Shanghai)');
    expect(r.stdout).toContain('fixtures/demo/tickets.csv: header matches (14 columns, utf-8, delimiter ","): id ← "Ticket ID", created_at ← "Created"');
  });

  test('validate refuses a CSV without the mapped column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-val-'));
    writeFileSync(join(dir, 't.csv'), 'Ticket ID,Opened\n');
    const r = await cli(['validate', '-c', 'fixtures/demo/sla.yaml', join(dir, 't.csv')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no column "Created" for created_at');
  });

  test('init writes a starter that validate accepts, and never overwrites without --force', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-init-'));
    expect((await cli(['init'], { cwd: dir })).exitCode).toBe(0);
    expect(existsSync(join(dir, 'sla.yaml'))).toBe(true);
    expect((await cli(['validate'], { cwd: dir })).exitCode).toBe(0);
    const again = await cli(['init'], { cwd: dir });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toBe('sla-audit: sla.yaml already exists; pass --force to overwrite it\n');
    expect((await cli(['init', '--force'], { cwd: dir })).exitCode).toBe(0);
  });

  test('schema prints a JSON Schema of the config', async () => {
    const r = await cli(['schema']);
    const s = JSON.parse(r.stdout);
    expect(s.type).toBe('object');
    expect(Object.keys(s.properties)).toEqual(['version', 'preset', 'timezone', 'calendars', 'tickets', 'events', 'messages', 'priorities', 'policies', 'categories', 'satisfaction', 'kpis', 'objectives', 'scorecards', 'olas', 'credits', 'report']);
    expect(s.required).toEqual(['policies']);
  });

  test('--help shows examples and exit codes', async () => {
    const r = await cli(['check', '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('Exit codes: 0 objectives met · 1 an objective failed · 2 usage, config or input error');
  });
});

describe('progress on a terminal', () => {
  test.skipIf(!existsSync('/usr/bin/script'))('on a TTY: rows and the share of the file, redrawn and cleared at the end; -q alone keeps it silent; none when piped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-tty-'));
    const rows = ['id,created,first_reply,resolved,priority'];
    for (let i = 0; i < 40000; i++) rows.push(`T${i},2026-05-01 08:00,2026-05-01 08:30,,Urgent`);
    writeFileSync(join(dir, 't.csv'), rows.join('\n'));
    const cmd = `node ${BIN} check -c fixtures/engine/statuses-at-as-of/sla.yaml ${join(dir, 't.csv')} --as-of 2026-05-01T12:00 -q`;
    const tty = await execa('script', ['-qec', `${cmd} --progress always`, '/dev/null'], { cwd: ROOT, reject: false, env: { CI: '', FORCE_COLOR: '0' } });
    // the file: a 38-byte header, 40,000 rows of "T" + 1 to 5 digits (188,890 digits in all) + 42 bytes,
    // 40,000 line breaks: 1,948,928 bytes = 1.86 MiB; the line is drawn from the first rows read
    expect(tty.stdout).toMatch(/^\r {2}[\d,]+ rows read · \d+% of 1\.9 MiB( · [\d,]+ rows\/s( · about \d+ s left)?)?\x1b\[K/);
    expect(tty.stdout.endsWith('\r\x1b[K')).toBe(true);
    const quiet = await execa('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, reject: false, env: { CI: '', FORCE_COLOR: '0' } });
    expect([quiet.exitCode, quiet.stdout]).toEqual([0, '']);
    const piped = await cli([...cmd.split(' ').slice(2), '--progress', 'always'], { env: { CI: '' } });
    expect(piped.stderr).toBe('');
  });
});

test('the per-ticket csv keeps only the winning row of a duplicated id', async () => {
  const r = await cli(['check', '-c', 'fixtures/input/bad-rows/sla.yaml', 'fixtures/input/bad-rows/tickets.csv', '--as-of', '2026-05-15T00:00', '-f', 'csv']);
  const lines = r.stdout.trim().split('\n');
  // B1 twice in the file (rows 2 and 7): only row 7's reply (2h30m after creation: breached) remains
  expect(lines.filter((l) => l.startsWith('B1,'))).toEqual([
    'B1,All,P1,first_response,breached,60,150,2026-05-01T10:00:00+00:00,2026-05-01T11:30:00+00:00',
    'B1,All,P1,resolution,met,480,180,2026-05-01T17:00:00+00:00,2026-05-01T12:00:00+00:00',
  ]);
  expect(lines).toHaveLength(1 + 4 * 2); // B1, B6, B10, B12 (B11 was created after --as-of)
});
