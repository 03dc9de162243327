/**
 * A credit period cut by --since/--until is left out of the service credits, with a warning naming it
 * (priced on part of its tickets it is a figure no contract owes).
 * fixtures/warnings/credits: July has 20 tickets, 19 met and J20 (P2, 9h of 8h) breached: 95%, no tier,
 * 500. The tiers: below 95% 5%, below 90% 10%; fee 100,000.
 */
import { describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

const DIR = 'fixtures/warnings/credits';
const ARGS = ['-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--as-of', '2026-10-01T00:00', '-f', 'json'];
const periods = (stdout: string) => JSON.parse(stdout).credits.periods.map((p: Record<string, unknown>) => [p.period, p.compliance, p.credit]);

describe('credit periods cut by --since/--until', () => {
  test('--since 2026-07-20: July (only J20 inside: 0%, 10% tier + 500 = 10,500 before) is left out; August and September are whole', async () => {
    const r = await cli(['check', ...ARGS, '--since', '2026-07-20']);
    expect(r.exitCode).toBe(0);
    // August and September as without --since: 90% → 7,900; 50% → 20,000 (capped)
    expect(periods(r.stdout)).toEqual([['2026-08', 0.9, 7900], ['2026-09', 0.5, 20000]]);
    expect(r.stderr).toContain('sla-audit: warning: credits: month 2026-07 (2026-07-01 to 2026-08-01) is cut by --since, so it is left out of the service credits');
    expect(JSON.parse(r.stdout).credits.left_out).toEqual([{ period: '2026-07', from: '2026-07-01', to: '2026-08-01', cut_by: ['--since'] }]);
    const table = await cli(['check', ...ARGS.slice(0, -2), '--since', '2026-07-20']);
    expect(table.stdout).toContain('Service credits by month (fee CNY 100,000.00; tiers read resolution compliance; cap 20% of the fee; left out, cut by --since/--until: 2026-07)');
  });

  test('--until 2026-09-02 cuts September; --since at the first instant of July (Shanghai) cuts nothing', async () => {
    const r = await cli(['check', ...ARGS, '--since', '2026-07-01T00:00', '--until', '2026-09-02']);
    expect(periods(r.stdout)).toEqual([['2026-07', 0.95, 500], ['2026-08', 0.9, 7900]]);
    expect(r.stderr).toContain('credits: month 2026-09 (2026-09-01 to 2026-10-01) is cut by --until');
    expect(r.stderr).not.toContain('2026-07 (');
  });

  test('--until at the end of a period (2026-10-01, exclusive) cuts nothing', async () => {
    const r = await cli(['check', ...ARGS, '--until', '2026-10-01']);
    expect(periods(r.stdout)).toEqual([['2026-07', 0.95, 500], ['2026-08', 0.9, 7900], ['2026-09', 0.5, 20000]]);
    expect(r.stderr).not.toContain('credits:');
  });
});
