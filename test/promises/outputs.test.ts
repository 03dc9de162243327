import { describe, expect, test } from 'vitest';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { BIN, ROOT, cli } from '../cli/run.js';

const STATUSES = ['-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', 'fixtures/engine/statuses-at-as-of/tickets.csv', '--as-of', '2026-05-01T12:00'];
const tmp = (p: string) => mkdtempSync(join(tmpdir(), `sla-${p}-`));

describe('-o onto a device or a named pipe is written into, never renamed over', () => {
  test.each([['report.json'], ['tickets.csv'], ['report.xlsx']])('a named pipe as -o %s: its reader gets the whole report', async (name) => {
    const dir = tmp('fifo');
    const fifo = join(dir, name);
    await execa('bash', ['-c', 'mkfifo "$0"', fifo]);
    // the reader: cat copies the pipe into a file, and ends when the writer closes the pipe
    const reader = execa('bash', ['-c', `exec cat ${fifo} > ${join(dir, 'got')}`], { reject: false });
    const reference = join(dir, `ref-${name}`);
    const r = await cli(['check', ...STATUSES, '-q', '-o', fifo]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    // a pipe renamed over would leave the reader waiting forever on the old pipe
    const still = statSync(fifo).isFIFO();
    if (!still) reader.kill();
    expect(still).toBe(true);
    await reader;
    // the same report into a plain file: the bytes match (the workbook's dates differ by its generation time, so only its size is near)
    await cli(['check', ...STATUSES, '-q', '-o', reference]);
    const got = readFileSync(join(dir, 'got'));
    if (name.endsWith('.xlsx')) expect(got.subarray(0, 2).toString()).toBe('PK');
    else expect(got.toString().replace(/"generatedAt": "[^"]*"/, '')).toBe(readFileSync(reference, 'utf8').replace(/"generatedAt": "[^"]*"/, ''));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('/dev/null stays a character device (check -o /dev/null is refused for its missing extension, sql -o writes into it)', async () => {
    const runs = [
      ['check', ...STATUSES, '-q', '-o', '/dev/null'],
      ['sql', '--dialect', 'postgres', '-c', 'fixtures/demo/sla.yaml', '--from', '2026-01-01', '--to', '2026-02-01', '-o', '/dev/null'],
    ];
    for (const args of runs) {
      const r = await cli(args);
      expect([r.exitCode, r.stderr.split('\n')[0]]).toEqual(args[0] === 'sql' ? [0, ''] : [2, 'sla-audit: -o /dev/null: unknown extension (use .txt .json .csv .md .markdown .html .htm .xml .xlsx)']);
      expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    }
  });

  test('a symbolic link named .json to /dev/null: written into, the device and the link stay', async () => {
    const dir = tmp('devnull');
    symlinkSync('/dev/null', join(dir, 'null.json'));
    symlinkSync('/dev/null', join(dir, 'null.csv'));
    symlinkSync('/dev/null', join(dir, 'null.xlsx'));
    const r = await cli(['check', ...STATUSES, '-q', '-o', join(dir, 'null.json'), '-o', join(dir, 'null.csv'), '-o', join(dir, 'null.xlsx')]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    for (const f of ['null.json', 'null.csv', 'null.xlsx']) expect(statSync(join(dir, f)).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['null.csv', 'null.json', 'null.xlsx']);
  });
});

describe('a refused output writes nothing anywhere', () => {
  test.each([
    ['the tickets', 't.csv', []],
    ['the config', 'sla.yaml', []],
    ['a --messages file', 'm.csv', ['--messages', 'm.csv']],
    ['the --baseline report', 'base.json', ['--baseline', 'base.json']],
  ])('--summary onto %s: exit 2, the file unchanged', async (_name, target, extra) => {
    const dir = tmp('summary');
    copyFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/tickets.csv'), join(dir, 't.csv'));
    copyFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml'), join(dir, 'sla.yaml'));
    writeFileSync(join(dir, 'm.csv'), 'ticket_id,timestamp,direction\n');
    const base = await cli(['check', 't.csv', '--as-of', '2026-05-01T12:00', '-q', '-o', 'base.json'], { cwd: dir });
    expect(base.exitCode).toBe(0);
    const before = readFileSync(join(dir, target));
    const r = await cli(['check', 't.csv', '--as-of', '2026-05-01T12:00', '-q', ...extra, '--summary', target], { cwd: dir, env: { GITHUB_STEP_SUMMARY: '' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`--summary ${target}: is `);
    expect(readFileSync(join(dir, target))).toEqual(before);
  });

  test('a config error with --summary onto the tickets: the "not run" note goes to $GITHUB_STEP_SUMMARY only', async () => {
    const dir = tmp('summary-err');
    copyFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/tickets.csv'), join(dir, 't.csv'));
    writeFileSync(join(dir, 'sla.yaml'), 'policies: 3\n');
    const before = readFileSync(join(dir, 't.csv'));
    const r = await cli(['check', 't.csv', '--summary', 't.csv'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: join(dir, 'step.md') } });
    expect(r.exitCode).toBe(2);
    expect(readFileSync(join(dir, 't.csv'))).toEqual(before);
    expect(readFileSync(join(dir, 'step.md'), 'utf8')).toMatch(/^## SLA audit: ⛔ not run/);
  });

  test('a refused -o still leaves a "not run" note in a valid --summary, and no report', async () => {
    const dir = tmp('summary-o');
    copyFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/tickets.csv'), join(dir, 't.csv'));
    copyFileSync(join(ROOT, 'fixtures/engine/statuses-at-as-of/sla.yaml'), join(dir, 'sla.yaml'));
    const r = await cli(['check', 't.csv', '--as-of', '2026-05-01T12:00', '-o', 'sla.yaml', '--summary', 's.md'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: '' } });
    expect(r.exitCode).toBe(2);
    expect(readFileSync(join(dir, 's.md'), 'utf8')).toMatch(/^## SLA audit: ⛔ not run/);
    expect(existsSync(join(dir, 'report.json'))).toBe(false);
  });

  test('with --lang zh-CN the "not run" note is in Chinese (the language comes from the option: the config may be what failed)', async () => {
    const dir = tmp('summary-zh');
    writeFileSync(join(dir, 'sla.yaml'), 'version: 1\nnot_a_key: 1\n');
    const r = await cli(['check', '-c', 'sla.yaml', join(ROOT, 'fixtures/demo/tickets.csv'), '--as-of', '2026-05-01T12:00', '--lang', 'zh-CN', '--summary', 's.md'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: '' } });
    expect(r.exitCode).toBe(2);
    expect(readFileSync(join(dir, 's.md'), 'utf8')).toMatch(/^## SLA 审计：⛔ 未运行\n/);
  });
});

describe('-o /dev/stdout when standard output is a pipe', () => {
  test('the script comes out of the pipe (its /proc link names pipe:[…], not a path)', async () => {
    const r = await execa('bash', ['-c', `node ${BIN} sql --dialect postgres -c fixtures/demo/sla.yaml --from 2026-01-01 --to 2026-02-01 -o /dev/stdout | head -c 200`], { cwd: ROOT, reject: false });
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^-- sla-audit: fixtures\/demo\/sla.yaml compiled for postgres\n/);
  });
});

describe('-o through a symbolic link', () => {
  test('the file the link names gets the report; the link stays a link (a rename replaced the link itself)', async () => {
    const dir = tmp('link');
    writeFileSync(join(dir, 'real.sql'), 'old\n');
    symlinkSync('real.sql', join(dir, 'link.sql'));
    const r = await cli(['sql', '--dialect', 'postgres', '-c', 'fixtures/demo/sla.yaml', '--from', '2026-01-01', '--to', '2026-02-01', '-o', join(dir, 'link.sql')]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(lstatSync(join(dir, 'link.sql')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.sql'), 'utf8')).toMatch(/^-- sla-audit: fixtures\/demo\/sla.yaml compiled for postgres\n/);
    expect(readdirSync(dir).sort()).toEqual(['link.sql', 'real.sql']);
  });
});

describe('-o through a symbolic link to nothing yet, or a loop of links', () => {
  test('a link to a file not there yet: the file is created where the link points, the link stays (a rename replaced the link)', async () => {
    const dir = tmp('dangling');
    symlinkSync('later/report.json', join(dir, 'latest.json'));
    execaSync('mkdir', [join(dir, 'later')]);
    const r = await cli(['check', ...STATUSES, '-q', '-o', join(dir, 'latest.json')]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    expect(lstatSync(join(dir, 'latest.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'later/report.json'), 'utf8')).schemaVersion).toBe(1);
  });

  test('a loop of links: exit 2 before anything is written, the links stay, no temporary file', async () => {
    const dir = tmp('loop');
    symlinkSync('b.csv', join(dir, 'a.csv'));
    symlinkSync('a.csv', join(dir, 'b.csv'));
    const r = await cli(['check', ...STATUSES, '-q', '-o', join(dir, 'ok.json'), '-o', join(dir, 'a.csv')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`-o ${join(dir, 'a.csv')}: is a loop of symbolic links (ELOOP)`);
    expect(readdirSync(dir).sort()).toEqual(['a.csv', 'b.csv']);
    expect(lstatSync(join(dir, 'a.csv')).isSymbolicLink()).toBe(true);
  });
});
