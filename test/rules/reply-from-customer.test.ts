import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

// fixtures/rules/reply-from-customer: Asia/Shanghai, 24x7 (every minute counts); 2026-03-02 is a Monday.
// Both policies: first response 4h, resolution 24h, next reply 2h. Email tickets (E*) go to "After first
// reply", the default: a wait starts at a customer message only after the first agent reply. Chat tickets
// (Z*) go to "From customer": next_reply { from: first_customer_message } (Zammad's update escalation), a
// customer message starts a wait before the first agent reply too. E<n> and Z<n> have the same
// conversation, a day apart where they would overlap. Measured as of Thu 2026-03-05 10:00.
const DIR = 'fixtures/rules/reply-from-customer';
const FILES = ['-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--messages', `${DIR}/messages.csv`, '--as-of', '2026-03-05T10:00'];
const tmp = mkdtempSync(join(tmpdir(), 'sla-reply-from-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const replyRows = (stdout: string) => stdout.trim().split('\n').filter((l) => l.includes(',next_reply,'));

describe('next_reply: after the first agent reply (default) or from the first customer message', () => {
  test('both variants on the same conversations, hand-worked', async () => {
    const r = await cli(['check', ...FILES, '-f', 'csv']);
    expect(r.exitCode).toBe(0);
    expect(replyRows(r.stdout)).toEqual([
      // E1: customer 09:00, agent 12:00, customer 13:00, agent 14:30, customer 15:00, resolved 17:00.
      //   Default: the 09:00 message is the first response's business; waits 13:00-14:30 (1h30m) and
      //   15:00 → resolution 17:00 (2h, met at the boundary). Worst: the longest met, 2h, done 17:00.
      'E1,After first reply,,next_reply,met,120,120,2026-03-02T17:00:00+08:00,2026-03-02T17:00:00+08:00',
      // Z1, the same a day later, from the first customer message: 09:00 → 12:00 = 3h, breached by 1h
      //   (due 11:00), besides the same two met waits. Worst: the breached 3h.
      'Z1,From customer,,next_reply,breached,120,180,2026-03-03T11:00:00+08:00,2026-03-03T12:00:00+08:00',
      // E2: customer 09:00 and 10:00, the first agent reply 10:30, nothing after: no wait (not applicable).
      'E2,After first reply,,next_reply,not_applicable,,,,',
      // Z2: the oldest unanswered message starts the wait (10:00 does not restart it): 09:00 → 10:30 =
      //   1h30m of 2h, met; due 11:00.
      'Z2,From customer,,next_reply,met,120,90,2026-03-04T11:00:00+08:00,2026-03-04T10:30:00+08:00',
      // E3 / Z3: customer 09:00, no reply at 10:00. Default: nothing owed yet (first response's business).
      //   From customer: a wait open for 1h of 2h, running, due 11:00.
      'E3,After first reply,,next_reply,not_applicable,,,,',
      'Z3,From customer,,next_reply,running,120,60,2026-03-05T11:00:00+08:00,',
      // E4 / Z4: the agent writes first (10:00), customer 11:00, agent 11:30: one wait of 30m in both
      //   variants (nothing before the first agent reply to tell them apart); due 13:00.
      'E4,After first reply,,next_reply,met,120,30,2026-03-02T13:00:00+08:00,2026-03-02T11:30:00+08:00',
      'Z4,From customer,,next_reply,met,120,30,2026-03-02T13:00:00+08:00,2026-03-02T11:30:00+08:00',
    ]);
  });

  test('explain lists the first wait under from: first_customer_message and says so; the queue shows Z3\'s open wait', async () => {
    const z1 = (await cli(['explain', 'Z1', ...FILES])).stdout;
    expect(z1).toContain([
      'next reply: breached by 1h',
      '  waits       start at a customer message, before the first agent reply too (from: first_customer_message)',
      '  intervals   3 (the worst is reported):',
      '    ▸ 2026-03-03 09:00 → 2026-03-03 12:00        3h of 2h  breached',
      '      2026-03-03 13:00 → 2026-03-03 14:30    1h 30m of 2h  met',
      '      2026-03-03 15:00 → 2026-03-03 17:00        2h of 2h  met',
    ].join('\n'));
    const e1 = JSON.parse((await cli(['explain', 'E1', ...FILES, '-f', 'json'])).stdout);
    const reply = e1.metrics.find((m: Record<string, unknown>) => m.metric === 'next_reply');
    expect(reply.reply_from).toBe('first_agent_reply');
    expect(reply.intervals.map((i: Record<string, unknown>) => [i.from, i.elapsed_minutes])).toEqual([['2026-03-02T13:00:00+08:00', 90], ['2026-03-02T15:00:00+08:00', 120]]);
    expect((await cli(['explain', 'E3', ...FILES])).stdout).toContain('  no customer message waited for a reply after the first agent reply up to --as-of\n');
    const q = JSON.parse((await cli(['queue', ...FILES, '-f', 'json'])).stdout);
    // Z3's wait: 60m of 120m, 60m left, due 11:00; E3 owes no reply yet
    expect(q.tickets.filter((t: Record<string, unknown>) => t.metric === 'next_reply').map((t: Record<string, unknown>) => [t.id, t.elapsed_minutes, t.left_minutes, t.due_at]))
      .toEqual([['Z3', 60, 60, '2026-03-05T11:00:00+08:00']]);
  });

  test('from: first_agent_reply written out is the default', async () => {
    const yaml = readFileSync(`${DIR}/sla.yaml`, 'utf8').replace('targets: { first_response: 4h, resolution: 24h, next_reply: 2h }', 'targets: { first_response: 4h, resolution: 24h, next_reply: { from: first_agent_reply, default: 2h } }');
    expect(yaml).toContain('from: first_agent_reply');
    writeFileSync(join(tmp, 'sla.yaml'), yaml);
    const a = await cli(['check', ...FILES, '-f', 'csv']);
    const b = await cli(['check', ...FILES.slice(0, 1), join(tmp, 'sla.yaml'), ...FILES.slice(2), '-f', 'csv']);
    expect(b.stdout).toBe(a.stdout);
  });

  test('the SQL refuses next_reply by name; --engine duckdb hands the run to the streaming engine with the same reports', async () => {
    const sql = await cli(['sql', '--dialect', 'duckdb', '-c', `${DIR}/sla.yaml`, '--from', '2026-03-01', '--to', '2026-04-01']);
    expect([sql.exitCode, sql.stdout]).toEqual([2, '']);
    expect(sql.stderr).toBe('sla-audit: sql: next_reply is not compiled: measured from a --messages conversation, which the script does not read; run sla-audit check --messages for it\n');
    const s = await cli(['check', ...FILES, '-f', 'json']);
    const d = await cli(['check', ...FILES, '-f', 'json', '--engine', 'duckdb']);
    expect(d.stderr).toMatch(/note: .*--messages/);
    const undated = (x: string) => x.replace(/"generatedAt": "[^"]*"/, '');
    expect(undated(d.stdout)).toBe(undated(s.stdout));
  });
});
