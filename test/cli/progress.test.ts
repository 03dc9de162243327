import { describe, expect, test, vi } from 'vitest';
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Progress, durationText, heartbeatLine, parseInterval, sizeText, terminalLine, totalBytes } from '../../src/output/progress.js';
import { BIN, ROOT } from './run.js';

describe('the progress line, as text', () => {
  test('on a terminal: rows, share of the file, rate and time left', () => {
    // 120 MiB, 30 MiB read in 10 s: 25% (30/120); 52,000 rows in 10 s = 5,200 rows/s; 90 MiB left
    // at 3 MiB/s = 30 s
    expect(terminalLine({ rows: 52_000, bytes: 30 << 20, total: 120 << 20, elapsedMs: 10_000 })).toBe('  52,000 rows read · 25% of 120 MiB · 5,200 rows/s · about 30 s left');
  });

  test('standard input has no total: rows and rate only', () => {
    expect(terminalLine({ rows: 1_234_567, bytes: 99_999, elapsedMs: 4_000 })).toBe('  1,234,567 rows read · 308,642 rows/s');
  });

  test('before a second has passed: no rate, no time left', () => {
    expect(terminalLine({ rows: 10, bytes: 100, total: 1000, elapsedMs: 400 })).toBe('  10 rows read · 10% of 1000 B');
  });

  test('all read: 100%, and no time left shown', () => {
    expect(terminalLine({ rows: 8, bytes: 2048, total: 2048, elapsedMs: 2_000 })).toBe('  8 rows read · 100% of 2.0 KiB · 4 rows/s');
  });

  test('the heartbeat is dated in UTC to the second', () => {
    // 2026-12-07 14:03:00.900 UTC; 1 GiB file, 256 MiB read in 100 s: 25%, 3 times as long again = 300 s
    const now = Date.UTC(2026, 11, 7, 14, 3, 0, 900);
    expect(heartbeatLine(now, { rows: 2_000_000, bytes: 256 << 20, total: 1 << 30, elapsedMs: 100_000 }))
      .toBe('sla-audit: 2026-12-07T14:03:00Z progress: 2,000,000 rows read, 25% of 1.0 GiB, 20,000 rows/s, about 5 min 00 s left');
  });

  test('sizes and durations', () => {
    expect([sizeText(0), sizeText(1023), sizeText(1536), sizeText(96 << 20), sizeText(5 * 2 ** 40)]).toEqual(['0 B', '1023 B', '1.5 KiB', '96 MiB', '5.0 TiB']);
    expect([durationText(0.4), durationText(59), durationText(150), durationText(7260)]).toEqual(['0 s', '59 s', '2 min 30 s', '2 h 01 min']);
  });

  test('--progress-interval', () => {
    expect([parseInterval('30s'), parseInterval('2m'), parseInterval('500ms'), parseInterval('45'), parseInterval('0.5s')]).toEqual([30_000, 120_000, 500, 45_000, 500]);
    expect(parseInterval('50ms')).toBe('--progress-interval "50ms" is too short or too long: give at least 100ms');
    expect(parseInterval('soon')).toBe('--progress-interval "soon" is not a duration (e.g. 30s, 2m or 500ms)');
  });

  test('the total is known only when every input is a regular file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-progress-'));
    writeFileSync(join(dir, 'a.csv'), 'x'.repeat(100));
    writeFileSync(join(dir, 'b.csv'), 'x'.repeat(23));
    expect(totalBytes([join(dir, 'a.csv'), join(dir, 'b.csv')])).toBe(123);
    expect(totalBytes([join(dir, 'a.csv'), '-'])).toBeUndefined();
    expect(totalBytes([dir])).toBeUndefined();
  });
});

