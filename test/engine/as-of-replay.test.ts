import { expect, test } from 'vitest';
import { join } from 'node:path';
import { FIXTURES, runFixture } from './run.js';
import { auditText } from '../helpers/index.js';

const DIR = 'engine/as-of-replay';
const h = (ms: number) => ms / 3_600_000;

// 24x7 in UTC; first response 1h, resolution 8h, at risk from 75%, paused while Pending.
// --as-of 2026-05-02 00:00: the tickets as they stood at midnight.
test('--as-of replays the past: later replies, resolutions and history rows are ignored, later tickets are outside', async () => {
  const { result, tickets } = await runFixture(DIR, '2026-05-02T00:00', { events: [join(FIXTURES, DIR, 'history.csv')] });
  const st = (id: string) => tickets.get(id)!.map((r) => `${r.status} ${h(r.elapsedMs)}h`);
  // R1 replied 20:30 (30m: met); resolved 03:00, after midnight: still open at 00:00, 4h of 8h (< 6h): running
  expect(st('R1')).toEqual(['met 0.5h', 'running 4h']);
  // R2 replied 01:00, after midnight: unanswered at 00:00 after 2h ≥ 1h: overdue; resolution 2h: running
  expect(st('R2')).toEqual(['overdue 2h', 'running 2h']);
  // R3 was created at 01:00, after --as-of: outside the audit, not a problem
  expect(tickets.has('R3')).toBe(false);
  // R4: the reply column is mapped and empty: fulfilled at the resolution, 17:00→23:00 = 6h > 1h: breached
  expect(st('R4')).toEqual(['breached 6h', 'met 6h']);
  // R5: nothing yet after 14h: both overdue
  expect(st('R5')).toEqual(['overdue 14h', 'overdue 14h']);
  // R6: replied 18:40 (10m, met); Pending from 19:00 and still pending at midnight (the Open at 01:00 is
  // later): 30m counted, and no due time while paused. The pause after the reply does not move the
  // reply's due time: 19:30, one hour after creation.
  expect(st('R6')).toEqual(['met 0.16666666666666666h', 'running 0.5h']);
  expect(tickets.get('R6')![0].due).toBe(Date.parse('2026-05-01T19:30:00Z'));
  expect(tickets.get('R6')![1].due).toBe(Infinity);
  // R7: never replied; resolved 09:00, reopened 10:00, resolved 12:00. Its first response is fulfilled
  // at the FIRST resolution (1h: met, not 4h); resolution 08-09 + 10-12 = 3h: met
  expect(st('R7')).toEqual(['met 1h', 'met 3h']);
  // of the 6 evaluated, only R6 and R7 have history rows: 4 without (more than half: a warning)
  expect(result.totals).toEqual({ rows: 7, tickets: 7, evaluated: 6, problems: 0, outside_range: 1, event_rows: 5, event_problems: 0, without_history: 4 });
  expect(result.historyCoverage?.warning).toBe(true);
});

test('the event-log layout takes each ticket from its latest row up to --as-of', async () => {
  const { result, tickets } = await runFixture(DIR, '2026-05-02T00:00', {}, 'log.csv', 'log.yaml');
  // L1 at midnight: Active since 09:30 (first response by status, 30m: met); its Resolved row (02:00)
  // is later, so it is open after 15h ≥ 8h: overdue. L2 has only later rows: outside the audit.
  expect(tickets.get('L1')!.map((r) => `${r.status} ${h(r.elapsedMs)}h`)).toEqual(['met 0.5h', 'overdue 15h']);
  expect(tickets.has('L2')).toBe(false);
  expect(result.totals).toEqual({ rows: 5, tickets: 2, evaluated: 1, problems: 0, outside_range: 1 });
  // the day after, L1 is resolved: 09:00 → 02:00 = 17h > 8h: breached
  const later = await runFixture(DIR, '2026-05-03T00:00', {}, 'log.csv', 'log.yaml');
  expect(later.tickets.get('L1')!.map((r) => r.status)).toEqual(['met', 'breached']);
});

test('without --as-of (now), a timestamp later than now is a problem: "in the future"', async () => {
  const yaml = `timezone: UTC\ntickets: { columns: { id: id, created_at: created, first_response_at: replied } }\npolicies:\n  - name: All\n    targets: { first_response: 1h }\n`;
  const r = await auditText(yaml, 'id,created,replied\nF1,2199-01-01 10:00,\nF2,2026-05-01 10:00,2199-01-01 10:00\n', undefined);
  expect(r.problems.map((p) => `${p.row} ${p.column}: ${p.message.replace(/now is [\d-]+ [\d:]+/, 'now is …')}`)).toEqual([
    '2 created: 2199-01-01 10:00 is in the future (now is …); check the timestamp, or pass --as-of to audit as of a later time',
    '3 replied: 2199-01-01 10:00 is in the future (now is …); check the timestamp, or pass --as-of to audit as of a later time',
  ]);
  expect(r.totals).toMatchObject({ rows: 2, tickets: 0, problems: 2 });
});
