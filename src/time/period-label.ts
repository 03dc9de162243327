import { civilFromDays, daysFromCivil, formatDay, weekdayOfDay } from './civil.js';

/** The label of the period a local day falls in: 2026-10-05, 2026-W41, 2026-10, 2026-Q4. */
export function periodOf(day: number, period: 'day' | 'week' | 'month' | 'quarter'): string {
  if (period === 'day') return formatDay(day);
  if (period === 'week') {
    const wd = weekdayOfDay(day) || 7; // ISO: Monday 1 .. Sunday 7
    const thursday = day - wd + 4;
    const { y } = civilFromDays(thursday);
    const week = Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
    return `${y}-W${String(week).padStart(2, '0')}`;
  }
  const { y, m } = civilFromDays(day);
  return period === 'month' ? `${y}-${String(m).padStart(2, '0')}` : `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}
