import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditText } from '../helpers/index.js';
import { cli } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-exact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

// Around the clock (Shanghai); resolution target 1h40m = 100 minutes; the default ladder (at risk from
// 75%, overdue from 100%).
writeFileSync(join(dir, 'hundred.yaml'), `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Desk
    targets: { resolution: 1h40m }
`);

describe('the share of the target used, in whole percent, is never off by one', () => {
  test('29 minutes of 100 is 29%, 113 minutes is 113% (the queue, worst breaches, explain)', async () => {
    // OPEN: created 00:00, open at --as-of 00:29: 29 of 100 minutes = 29% (0.29 × 100 is
    //   28.999999999999996 in floating point: it was shown as 28%).
    // LATE: created 06-30 22:00, resolved 23:53: 113 of 100 minutes = 113% (1.13 × 100 is
    //   112.99999999999999), 13 minutes over, due 23:40.
    const csv = 'id,created,resolved,priority\nOPEN,2026-07-01 00:00,,normal\nLATE,2026-06-30 22:00,2026-06-30 23:53,normal\n';
    const q = await cli(['queue', '-c', 'hundred.yaml', '-', '--as-of', '2026-07-01T00:29', '-f', 'csv'], { cwd: dir, input: csv });
    expect(q.stdout.split('\n')[1]).toBe('OPEN,resolution,running,P2,Desk,,,29,100,0.29,71,2026-07-01T01:40:00+08:00,');
    const md = await cli(['queue', '-c', 'hundred.yaml', '-', '--as-of', '2026-07-01T00:29', '-f', 'markdown'], { cwd: dir, input: csv });
    expect(md.stdout).toContain('| OPEN | resolution | P2 | Desk | – | – | 29m | 1h 40m | 29% | 1h 11m | 2026-07-01 01:40 | – |');
    const check = await cli(['check', '-c', 'hundred.yaml', '-', '--as-of', '2026-07-01T00:29'], { cwd: dir, input: csv });
    expect(check.stdout).toContain('│ LATE   │ resolution │ Desk   │ 1h 40m │  1h 53m │  113% │     13m │ 2026-06-30 23:40 │');
    const explain = await cli(['explain', 'OPEN', '-c', 'hundred.yaml', '-', '--as-of', '2026-07-01T00:29'], { cwd: dir, input: csv });
    expect(explain.stdout).toContain('  escalation  29% of the target used: below the first rung');
  });

  test('4 seconds short of the target is 99%, not 100%', async () => {
    // SHORT: target 1h40m; created 00:00:04, open at --as-of 01:40:00: 99 minutes 56 seconds of 100
    //   minutes = 99.93%: at risk (at least 75%), not overdue. The share was rounded to 4 places
    //   (0.9993) and shown whole; a share of 0.99996 was rounded to 1 and shown as 100%.
    // EDGE: created 00:00:00.240 (epoch-ms precision is not needed: 0.24 s in the text), as-of 01:40:
    //   6,000,000 - 240 = 5,999,760 of 6,000,000 ms = 0.99996: 99%, at risk.
    const csv = 'id,created,resolved,priority\nSHORT,2026-07-01 00:00:04,,normal\nEDGE,2026-07-01T00:00:00.240+08:00,,normal\n';
    const explain = await cli(['explain', 'EDGE', '-c', 'hundred.yaml', '-', '--as-of', '2026-07-01T01:40', '-f', 'json'], { cwd: dir, input: csv });
    const m = JSON.parse(explain.stdout).metrics[1];
    expect([m.status, m.share_of_target, m.level]).toEqual(['at_risk', 0.9999, 'at risk']);
    const text = await cli(['explain', 'EDGE', '-c', 'hundred.yaml', '-', '--as-of', '2026-07-01T01:40'], { cwd: dir, input: csv });
    expect(text.stdout).toContain('  escalation  99% of the target used: at risk');
    const q = await cli(['queue', '-c', 'hundred.yaml', '-', '--as-of', '2026-07-01T01:40', '-f', 'json'], { cwd: dir, input: csv });
    expect(JSON.parse(q.stdout).tickets.map((t: { id: string; status: string; share: number; level: string }) => [t.id, t.status, t.share, t.level])).toEqual([
      ['EDGE', 'at_risk', 0.9999, 'at risk'],
      ['SHORT', 'at_risk', 0.9993, 'at risk'],
    ]);
  });
});

