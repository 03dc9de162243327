import { expect, test } from 'vitest';
import { cli } from '../cli/run.js';

// fixtures/input/unicode-spaces: ids, times, priorities, a policy's `when` column and null values
// padded with no-break (U+00A0), ideographic (U+3000) and em (U+2003) spaces and tabs. Every cell is
// read trimmed as String.prototype.trim trims, so all six tickets are evaluated (none an unknown
// priority or a bad date) and each lands on the policy its tier names. The compiled SQL reads the
// same (test/sql/fixtures.ts lists the fixture for the parity tests on every engine).
test('cells padded with no-break, ideographic and em spaces or tabs are read trimmed: ids, times, priorities, when-columns, null values', async () => {
  const r = await cli(['check', '-c', 'fixtures/input/unicode-spaces/sla.yaml', 'fixtures/input/unicode-spaces/tickets.csv', '--as-of', '2026-05-01T12:00', '-f', 'csv']);
  expect(r.stderr).toBe('');
  // worked out by hand, 24x7 calendar, first reply minus creation:
  //  U1 "Urgent⍽" VIP (30m): 08:00 -> 08:45 = 45 > 30 breached;  U2 "　Urgent", tier "VIP⍽": the same
  //  U3 id "U3　", "Low\t", tier "　VIP" (P2 1h): 20 min met;    U4 tier "Standard⍽" (P1 1h): 45 met
  //  U5 reply "-⍽" is the null value "-": no reply; Standard P2 4h from 08:30, at 12:00 210 of 240 min,
  //     87.5% of the target, past the default warning at 75%: at_risk, due 12:30
  //  U6 created "⍽2026-05-01 09:00　", "\u2003Urgent", empty tier (Standard P1 1h): 09:00 -> 09:30 = 30 met
  expect(r.stdout.split('\n').filter((l) => l.includes('first_response'))).toEqual([
    'U1,VIP,P1,first_response,breached,30,45,2026-05-01T08:30:00+00:00,2026-05-01T08:45:00+00:00',
    'U2,VIP,P1,first_response,breached,30,45,2026-05-01T08:30:00+00:00,2026-05-01T08:45:00+00:00',
    'U3,VIP,P2,first_response,met,60,20,2026-05-01T09:00:00+00:00,2026-05-01T08:20:00+00:00',
    'U4,Standard,P1,first_response,met,60,45,2026-05-01T09:00:00+00:00,2026-05-01T08:45:00+00:00',
    'U5,Standard,P2,first_response,at_risk,240,210,2026-05-01T12:30:00+00:00,',
    'U6,Standard,P1,first_response,met,60,30,2026-05-01T10:00:00+00:00,2026-05-01T09:30:00+00:00',
  ]);
  expect(r.exitCode).toBe(0); // no objectives: breaches alone do not fail the run
});
