import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { auditText, configErrors as errors } from '../helpers/index.js';


const POLICY = `policies:
  - name: p
    targets: { resolution: 8h }
`;

describe('forms users write', () => {
  test('targets: { resolution: 8h } is one target for every priority', () => {
    const c = parseConfig(`priorities: { P1: [Urgent], P2: [High] }\n${POLICY}`);
    expect(c.policies[0].targets.resolution.get('default')).toMatchObject({ kind: 'time', ms: 8 * 3_600_000 });
    expect(c.policies[0].targets.first_response.size).toBe(0);
  });

  test.each([
    ['95%', 0.95], ['95', 0.95], [95, 0.95], ['0.95', 0.95], [0.95, 0.95], ['100%', 1], [100, 1], ['1%', 0.01], [0, 0], ['0%', 0], ['99.5', 0.995],
  ])('min: %j is %d — the same rule as --fail-under', (v, expected) => {
    const c = parseConfig(`${POLICY}objectives:\n  - { metric: resolution, min: ${JSON.stringify(v)} }\n`);
    expect(c.objectives[0].min).toBeCloseTo(expected, 12);
  });

  test.each([
    [1, 'sla.yaml:5:32 objectives[0].min: 1 is ambiguous (1% or 100%?); write "1%" or "100%"'],
    ['101', 'sla.yaml:5:32 objectives[0].min: 101 is outside 0%..100% (write 95%, 95 or 0.95)'],
    ['150%', 'sla.yaml:5:32 objectives[0].min: 150% is outside 0%..100%'],
    ['lots', 'sla.yaml:5:32 objectives[0].min: "lots" is not a percentage (write 95%, 95 or 0.95)'],
  ])('min: %j is refused', (v, message) => {
    expect(errors(`${POLICY}objectives:\n  - { metric: resolution, min: ${JSON.stringify(v)} }\n`)).toEqual([message]);
  });

  test('an objective on first response without a first-response column is a config error', () => {
    expect(errors(`tickets: { columns: { id: Id, created_at: Created, resolved_at: Solved } }\n${POLICY}objectives:\n  - { metric: first_response, min: 90% }\n`)).toEqual([
      'sla.yaml:6:15 objectives[0].metric: first_response is not measured: neither tickets.columns.first_response_at nor first_response_minutes is mapped (nor first_response_statuses); map one, or remove this objective',
    ]);
  });
});

describe('calendars', () => {
  const cal = (body: string) => `calendars:\n  c:\n${body}policies:\n  - name: p\n    calendar: c\n    targets: { resolution: 8h }\n`;

  test('a window over midnight that runs into the next day\'s first window is refused', () => {
    expect(errors(cal('    hours:\n      mon: [22:00-06:00]\n      tue: [05:00-09:00]\n'))).toEqual([
      'sla.yaml:4:7 calendars.c.hours.mon: mon\'s window 22:00-06:00 runs into tue\'s window 05:00-09:00; a window over midnight must end before the next day\'s first window',
    ]);
    // ending exactly when the next day opens is fine
    expect(errors(cal('    hours:\n      mon: [22:00-06:00]\n      tue: [06:00-09:00]\n'))).toEqual([]);
  });

  test('a make-up day\'s night window running into the next day is refused too', () => {
    // Sun 2026-10-11 is a make-up day working 20:00 to Monday 10:00, but Monday opens at 09:00
    expect(errors(cal('    hours:\n      mon-fri: [09:00-18:00]\n    workdays:\n      - { date: 2026-10-11, hours: [20:00-10:00] }\n'))).toEqual([
      'sla.yaml:6:9 calendars.c.workdays[0]: the window 20:00-10:00 on 2026-10-11 runs into the window 09:00-18:00 on 2026-10-12; a window over midnight must end before the next day\'s first window',
    ]);
  });

  test('a date that is both a holiday and a make-up day names both entries', () => {
    expect(errors(cal('    hours:\n      mon-fri: [09:00-18:00]\n    holidays:\n      - 2026-10-01..2026-10-07\n    workdays:\n      - 2026-10-05\n'))).toEqual([
      'sla.yaml:8:9 calendars.c.workdays[0]: 2026-10-05 is both a holiday (holidays[0]) and a make-up working day (workdays[0]); keep one of them',
    ]);
  });

  test('overlapping windows are reported once', () => {
    expect(errors(cal('    hours:\n      mon-fri: [09:00-12:00, 11:00-14:00, 13:00-18:00]\n'))).toEqual([
      'sla.yaml:4:16 calendars.c.hours.mon-fri: windows overlap (09:00-12:00, 11:00-14:00, 13:00-18:00); list them without overlaps',
    ]);
  });

  test('a workdays entry on a normal working day replaces its hours (a short day)', async () => {
    // Fri 2026-10-09 normally 09:00-18:00; the short day closes at 12:00. Created 09:00, open at 20:00:
    // 3 business hours (09-12), not 9.
    const yaml = `timezone: UTC
calendars:
  c:
    hours: { mon-fri: [09:00-18:00] }
    workdays:
      - { date: 2026-10-09, hours: [09:00-12:00] }
tickets: { columns: { id: id, created_at: created, resolved_at: resolved } }
policies:
  - name: p
    calendar: c
    targets: { resolution: 8h }
`;
    const r = await auditText(yaml, 'id,created,resolved\nA,2026-10-09 09:00,\n', '2026-10-09T20:00', { onTicket: (ev) => expect(ev.results[1].elapsedMs).toBe(3 * 3_600_000) });
    expect(r.metrics.resolution.running).toBe(1);
  });
});

