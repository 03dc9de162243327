import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';
import { clockTexts, leftText, overText } from '../../src/report/format.js';

// One rounding rule for a clock beside its target, in every human format: past the target the
// elapsed time and the over-by are rounded up, time left down, so target + over = elapsed as shown;
// under a minute apart all three are shown to the second ("breached by 17s", "10m 17s" of "10m").
// Stable CSV and JSON keep their minutes with two decimals.

const dir = mkdtempSync(join(tmpdir(), 'sla-seconds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Around the clock (Shanghai, no holidays): business time is wall time. First response 10m for P1.
writeFileSync(join(dir, 'sla.yaml'), `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved, priority: priority }
priorities: { P1: [urgent] }
policies:
  - name: Desk
    targets:
      first_response: { P1: 10m }
      resolution: { P1: 4h }
`);
// A17 replied 10m 17s after creation: 17 s past its 10m target.
// WHOLE replied after 12m exactly: 2m over, as before.
// LATE replied after 11m 17s: 1m 17s over; rounded up, 2m over and 12m elapsed (10m + 2m).
// EARLY replied after 9m 43s: met with 17 s to spare.
writeFileSync(join(dir, 'tickets.csv'), `id,created,replied,resolved,priority
A17,2026-07-01 09:00:00,2026-07-01 09:10:17,2026-07-01 10:00:00,urgent
WHOLE,2026-07-01 09:00:00,2026-07-01 09:12:00,2026-07-01 10:00:00,urgent
LATE,2026-07-01 09:00:00,2026-07-01 09:11:17,2026-07-01 10:00:00,urgent
EARLY,2026-07-01 09:00:00,2026-07-01 09:09:43,2026-07-01 10:00:00,urgent
`);
const run = (...args: string[]) => cli([...args, '-c', 'sla.yaml', 'tickets.csv', '--as-of', '2026-07-02T00:00'], { cwd: dir });

describe('a breach by 17 seconds', () => {
  test('reads "17s" over, "10m 17s" of "10m", in the terminal table, Markdown and HTML', async () => {
    // share: floor(617 s / 600 s × 100) = 102%. WHOLE: 720 / 600 = 120%. LATE: floor(677 / 600 × 100) = 112%.
    // Ranked by share: WHOLE, LATE, A17 (EARLY met).
    const table = (await run('check')).stdout;
    expect(table).toContain('│ WHOLE  │ first response │ Desk   │    10m │     12m │  120% │      2m │ 2026-07-01 09:10 │');
    expect(table).toContain('│ LATE   │ first response │ Desk   │    10m │     12m │  112% │      2m │ 2026-07-01 09:10 │');
    expect(table).toContain('│ A17    │ first response │ Desk   │    10m │ 10m 17s │  102% │     17s │ 2026-07-01 09:10 │');
    const md = (await run('check', '-f', 'markdown')).stdout;
    expect(md).toContain('| WHOLE | first_response | breached | Desk | 10m | 12m | 120% | 2m | 2026-07-01 09:10 |');
    expect(md).toContain('| LATE | first_response | breached | Desk | 10m | 12m | 112% | 2m | 2026-07-01 09:10 |');
    expect(md).toContain('| A17 | first_response | breached | Desk | 10m | 10m 17s | 102% | 17s | 2026-07-01 09:10 |');
    // each cell carries its column's heading (data-label, for narrow screens): left out here
    const html = (await run('check', '-f', 'html')).stdout.replace(/ data-label="[^"]*"/g, '');
    expect(html).toContain('<td>A17</td><td>first response</td><td>breached</td><td>Desk</td><td>10m</td><td>10m 17s</td><td>102%</td><td>17s</td>');
    expect(html).toContain('<td>WHOLE</td><td>first response</td><td>breached</td><td>Desk</td><td>10m</td><td>12m</td><td>120%</td><td>2m</td>');
  });

  test('explain says "breached by 17s" and shows the clock to the second', async () => {
    const out = (await run('explain', 'A17')).stdout;
    expect(out).toContain(`first response: breached by 17s
  target      10m = 10m of business time
  clock start 2026-07-01 09:00:00
  due         2026-07-01 09:10:00
  done        2026-07-01 09:10:17
  business time counted per day:
    2026-07-01 Wed   10m 17s
  elapsed     10m 17s of 10m
`);
    // 17 s within: 9m 43s used of 10m
    const early = (await run('explain', 'EARLY')).stdout;
    expect(early).toContain('first response: met, 17s to spare\n');
    expect(early).toContain('  done        2026-07-01 09:09:43\n');
    expect(early).toContain('  elapsed     9m 43s of 10m\n');
    // whole minutes print to the minute, as before
    const whole = (await run('explain', 'WHOLE')).stdout;
    expect(whole).toContain('first response: breached by 2m\n  target      10m = 10m of business time\n  clock start 2026-07-01 09:00\n  due         2026-07-01 09:10\n  done        2026-07-01 09:12\n');
    expect(whole).toContain('  elapsed     12m of 10m\n');
    const late = (await run('explain', 'LATE')).stdout;
    expect(late).toContain('first response: breached by 2m\n');
    expect(late).toContain('  elapsed     12m of 10m\n');
  });

  test('CSV and JSON keep their minutes: 617 s = 10.28 minutes, 17 s over = 0.28', async () => {
    const csv = (await run('check', '-f', 'csv')).stdout;
    expect(csv).toContain('A17,Desk,P1,first_response,breached,10,10.28,2026-07-01T09:10:00+08:00,2026-07-01T09:10:17+08:00\n');
    const json = JSON.parse((await run('check', '-f', 'json')).stdout);
    expect(json.breaches.find((b: { id: string }) => b.id === 'A17')).toMatchObject({ target_minutes: 10, elapsed_minutes: 10.28, over_minutes: 0.28, share_of_target: 1.0283 });
  });

  test('the queue shows seconds over and seconds left', async () => {
    // at 09:10:17: OVER (created 09:00:00) used 10m 17s: overdue, "-17s" left;
    //              SOON (created 09:00:34) used 9m 43s: 17 s left, at risk (past the default 80%).
    const csv = 'id,created,replied,resolved,priority\nOVER,2026-07-01 09:00:00,,,urgent\nSOON,2026-07-01 09:00:34,,,urgent\n';
    const q = await cli(['queue', '-c', 'sla.yaml', '-', '--as-of', '2026-07-01T09:10:17', '-f', 'markdown'], { cwd: dir, input: csv });
    expect(q.stdout).toContain('| OVER | first response | P1 | Desk | – | – | 10m 17s | 10m | 102% | -17s |');
    expect(q.stdout).toContain('| SOON | first response | P1 | Desk | – | – | 9m 43s | 10m | 97% | 17s |');
  });
});

describe('the rounding rule', () => {
  test.each([
    // elapsed, target (seconds) -> elapsed, target, over or left as shown
    [617, 600, '10m 17s', '10m', '17s'],
    [600.4, 600, '10m 1s', '10m', '1s'], // 0.4 s over: never "0"
    [677, 600, '12m', '10m', '2m'], // 1m 17s over: rounded up, 10m + 2m = 12m
    [720, 600, '12m', '10m', '2m'],
    [583, 600, '9m 43s', '10m', '17s'], // 17 s left
    [582.6, 600, '9m 43s', '10m', '17s'], // 17.4 s left: rounded down; elapsed up, 9m 43s + 17s = 10m
    [463, 600, '8m', '10m', '2m'], // 2m 17s left: rounded down to 2m; elapsed up to 8m
    [600, 600, '10m', '10m', '0m'],
    [3677, 3600, '1h 2m', '1h', '2m'],
    [3617, 3600, '1h 17s', '1h', '17s'],
  ])('%s s of %s s reads %s of %s (%s)', (e, t, elapsed, target, diff) => {
    expect(clockTexts(e * 1000, t * 1000)).toEqual([elapsed, target]);
    expect(e > t ? overText((e - t) * 1000) : leftText((t - e) * 1000)).toBe(diff);
  });

  test('an overdue clock shows its seconds as time left below zero', () => {
    expect(leftText(-17_000)).toBe('-17s');
    expect(leftText(-77_000)).toBe('-2m');
  });
});

describe('sub-second timestamps keep the one rounding rule', () => {
  // Replies with milliseconds, 10m target, around the clock:
  //   S9 replied 10m 59.999s after creation: 59.999 s over; rounded up to whole seconds that is 60 s,
  //     "breached by 1m", elapsed 10m + 1m = 11m; due and done are shown to the second with their
  //     fraction (09:10:00 and 09:10:59.999), not both as 09:10.
  //   S10 replied 9m 0.001s after: 59.999 s to spare, rounded down 59 s; elapsed 10m - 59s = 9m 1s.
  //   S8 replied 10m 0.6s after: 0.6 s over, rounded up 1s; elapsed 10m 1s.
  //   S7 replied 9m 59.9s after: 0.1 s to spare, rounded down "0s" (not "0m").
  const csv = `id,created,replied,resolved,priority
S7,2026-07-01T09:00:00+08:00,2026-07-01T09:09:59.900+08:00,,urgent
S8,2026-07-01T09:00:00+08:00,2026-07-01T09:10:00.600+08:00,,urgent
S9,2026-07-01T09:00:00+08:00,2026-07-01T09:10:59.999+08:00,,urgent
S10,2026-07-01T09:00:00+08:00,2026-07-01T09:09:00.001+08:00,,urgent
`;
  const explain = async (id: string) => {
    writeFileSync(join(dir, 'sub.csv'), csv);
    const out = (await cli(['explain', id, '-c', 'sla.yaml', 'sub.csv', '--as-of', '2026-07-01T09:30'], { cwd: dir })).stdout;
    const first = out.slice(out.indexOf('first response:'), out.indexOf('resolution:'));
    return first.split('\n').filter((l) => /^(first response:| {2}(due|done|elapsed) )/.test(l)).map((l) => l.replace(/\s+/g, ' ').trim());
  };
  test('explain: over-by rounds up to whole seconds, to spare down, times to the second with their fraction', async () => {
    expect(await explain('S9')).toEqual(['first response: breached by 1m', 'due 2026-07-01 09:10:00', 'done 2026-07-01 09:10:59.999', 'elapsed 11m of 10m']);
    expect(await explain('S10')).toEqual(['first response: met, 59s to spare', 'due 2026-07-01 09:10:00', 'done 2026-07-01 09:09:00.001', 'elapsed 9m 1s of 10m']);
    expect(await explain('S8')).toEqual(['first response: breached by 1s', 'due 2026-07-01 09:10:00', 'done 2026-07-01 09:10:00.600', 'elapsed 10m 1s of 10m']);
    expect(await explain('S7')).toEqual(['first response: met, 0s to spare', 'due 2026-07-01 09:10:00', 'done 2026-07-01 09:09:59.900', 'elapsed 10m of 10m']);
  });
  test('the JSON keeps its keys: the exact over-by is not in it', async () => {
    writeFileSync(join(dir, 'sub.csv'), csv);
    const out = (await cli(['explain', 'S9', '-c', 'sla.yaml', 'sub.csv', '--as-of', '2026-07-01T09:30', '-f', 'json'], { cwd: dir })).stdout;
    expect(out).not.toContain('over_ms');
    expect(out).toContain('"over_minutes": 1,');
  });
});
