/**
 * @duckdb/node-api is optional: in an install without it (npm ci --omit=optional), --engine duckdb
 * exits 2 naming the install command, and the streaming engine and --engine auto run as ever.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, expect, test } from 'vitest';
import { ROOT } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-no-duckdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('without @duckdb/node-api installed', async () => {
  for (const p of ['bin', 'dist', 'package.json', 'fixtures']) cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  for (const entry of readdirSync(join(ROOT, 'node_modules'))) {
    if (entry === '@duckdb' || entry === '.bin') continue;
    symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  const run = (engine: string) => execa('node', ['bin/sla-audit.js', 'check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01', '-f', 'csv', '--engine', engine], { cwd: dir, reject: false });
  const duckdb = await run('duckdb');
  expect(duckdb.stderr).toBe('sla-audit: --engine duckdb needs the optional package @duckdb/node-api, which is not installed; install it with: npm install @duckdb/node-api');
  expect(duckdb.stdout).toBe('');
  expect(duckdb.exitCode).toBe(2);
  const streaming = await run('streaming');
  expect([streaming.exitCode, streaming.stderr]).toEqual([1, '']);
  expect(streaming.stdout.split('\n')[0]).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at');
  const auto = await run('auto');
  expect([auto.exitCode, auto.stderr, auto.stdout]).toEqual([streaming.exitCode, streaming.stderr, streaming.stdout]);
});
