import { expect, test } from 'vitest';
import { join } from 'node:path';
import { runFixture, FIXTURES } from '../engine/run.js';
import { cli } from '../cli/run.js';

// UTC, office Mon-Fri 09:00-17:00; 2026-06-01 is a Monday. Targets: response 2h, resolution 8h.
// pause_on: Pending, Awaiting Customer (matched case-insensitively). history.csv is deliberately unsorted.
const DIR = 'events/pauses-from-history';
const opts = { events: [join(FIXTURES, DIR, 'history.csv')] };
const h = (ms: number) => ms / 3_600_000;

test('pauses, reopen, still paused, weekend pause: hand-worked', async () => {
  const { result, tickets } = await runFixture(DIR, '2026-06-08T12:00', opts);

  // E1: Mon 09-11 counts (2h); "pending" Mon 11:00 → Tue 10:00 pauses (Mon 11-17 = 6h, Tue 09-10 = 1h);
  // Tue 10-17 (7h) and Wed 09-12 (3h) count. 2 + 7 + 3 = 12h > 8h: breached by 4h.
  // Due: 2h before the pause, then 6h from Tue 10:00 → Tue 16:00.
  const e1 = tickets.get('E1')![1];
  expect([e1.status, h(e1.elapsedMs), new Date(e1.due).toISOString()]).toEqual(['breached', 12, '2026-06-02T16:00:00.000Z']);

  // E2: solved Mon 13:00, reopened Tue 09:00, solved again Tue 12:00.
  // Mon 09-13 (4h) + Tue 09-12 (3h) = 7h ≤ 8h: met. (Counting Mon 13-17 too would make it 11h, breached.)
  const e2 = tickets.get('E2')![1];
  expect([e2.status, h(e2.elapsedMs)]).toEqual(['met', 7]);
  expect(e2.excluded).toEqual([{ start: Date.parse('2026-06-01T13:00Z'), end: Date.parse('2026-06-02T09:00Z'), status: 'Solved', kind: 'resolved' }]);

  // E3: Thu 09-10 counts (1h), "Awaiting Customer" since Thu 10:00 and still at --as-of: 1h, running, no due time yet.
  // Its "someday" event is unparseable and left out (a problem).
  const e3 = tickets.get('E3')![1];
  expect([e3.status, h(e3.elapsedMs), e3.due]).toEqual(['running', 1, Infinity]);

  // E4: Fri 15-16 counts (1h); PENDING Fri 16:00 → Mon 10:00 pauses Fri 16-17 and Mon 09-10 (2h of
  // business time; the weekend is not business time, so nothing is taken off twice); Mon 10-12 counts (2h).
  const e4 = tickets.get('E4')![1];
  expect([e4.status, h(e4.elapsedMs)]).toEqual(['running', 3]);

  // E5: no usable history (its only event is before creation): 09:00 → 16:00 = 7h, met.
  expect([tickets.get('E5')![1].status, h(tickets.get('E5')![1].elapsedMs)]).toEqual(['met', 7]);

  expect(result.problems.map((p) => `${p.file.split('/').pop()} row ${p.row}${p.column ? ` [${p.column}]` : ''}: ${p.message}`)).toEqual([
    'history.csv row 9: event for ticket "X9", which is in none of the ticket files; it is left out',
    'history.csv row 11: event for ticket "E5" is before the ticket was created (2026-06-01 09:00); it is left out',
    'history.csv row 14 [Changed]: "someday" is not a date (expected e.g. 2026-03-01 09:30, 2026-03-01T09:30:00+08:00, 01/03/2026 09:30, or set tickets.timestamp_format)',
  ]);
  // 13 event rows: 10 used, 3 problems; ticket rows all evaluated. E5's only row is before its
  // creation, so it has no history row: 1 of 5 without one (a note, not a warning: not more than half)
  expect(result.totals).toEqual({ rows: 5, tickets: 5, evaluated: 5, problems: 0, outside_range: 0, event_rows: 13, event_problems: 3, without_history: 1 });
  expect(result.historyCoverage).toEqual({ without: 1, evaluated: 5, warning: false, message: '--events: 1 of 5 evaluated tickets had no row in the status history (up to --as-of), taken as never paused or reopened' });
});

test('explain shows a ticket still paused at --as-of', async () => {
  const r = await cli(['explain', 'E3', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--events', `fixtures/${DIR}/history.csv`, '--as-of', '2026-06-08T12:00', '-f', 'json']);
  expect(r.exitCode).toBe(0);
  const e = JSON.parse(r.stdout);
  expect(e.metrics[1]).toEqual({
    metric: 'resolution', status: 'running', calendar: { name: 'office', timezone: 'UTC' }, pause_on: ['Pending', 'Awaiting Customer'], target: '8h', target_minutes: 480,
    clock_start: '2026-06-04T09:00:00+00:00', due_at: null, completed_at: null, measured_to: '2026-06-08T12:00:00+00:00',
    elapsed_minutes: 60, over_minutes: -420,
    // Thu 10-17 (7h) + Fri (8h) + Mon 09-12 (3h) = 18h of business time not counted so far
    pauses: [{ from: '2026-06-04T10:00:00+00:00', to: null, status: 'Awaiting Customer', kind: 'paused', business_minutes: 1080 }],
    per_day: [{ date: '2026-06-04', weekday: 'Thu', business_minutes: 60 }],
    // 60 of 480 minutes: below the default ladder's first rung (at risk from 75%)
    share_of_target: 0.125, level: null,
  });
  const text = await cli(['explain', 'E3', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--events', `fixtures/${DIR}/history.csv`, '--as-of', '2026-06-08T12:00']);
  expect(text.stdout).toContain('  paused      2026-06-04 10:00 → still  "Awaiting Customer"  (18h of business time not counted)\n');
  expect(text.stdout).toContain('resolution: running, 7h left\n');
  expect(text.stdout).toContain('  due         not yet (paused)\n');
});

test('explain of an unknown id exits 2 naming it', async () => {
  const r = await cli(['explain', 'NOPE-1', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-06-08T12:00']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toBe(`sla-audit: ticket "NOPE-1" is not among the 5 tickets evaluated from fixtures/${DIR}/tickets.csv; check the id, or run check to see rows left out with problems\n`);
});

test('an empty run says why it stops, without a history coverage of "0 of 0" tickets before it', async () => {
  // --as-of before every ticket was created: nothing is evaluated, so there is nothing a history could cover
  const r = await cli(['check', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--events', `fixtures/${DIR}/history.csv`, '--as-of', '2026-01-01T00:00', '-q']);
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toContain('sla-audit: no tickets to audit: 5 rows read');
  expect(r.stderr).not.toContain('status history');
});
