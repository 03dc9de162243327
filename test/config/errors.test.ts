import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { configErrors as errors } from '../helpers/index.js';
import { STARTER } from '../../src/commands/init.js';


const BASE = `timezone: Asia/Shanghai
calendars:
  office:
    hours:
      mon-fri: [09:00-18:00]
priorities:
  P1: [Urgent]
  P2: [High]
policies:
`;

const MESSY = `timezone: Asia/Shang_hai
calendars:
  office:
    hours:
      mon-fry: [09:00-18:00]
      sat: [9-12]
policies:
  - name: Std
    calendar: ofice
    targets:
      first_response: { default: 90 }
      resolution: { default: 3 weeks }
    warn_at: 1
`;

describe('config errors: one line each with file:line:col, YAML path, value and fix', () => {
  test('unknown priority in targets (the SPEC example)', () => {
    expect(errors(BASE + `  - name: Std
    calendar: office
    targets:
      resolution: { P1: 4h, P5: 8h }
`)).toEqual(['sla.yaml:13:29 policies[0].targets.resolution.P5: unknown priority "P5" (known: P1, P2, default)']);
  });

  test('d on a business calendar suggests bd or hours', () => {
    expect(errors(BASE + `  - name: Std
    calendar: office
    targets:
      resolution: { P1: 2d }
`)).toEqual(['sla.yaml:13:25 policies[0].targets.resolution.P1: "2d" uses d (24-hour days) on business calendar "office"; write 2bd for business days, or business hours such as 18h (2 × 9h working days)']);
  });

  test('d is fine on 24x7', () => {
    expect(errors(BASE + `  - name: Std
    targets:
      resolution: { P1: 2d, default: 1d12h }
`)).toEqual([]);
  });

  // every problem in one run, sorted by line: a wrong shape (objectives[0].metric) no longer hides the
  // value problems, and the value problems come in the order of the file
  const MESSY_LINES = [
    'sla.yaml:1:11 timezone: unknown time zone "Asia/Shang_hai" (use an IANA name such as Asia/Shanghai, America/New_York or UTC)',
    'sla.yaml:5:7 calendars.office.hours.mon-fry: "mon-fry" is not a weekday (use sun, mon, tue, wed, thu, fri, sat, a range like mon-fri, or daily)',
    'sla.yaml:5:7 calendars.office.hours: no working hours on any weekday; add e.g. mon-fri: [09:00-18:00]',
    'sla.yaml:6:13 calendars.office.hours.sat[0]: "9-12" is not a time window (write HH:MM-HH:MM, e.g. "09:00-18:00")',
    'sla.yaml:9:15 policies[0].calendar: unknown calendar "ofice" (did you mean "office"?) (known: 24x7, office)',
    'sla.yaml:11:34 policies[0].targets.first_response.default: a duration needs a unit: write "90m", "90h" or "90bd"',
    'sla.yaml:12:30 policies[0].targets.resolution.default: "3 weeks" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")',
    'sla.yaml:13:14 policies[0].warn_at: 1 is ambiguous (1% or 100%?); write "1%" or "100%"',
  ];

  test('a wrong shape and the value problems come together in one run, sorted by line', () => {
    expect(errors(MESSY + `objectives:
  - { metric: resolutions, min: 95% }
`)).toEqual([...MESSY_LINES, 'sla.yaml:15:15 objectives[0].metric: found "resolutions" (allowed: first_response, resolution, next_reply, periodic_update, overall)']);
  });

  test('an unknown key inside a policy or objective does not hide that entry\'s other problems', () => {
    // the typo first_reponse is an unknown key: cut alone, so the policy's unknown calendar and
    // priority P5, and the objective's unknown priority P9 beside its colour key, are all said at once
    const lines = errors(`timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, priority: priority }
priorities: { P1: [urgent] }
policies:
  - name: Std
    calendar: nosuch
    targets: { first_reponse: 1h, resolution: { P5: 8h } }
objectives:
  - { metric: resolution, min: 90%, colour: red, priority: P9 }
`);
    expect(lines).toEqual([
      'sla.yaml:7:15 policies[0].calendar: unknown calendar "nosuch" (known: 24x7)',
      'sla.yaml:8:16 policies[0].targets.first_reponse: unknown key "first_reponse" (did you mean "first_response"?) (allowed: first_response, resolution, next_reply, periodic_update)',
      'sla.yaml:8:49 policies[0].targets.resolution.P5: unknown priority "P5" (known: P1, default)',
      'sla.yaml:10:37 objectives[0].colour: unknown key "colour" (allowed: metric, kpi, scorecard, priority, policy, where, effective, min, max, min_score, min_tickets)',
      'sla.yaml:10:60 objectives[0].priority: unknown priority "P9" (known: P1)',
    ]);
  });

  test('a typo is said once: not again as what the entry then lacks; a broken scorecard is not also unknown', () => {
    const lines = errors(`timezone: UTC
policies:
  - name: p
    targets: { resolution: 8h }
objectives:
  - { metrc: resolution, min: 90% }
  - { metric: resolution, mni: 90% }
  - { scorecard: sc, min_score: 80 }
scorecards:
  sc:
    by: team
    indicators:
      - { kpi: resolution.compliance, weight: 1, target: 90%, colour: red }
`);
    // one line per typo (not "says nothing to judge" or "needs min or max" as well), and the
    // objective on the scorecard cut out for its own typo is not "unknown scorecard"
    expect(lines.map((l) => l.replace(/ \(.*$/, ''))).toEqual([
      'sla.yaml:6:7 objectives[0].metrc: unknown key "metrc"',
      'sla.yaml:7:27 objectives[1].mni: unknown key "mni"',
      'sla.yaml:13:63 scorecards.sc.indicators[0].colour: unknown key "colour"',
    ]);
  });

  test('every value problem is listed, in the order of the file', () => {
    expect(errors(MESSY)).toEqual(MESSY_LINES);
  });

  test('unknown keys suggest the nearest allowed key', () => {
    expect(errors(`policies:
  - name: Std
    targetz: { resolution: { default: 1h } }
`)).toEqual([
      'sla.yaml:2:5 policies[0].targets: missing (required)',
      'sla.yaml:3:5 policies[0].targetz: unknown key "targetz" (did you mean "targets"?) (allowed: name, when, effective, calendar, calendars, targets, warn_at, pause_on, escalation)',
    ]);
  });

  test('invalid YAML names line and column', () => {
    expect(errors('policies:\n  - name: "Std\n')).toEqual(['sla.yaml:3:1 invalid YAML: Missing closing "quote']);
  });

  test('an alias bomb is refused', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', 'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]', 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]', 'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]', 'policies: [*d]'].join('\n');
    expect(errors(bomb)[0]).toMatch(/^sla\.yaml: .*aliases are limited/);
  });

  test('empty config', () => {
    expect(errors('')).toEqual(['sla.yaml: the config is empty; start from "sla-audit init"']);
  });

  test('the init starter is valid', () => {
    expect(errors(STARTER)).toEqual([]);
  });
});