describe('the reporter, on a stream', () => {
  const fake = (isTTY: boolean) => {
    const written: string[] = [];
    return { written, stream: { isTTY, write: (s: string) => written.push(s) } as unknown as NodeJS.WriteStream };
  };

  test('a terminal: the line redrawn in place, and cleared at the end', () => {
    vi.useFakeTimers();
    try {
      const { written, stream } = fake(true);
      let now = 0;
      const p = new Progress({ when: 'auto', quiet: false, intervalMs: 30_000, total: 1000, stream, now: () => now });
      // drawn at once with the first rows (no rate before a second), then by the timer: 500 of 1000
      // bytes in 2 s leaves 2 s; 5 rows in 2 s = 2.5, shown rounded to 3 rows/s
      p.update(5, 500);
      now = 2_000;
      vi.advanceTimersByTime(250);
      p.update(6, 600);
      p.stop();
      expect(written).toEqual(['\r  5 rows read · 50% of 1000 B\x1b[K', '\r  5 rows read · 50% of 1000 B · 3 rows/s · about 2 s left\x1b[K', '\r\x1b[K']);
    } finally {
      vi.useRealTimers();
    }
  });

  test('a narrow terminal: the line is cut to one row, so it can be redrawn in place', () => {
    const { written, stream } = fake(true);
    (stream as { columns: number }).columns = 20;
    const p = new Progress({ when: 'always', quiet: true, intervalMs: 30_000, total: 1000, stream, now: () => 0 });
    p.update(123_456, 500);
    p.stop();
    expect(written).toEqual(['\r  123,456 rows read\x1b[K', '\r\x1b[K']);
  });

  test('no terminal: a heartbeat each interval; -q silences auto, never always', () => {
    vi.useFakeTimers();
    try {
      const runs = (['auto', 'always', 'never'] as const).flatMap((when) => [false, true].map((quiet) => {
        const { written, stream } = fake(false);
        const p = new Progress({ when, quiet, intervalMs: 1000, stream, now: () => Date.UTC(2026, 0, 2, 3, 4, 5) });
        vi.advanceTimersByTime(2500);
        p.stop();
        vi.advanceTimersByTime(5000);
        return [when, quiet, written.length] as const;
      }));
      // two whole intervals in 2.5 s, none after stop
      expect(runs).toEqual([['auto', false, 2], ['auto', true, 0], ['always', false, 2], ['always', true, 2], ['never', false, 0], ['never', true, 0]]);
    } finally {
      vi.useRealTimers();
    }
  });
});

const SLA = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved }
policies:
  - name: All
    targets: { resolution: 8h }
`;

/**
 * Runs check on standard input fed a row at a time, slowly: until `enough` says so from what
 * stderr shows (or a fixed number of rows), then ends the input. Nothing here depends on how many
 * heartbeats fit in a time.
 */
async function slowRun(args: string[], enough: (stderr: string) => boolean, maxRows: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sla-progress-'));
  writeFileSync(join(dir, 'sla.yaml'), SLA);
  const child = execa('node', [BIN, 'check', '-c', 'sla.yaml', '--as-of', '2026-11-01', '-', ...args], { cwd: dir, reject: false, env: { FORCE_COLOR: '0', CI: '1' } });
  let stderr = '';
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  child.stdin!.write('id,created,resolved\n');
  for (let i = 1; i <= maxRows && !enough(stderr); i++) {
    child.stdin!.write(`T${i},2026-10-05 09:00,2026-10-05 10:00\n`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.stdin!.end();
  const r = await child;
  return { ...r, stderr: r.stderr };
}

const HEARTBEAT = /^sla-audit: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ progress: [\d,]+ rows read(, [\d,]+ rows\/s)?$/;

describe('the heartbeat without a terminal', () => {
  test('a slow standard input: dated lines on stderr (no total, so no share), none on stdout, the report unchanged', async () => {
    const r = await slowRun(['--progress-interval', '200ms', '-f', 'json'], (e) => e.includes('progress:'), 2000);
    expect(r.exitCode).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    for (const l of lines) expect(l).toMatch(HEARTBEAT);
    expect(r.stdout).not.toContain('progress');
    const report = JSON.parse(r.stdout);
    expect(report.totals.rows).toBe(report.totals.evaluated);
  });

  test('-q keeps a run silent; --progress always speaks anyway', async () => {
    const quiet = await slowRun(['--progress-interval', '100ms', '-q'], () => false, 12);
    expect([quiet.exitCode, quiet.stderr, quiet.stdout]).toEqual([0, '', '']);
    const always = await slowRun(['--progress-interval', '100ms', '-q', '--progress', 'always'], (e) => e.includes('progress:'), 2000);
    expect(always.stdout).toBe('');
    for (const l of always.stderr.trimEnd().split('\n')) expect(l).toMatch(HEARTBEAT);
  });

  test('--progress never prints nothing', async () => {
    const r = await slowRun(['--progress-interval', '100ms', '--progress', 'never', '-f', 'json'], () => false, 12);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
  });

  test('a bad interval is a usage error', async () => {
    const r = await execa('node', [BIN, 'check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--progress-interval', '5x'], { cwd: ROOT, reject: false });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('sla-audit: --progress-interval "5x" is not a duration (e.g. 30s, 2m or 500ms)');
  });
});
