import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { configJsonSchema } from '../../src/config/zod-schema.js';
import { configErrors as errors } from '../helpers/index.js';

const HEAD = `timezone: Asia/Shanghai
calendars:
  support:
    hours: { mon-fri: [09:00-18:00] }
policies:
`;

describe('calendars:, pause_on per metric and next_reply from: in the config', () => {
  test('a wrong pause_on value cuts pause_on alone: the policy\'s conditions and targets are still checked', () => {
    expect(errors(HEAD + `  - name: A
    pause_on: { resolution: Pending }
    when: { channel: { not: [] } }
    targets: { first_response: 0mo, resolution: 8h }
`)).toEqual([
      'sla.yaml:7:29 policies[0].pause_on.resolution: found "Pending", expected a list',
      'sla.yaml:8:29 policies[0].when.channel.not: is an empty list, which matches no ticket; give at least one value',
      'sla.yaml:9:32 policies[0].targets.first_response: "0mo" is no time at all; write 1mo or more',
    ]);
  });

  test('a wrong next_reply from: cuts from: alone: the policy\'s conditions and other targets are still checked', () => {
    expect(errors(HEAD + `  - name: A
    when: { channel: { contain: x } }
    targets: { first_response: 0mo, resolution: 8h, next_reply: { from: first_customer_mesage, default: 1h } }
`)).toEqual([
      'sla.yaml:7:24 policies[0].when.channel.contain: unknown operator "contain" (did you mean "contains"?) (operators: not, contains, matches, gt, gte, lt, lte; a plain value or list means "one of")',
      'sla.yaml:8:32 policies[0].targets.first_response: "0mo" is no time at all; write 1mo or more',
      'sla.yaml:8:73 policies[0].targets.next_reply.from: found "first_customer_mesage" (allowed: first_agent_reply, first_customer_message)',
    ]);
    // a next_reply whose targets are wrong too keeps the whole policy cut; both of its problems are said
    expect(errors(HEAD + `  - name: A
    targets: { first_response: 1h, next_reply: { from: nope, default: soon } }
`)).toEqual([
      'sla.yaml:7:56 policies[0].targets.next_reply.from: found "nope" (allowed: first_agent_reply, first_customer_message)',
      'sla.yaml:7:71 policies[0].targets.next_reply.default: "soon" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")',
    ]);
  });

  test('every problem in one run, one line each with file:line:col, YAML path, value and fix', () => {
    expect(errors(HEAD + `  - name: A
    calendars: { first_response: suport, resolutoin: 24x7 }
    pause_on: { resolution: [Pending], first_reponse: [Pending] }
    targets: { first_response: 10m, resolution: 1d }
  - name: B
    calendar: 24x7
    calendars: { resolution: support }
    targets: { first_response: { from: first_customer_message, default: 1h }, resolution: 2d, next_reply: { from: first_customer_message } }
  - name: C
    calendar: support
    calendars: { resolution: 24x7 }
    pause_on: Pending
    targets: { first_response: 1h, resolution: 1d, next_reply: { from: first_customer_mesage, default: 1h } }
  - name: D
    calendar: support
    calendars: { first_response: 24x7 }
    targets: { first_response: 1d, resolution: 1d }
`)).toEqual([
      // an unknown calendar under calendars:, with the nearest name
      'sla.yaml:7:34 policies[0].calendars.first_response: unknown calendar "suport" (did you mean "support"?) (known: 24x7, support)',
      // unknown metrics under calendars: and pause_on (A's resolution: 1d is fine: its calendar is the default 24x7)
      'sla.yaml:7:42 policies[0].calendars.resolutoin: unknown key "resolutoin" (did you mean "resolution"?) (allowed: first_response, resolution, next_reply, periodic_update)',
      'sla.yaml:8:40 policies[0].pause_on.first_reponse: unknown key "first_reponse" (did you mean "first_response"?) (allowed: first_response, resolution, next_reply, periodic_update)',
      // from: belongs to next_reply alone
      'sla.yaml:13:34 policies[1].targets.first_response.from: "from" chooses where next_reply\'s waits start; first_response has no such choice (remove it, or move it under next_reply)',
      // d is judged on the metric's own calendar: B's policy calendar is 24x7, its resolution's is support
      'sla.yaml:13:91 policies[1].targets.resolution: "2d" uses d (24-hour days) on business calendar "support" (calendars.resolution); write 2bd for business days, or business hours such as 18h (2 × 9h working days)',
      'sla.yaml:13:107 policies[1].targets.next_reply: has from: first_customer_message but no target; add one, e.g. { from: first_customer_message, default: 4h }',
      'sla.yaml:17:15 policies[2].pause_on: found "Pending", which is not allowed here (expected a list or a mapping)',
      'sla.yaml:18:72 policies[2].targets.next_reply.from: found "first_customer_mesage" (allowed: first_agent_reply, first_customer_message)',
      // D: first_response 1d is fine on its own 24x7; resolution 1d on the policy's support is not
      'sla.yaml:22:48 policies[3].targets.resolution: "1d" uses d (24-hour days) on business calendar "support"; write 1bd for business days, or business hours such as 9h (1 × 9h working days)',
    ]);
  });

  test('a newcomer\'s calendars: support is told about calendar:', () => {
    expect(errors(HEAD + `  - name: A
    calendars: support
    targets: { first_response: 10m }
`)).toEqual(['sla.yaml:7:16 policies[0].calendars: found "support", expected a mapping of metric -> calendar (one calendar for every metric is calendar: support)']);
  });

  test('resolved: each metric\'s calendar and pauses, next_reply\'s start', () => {
    const c = parseConfig(HEAD + `  - name: Chat
    calendar: support
    calendars: { resolution: 24x7 }
    pause_on: { resolution: [Pending, " 待客户确认 "] }
    targets: { first_response: 10m, resolution: 1d, next_reply: { from: first_customer_message, P1: 1h, default: 4h } }
  - name: Desk
    pause_on: [Pending]
    targets: { first_response: 1h, next_reply: 4h }
`, 'sla.yaml');
    const [chat, desk] = c.policies;
    expect([chat.clocks.first_response.calendar.name, chat.clocks.resolution.calendar.name, chat.clocks.next_reply.calendar.name]).toEqual(['support', '24x7', 'support']);
    expect([[...chat.clocks.first_response.pauseOn], [...chat.clocks.resolution.pauseOn], chat.clocks.resolution.pauseText]).toEqual([[], ['pending', '待客户确认'], ['Pending', '待客户确认']]);
    expect([chat.replyFrom, [...chat.targets.next_reply.keys()]]).toEqual(['first_customer_message', ['P1', 'default']]);
    // a list pauses every metric; no calendars: every metric on the policy's calendar (24x7 by default)
    expect([desk.replyFrom, [...desk.pauseOn], [...desk.clocks.next_reply.pauseOn], desk.clocks.resolution.calendar.name]).toEqual(['first_agent_reply', ['pending'], ['pending'], '24x7']);
  });

  test('the JSON Schema covers calendars:, pause_on as a map and next_reply\'s from:', () => {
    const s = configJsonSchema() as { properties: { policies: { items: { properties: Record<string, any> } } } };
    const p = s.properties.policies.items.properties;
    expect(Object.keys(p.calendars.properties)).toEqual(['first_response', 'resolution', 'next_reply', 'periodic_update']);
    expect(p.calendars.additionalProperties).toBe(false);
    expect(p.pause_on.anyOf.map((b: { type: string }) => b.type)).toEqual(['array', 'object']);
    expect(p.targets.properties.next_reply.anyOf[1].properties.from.enum).toEqual(['first_agent_reply', 'first_customer_message']);
  });
});