describe('limits', () => {
  test.each([
    ['99999bd', 'sla.yaml:6:28 policies[0].targets.resolution: "99999bd" is more business days than ten years of calendar "c" hold (at most 2,605bd); targets are limited to ten years of the calendar'],
    ['9007199254740993m', 'sla.yaml:6:28 policies[0].targets.resolution: "9007199254740993m" is more business time than ten years of calendar "c" hold (at most 23,445h); targets are limited to ten years of the calendar'],
    ['5000000h', 'sla.yaml:6:28 policies[0].targets.resolution: "5000000h" is more business time than ten years of calendar "c" hold (at most 23,445h); targets are limited to ten years of the calendar'],
  ])('%s is beyond what a 9-hour, 5-day calendar holds in ten years', (target, message) => {
    // 5 days × 9h × 521 weeks = 23,445h; 5 × 521 = 2,605 business days
    expect(errors(`calendars:\n  c: { hours: { mon-fri: [09:00-18:00] } }\npolicies:\n  - name: p\n    calendar: c\n    targets: { resolution: ${target} }\n`)).toEqual([message]);
  });

  test('on 24x7 the limit is ten years of hours', () => {
    // 168h × 521 weeks = 87,528h
    expect(errors(`policies:\n  - name: p\n    targets: { resolution: 100000h }\n`)).toEqual([
      'sla.yaml:3:28 policies[0].targets.resolution: "100000h" is more business time than ten years hold (at most 87,528h); targets are limited to ten years of the calendar',
    ]);
    expect(errors(`policies:\n  - name: p\n    targets: { resolution: 87528h }\n`)).toEqual([]);
  });
});

describe('reserved names as keys', () => {
  test.each([
    ['when', `policies:\n  - name: VIP\n    when: { __proto__: VIP }\n    targets: { resolution: 8h }\n`, 'sla.yaml:3:13 policies[0].when.__proto__'],
    ['when', `policies:\n  - name: VIP\n    when: { constructor: VIP }\n    targets: { resolution: 8h }\n`, 'sla.yaml:3:13 policies[0].when.constructor'],
    ['priorities', `priorities:\n  prototype: [Urgent]\n${POLICY}`, 'sla.yaml:2:3 priorities.prototype'],
    ['aliases', `categories:\n  aliases: { __proto__: [Shipping] }\n${POLICY}`, 'sla.yaml:2:14 categories.aliases.__proto__'],
    ['columns', `tickets:\n  columns: { __proto__: Id }\n${POLICY}`, 'sla.yaml:2:14 tickets.columns.__proto__'],
  ])('in %s: refused with its place, never silently dropped', (_where, yaml, place) => {
    const lines = errors(yaml);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${place.replace(/[.[\]]/g, '\\$&')}: "(__proto__|constructor|prototype)" is a reserved name and cannot be a key in a config; rename it`));
  });
});

test('a broken calendar is reported once; the policy naming it is not reported again', () => {
  expect(errors(`calendars:\n  office: { hours: { mon-fri: 9-18 } }\npolicies:\n  - name: p\n    calendar: office\n    targets: { resolution: 8h }\n`)).toEqual([
    'sla.yaml:2:31 calendars.office.hours.mon-fri: found "9-18", expected a list',
  ]);
});
