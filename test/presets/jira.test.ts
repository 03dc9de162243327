import { expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';

const min = (ms: number) => ms / 60_000;

// Europe/London (GMT in early March); office Mon-Fri 09:00-17:00.
test('jira preset: "Issue key", dd/MMM/yy h:mm a dates, the first-response date field', async () => {
  const { tickets } = await runFixture('presets/jira', '2026-03-04T00:00');
  // HELP-1 Highest → P1: 09:00 → 09:20 = 20m ≤ 30m; resolved 13:00 = 4h = target: met (not over)
  expect(tickets.get('HELP-1')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['met', 20], ['met', 240]]);
  // HELP-2 Medium → P3: Mon 16:00 → Tue 09:30 = 1h + 30m = 90m: met. 2bd from Mon 16:00 (7h into the day)
  // is due Wed 16:00 = 1h + 8h + 7h = 16h of target; at Wed 00:00, 9h used < 75% (12h): running.
  expect(tickets.get('HELP-2')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['met', 90], ['running', 540]]);
  expect(min(tickets.get('HELP-2')![1].targetMs)).toBe(960);
});

test('init --preset jira writes a starter that validate accepts', async () => {
  const d = mkdtempSync(join(tmpdir(), 'sla-jira-'));
  expect((await cli(['init', '--preset', 'jira'], { cwd: d })).exitCode).toBe(0);
  expect((await cli(['validate'], { cwd: d })).exitCode).toBe(0);
});
