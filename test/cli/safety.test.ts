import { expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, ROOT, cli } from './run.js';

function bigFile(dir: string, n: number): string {
  const rows = ['id,created,first_reply,resolved,priority'];
  for (let i = 0; i < n; i++) rows.push(`T${i},2026-05-01 08:00,2026-05-01 08:30,2026-05-01 10:00,Urgent`);
  const f = join(dir, 'big.csv');
  writeFileSync(f, rows.join('\n'));
  return f;
}

test('a report file is never left half-written: killed runs leave the old file or nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-kill-'));
  const csv = bigFile(dir, 150_000);
  const out = join(dir, 'report.csv');
  writeFileSync(out, 'previous report\n');
  // SIGKILL last: it cannot be caught, so its temp file (never the report itself) may stay behind
  for (const [signal, delay] of [['SIGTERM', 300], ['SIGINT', 500], ['SIGKILL', 300]] as const) {
    const p = execa('node', [BIN, 'check', '-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', csv, '--as-of', '2026-05-01T12:00', '-q', '-o', out], { cwd: ROOT, reject: false });
    await new Promise((r) => setTimeout(r, delay));
    p.kill(signal);
    await p;
    const text = readFileSync(out, 'utf8');
    // either the run finished (a whole new report) or the old file is untouched
    expect(text === 'previous report\n' || text.split('\n').length === 1 + 2 * 150_000 + 1).toBe(true);
    if (signal !== 'SIGKILL') expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }
});

test('a huge config is refused before it is parsed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-huge-'));
  const text = `# ${'x'.repeat(2 * 1024 * 1024)}\npolicies: []\n`;
  writeFileSync(join(dir, 'sla.yaml'), text);
  const r = await cli(['validate'], { cwd: dir });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe(`sla-audit: sla.yaml: ${Buffer.byteLength(text)} bytes is too large for a config (limit 1048576); is this the right file?\n`);
  expect(existsSync(join(dir, 'sla.yaml'))).toBe(true);
});

test('a config read from a device stops at the size limit (-c /dev/zero does not fill the memory)', async () => {
  const r = await execa('node', [BIN, 'validate', '-c', '/dev/zero'], { cwd: ROOT, reject: false, timeout: 20_000, stripFinalNewline: false });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe('sla-audit: /dev/zero: more than 1048576 bytes is too large for a config (limit 1048576); is this the right file?\n');
});
