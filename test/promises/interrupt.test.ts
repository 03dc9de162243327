/**
 * Ctrl-C (SIGINT) during evaluation stops the run: exit 130 (128 + SIGINT, as a shell reports it), no
 * report written or changed, no temporary file left. The DuckDB engine's running query is interrupted
 * (it used to run to its end first). No time is asserted: the signal is sent once the run is under way.
 */
import { describe, expect, test } from 'vitest';
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, ROOT } from '../cli/run.js';

async function bigFile(dir: string, n: number): Promise<string> {
  const f = join(dir, 'big.csv');
  const w = createWriteStream(f);
  w.write('id,created,first_reply,resolved,priority\n');
  for (let i = 0; i < n; i++) if (!w.write(`T${i},2026-05-01 08:00,2026-05-01 08:30,2026-05-01 10:00,Urgent\n`)) await once(w, 'drain');
  w.end();
  await once(w, 'close');
  return f;
}

describe('SIGINT', () => {
  test.each(['streaming', 'duckdb'])('--engine %s: exit 130, the last run\'s report untouched, nothing beside it', async (engine) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-int-'));
    const csv = await bigFile(dir, 1_000_000);
    writeFileSync(join(dir, 'report.json'), 'last run\n');
    const p = execa('node', [BIN, 'check', '-c', 'fixtures/engine/statuses-at-as-of/sla.yaml', csv, '--as-of', '2026-05-01T12:00', '-q', '-o', join(dir, 'report.json'), '-o', join(dir, 'tickets.csv'), '--engine', engine], { cwd: ROOT, reject: false });
    // under way: the per-ticket CSV's temporary file is made when reading starts
    while (!readdirSync(dir).some((f) => f.endsWith('.tmp'))) await new Promise((r) => setTimeout(r, 20));
    p.kill('SIGINT');
    const r = await p;
    expect([r.exitCode, r.stderr]).toEqual([130, '']);
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('last run\n');
    expect(readdirSync(dir).sort()).toEqual(['big.csv', 'report.json']);
  });
});
