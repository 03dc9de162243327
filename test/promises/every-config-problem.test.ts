/** Every config problem in one run: a wrong policy setting with a default no longer hides the policy's other problems. */
import { describe, expect, test } from 'vitest';
import { configErrors as errors } from '../helpers/index.js';

const BASE = `timezone: Asia/Shanghai
calendars:
  office:
    hours:
      mon-fri: [09:00-18:00]
priorities:
  P1: [Urgent]
policies:
  - name: Std
    calendar: office
`;
const TWO_DAYS = 'sla.yaml:13:25 policies[0].targets.resolution.P1: "2d" uses d (24-hour days) on business calendar "office"; write 2bd for business days, or business hours such as 18h (2 × 9h working days)';

describe('a policy with a wrong setting', () => {
  test('warn_at: [75%] and 2d on a business calendar: both reported', () => {
    expect(errors(BASE + '    warn_at: [75%]\n    targets:\n      resolution: { P1: 2d }\n')).toEqual([
      'sla.yaml:11:14 policies[0].warn_at: found a list, which is not allowed here (expected string or number)',
      TWO_DAYS,
    ]);
  });

  test('an escalation rung without a level and 2d on a business calendar: both reported', () => {
    const e = errors(BASE + '    escalation: [{ at: 50% }]\n    targets:\n      resolution: { P1: 2d }\n');
    expect(e).toHaveLength(2);
    expect(e[0]).toMatch(/^sla\.yaml:11:\d+ policies\[0\]\.escalation\[0\]/);
    expect(e[1]).toBe(TWO_DAYS);
  });
});
