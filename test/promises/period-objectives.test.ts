/**
 * Under --period an objective with `effective` is judged in every period of its range; one with no
 * ticket in any period is still listed, as not judged (as without --period), never left out.
 */
import { describe, expect, test } from 'vitest';
import { auditText } from '../helpers/index.js';

const YAML = `timezone: UTC
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: All
    targets: { resolution: 8h }
objectives:
  - { metric: resolution, min: 90% }
  - { metric: resolution, min: 90%, effective: { from: 2026-05-01, to: 2026-06-01 } }
  - { metric: resolution, min: 90%, effective: { from: 2027-01-01 } }
`;
// two tickets in May 2026, both resolved in 1h of 8h: met
const CSV = 'id,created,resolved,priority\nA,2026-05-04 09:00,2026-05-04 10:00,normal\nB,2026-05-05 09:00,2026-05-05 10:00,normal\n';

describe('objectives under --period', () => {
  test.each([[undefined], ['month' as const]])('--period %s: three objectives configured, three listed; the 2027 one not judged', async (period) => {
    const r = await auditText(YAML, CSV, '2026-07-01T00:00', period ? { period } : {});
    expect(r.objectives.map((o) => [o.effective?.from ?? '', o.period ?? '', o.passed, o.skipped ?? ''])).toEqual([
      ['', '', true, ''],
      // May: 2 of 2 met = 100%; under --period on its own line for 2026-05
      ['2026-05-01', period ? '2026-05' : '', true, ''],
      ['2027-01-01', '', true, 'no completed or overdue tickets'],
    ]);
  });
});
