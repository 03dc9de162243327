import { describe, expect, test } from 'vitest';
import { auditText } from '../helpers/index.js';
import { renderReport } from '../../src/index.js';

// Around the clock (Shanghai); resolution target 8h; credits per month on resolution compliance.
const yaml = (credits: string) => `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Desk
    targets: { resolution: 8h }
credits:
  currency: CNY
  metric: resolution
${credits}`;

const tickets = (met: number, breached: number) => {
  const rows = ['id,created,resolved,priority'];
  for (let i = 0; i < met; i++) rows.push(`M${i},2026-07-01 00:00,2026-07-01 01:00,normal`);
  // 8h30m: 30 minutes over, 1 started hour
  for (let i = 0; i < breached; i++) rows.push(`B${i},2026-07-01 00:00,2026-07-01 08:30,normal`);
  return rows.join('\n') + '\n';
};

describe('service credits at their edges', () => {
  test('the compliance shown beside a tier is never rounded across its boundary', async () => {
    // 449 of 499 met: 449 / 499 = 89.9799...%, below 90%: the 10% tier applies (10% of 1,000 = 100),
    // and 50 breaches × 2 = 100: 200 in all. Rounded to one decimal it read "90%" beside "10% (below
    // 90%)"; rounded down to hundredths it is 89.97%.
    const r = await auditText(yaml(`  fee: 1000
  tiers:
    - { below: 90%, credit: 10% }
  per_breach: 2
`), tickets(449, 50), '2026-08-01T00:00');
    const p = r.credits!.periods[0];
    expect([p.compliance, p.tier, p.tier_amount, p.breach_amount, p.credit]).toEqual([449 / 499, { below: 0.9, credit: 0.1 }, 100, 100, 200]);
    for (const fmt of ['table', 'markdown', 'html'] as const) {
      const all = renderReport(r, fmt);
      const out = all.slice(all.indexOf('Service credits'));
      expect(out).toContain('89.97%');
      expect(out).not.toMatch(/[│|>]\s*90%\s*[│|<]/);
    }
    // a period exactly at the boundary still reads as it is: 9 of 10 = 90%
    const exact = await auditText(yaml(`  fee: 1000
  tiers:
    - { below: 90%, credit: 10% }
`), tickets(9, 1), '2026-08-01T00:00');
    expect(renderReport(exact, 'table')).toMatch(/│ 2026-07 │ +90% │ +– │/);
  });

  test('a fee of 0 and no cap: the credit is what the breaches cost', async () => {
    // A contract with per-breach amounts only: fee 0, no tiers, no cap. One breach (8h30m of 8h): 500
    // + 1 started hour × 0 = 500; no cap: the credit is 500. It was NaN (the cap, 0 × no limit, was not
    // a number), printed as "NaN" and written as null.
    const r = await auditText(yaml(`  fee: 0
  per_breach: 500
`), tickets(1, 1), '2026-08-01T00:00');
    const p = r.credits!.periods[0];
    expect([p.breaches, p.hours_over, p.breach_amount, p.uncapped, p.credit, p.capped]).toEqual([1, 1, 500, 500, 500, false]);
    expect(renderReport(r, 'table')).toMatch(/│ CNY 500\.00 │ CNY 500\.00 │ +│\n/);
  });

  test('amounts are rounded half up to cents', async () => {
    // one breach at 1.005: 1.01 (1.005 is 1.00499999999999989... in binary: it was rounded to 1.00)
    const r = await auditText(yaml(`  fee: 100
  per_breach: 1.005
`), tickets(1, 1), '2026-08-01T00:00');
    const p = r.credits!.periods[0];
    expect([p.breaches, p.breach_amount, p.uncapped, p.credit]).toEqual([1, 1.01, 1.01, 1.01]);
    // a tier of the fee: 5% of 100.10 = 5.005: 5.01
    const tier = await auditText(yaml(`  fee: 100.1
  tiers:
    - { below: 90%, credit: 5% }
`), tickets(1, 1), '2026-08-01T00:00');
    expect([tier.credits!.periods[0].tier_amount, tier.credits!.periods[0].credit]).toEqual([5.01, 5.01]);
  });
});
