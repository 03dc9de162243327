/** Credits config that gave "CNY ∞", capped every credit at 0, or priced no period without a word. */
import { describe, expect, test } from 'vitest';
import { configErrors as errors } from '../helpers/index.js';

const HEAD = `timezone: UTC
priorities: { P1: [urgent], P2: [normal] }
policies:
  - name: A
    targets: { resolution: 8h }
credits:
`;

describe('credits config', () => {
  test('a fee or amount of 1.7e308 is refused (its sums were "CNY ∞")', () => {
    expect(errors(HEAD + '  fee: 1.7e308\n  per_breach: { P1: 2e13, default: 5 }\n  per_hour_over: 1e300\n')).toEqual([
      'sla.yaml:7:8 credits.fee: 1.7e+308 is over 1,000,000,000,000, the largest amount taken (sums past it lose their cents); is it in the right unit?',
      'sla.yaml:8:21 credits.per_breach.P1: 20000000000000 is over 1,000,000,000,000, the largest amount taken (sums past it lose their cents); is it in the right unit?',
      'sla.yaml:9:18 credits.per_hour_over: 1e+300 is over 1,000,000,000,000, the largest amount taken (sums past it lose their cents); is it in the right unit?',
    ]);
    expect(errors(HEAD + '  fee: 1000000000000\n')).toEqual([]);
  });

  test('a cap with a fee of 0 is refused (every credit was "capped" at 0); a fee of 0 without a cap is fine', () => {
    expect(errors(HEAD + '  fee: 0\n  per_breach: 500\n  cap: 20%\n')).toEqual([
      "sla.yaml:9:8 credits.cap: is a share of the fee, and the fee is 0: every period's credit would be capped at 0; leave cap out, or give the fee",
    ]);
    expect(errors(HEAD + '  fee: 0\n  per_breach: 500\n')).toEqual([]);
  });

  test('policies: [] is refused (every period was dropped silently)', () => {
    expect(errors(HEAD + '  fee: 100\n  policies: []\n')).toEqual([
      'sla.yaml:8:13 credits.policies: is empty: no policy would be covered and no period priced; leave policies out to cover every policy, or name them',
    ]);
  });
});
