/**
 * Escalation levels keep one order that never depends on their names: "overdue" (the default ladder's
 * 100% rung) and another ladder's 100% rung are the same step, so "this level and above" takes both.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';
import { cfg } from '../helpers/index.js';

const yaml = (manager: string, lead: string) => `timezone: UTC
tickets:
  columns: { id: id, created_at: created, resolved_at: resolved, priority: priority, team: team }
priorities: { P2: [normal] }
policies:
  - name: VIP
    when: { team: vip }
    targets: { resolution: 10h }
    escalation:
      - { at: 75%, level: ${lead} }
      - { at: 100%, level: ${manager} }
  - name: Standard
    targets: { resolution: 10h }
`;
// around the clock: D1 created 2026-10-01 00:00, --as-of 2026-10-09 15:00 = 207h elapsed of 10h: 197h
// overdue on Standard (the default ladder: "overdue" from 100%). V1 on VIP: 8h of 10h = 80% → the lead level.
const TICKETS = 'id,created,resolved,priority,team\nD1,2026-10-01 00:00,,normal,support\nV1,2026-10-09 07:00,,normal,vip\n';

function project(manager: string, lead: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sla-levels-'));
  writeFileSync(join(dir, 'sla.yaml'), yaml(manager, lead));
  writeFileSync(join(dir, 't.csv'), TICKETS);
  return dir;
}

describe('level order never depends on names', () => {
  test.each([
    ['Chinese', '经理', '组长'],
    ['English', 'manager', 'lead'],
    ['English, names that sort the other way', 'a-manager', 'z-lead'],
  ])('%s: queue --fail-on-level <the 100%% rung> exits 1 for a ticket 197 h overdue on the default ladder', async (_name, manager, lead) => {
    const dir = project(manager, lead);
    const r = await cli(['queue', 't.csv', '--as-of', '2026-10-09T15:00', '--fail-on-level', manager, '-f', 'json'], { cwd: dir });
    expect(r.stderr).toBe(`sla-audit: 1 open clock at ${manager} or above (--fail-on-level)\n`);
    expect(r.exitCode).toBe(1);
    // --level <the 100% rung> lists it too; the lead level (75%) is not at or above
    const listed = await cli(['queue', 't.csv', '--as-of', '2026-10-09T15:00', '--level', manager, '-f', 'json'], { cwd: dir });
    expect(JSON.parse(listed.stdout).tickets.map((x: { id: string; level: string }) => `${x.id} ${x.level}`)).toEqual(["D1 overdue"]);
    // and --fail-on-level overdue takes the other ladder's 100% rung alike (here none is reached: V1 is at 80%)
    const overdue = await cli(['queue', 't.csv', '--as-of', '2026-10-09T15:00', '--level', 'overdue', '-f', 'json'], { cwd: dir });
    expect(JSON.parse(overdue.stdout).tickets.map((x: { id: string; level: string }) => `${x.id} ${x.level}`)).toEqual(["D1 overdue"]);
  });

  test('the order of levels is the same whatever the names: by the share they start at, then where the config names them first', () => {
    // warn_at defaults to 80%: "at risk" (80%) after the lead (75%); the VIP ladder names its 100% rung before Standard's "overdue"
    expect(cfg(yaml('经理', '组长')).levels).toEqual(['组长', 'at risk', '经理', 'overdue']);
    expect(cfg(yaml('manager', 'lead')).levels).toEqual(['lead', 'at risk', 'manager', 'overdue']);
    expect(cfg(yaml('a-manager', 'z-lead')).levels).toEqual(['z-lead', 'at risk', 'a-manager', 'overdue']);
  });
});
