/**
 * Phased objectives whose ranges leave time in neither phase: `effective.to` is the first moment
 * not covered, so the issue's own example (to: 2026-06-30, then from: 2026-07-01) leaves June 30
 * unjudged. That is said as a warning by validate and by every run, never silently.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

const dir = mkdtempSync(join(tmpdir(), 'sla-phases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const config = (objectives: string) => `timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, priority: priority }
priorities: { P2: [normal] }
policies:
  - name: Desk
    targets: { first_response: 1h }
objectives:
${objectives}`;
// K1 on June 29 (first phase), K7 on June 30 (the gap), K9 on July 1 (second phase); each replied in 20 minutes
const TICKETS = 'id,created,replied,priority\nK1,2026-06-29 09:00,2026-06-29 09:20,normal\nK7,2026-06-30 09:00,2026-06-30 09:20,normal\nK9,2026-07-01 09:00,2026-07-01 09:20,normal\n';

describe('phases of an objective that leave a gap', () => {
  test('warned by validate and check; the tickets in the gap are judged by neither phase', async () => {
    writeFileSync(join(dir, 'gap.yaml'), config(`  - { kpi: first_response.mean, max: 15m, effective: { to: 2026-06-30 } }
  - { kpi: first_response.mean, max: 10m, effective: { from: 2026-07-01 } }
`));
    writeFileSync(join(dir, 'tickets.csv'), TICKETS);
    const warning = 'objectives 1 and 2 (first_response.mean): tickets created from 2026-06-30 until 2026-07-01 are in neither phase (effective.to is the first moment not covered); to join them, write to: 2026-07-01';
    const v = await cli(['validate', '-c', 'gap.yaml'], { cwd: dir });
    expect(v.exitCode).toBe(0);
    expect(v.stderr).toBe(`sla-audit: warning: gap.yaml: ${warning}\n`);
    const r = await cli(['check', '-c', 'gap.yaml', 'tickets.csv', '--as-of', '2026-08-01', '-f', 'json'], { cwd: dir });
    expect(r.stderr).toContain(`sla-audit: warning: ${warning}\n`);
    const json = JSON.parse(r.stdout);
    // each phase judged one ticket: K1 before June 30, K9 from July 1; K7 in neither
    expect(json.objectives.map((o: { tickets: number }) => o.tickets)).toEqual([1, 1]);
  });

  test('a phase inside a longer one leaves no gap; a gap after overlapping phases starts where the furthest one ends', async () => {
    // objective 1 covers the whole year, so the time between 2 and 3 is not a gap
    writeFileSync(join(dir, 'overlap.yaml'), config(`  - { metric: first_response, min: 90%, effective: { from: 2026-01-01, to: 2026-12-31 } }
  - { metric: first_response, min: 95%, effective: { from: 2026-02-01, to: 2026-03-01 } }
  - { metric: first_response, min: 96%, effective: { from: 2026-04-01, to: 2026-05-01 } }
`));
    expect((await cli(['validate', '-c', 'overlap.yaml'], { cwd: dir })).stderr).toBe('');
    // 1 reaches 2026-03-01 (2 ends earlier, inside it); 3 starts 2026-04-01: the gap is March
    writeFileSync(join(dir, 'reach.yaml'), config(`  - { metric: first_response, min: 90%, effective: { to: 2026-03-01 } }
  - { metric: first_response, min: 95%, effective: { from: 2026-01-01, to: 2026-02-01 } }
  - { metric: first_response, min: 96%, effective: { from: 2026-04-01 } }
`));
    expect((await cli(['validate', '-c', 'reach.yaml'], { cwd: dir })).stderr).toBe('sla-audit: warning: reach.yaml: objectives 1 and 3 (first_response.compliance): tickets created from 2026-03-01 until 2026-04-01 are in neither phase (effective.to is the first moment not covered); to join them, write to: 2026-04-01\n');
  });

  test('phases that meet (to: the next from), a single range and different KPIs are not warned', async () => {
    writeFileSync(join(dir, 'joined.yaml'), config(`  - { kpi: first_response.mean, max: 15m, effective: { to: 2026-07-01 } }
  - { kpi: first_response.mean, max: 10m, effective: { from: 2026-07-01 } }
  - { kpi: first_response.median, max: 15m, effective: { to: 2026-06-01 } }
  - { kpi: first_response.p90, max: 30m, effective: { from: 2026-07-01 } }
`));
    const v = await cli(['validate', '-c', 'joined.yaml'], { cwd: dir });
    expect([v.exitCode, v.stderr]).toEqual([0, '']);
  });
});
