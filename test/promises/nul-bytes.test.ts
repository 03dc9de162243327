/**
 * A stray NUL byte is a problem of its row wherever it is in the file (first 8 KiB or later); a file
 * of mostly NULs is still refused as binary. rows read = evaluated + problems.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit } from '../../src/index.js';
import { InputError } from '../../src/errors.js';
import { cfg } from '../helpers/index.js';
import { cli } from '../cli/run.js';

const YAML = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved, priority: priority, subject: subject }
priorities: { P1: [Urgent], P2: [High] }
policies:
  - name: All
    targets: { first_response: { default: 1h }, resolution: { default: 8h } }
`;
const HEADER = 'id,created,replied,resolved,priority,subject';
const row = (i: number, subject = 'fine') => `T${i},2026-05-01 09:00,2026-05-01 09:10,2026-05-01 12:00,High,${subject}`;

function fileOf(lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sla-nul-')), 'tickets.csv');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

describe('a NUL byte in a cell', () => {
  // 400 rows of about 60 bytes: row 3 is in the first 8 KiB, row 350 about 21 KB in
  const lines = [HEADER, ...Array.from({ length: 400 }, (_, i) => row(i + 2))];
  lines[2] = row(3, 'a\0b');
  lines[349] = row(350, 'c\0');

  test('is a problem of its row at the start of the file and later alike; every other row is evaluated', async () => {
    const r = await audit({ config: cfg(YAML), inputs: [fileOf(lines)], asOf: Date.parse('2026-06-01T00:00:00Z') });
    expect(r.problems.map((p) => `row ${p.row} [${p.column}]: ${p.message}`)).toEqual([
      'row 3 [subject]: has a NUL byte, which no ticket text holds (a damaged export?); the row is left out',
      'row 350 [subject]: has a NUL byte, which no ticket text holds (a damaged export?); the row is left out',
    ]);
    // 400 data rows: 398 evaluated, 2 problems
    expect([r.totals.rows, r.totals.evaluated, r.totals.problems]).toEqual([400, 398, 2]);
  });

  test('the CLI says it as a row problem and goes on (exit 0, the objective-free run passes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-nul-cli-'));
    writeFileSync(join(dir, 'sla.yaml'), YAML);
    writeFileSync(join(dir, 't.csv'), lines.join('\n') + '\n');
    const r = await cli(['check', 't.csv', '--as-of', '2026-06-01', '-f', 'json'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('row 3, column "subject": has a NUL byte');
    expect(JSON.parse(r.stdout).totals).toMatchObject({ rows: 400, evaluated: 398, problems: 2 });
  });

  test('a file of mostly NUL bytes is still refused as binary', async () => {
    const file = fileOf([HEADER, row(2), '\0'.repeat(4000)]);
    await expect(audit({ config: cfg(YAML), inputs: [file], asOf: Date.parse('2026-06-01T00:00:00Z') })).rejects.toThrow(
      new InputError(`${file}: looks binary (it has NUL bytes), not a CSV text export`),
    );
  });
});
