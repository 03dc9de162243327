import { describe, expect, test } from 'vitest';
import { configErrors as errors } from '../helpers/index.js';
import { cli } from '../cli/run.js';

const HEAD = `timezone: Asia/Shanghai
calendars:
  office:
    hours: { mon-fri: [09:00-17:00] }
policies:
  - name: Desk
    calendar: office
    targets: { resolution: 8h }
`;

describe('olas: every problem in one run, each with its line, path, value and fix', () => {
  test('values: target, empty or repeated group, 2d on a business calendar, calendar, warn_at; KPIs naming a group', () => {
    expect(errors(HEAD + `olas:
  - { group: 技术, target: 4x }
  - { group: " ", target: 4h }
  - { group: 技术, target: 2h }
  - { group: 仓库, target: 2d }
  - { group: 财务, target: 2h, calendar: ofice, warn_at: 1 }
  - { group: 法务, target: 1mo, calendar: office }
objectives:
  - { kpi: ola.tech.compliance, min: 90% }
  - { kpi: ola.财务.compliance, min: 90% }
  - { kpi: group_time.仓库.median, max: 4h }
`)).toEqual([
      'sla.yaml:10:26 olas[0].target: "4x" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")',
      'sla.yaml:11:14 olas[1].group: is empty; name the assignment group as the history writes it (技术, Service Desk, ...)',
      'sla.yaml:12:14 olas[2].group: group "技术" has an OLA already (olas[0]); give each group one OLA',
      'sla.yaml:13:26 olas[3].target: "2d" uses d (24-hour days), which only a 24x7 calendar has; write business days (bd) or business hours (h), or set calendar: 24x7 on this OLA',
      'sla.yaml:14:40 olas[4].calendar: unknown calendar "ofice" (did you mean "office"?) (known: 24x7, office)',
      'sla.yaml:14:56 olas[4].warn_at: 1 is ambiguous (1% or 100%?); write "1%" or "100%"',
      // the office calendar has 5 workdays a week: 1mo is about 5 × 52 / 12 = 22 business days
      'sla.yaml:15:26 olas[5].target: "1mo" counts calendar months, which need calendar 24x7, not business calendar "office"; write business days (about 22bd, or 22bd@end for the close of that day), or put this metric on calendar 24x7',
      // a broken OLA's group (仓库, 技术) is still known to the KPIs: its problem is said once
      'sla.yaml:17:12 objectives[0].kpi: no OLA for group "tech" (groups with an OLA: 技术, 仓库, 财务, 法务); add { group: tech, target: ... } to olas:, or correct the name',
    ]);
  });

  test('shape: an entry the schema refuses is cut alone; a typo loses only its key', () => {
    expect(errors(HEAD + `olas:
  - { group: 技术 }
  - { group: 仓库, target: 4x }
  - { group: 财务, target: 4h, pauses: [x] }
  - 17
objectives:
  - { kpi: ola.技术.compliance, min: 90% }
  - { kpi: ola.Tech.compliance, min: 90% }
`)).toEqual([
      'sla.yaml:10:5 olas[0].target: found nothing, which is not allowed here (expected string or number)',
      'sla.yaml:11:26 olas[1].target: "4x" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")',
      'sla.yaml:12:30 olas[2].pauses: unknown key "pauses" (allowed: group, target, calendar, pause_on, warn_at)',
      'sla.yaml:13:5 olas[3]: found 17, expected a mapping',
      'sla.yaml:16:12 objectives[1].kpi: no OLA for group "Tech" (groups with an OLA: 仓库, 财务, 技术); add { group: Tech, target: ... } to olas:, or correct the name',
    ]);
  });

  test('hand-off KPIs need an olas: section; a group KPI must spell the group as olas: does', () => {
    expect(errors(HEAD + `objectives:
  - { kpi: handoff_rate, max: 50% }
scorecards:
  desk:
    by: team
    indicators: [{ kpi: handoffs.mean, weight: 1, target: 1 }]
`)).toEqual([
      'sla.yaml:10:12 objectives[0].kpi: handoff_rate needs an olas: section (OLAs per assignment group, measured from the group column of the status history); add one, or remove this',
      'sla.yaml:14:25 scorecards.desk.indicators[0].kpi: handoffs.mean needs an olas: section (OLAs per assignment group, measured from the group column of the status history); add one, or remove this',
    ]);
    expect(errors(HEAD + `olas: [{ group: Service Desk, target: 1h }]
objectives:
  - { kpi: ola.service desk.compliance, min: 90% }
`)).toEqual([
      'sla.yaml:11:12 objectives[0].kpi: group "service desk" is written "Service Desk" in olas:; write ola.Service Desk.compliance',
    ]);
    // an empty olas: section is enough for the hand-off KPIs
    expect(errors(HEAD + `olas: []
objectives:
  - { kpi: handoffs.mean, max: 2 }
`)).toEqual([]);
  });

  test('the JSON Schema covers olas and events.columns.group', async () => {
    const r = await cli(['schema']);
    const s = JSON.parse(r.stdout);
    expect(Object.keys(s.properties.olas.items.properties)).toEqual(['group', 'target', 'calendar', 'pause_on', 'warn_at']);
    expect(s.properties.olas.items.required).toEqual(['group', 'target']);
    expect(Object.keys(s.properties.events.properties.columns.properties)).toContain('group');
  });
});