describe('values', () => {
  test.each([
    ['45m', 45], ['4h', 240], ['1h30m', 90], ['1.5h', 90], ['2d', 2880], ['1d12h', 2160],
  ])('duration %s = %i minutes', (text, minutes) => {
    const c = parseConfig(`policies:\n  - name: p\n    targets: { resolution: { default: "${text}" } }\n`);
    const target = c.policies[0].targets.resolution.get('default')!;
    expect(target.kind === 'time' && target.ms / 60_000).toBe(minutes);
  });

  test.each([['95%', 0.95], ['0.95', 0.95], [0.9, 0.9], ['100%', 1]])('percentage %s', (v, expected) => {
    const c = parseConfig(`policies:\n  - name: p\n    targets: { resolution: { default: 1h } }\nobjectives:\n  - { metric: resolution, min: ${JSON.stringify(v)} }\n`);
    expect(c.objectives[0].min).toBeCloseTo(expected, 12);
  });

  test('priority aliases are case-insensitive and numbers are text', () => {
    const c = parseConfig(`priorities:\n  P1: [Urgent, 1, "1 - Critical", 紧急]\npolicies:\n  - name: p\n    targets: { resolution: { default: 1h } }\n`);
    expect(['urgent', '1', '1 - critical', '紧急', 'p1'].map((k) => c.priorityLookup.get(k))).toEqual(['P1', 'P1', 'P1', 'P1', 'P1']);
  });
});
