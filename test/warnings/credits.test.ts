import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { cli } from '../cli/run.js';

// fixtures/warnings/credits: around the clock (Shanghai); resolution targets P1 4h, P2 8h. Credits per
// month: fee 100,000 CNY; tiers read resolution compliance: below 95% 5%, below 90% 10%; per breach P1
// 2,000, others 500; per started hour over target P1 300; cap 20% of the fee (20,000).
//   credit = min(cap · fee, fee · tier + Σ (per_breach + per_hour_over · ceil(over / 1h)))
const DIR = 'fixtures/warnings/credits';
const ARGS = ['-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`];

describe('service credits', () => {
  test('three months: no tier, a tier, and a capped month with per-hour rounding', async () => {
    const r = await cli(['check', ...ARGS, '--as-of', '2026-10-01T00:00', '-f', 'json']);
    const c = JSON.parse(r.stdout).credits;
    expect([c.currency, c.period, c.fee, c.metric, c.cap]).toEqual(['CNY', 'month', 100000, 'resolution', 0.2]);
    const pick = (p: Record<string, unknown>) => [p.period, p.provisional, p.compliance, p.tier, p.breaches, p.hours_over, p.tier_amount, p.breach_amount, p.uncapped, p.credit, p.capped];
    expect(c.periods.map(pick)).toEqual([
      // July: 19 of 20 met = 95%, not below 95%: no tier. J20 (P2) took 9h of 8h: 1 breach, 500; P2 has
      // no per-hour amount (its 1 started hour is counted, at 0).
      ['2026-07', false, 0.95, null, 1, 1, 0, 500, 500, 500, false],
      // August: 9 of 10 = 90%: below 95%, not below 90%: 5% of 100,000 = 5,000. A10 (P1) took 6h30m of 4h:
      // 2h30m over = 3 started hours: 2,000 + 3 × 300 = 2,900. 7,900 in all, under the cap.
      ['2026-08', false, 0.9, { below: 0.95, credit: 0.05 }, 1, 3, 5000, 2900, 7900, 7900, false],
      // September: 2 of 4 = 50%: 10% = 10,000. S3 (P1) 14h01m of 4h = 10h01m over = 11 started hours:
      // 2,000 + 3,300 = 5,300; S4 (P1) 24h = exactly 20h over = 20 hours: 2,000 + 6,000 = 8,000.
      // 10,000 + 13,300 = 23,300, over the cap of 20,000: 20,000.
      ['2026-09', false, 0.5, { below: 0.9, credit: 0.1 }, 2, 31, 10000, 13300, 23300, 20000, true],
    ]);
  });

  test('the table, and -o credits.csv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-credits-'));
    const r = await cli(['check', ...ARGS, '--as-of', '2026-10-01T00:00', '-o', join(dir, 'credits.csv')]);
    expect(r.stdout).toContain([
      'Service credits by month (fee CNY 100,000.00; tiers read resolution compliance; cap 20% of the fee)',
      '┌─────────┬────────────┬─────────────────┬──────────┬────────────┬───────────────┬────────────────┬───────────────┬───────────────┬────────┐',
      '│ period  │ compliance │            tier │ breaches │ hours over │   tier credit │ breach credits │      uncapped │        credit │        │',
      '├─────────┼────────────┼─────────────────┼──────────┼────────────┼───────────────┼────────────────┼───────────────┼───────────────┼────────┤',
      '│ 2026-07 │        95% │               – │        1 │          1 │      CNY 0.00 │     CNY 500.00 │    CNY 500.00 │    CNY 500.00 │        │',
      '│ 2026-08 │        90% │  5% (below 95%) │        1 │          3 │  CNY 5,000.00 │   CNY 2,900.00 │  CNY 7,900.00 │  CNY 7,900.00 │        │',
      '│ 2026-09 │        50% │ 10% (below 90%) │        2 │         31 │ CNY 10,000.00 │  CNY 13,300.00 │ CNY 23,300.00 │ CNY 20,000.00 │ capped │',
    ].join('\n'));
    expect(readdirSync(dir)).toEqual(['credits.csv']);
    expect(readFileSync(join(dir, 'credits.csv'), 'utf8')).toBe([
      'period,from,to,provisional,compliance,tickets_judged,tier_below,tier_credit,breaches,hours_over,tier_amount,breach_amount,uncapped,credit,capped,currency',
      '2026-07,2026-07-01,2026-08-01,false,0.95,20,,,1,1,0,500,500,500,false,CNY',
      '2026-08,2026-08-01,2026-09-01,false,0.9,10,0.95,0.05,1,3,5000,2900,7900,7900,false,CNY',
      '2026-09,2026-09-01,2026-10-01,false,0.5,4,0.9,0.1,2,31,10000,13300,23300,20000,true,CNY',
      '',
    ].join('\n'));
    // any other CSV name is still the per-ticket CSV
    const other = await cli(['check', ...ARGS, '--as-of', '2026-10-01T00:00', '-q', '-o', join(dir, 'tickets.csv')]);
    expect(readFileSync(join(dir, 'tickets.csv'), 'utf8').split('\n')[0]).toBe('ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at');
    expect(other.exitCode).toBe(0);
    rmSync(dir, { recursive: true });
  });

  test('--as-of at the end of a period settles it; before, the period is provisional', async () => {
    const open = JSON.parse((await cli(['check', ...ARGS, '--as-of', '2026-09-30T23:59', '-f', 'json'])).stdout).credits.periods;
    expect(open.map((p: { period: string; provisional: boolean }) => [p.period, p.provisional])).toEqual([['2026-07', false], ['2026-08', false], ['2026-09', true]]);
    const md = (await cli(['check', ...ARGS, '--as-of', '2026-09-30T23:59', '-f', 'markdown'])).stdout;
    expect(md).toContain('| 2026-09 | 50% | 10% (below 90%) | 2 | 31 | CNY 10,000.00 | CNY 13,300.00 | CNY 23,300.00 | CNY 20,000.00 | capped, provisional |');
  });

  test('explain: a ticket\'s charges and its share of the capped credit', async () => {
    const r = await cli(['explain', 'S3', ...ARGS, '--as-of', '2026-10-01T00:00']);
    // S3's 5,300 of September's 23,300, scaled by the cap: 5,300 × 20,000 ÷ 23,300 = 4,549.36
    expect(r.stdout).toContain([
      'service credit, 2026-09:',
      '  resolution breached: CNY 2,000.00 per breach + 11 started hours over × CNY 300.00 = CNY 5,300.00',
      "  this ticket CNY 5,300.00 of the period's CNY 13,300.00 breach credits; with the tier's CNY 10,000.00 the period owes CNY 23,300.00, capped at CNY 20,000.00",
      "  its share   CNY 4,549.36 (CNY 5,300.00 × CNY 20,000.00 ÷ CNY 23,300.00: the cap scales every part alike); the tier's part is the period's, not a ticket's",
    ].join('\n'));
    const j = JSON.parse((await cli(['explain', 'S3', ...ARGS, '--as-of', '2026-10-01T00:00', '-f', 'json'])).stdout);
    expect(j.credit).toMatchObject({ period: '2026-09', amount: 5300, period_credit: 20000, capped: true, share: 4549.36 });
    // a ticket that met its target has no part in the credit
    expect(JSON.parse((await cli(['explain', 'S1', ...ARGS, '--as-of', '2026-10-01T00:00', '-f', 'json'])).stdout).credit).toBeUndefined();
  });

  test('the workbook has a Credits sheet: percentages as fractions, amounts as numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-credits-xlsx-'));
    const r = await cli(['check', ...ARGS, '--as-of', '2026-10-01T00:00', '-q', '-o', join(dir, 'report.xlsx')]);
    expect(r.exitCode).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'report.xlsx'));
    const sheet = wb.getWorksheet('Credits')!;
    const rows = sheet.getSheetValues().slice(1).map((row) => (row as unknown[]).slice(1));
    expect(rows).toEqual([
      ['month', 'compliance', 'tier credit share', 'breaches', 'hours over', 'tier amount (CNY)', 'breach amount (CNY)', 'uncapped amount (CNY)', 'credit amount (CNY)', 'note'],
      ['2026-07', 0.95, undefined, 1, 1, 0, 500, 500, 500],
      ['2026-08', 0.9, 0.05, 1, 3, 5000, 2900, 7900, 7900],
      ['2026-09', 0.5, 0.1, 2, 31, 10000, 13300, 23300, 20000, 'capped'],
    ]);
    expect(sheet.getCell('B2').numFmt).toBe('0.0%');
    rmSync(dir, { recursive: true });
  });

  test('-o credits.csv without credits in the config is a usage error before anything is read', async () => {
    const r = await cli(['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '-o', '/tmp/never-credits.csv']);
    expect([r.exitCode, r.stderr]).toEqual([2, 'sla-audit: -o /tmp/never-credits.csv: a file named credits.csv gets the service credits, and fixtures/demo/sla.yaml has no credits: section (name the file otherwise for the per-ticket CSV)\n']);
  });
});
