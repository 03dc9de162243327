import { expect, test } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

test("an interrupted run leaves no temporary folder: a file's parts and standard input's spool are removed on SIGINT, SIGTERM, SIGHUP", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-kill-tmp-'));
  const csv = bigFile(dir, 150_000); // about 9 MiB: read in parts when forced
  const cases = [
    ['SIGINT', 'sla-audit-parts-', [csv]],
    ['SIGTERM', 'sla-audit-parts-', [csv]],
    ['SIGHUP', 'sla-audit-parts-', [csv]],
    ['SIGTERM', 'sla-audit-', ['-']],
  ] as const;
  for (const [signal, prefix, input] of cases) {
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const p = execa('node', [BIN, 'check', '-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', ...input, '--as-of', '2026-05-01T12:00', '-q'], {
      cwd: ROOT, reject: false, env: { TMPDIR: tmp, SLA_AUDIT_PARALLEL: '2' }, ...(input[0] === '-' ? { inputFile: csv } : {}),
    });
    // signalled once the run has made its folder (polled; the run takes seconds, the poll 5 ms)
    let seen = false;
    while (!seen && p.exitCode === null) {
      seen = readdirSync(tmp).some((f) => f.startsWith(prefix));
      if (!seen) await new Promise((r) => setTimeout(r, 5));
    }
    expect(seen, `${signal}: the run made no ${prefix} folder before it ended`).toBe(true);
    p.kill(signal);
    const r = await p;
    expect(r.exitCode, signal).toBe(128 + { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal]);
    expect(readdirSync(tmp), `${signal} with ${input[0]}`).toEqual([]);
  }
  rmSync(dir, { recursive: true, force: true });
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
