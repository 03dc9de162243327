import { expect, test } from 'vitest';
import { runFixture } from './run.js';
import { Zone } from '../../src/time/zone.js';

// Asia/Shanghai; office = Mon-Fri 09-12 + 13-18 (8h/day); 1-7 Oct holiday; Sat 10 Oct make-up day.
// 2026-09-30 is a Wednesday, 2026-10-08 a Thursday, 2026-10-09 a Friday.
const Z = Zone.of('Asia/Shanghai');
const min = (ms: number) => ms / 60_000;

test('ordered policies, when on raw headers and canonical fields, effective dates, business due times', async () => {
  const { result, tickets, policies } = await runFixture('engine/policy-match-and-business-hours', '2026-10-31T00:00');

  // K1: VIP + email (values are case-insensitive), created after 2026-07-01 → VIP-2026H2 (24x7).
  // Response 11:30 → 13:20 = 110m of real time > 30m: breached. Due 12:00.
  expect(policies.get('K1')).toBe('VIP-2026H2');
  expect(tickets.get('K1')![0]).toMatchObject({ status: 'breached', elapsedMs: 110 * 60_000 });
  expect(Z.format(tickets.get('K1')![0].due)).toBe('2026-09-30T12:00:00+08:00');

  // K2: VIP but created 2026-06-30 23:59, before VIP's effective from → Standard-v1 (to 2026-10-01).
  // Clock starts Wed 1 Jul 09:00 (30 Jun is Tue, after hours). Reply 08:00 → elapsed 0 → met.
  expect(policies.get('K2')).toBe('Standard-v1');
  expect(tickets.get('K2')![0]).toMatchObject({ status: 'met', elapsedMs: 0 });
  expect(Z.format(tickets.get('K2')![0].clockStart)).toBe('2026-07-01T09:00:00+08:00');

  // K3: Phone, created Wed 30 Sep 16:00 → Standard-v1. P2 response target default 4h:
  // 16:00-18:00 (2h), then 1-7 Oct holiday, Thu 8 Oct 09:00-11:00 (2h) → due 8 Oct 11:00. Reply 09:00 → 2h: met.
  expect(policies.get('K3')).toBe('Standard-v1');
  expect(tickets.get('K3')![0]).toMatchObject({ status: 'met', elapsedMs: 120 * 60_000 });
  expect(Z.format(tickets.get('K3')![0].due)).toBe('2026-10-08T11:00:00+08:00');
  // resolution 2bd from Wed 30 Sep 16:00 (6h into the day): Thu 8 Oct (1), Fri 9 Oct (2) at 6h in = 16:00.
  expect(Z.format(tickets.get('K3')![1].due)).toBe('2026-10-09T16:00:00+08:00');
  expect(min(tickets.get('K3')![1].targetMs)).toBe(16 * 60); // 2h + 8h + 6h of business time

  // K4: created on the holiday, Thu 2 Oct → Standard-v2 (P3). Clock starts Thu 8 Oct 09:00; reply 09:45 = 45m: met.
  expect(policies.get('K4')).toBe('Standard-v2');
  expect(tickets.get('K4')![0]).toMatchObject({ status: 'met', elapsedMs: 45 * 60_000 });
  // 3bd from 8 Oct 09:00 (offset 0): Fri 9 (1), Sat 10 make-up (2), Mon 12 (3) at offset 0 = the close of Sat 10, 18:00.
  expect(Z.format(tickets.get('K4')![1].due)).toBe('2026-10-10T18:00:00+08:00');

  // K5: Fri 9 Oct 17:30, P3 → Standard-v2. Reply Sat 10 Oct (make-up day) 09:10: 30m Fri + 10m Sat = 40m: met.
  // Resolution 3bd: offset 7h30 on Fri → Sat 10 (1), Mon 12 (2), Tue 13 (3) at 7h30 = 17:30. Closed Wed 14 17:30: breached.
  expect(tickets.get('K5')![0]).toMatchObject({ status: 'met', elapsedMs: 40 * 60_000 });
  expect(Z.format(tickets.get('K5')![1].due)).toBe('2026-10-13T17:30:00+08:00');
  expect(tickets.get('K5')![1].status).toBe('breached');
  expect(min(tickets.get('K5')![1].elapsedMs - tickets.get('K5')![1].targetMs)).toBe(480); // one business day late

  // K6: no priority → Standard-v2's when (priority in P1..P3) fails, Standard-v1 ended → no policy.
  expect(policies.get('K6')).toBeUndefined();
  expect(tickets.get('K6')!.map((r) => r.status)).toEqual(['not_applicable', 'not_applicable']);

  // breakdowns: most tickets first, then by name in natural order
  expect(result.groups.policy.map((g) => `${g.key} ${g.tickets}`)).toEqual(['Standard-v1 2', 'Standard-v2 2', '(no policy) 1', 'VIP-2026H2 1']);
  expect(result.groups.priority.map((g) => `${g.key} ${g.tickets}`)).toEqual(['P1 2', 'P3 2', '(none) 1', 'P2 1']);
});
