import { expect, test } from 'vitest';
import { runFixture } from './run.js';
import { Zone } from '../../src/time/zone.js';

// Office Mon-Fri 09:00-17:00 New York time; naive timestamps in the export are UTC.
// 2026-03-06 is a Friday; clocks spring forward Sun 8 Mar. 2026-10-30 is a Friday; clocks fall back Sun 1 Nov.
const NY = Zone.of('America/New_York');
const min = (ms: number) => ms / 60_000;

test('tickets across both DST changes, naive (UTC) and offset timestamps', async () => {
  const { tickets } = await runFixture('engine/new-york-dst', '2026-11-03T00:00');
  // N1 created 21:30 UTC = 16:30 EST Fri. Response 14:30 UTC Mon = 10:30 EDT.
  // Fri 16:30-17:00 (30) + Mon 09:00-10:30 (90) = 120 = target: met. Due Mon 10:30 EDT.
  expect(tickets.get('N1')![0]).toMatchObject({ status: 'met', elapsedMs: 120 * 60_000 });
  expect(NY.format(tickets.get('N1')![0].due)).toBe('2026-03-09T10:30:00-04:00');
  // Still open at 2026-11-03: resolution 1bd from Fri 16:30 (7h30 in) → Mon 9 Mar 16:30 EDT; overdue.
  expect(NY.format(tickets.get('N1')![1].due)).toBe('2026-03-09T16:30:00-04:00');
  expect(tickets.get('N1')![1].status).toBe('overdue');

  // N2: the same instants written with offsets; resolved exactly at the due time → met.
  expect(tickets.get('N2')!.map((r) => r.status)).toEqual(['met', 'met']);
  expect(min(tickets.get('N2')![1].elapsedMs)).toBe(8 * 60); // 30m Fri + 7h30 Mon

  // N3 created 20:00 UTC Fri 30 Oct = 16:00 EDT. Response Mon 2 Nov 09:30 EST:
  // Fri 16:00-17:00 (60) + Mon 09:00-09:30 (30) = 90m: met.
  expect(tickets.get('N3')![0]).toMatchObject({ status: 'met', elapsedMs: 90 * 60_000 });
  // 1bd from Fri 16:00 (7h in) → Mon 2 Nov 16:00 EST. Resolved 21:00 UTC = 16:00 EST: exactly due → met.
  expect(NY.format(tickets.get('N3')![1].due)).toBe('2026-11-02T16:00:00-05:00');
  expect(tickets.get('N3')![1].status).toBe('met');

  // N4 created Sun 1 Nov 06:30 UTC = 01:30 EST (the repeated hour; the offset is known from UTC).
  // Clock starts Mon 09:00 EST; at --as-of 2026-11-03 00:00 (New York) it has run Mon 8h.
  expect(NY.format(tickets.get('N4')![0].clockStart)).toBe('2026-11-02T09:00:00-05:00');
  expect(tickets.get('N4')![0]).toMatchObject({ status: 'overdue', elapsedMs: 8 * 60 * 60_000 });
  expect(tickets.get('N4')![1]).toMatchObject({ status: 'overdue', elapsedMs: 8 * 60 * 60_000 });
});
