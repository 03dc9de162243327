import { describe, expect, test } from 'vitest';
import { configErrors as errors } from '../helpers/index.js';


const HEAD = `timezone: Asia/Shanghai
priorities: { P1: [urgent], P2: [normal] }
policies:
  - name: A
    targets: { resolution: { P1: 4x, P2: 8h } }
`;

describe('credits: every problem in one run', () => {
  test('a fee the schema refuses does not hide the problems of the rest of the file', () => {
    // the fee is required: cutting the broken fee out used to take the whole config's value checks
    // with it, so only the fee was reported and the target "4x" and the tier at 150% were not
    expect(errors(HEAD + `credits:
  fee: -100
  tiers:
    - { below: 150%, credit: 5% }
`)).toEqual([
      'sla.yaml:5:34 policies[0].targets.resolution.P1: "4x" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")',
      'sla.yaml:7:8 credits.fee: found -100, which is too small (minimum 0)',
      'sla.yaml:9:16 credits.tiers[0].below: 150% is outside 0%..100%',
    ]);
    expect(errors(HEAD + `credits:
  fee: lots
`)).toEqual([
      'sla.yaml:5:34 policies[0].targets.resolution.P1: "4x" is not a duration (use m, h, d or bd: "45m", "4h", "1h30m", "2d", "3bd")',
      'sla.yaml:7:8 credits.fee: found "lots", expected number',
    ]);
  });

  test('a cap of 0 is refused: it would make every credit 0', () => {
    expect(errors(HEAD.replace('4x', '4h') + `credits:
  fee: 1000
  per_breach: 100
  cap: 0
`)).toEqual([
      'sla.yaml:9:8 credits.cap: 0% would make every period\'s credit 0; leave cap out for no cap, or give the most a period can owe (e.g. 25%)',
    ]);
    expect(errors(HEAD.replace('4x', '4h') + `credits:
  fee: 1000
  cap: 0%
`)).toHaveLength(1);
  });
});
