import { expect, test } from 'vitest';
import { runFixture } from '../engine/run.js';

// UTC, 24x7, resolution target 10h, measured at 2026-03-10. Categories by hand:
//   物流问题: C1 (alias Shipping), C2 (keyword 快递), C4 (column), C7 (alias Logistics), C8 (keyword 配送) = 5
//   价格问题: C3 (full-width ＲＥＦＵＮＤ → NFKC "refund"), C6 (alias, "billing" in lower case) = 2
//   其他:     C5 (no column value, no keyword) = 1
test('categories: aliases, keywords (Chinese, full-width), default, Pareto, medians, repeats, satisfaction', async () => {
  const { result } = await runFixture('reports/categories', '2026-03-10T00:00', { period: 'month' });
  expect(result.categories).toEqual([
    // resolution minutes 120, 180, 240, 360, 480: median 240, p90 (nearest rank 5 of 5) 480.
    // Customer A's 物流问题 tickets (file order is not time order): 01-05, 01-10 (5 days: repeat), 03-01 (50 days: not),
    // 03-05 (4 days: repeat) → 2. CSAT 5, 3, 4, 2 → 3.5 (C7 has none).
    { name: '物流问题', tickets: 5, share: 0.625, cumulative_share: 0.625, breached: 0, breach_rate: 0, median_resolution_minutes: 240, p90_resolution_minutes: 480, satisfaction: 3.5, repeat: 2 },
    // 720 (C3, breached: 12h > 10h) and 60: median 390, p90 720. B: 01-20 then 02-10 (21 days): 1 repeat. CSAT 1, 5 → 3.
    { name: '价格问题', tickets: 2, share: 0.25, cumulative_share: 0.875, breached: 1, breach_rate: 0.5, median_resolution_minutes: 390, p90_resolution_minutes: 720, satisfaction: 3, repeat: 1 },
    // C5 still open (overdue, not "completed late"): no resolution time, no CSAT.
    { name: '其他', tickets: 1, share: 0.125, cumulative_share: 1, breached: 0, breach_rate: 0, median_resolution_minutes: null, p90_resolution_minutes: null, satisfaction: null, repeat: 0 },
  ]);
  // months of creation: Jan C1 C2 C3 (C3 breached), Feb C5 (overdue) C6 C7, Mar C4 C8
  expect(result.periods.map((p) => [p.period, p.metrics.resolution.compliance, p.categories])).toEqual([
    ['2026-01', 2 / 3, { 物流问题: 2, 价格问题: 1 }],
    ['2026-02', 2 / 3, { 价格问题: 1, 物流问题: 1, 其他: 1 }],
    ['2026-03', 1, { 物流问题: 2 }],
  ]);
  expect(result.hotspots.channels).toEqual([
    { channel: 'Email', tickets: 3, breached: 1, breach_rate: 1 / 3 },
    { channel: '微信', tickets: 3, breached: 0, breach_rate: 0 },
    { channel: 'Chat', tickets: 1, breached: 0, breach_rate: 0 },
    { channel: 'Phone', tickets: 1, breached: 0, breach_rate: 0 },
  ]);
  // all created at 08:00-10:00 UTC; C2 on Mon 2026-01-05 at 09:00
  expect(result.hotspots.hours.find((h) => h.weekday === 'Mon')!.counts[9]).toBe(1);
  expect(result.hotspots.hours.flatMap((h) => h.counts).reduce((a, b) => a + b, 0)).toBe(8);
});

test('a later duplicate row moves the ticket to its new category, month and repeat history', async () => {
  const { Readable } = await import('node:stream');
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { FIXTURES } = await import('../engine/run.js');
  const csv = readFileSync(join(FIXTURES, 'reports/categories/tickets.csv'), 'utf8') + 'C4,2026-02-20 10:00,2026-02-20 11:00,Pricing,moved,B,Phone,\n';
  const { result } = await runFixture('reports/categories', '2026-03-10T00:00', { period: 'month', inputs: ['-'], stdin: Readable.from([csv]) });
  // C4 leaves 物流问题 (now 4: repeats C2→C1 and none else, since C8 is 65 days after C1) for 价格问题 (3: B on 01-20, 02-10, 02-20 → 2 repeats)
  expect(result.categories.map((c) => [c.name, c.tickets, c.repeat])).toEqual([['物流问题', 4, 1], ['价格问题', 3, 2], ['其他', 1, 0]]);
  expect(result.periods.map((p) => [p.period, p.categories])).toEqual([
    ['2026-01', { 物流问题: 2, 价格问题: 1 }],
    ['2026-02', { 价格问题: 2, 物流问题: 1, 其他: 1 }],
    ['2026-03', { 物流问题: 1 }],
  ]);
});
