import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';

// The config of fixtures/engine/messages: Shanghai, office Mon-Fri 09:00-12:00 and 13:00-18:00; next
// reply 2h, periodic update 4h, resolution 16h. 2026-03-02 is a Monday. Both tickets are solved on
// Monday at 10:00 and reopened on Wednesday at 10:00, then solved for good at 12:00: from Monday 10:00 to
// Wednesday 10:00 the ticket was not open, so no reply was owed and no update was due (the resolution
// clock leaves that time out too: 1h + 2h = 3h, due after Mon 1h + Wed 10:00-12:00, 13:00-18:00 7h + Thu
// 8h = 16h: Thu 18:00).
const dir = mkdtempSync(join(tmpdir(), 'sla-reopened-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, lines: string[]) => writeFileSync(join(dir, name), lines.join('\n') + '\n');
write('tickets.csv', [
  'id,created,first_reply,resolved,priority',
  'R1,2026-03-02 09:00,2026-03-02 09:10,2026-03-04 12:00,normal',
  'R2,2026-03-02 09:00,2026-03-02 09:10,2026-03-04 12:00,normal',
]);
write('events.csv', [
  'ticket_id,timestamp,status',
  ...['R1', 'R2'].flatMap((id) => [`${id},2026-03-02 09:00,Open`, `${id},2026-03-02 10:00,Solved`, `${id},2026-03-04 10:00,Open`, `${id},2026-03-04 12:00,Solved`]),
]);
write('messages.csv', [
  'ticket_id,timestamp,author',
  'R1,2026-03-02 09:00,customer',
  'R1,2026-03-02 09:10,agent',
  'R1,2026-03-02 09:50,customer',
  'R1,2026-03-04 10:00,customer',
  'R1,2026-03-04 11:00,agent',
  'R2,2026-03-02 09:00,customer',
  'R2,2026-03-02 09:10,agent',
  'R2,2026-03-02 09:40,agent',
  'R2,2026-03-03 10:00,customer',
  'R2,2026-03-04 10:30,agent',
]);
const ARGS = ['check', '-c', join(process.cwd(), 'fixtures/engine/messages/sla.yaml'), 'tickets.csv', '--events', 'events.csv', '--messages', 'messages.csv', '--as-of', '2026-03-05T00:00'];

describe('next reply and periodic update on a ticket solved and reopened', () => {
  test('the time between a resolve and the reopen owes no reply and no update', async () => {
    const r = await cli([...ARGS, '-f', 'csv'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').filter((l) => /,(next_reply|periodic_update|resolution),/.test(l));
    expect(rows).toEqual([
      'R1,Standard,P2,resolution,met,960,180,2026-03-05T18:00:00+08:00,2026-03-04T12:00:00+08:00',
      // R1. The customer writes Mon 09:50 (and again at the reopen, Wed 10:00: the wait started at 09:50);
      //   the agent answers Wed 11:00. Counted: 09:50-10:00 (10m) + Wed 10:00-11:00 (1h) = 1h10m of 2h, met;
      //   due: 10m before the solve, the other 1h50m from the reopen: Wed 11:50.
      'R1,Standard,P2,next_reply,met,120,70,2026-03-04T11:50:00+08:00,2026-03-04T11:00:00+08:00',
      // R1. Updates: agent Mon 09:10 -> Wed 11:00: 09:10-10:00 (50m) + Wed 10:00-11:00 (1h) = 1h50m; Wed
      //   11:00 -> the resolution at 12:00 = 1h. Both met; the longest met one is reported: 1h50m, due
      //   50m + 3h10m from the reopen = Wed 10:00-12:00 and 13:00-14:10: 14:10.
      'R1,Standard,P2,periodic_update,met,240,110,2026-03-04T14:10:00+08:00,2026-03-04T11:00:00+08:00',
      'R2,Standard,P2,resolution,met,960,180,2026-03-05T18:00:00+08:00,2026-03-04T12:00:00+08:00',
      // R2. The customer writes on Tuesday while the ticket is solved: the wait starts then, its clock at
      //   the reopen, Wed 10:00; answered 10:30: 30m of 2h, met, due Wed 12:00.
      'R2,Standard,P2,next_reply,met,120,30,2026-03-04T12:00:00+08:00,2026-03-04T10:30:00+08:00',
      // R2. Updates: 09:10 -> 09:40 = 30m; 09:40 -> Wed 10:30 = 20m + 30m = 50m; 10:30 -> 12:00 = 1h30m,
      //   the longest: due 10:30 + 4h = 10:30-12:00 and 13:00-15:30: 15:30.
      'R2,Standard,P2,periodic_update,met,240,90,2026-03-04T15:30:00+08:00,2026-03-04T12:00:00+08:00',
    ]);
  });
});
