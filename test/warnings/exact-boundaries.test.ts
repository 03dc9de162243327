import { describe, expect, test } from 'vitest';
import { auditText } from '../helpers/index.js';

// Boundaries a contract is judged on: a ticket exactly at a rung, compliance exactly at a tier's
// `below` or an objective's `min`. "Exactly at" is not below: a rung is reached, a tier does not apply,
// an objective is met.

describe('percentages written with a decimal are exact', () => {
  test('a rung, a tier and an objective at 99.9%, met exactly', async () => {
    // Around the clock (Shanghai). Resolution target 16h40m = 1000 minutes. 999 tickets took 16h39m =
    // 999 minutes = 99.9% of the target (met); one took 17h (breached). Compliance 999 / 1000 = 99.9%.
    //   - the objective min 99.9% is met (99.9% is not below 99.9%);
    //   - the tier below 99.9% does not apply: no tier credit; the one breach costs per_breach 10;
    //   - every one of the 1000 tickets reached the rung at 99.9% (999 at exactly 99.9%, one at 102%).
    const yaml = `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Desk
    targets: { resolution: 16h40m }
    escalation:
      - { at: 99.9%, level: manager }
objectives:
  - { metric: resolution, min: 99.9% }
credits:
  fee: 1000
  metric: resolution
  tiers:
    - { below: 99.9%, credit: 10% }
  per_breach: 10
`;
    const rows = ['id,created,resolved,priority'];
    for (let i = 0; i < 999; i++) rows.push(`T${i},2026-07-01 00:00,2026-07-01 16:39,normal`);
    rows.push('LATE,2026-07-01 00:00,2026-07-01 17:00,normal');
    const r = await auditText(yaml, rows.join('\n') + '\n', '2026-08-01T00:00');
    expect(r.metrics.resolution).toMatchObject({ met: 999, breached: 1 });
    expect(r.objectives.map((o) => [o.actual, o.passed])).toEqual([[0.999, true]]);
    expect(r.passed).toBe(true);
    expect(r.credits!.periods.map((p) => [p.period, p.compliance, p.tier, p.tier_amount, p.breach_amount, p.credit])).toEqual([['2026-07', 0.999, null, 0, 10, 10]]);
    expect(r.escalation.reached).toEqual([{ level: 'manager', tickets: 1000, open: 0 }]);
  });

  test('a rung and warn_at at 33.3% and 14.1%, and a fraction written as 0.999', async () => {
    // 24x7, resolution target 1000 minutes (16h40m); open tickets measured at --as-of 2026-07-02 00:00.
    //   A: created 2026-07-01 18:27 -> 5h33m = 333 minutes = 33.3%: at the rung "33.3%" exactly;
    //   B: created 2026-07-01 21:39 -> 2h21m = 141 minutes = 14.1%: at the rung "14.1%" exactly;
    //   C: created 2026-07-01 07:21 -> 16h39m = 999 minutes = 99.9%: at the rung "0.999" exactly.
    const yaml = `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Desk
    targets: { resolution: 16h40m }
    escalation:
      - { at: 14.1%, level: lead }
      - { at: 33.3%, level: supervisor }
      - { at: 0.999, level: manager }
`;
    const levels = new Map<string, number>();
    await auditText(yaml, 'id,created,resolved,priority\nA,2026-07-01 18:27,,normal\nB,2026-07-01 21:39,,normal\nC,2026-07-01 07:21,,normal\n', '2026-07-02T00:00', {
      onTicket: (ev) => levels.set(ev.ticket.id, ev.level),
    });
    // levels lowest first: lead 0, supervisor 1, manager 2
    expect(Object.fromEntries(levels)).toEqual({ A: 1, B: 0, C: 2 });
  });
});
