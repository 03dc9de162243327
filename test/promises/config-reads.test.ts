import { describe, expect, test } from 'vitest';
import { cpSync, linkSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, cli } from '../cli/run.js';

// The config, and the holiday file its calendar names (ical: holidays.ics), are inputs like the
// tickets: no report or summary may be written over them, under any name that reaches them.
function setup(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sla-reads-'));
  cpSync(join(ROOT, 'fixtures/calendar/holidays-yearly-and-ical'), dir, { recursive: true });
  linkSync(join(dir, 'holidays.ics'), join(dir, 'hard.md'));
  symlinkSync('holidays.ics', join(dir, 'soft.sql'));
  return dir;
}
const CHECK = ['check', 'tickets.csv', '--as-of', '2027-01-01', '-q'];
const SQL = ['sql', '--dialect', 'postgres', '--from', '2026-01-01', '--to', '2026-02-01'];

describe('a report is never written over the config or a holiday file it reads', () => {
  test.each([
    ['check --summary onto the .ics', [...CHECK, '--summary', 'holidays.ics'], 'holidays.ics', '--summary holidays.ics: is a holiday calendar the config reads (ical:)'],
    ['check -o a hard link to the .ics', [...CHECK, '-o', 'hard.md'], 'holidays.ics', '-o hard.md: is a holiday calendar the config reads (ical:)'],
    ['queue -o a hard link to the .ics', ['queue', 'tickets.csv', '--as-of', '2027-01-01', '-q', '-o', './hard.md'], 'holidays.ics', '-o ./hard.md: is a holiday calendar the config reads (ical:)'],
    ['sql -o the config', [...SQL, '-o', 'sla.yaml'], 'sla.yaml', '-o sla.yaml: is the config'],
    ['sql -o ../ spelling of the config', [...SQL, '-o', `../${'DIR'}/sla.yaml`], 'sla.yaml', ': is the config'],
    ['sql -o a symbolic link to the .ics', [...SQL, '-o', 'soft.sql'], 'holidays.ics', '-o soft.sql: is a holiday calendar the config reads (ical:)'],
  ])('%s: exit 2, the input unchanged, nothing new beside it', async (_name, args, input, message) => {
    const dir = setup();
    const before = readFileSync(join(dir, input));
    const files = readdirSync(dir).sort();
    const r = await cli(args.map((a) => a.replace('DIR', dir.split('/').pop()!)), { cwd: dir, env: { GITHUB_STEP_SUMMARY: '' } });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(message);
    expect(readFileSync(join(dir, input))).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(files);
  });
});

test('a config error with --summary onto its .ics: the "not run" note goes nowhere, the .ics unchanged', async () => {
  const dir = setup();
  // resolution: banana is a config error found after the calendars (and their ical: files) are read
  writeFileSync(join(dir, 'sla.yaml'), readFileSync(join(dir, 'sla.yaml'), 'utf8').replace('resolution: 4h', 'resolution: banana'));
  const before = readFileSync(join(dir, 'holidays.ics'));
  const r = await cli([...CHECK, '--summary', 'holidays.ics'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: '' } });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain('"banana" is not a duration');
  expect(readFileSync(join(dir, 'holidays.ics'))).toEqual(before);
});
