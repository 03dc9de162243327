/** The service credits as CSV (-o credits.csv): a row per contract period, amounts as plain numbers. */
import type { CreditsResult } from '../engine/result.js';
import { csvCell } from './csv.js';

export const CREDITS_CSV_HEADER = 'period,from,to,provisional,compliance,tickets_judged,tier_below,tier_credit,breaches,hours_over,tier_amount,breach_amount,uncapped,credit,capped,currency';

export function creditsCsv(c: CreditsResult): string {
  const num = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(Math.round(v * 1e6) / 1e6));
  const lines = [CREDITS_CSV_HEADER];
  for (const p of c.periods) {
    lines.push([
      p.period, p.from, p.to, p.provisional, num(p.compliance), p.tickets_judged, num(p.tier?.below), num(p.tier?.credit), p.breaches, p.hours_over,
      num(p.tier_amount), num(p.breach_amount), num(p.uncapped), num(p.credit), p.capped, csvCell(c.currency),
    ].join(','));
  }
  return lines.join('\n') + '\n';
}

/** Whether an -o file asks for the credits table: credits.csv, or a name ending in -credits.csv, _credits.csv or .credits.csv. */
export function isCreditsFile(file: string): boolean {
  return /(^|[/\\\-_.])credits\.csv$/i.test(file);
}