describe('a target of 0', () => {
  test('an open clock at a target of 0 is overdue and at the overdue rung, even before any business time passed', async () => {
    // Office Mon-Fri 09:00-18:00; resolution target 0m. Z1 is created on Saturday 2026-10-10 at 10:00
    // and still open at 12:00: no business time has passed (0 of 0 minutes), and with a target of 0 the
    // clock is overdue at once. 0 of 0 is the whole target used: 100%, the "overdue" rung of the default
    // ladder. It was shown as "–" with no level: --fail-on-level overdue did not fire and check's
    // escalation table did not count it.
    writeFileSync(join(dir, 'zero.yaml'), `timezone: Asia/Shanghai
calendars:
  office:
    hours: { mon-fri: [09:00-18:00] }
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Now
    calendar: office
    targets: { resolution: 0m }
`);
    const csv = 'id,created,resolved,priority\nZ1,2026-10-10 10:00,,normal\n';
    const q = await cli(['queue', '-c', 'zero.yaml', '-', '--as-of', '2026-10-10T12:00', '-f', 'csv', '--fail-on-level', 'overdue'], { cwd: dir, input: csv });
    expect(q.stdout.split('\n')[1]).toBe('Z1,resolution,overdue,P2,Now,,,0,0,1,0,2026-10-10T10:00:00+08:00,overdue');
    expect(q.exitCode).toBe(1);
    const md = await cli(['queue', '-c', 'zero.yaml', '-', '--as-of', '2026-10-10T12:00', '-f', 'markdown'], { cwd: dir, input: csv });
    expect(md.stdout).toContain('| Z1 | resolution | P2 | Now | – | – | 0m | 0m | 100% | 0m | 2026-10-10 10:00 | overdue |');
    const check = await cli(['check', '-c', 'zero.yaml', '-', '--as-of', '2026-10-10T12:00', '-f', 'json'], { cwd: dir, input: csv });
    expect(JSON.parse(check.stdout).escalation.reached).toEqual([{ level: 'at risk', tickets: 1, open: 1 }, { level: 'overdue', tickets: 1, open: 1 }]);
  });
});

describe('a rung at 0%', () => {
  test('is reached by every ticket with a clock, and by no ticket without one', async () => {
    // Around the clock; resolution target for P1 only. A (P1) was resolved in 1h of 8h: 12.5%, past
    // the rung "watch" at 0%, below "boss" at 100%. B (P2) has no target: nothing was measured, it used
    // no share of any target and reached no level (it was counted at "watch").
    const yaml = `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority }
priorities: { P1: [urgent], P2: [normal] }
policies:
  - name: Desk
    targets: { resolution: { P1: 8h } }
    escalation:
      - { at: 0%, level: watch }
      - { at: 100%, level: boss }
`;
    const r = await auditText(yaml, 'id,created,resolved,priority\nA,2026-07-01 10:00,2026-07-01 11:00,urgent\nB,2026-07-01 10:00,2026-07-01 11:00,normal\n', '2026-08-01T00:00');
    expect(r.metrics.resolution).toMatchObject({ met: 1, not_applicable: 1 });
    expect(r.escalation.reached).toEqual([{ level: 'watch', tickets: 1, open: 0 }, { level: 'boss', tickets: 0, open: 0 }]);
  });
});

describe('seconds past a target', () => {
  test('a breach or an overdue clock by seconds reads as those seconds, never 0m or -0m', async () => {
    // target 1h40m around the clock.
    // LATE resolved 20 seconds after its due time (20:00:00 -> 21:40:20): breached by 20 s, "20s" over,
    //   elapsed "1h 40m 20s" beside the target "1h 40m" (to the minute both would read 1h 40m).
    // OVER created 00:00:00, open at --as-of 01:40:20: overdue by 20 s: time left "-20s", not "-0m".
    // SOON created 00:00:40, open at 01:40:20: 1h 39m 40s used, 20 s left: "20s" (not "0m"), at risk.
    const csv = 'id,created,resolved,priority\nLATE,2026-06-30 20:00:00,2026-06-30 21:40:20,normal\nOVER,2026-07-01 00:00:00,,normal\nSOON,2026-07-01 00:00:40,,normal\n';
    const asOf = ['--as-of', '2026-07-01T01:40:20'];
    const q = await cli(['queue', '-c', 'hundred.yaml', '-', ...asOf, '-f', 'markdown'], { cwd: dir, input: csv });
    expect(q.stdout).toContain('| OVER | resolution | P2 | Desk | – | – | 1h 40m 20s | 1h 40m | 100% | -20s | 2026-07-01 01:40 | overdue |');
    expect(q.stdout).toContain('| SOON | resolution | P2 | Desk | – | – | 1h 39m 40s | 1h 40m | 99% | 20s | 2026-07-01 01:40 | at risk |');
    const explain = await cli(['explain', 'LATE', '-c', 'hundred.yaml', '-', ...asOf], { cwd: dir, input: csv });
    expect(explain.stdout).toContain('resolution: breached by 20s\n');
    expect(explain.stdout).toContain('  elapsed     1h 40m 20s of 1h 40m\n');
    const over = await cli(['explain', 'OVER', '-c', 'hundred.yaml', '-', ...asOf], { cwd: dir, input: csv });
    expect(over.stdout).toContain('resolution: overdue by 20s (still open)\n');
    const check = await cli(['check', '-c', 'hundred.yaml', '-', ...asOf, '-f', 'markdown'], { cwd: dir, input: csv });
    expect(check.stdout).toContain('| LATE | resolution | breached | Desk | 1h 40m | 1h 40m 20s | 100% | 20s | 2026-06-30 21:40 |');
  });
});

