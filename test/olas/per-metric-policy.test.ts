import { join } from 'node:path';
import { expect, test } from 'vitest';
import { FIXTURES, runFixture } from '../engine/run.js';

// UTC; 2026-06-01 is a Monday. The policy's resolution runs on 24x7 and pauses on Pending; its first
// response runs on office (Mon-Fri 09:00-17:00) and pauses on nothing. OLAs: L1 2h (no calendar or pauses
// of its own: the resolution's clock), L2 4h on office (the resolution's pauses).
const DIR = 'olas/per-metric-policy';
const min = (ms: number) => ms / 60_000;

test('an OLA without a clock of its own runs on the policy\'s resolution clock', async () => {
  const { tickets, result } = await runFixture(DIR, '2026-06-08', { events: [join(FIXTURES, DIR, 'history.csv')] });
  const [fr, res, l1, l2] = tickets.get('P1')!;
  // first response on office: 16:00-16:20 = 20m (met)
  expect([fr.status, min(fr.elapsedMs)]).toEqual(['met', 20]);
  // resolution on 24x7: Mon 16:00 → Tue 10:00 = 18h, less Pending 17:30-18:00 = 1050m (met, 24h)
  expect([res.status, min(res.elapsedMs)]).toEqual(['met', 1050]);
  // L1 on 24x7: 16:00-19:00 = 180m less Pending 30m = 150m > 120m: breached (on office it would be 60m, met)
  expect([l1.metric, l1.status, min(l1.elapsedMs)]).toEqual(['ola.L1', 'breached', 150]);
  // L2 on office: Mon 19:00 → Tue 10:00 counts Tue 09:00-10:00 = 60m (met)
  expect([l2.metric, l2.status, min(l2.elapsedMs)]).toEqual(['ola.L2', 'met', 60]);
  expect([result.kpis['handoffs.mean'], result.kpis['ola.compliance']]).toEqual([1, 0.5]);
});
