/**
 * `sla-audit calendar`: a calendar's year (weekly hours, days off, make-up working days) and its
 * spine of business windows, as a table, JSON or CSV.
 */
import Table from 'cli-table3';
import type { CalendarSpine, CalendarYear } from '../calendar/listing.js';
import { MS_PER_MINUTE, formatDay, parseDay } from '../time/civil.js';
import { csvCell } from './csv.js';
import { safeText } from './escape.js';
import { duration, labels, type Common } from './format.js';

export type CalendarFormat = 'table' | 'json' | 'csv';

const hours = (minutes: number) => (minutes ? duration(minutes * MS_PER_MINUTE) : '0h');
const nextDay = (date: string) => formatDay(parseDay(date)! + 1);
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function table(head: string[], rows: (string | number)[][], right: number[] = []): string {
  const t = new Table({ head, style: { head: [], border: [], compact: true, 'padding-left': 1, 'padding-right': 1 }, colAligns: head.map((_, i) => (right.includes(i) ? 'right' : 'left')) });
  for (const r of rows) t.push(r.map((c) => (typeof c === 'string' ? safeText(c) : c)));
  return t.toString();
}

export function calendarYearReport(y: CalendarYear, format: CalendarFormat, t: Common = labels('en')): string {
  if (format === 'json') return JSON.stringify(y, null, 2) + '\n';
  if (format === 'csv') {
    const lines = ['kind,date,weekday,name,windows,hours,source'];
    const row = (cells: (string | number)[]) => lines.push(cells.map((c) => (typeof c === 'number' ? String(c) : csvCell(c))).join(','));
    for (const w of y.weekly) row(['weekly', '', w.weekday, '', w.windows.join(' '), +(w.minutes / 60).toFixed(2), '']);
    for (const d of y.days_off) row(['day_off', d.date, d.weekday, d.name, '', 0, d.source]);
    for (const d of y.workdays) row(['workday', d.date, d.weekday, d.name, d.windows.join(' '), +(d.minutes / 60).toFixed(2), d.source]);
    return lines.join('\n') + '\n';
  }
  const weekMinutes = y.weekly.reduce((a, w) => a + w.minutes, 0);
  const out = [
    t.calendarYear({ calendar: safeText(y.calendar), zone: y.timezone, year: y.year, daysOff: y.days_off.length, workdays: y.workdays.length, hours: hours(y.business_minutes) }),
    '',
    t.weeklyHours,
    table([...t.weeklyHead], [...y.weekly.map((w) => [w.weekday, w.windows.join(', ') || '–', hours(w.minutes)]), [t.week, '', hours(weekMinutes)]], [2]),
    '',
  ];
  if (y.days_off.length) {
    // consecutive days of one holiday read as one row, as the State Council's notice reads
    const runs: { first: CalendarYear['days_off'][number]; last: CalendarYear['days_off'][number]; n: number }[] = [];
    for (const d of y.days_off) {
      const r = runs[runs.length - 1];
      if (r && r.last.name === d.name && r.last.source === d.source && nextDay(r.last.date) === d.date) {
        r.last = d;
        r.n++;
      } else runs.push({ first: d, last: d, n: 1 });
    }
    out.push(
      t.daysOff(y.days_off.length),
      table([...t.daysOffHead], runs.map((r) => [
        r.n === 1 ? r.first.date : `${r.first.date}..${r.last.date}`, r.n === 1 ? r.first.weekday : `${r.first.weekday}–${r.last.weekday}`, r.n, r.first.name || '–', r.first.source,
      ]), [2]),
      '',
    );
  }
  if (y.workdays.length) {
    out.push(
      t.workdays(y.workdays.length),
      table([...t.workdaysHead], y.workdays.map((d) => [d.date, d.weekday, d.name || '–', d.windows.join(', '), hours(d.minutes), d.source]), [4]),
      '',
    );
  }
  return out.join('\n');
}

/** "2026-10-08T01:00:00Z" */
const utc = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
const cum = (m: number) => Math.round(m * 100) / 100;

/** Stable columns of the spine (`-f csv`), which SQL backends load. */
const SPINE_HEADER = 'calendar,window_start_utc,window_end_utc,business_minutes_before,local_date,business_day';

export function calendarSpineReport(s: CalendarSpine, format: CalendarFormat): string {
  const rows = s.windows.map((w) => ({ calendar: s.calendar, window_start_utc: utc(w.start), window_end_utc: utc(w.end), business_minutes_before: cum(w.cumMinutes), local_date: formatDay(w.day), business_day: w.businessDay }));
  const last = s.windows[s.windows.length - 1];
  const total = last ? cum(last.cumMinutes + (last.end - last.start) / MS_PER_MINUTE) : 0;
  if (format === 'json') return JSON.stringify({ calendar: s.calendar, timezone: s.timezone, from: utc(s.from), to: utc(s.to), business_minutes: total, windows: rows }, null, 2) + '\n';
  if (format === 'csv') return [SPINE_HEADER, ...rows.map((r) => [csvCell(r.calendar), r.window_start_utc, r.window_end_utc, r.business_minutes_before, r.local_date, r.business_day].join(','))].join('\n') + '\n';
  return [
    `Calendar ${safeText(s.calendar)} (${s.timezone}): ${plural(rows.length, 'business window')} from ${utc(s.from)} to ${utc(s.to)}, ${hours(total)} of business time`,
    table(['window_start_utc', 'window_end_utc', 'business_minutes_before'], rows.map((r) => [r.window_start_utc, r.window_end_utc, r.business_minutes_before]), [2]),
    '',
  ].join('\n');
}