describe('an objective\'s actual value is never rounded onto or across its line', () => {
  test('a rate, a time and a number just short of their lines read as short of them', async () => {
    // Around the clock; resolution target 8h. 449 tickets resolved in 1h, 50 in 8h00m30s (breached).
    //   resolution compliance 449 / 499 = 89.9799...%: below the objective's 90%. It read
    //     "✗ resolution ≥ 90%  actual 90%"; shown to two decimals it is 89.98%.
    //   resolution.p90: sorted, 449 × 60 min then 50 × 480.5 min; position ceil(0.9 × 499) = 450 is the
    //     first 480.5 min, above the objective's max 8h: it read "8h" (480.5 minutes rounded to 480);
    //     under a minute from the line it is shown to the second: 8h 30s.
    //   satisfaction.mean: ratings 402 × 4 + 47 × 5 (the met ones) + 2 × 4 + 48 × 3 (the breached ones)
    //     = 1608 + 235 + 8 + 144 = 1995, / 499 = 3.99799...: below the objective's 4. It read "4"; to three
    //     decimals it is 3.998.
    const rows = ['id,created,resolved,priority,csat'];
    for (let i = 0; i < 449; i++) rows.push(`M${i},2026-07-01 00:00,2026-07-01 01:00,normal,${i < 402 ? 4 : 5}`);
    for (let i = 0; i < 50; i++) rows.push(`B${i},2026-07-01 00:00,2026-07-01 08:00:30,normal,${i < 2 ? 4 : 3}`);
    const yaml = `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority, satisfaction: csat }
priorities: { P2: [normal] }
policies:
  - name: Desk
    targets: { resolution: 8h }
objectives:
  - { metric: resolution, min: 90% }
  - { kpi: resolution.p90, max: 8h }
  - { kpi: satisfaction.mean, min: 4 }
`;
    writeFileSync(join(dir, 'objectives.yaml'), yaml);
    const r = await auditText(yaml, rows.join('\n') + '\n', '2026-08-01T00:00');
    expect(r.objectives.map((o) => [o.actual, o.passed])).toEqual([[449 / 499, false], [480.5, false], [1995 / 499, false]]);
    const out = await cli(['check', '-c', 'objectives.yaml', '-', '--as-of', '2026-08-01T00:00'], { cwd: dir, input: rows.join('\n') + '\n' });
    expect(out.stdout).toContain([
      '  ✗ resolution ≥ 90%                 actual 89.98% of 499',
      '  ✗ resolution.p90 ≤ 8h              actual 8h 30s of 499',
      '  ✗ satisfaction.mean ≥ 4            actual 3.998 of 499',
    ].join('\n'));
    const junit = await cli(['check', '-c', 'objectives.yaml', '-', '--as-of', '2026-08-01T00:00', '-f', 'junit'], { cwd: dir, input: rows.join('\n') + '\n' });
    expect(junit.stdout).toContain('actual 89.98% is below the target 90%');
  });

  test('a time under a minute from its line reads to the second, the same beside either line', async () => {
    // one ticket, around the clock, created 00:00, first response 01:26:18: first_response.mean is
    // 86 minutes 18 seconds = 86.3 minutes. Against ≤ 1h 26m it fails, against ≤ 1h 27m it is met; to
    // the minute it read "1h 27m" beside the first and "1h 26m" beside the second, so both now read 1h 26m 18s.
    const csv = 'id,created,first,resolved,priority\nA,2026-07-01 00:00,2026-07-01 01:26:18,2026-07-01 02:00,normal\n';
    const yaml = (max: string) => `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, first_response_at: first, resolved_at: resolved, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Desk
    targets: { first_response: 8h, resolution: 8h }
objectives:
  - { kpi: first_response.mean, max: ${max} }
`;
    const lines: string[] = [];
    for (const max of ['1h 26m', '1h 27m']) {
      writeFileSync(join(dir, 'mean.yaml'), yaml(max));
      const out = await cli(['check', '-c', 'mean.yaml', '-', '--as-of', '2026-08-01T00:00'], { cwd: dir, input: csv });
      lines.push(...out.stdout.split('\n').filter((l) => l.includes('first_response.mean ≤')).map((l) => l.replace(/\s+/g, ' ').trim()));
    }
    expect(lines).toEqual(['✗ first_response.mean ≤ 1h 26m actual 1h 26m 18s of 1', '✓ first_response.mean ≤ 1h 27m actual 1h 26m 18s of 1']);
  });
});
