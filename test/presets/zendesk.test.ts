import { expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';

const min = (ms: number) => ms / 60_000;

// UTC office Mon-Fri 09:00-17:00; 2026-03-02 is a Monday; measured at Wed 2026-03-04 00:00.
test('zendesk preset: standard headers; the user replaces one priority alias list; first reply minutes are the measurement', async () => {
  const { tickets, config, result } = await runFixture('presets', '2026-03-04T00:00', { groupBy: ['team'] }, 'zendesk.csv', 'zendesk.yaml');
  expect(['urgent', 'high', 'normal', '普通', 'low'].map((k) => config.priorityLookup.get(k))).toEqual(['P1', 'P2', 'P3', 'P3', 'P4']);
  // 101 Urgent: "First reply time in minutes within business hours" = 30 ≤ 1h: met; solved 12:00 = 3h: met
  expect(tickets.get('101')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['met', 30], ['met', 180]]);
  expect(tickets.get('101')![0].fromMinutes).toBe(true);
  // 102 Normal (P3 through the user's aliases): 120 business minutes > 1h: breached.
  // Still open: Mon 17:00 → Wed 00:00 = Tue 8h ≥ 8h: overdue.
  expect(tickets.get('102')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['breached', 120], ['overdue', 480]]);
  // 103 High, no reply yet: Mon 10-17 (7h) + Tue (8h) = 15h, overdue for both. "Pending" without a status
  // history does not pause the clock (we cannot know since when).
  expect(tickets.get('103')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['overdue', 900], ['overdue', 900]]);
  expect(result.groups.team.map((g) => g.key)).toEqual(['Billing', 'Support']);
});

// Europe/London (GMT in early March); office Mon-Fri 09:00-17:00.
test('jira preset: "Issue key", dd/MMM/yy h:mm a dates, the first-response date field', async () => {
  const { tickets } = await runFixture('presets', '2026-03-04T00:00', {}, 'jira.csv', 'jira.yaml');
  // HELP-1 Highest → P1: 09:00 → 09:20 = 20m ≤ 30m; resolved 13:00 = 4h = target: met (not over)
  expect(tickets.get('HELP-1')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['met', 20], ['met', 240]]);
  // HELP-2 Medium → P3: Mon 16:00 → Tue 09:30 = 1h + 30m = 90m: met. 2bd from Mon 16:00 (7h into the day)
  // is due Wed 16:00 = 1h + 8h + 7h = 16h of target; at Wed 00:00, 9h used < 75% (12h): running.
  expect(tickets.get('HELP-2')!.map((r) => [r.status, min(r.elapsedMs)])).toEqual([['met', 90], ['running', 540]]);
  expect(min(tickets.get('HELP-2')![1].targetMs)).toBe(960);
});

test('init --preset writes a starter on the preset that validate accepts with a vendor export', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-preset-'));
  const r = await cli(['init', '--preset', 'zendesk'], { cwd: dir });
  expect(r.exitCode).toBe(0);
  const text = readFileSync(join(dir, 'sla.yaml'), 'utf8');
  expect(text).toContain('preset: zendesk');
  writeFileSync(join(dir, 'export.csv'), readFileSync(new URL('../../fixtures/presets/zendesk.csv', import.meta.url)));
  const v = await cli(['validate', 'export.csv'], { cwd: dir });
  expect(v.stderr).toBe('');
  expect(v.stdout).toContain('export.csv: header matches (17 columns, utf-8, delimiter ","): id ← "Id", created_at ← "Created at"');
  for (const preset of ['jira', 'servicenow', 'freshdesk']) {
    const d = mkdtempSync(join(tmpdir(), `sla-${preset}-`));
    expect((await cli(['init', '--preset', preset], { cwd: d })).exitCode).toBe(0);
    expect((await cli(['validate'], { cwd: d })).exitCode).toBe(0);
  }
  const bad = await cli(['init', '--preset', 'salesforce'], { cwd: dir });
  expect(bad.exitCode).toBe(2);
  expect(bad.stderr).toContain("argument 'salesforce' is invalid. Allowed choices are zendesk, jira, servicenow, freshdesk");
});
