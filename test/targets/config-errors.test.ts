/** Targets Nbd@end and Nmo in the config: every wrong form is one line with file:line:col, path, value and fix. */
import { describe, expect, test } from 'vitest';
import { configErrors as errors } from '../helpers/index.js';
import { parseDuration } from '../../src/config/values.js';

const BASE = `timezone: Europe/London
calendars:
  office:
    hours:
      mon-fri: [09:00-17:00]
priorities:
  P1: [Urgent]
  P2: [High]
policies:
  - name: Std
`;

const on = (calendar: string, targets: string) => errors(BASE + `    calendar: ${calendar}\n    targets:\n      resolution: ${targets}\n`);

describe('Nbd@end and Nmo in policies', () => {
  test('accepted: Nbd@end on a business calendar and on 24x7, Nmo on 24x7', () => {
    expect(on('office', '{ P1: 2bd@end, P2: 1bd, default: " 3BD @ END " }')).toEqual([]);
    expect(on('24x7', '{ P1: 1bd@end, P2: 1mo, default: 120mo }')).toEqual([]);
  });

  test('every problem in one run, one line each', () => {
    // line 13 is the targets line; columns are where each value starts
    expect(on('office', '{ P1: 1mo, P2: 2bd@start, default: 0bd@end }')).toEqual([
      'sla.yaml:13:25 policies[0].targets.resolution.P1: "1mo" counts calendar months, which need calendar 24x7, not business calendar "office"; write business days (about 22bd, or 22bd@end for the close of that day), or put this metric on calendar 24x7',
      'sla.yaml:13:34 policies[0].targets.resolution.P2: "2bd@start" is not a target: after @ only "end" is known (write 2bd@end for the close of the 2nd business day, or 2bd for 2 business days at the same time of day)',
      'sla.yaml:13:54 policies[0].targets.resolution.default: "0bd@end" would be due at the close of the day the ticket arrives, which has passed for a ticket created after the close; write 1bd@end (the close of the next business day) or business hours (e.g. 8h)',
    ]);
  });

  test('@end after something other than whole business days says what goes before @end (not that @ takes only "end")', () => {
    const fix = 'before @end comes a whole number of business days (1bd@end, 2bd@end: the close of that business day); for part of a day, write business hours (e.g. 4h)';
    expect(on('office', '{ P1: 0.5bd@end, P2: 1h@end, default: -1bd@end }')).toEqual([
      `sla.yaml:13:25 policies[0].targets.resolution.P1: "0.5bd@end": ${fix}`,
      `sla.yaml:13:40 policies[0].targets.resolution.P2: "1h@end": ${fix}`,
      `sla.yaml:13:57 policies[0].targets.resolution.default: "-1bd@end": ${fix}`,
    ]);
  });

  test('combined, fractional, zero, capital-M and too-long month targets', () => {
    expect(on('24x7', '{ P1: 1mo2d, P2: 1.5mo, default: 0mo }')).toEqual([
      'sla.yaml:13:25 policies[0].targets.resolution.P1: "1mo2d": months do not combine with other units (1 month and 2 days gives different days depending on which is added first); write whole months alone (1mo) or the whole target in days or hours (e.g. 33d)',
      'sla.yaml:13:36 policies[0].targets.resolution.P2: "1.5mo": months are whole (a month is 28 to 31 days); write 1mo, 2mo, ... or the time in days (e.g. 45d)',
      'sla.yaml:13:52 policies[0].targets.resolution.default: "0mo" is no time at all; write 1mo or more',
    ]);
    expect(on('24x7', '{ P1: 1M, P2: 121mo, default: 2 months }')).toEqual([
      'sla.yaml:13:25 policies[0].targets.resolution.P1: "1M" could mean 1 minute or 1 month; write 1m for minutes or 1mo for calendar months',
      'sla.yaml:13:33 policies[0].targets.resolution.P2: "121mo" is more than ten years (at most 120mo); targets are limited to ten years of the calendar',
      'sla.yaml:13:49 policies[0].targets.resolution.default: "2 months" is not a duration; write 2mo for 2 calendar months',
    ]);
  });

  test('too many business days for Nbd@end, as for Nbd (5 workdays × 521 weeks = 2,605)', () => {
    expect(on('office', '{ P1: 2606bd@end, P2: 2605bd@end }')).toEqual([
      'sla.yaml:13:25 policies[0].targets.resolution.P1: "2606bd@end" is more business days than ten years of calendar "office" hold (at most 2,605bd); targets are limited to ten years of the calendar',
    ]);
  });

  test('where a month or business-day target means nothing: thresholds and repeat_within', () => {
    const y = BASE + `    targets: { resolution: 4h }
objectives:
  - { kpi: resolution.median, max: 1mo }
  - { kpi: first_response.median, max: 1bd@end }
categories:
  repeat_within: 1mo
`;
    expect(errors(y)).toEqual([
      'sla.yaml:13:36 objectives[0].max: "1mo": a month is 28 to 31 days; write hours or minutes of business time (e.g. 8h)',
      'sla.yaml:14:40 objectives[1].max: "1bd@end": business days differ between calendars; write hours or minutes of business time (e.g. 8h)',
      'sla.yaml:16:18 categories.repeat_within: use days or hours here (e.g. 30d or 72h): a month is 28 to 31 days',
    ]);
  });
});

describe('parseDuration keeps the old forms', () => {
  test.each([
    ['45m', { kind: 'time', ms: 45 * 60_000 }],
    ['1h30M', { kind: 'time', ms: 90 * 60_000 }], // only a whole target in capital M is refused
    ['3bd', { kind: 'bd', days: 3 }],
    ['2bd@end', { kind: 'bd-end', days: 2 }],
    ['12mo', { kind: 'mo', months: 12 }],
  ] as [string, object][])('%s', (text, want) => {
    expect(parseDuration(text)).toMatchObject(want);
  });
});
