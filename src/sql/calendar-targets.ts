/**
 * `Nbd@end` and `Nmo` targets on the spine, with the engine's definitions (calendar/targets.ts):
 * the target is the business time from creation to the instant they name. `Nbd@end` names the
 * close of the Nth business day after day 0 (calendar.ts closeOfBusinessDay): the business day of
 * the window the ticket is created in; outside hours the local day of creation when it has working
 * hours, else the next business day. `Nmo` (24x7 only) names the same wall time N calendar months
 * after creation, the day clamped to the month's last (time/months.ts addMonths), read back into an
 * instant by the zone's rule (a skipped wall time moves forward, a repeated one is the earlier).
 */
import type { Config } from '../config/types.js';
import type { Target } from '../config/values.js';
import type { Zone } from '../time/zone.js';
import { MS_PER_DAY, civilFromDays, daysFromCivil, daysInMonth } from '../time/civil.js';
import { SQL_METRICS } from './metrics.js';
import type { Dialect } from './dialect.js';
import type { SpineRange } from './spine.js';
import { instantOffsets, stepCase, wallOffsets } from './timestamps.js';

/** The same day of the month `months` on, clamped to its last day (addMonths on day numbers). */
function monthsOn(day: number, months: number): number {
  const { y, m, d } = civilFromDays(day);
  const index = y * 12 + (m - 1) + months;
  const ty = Math.floor(index / 12);
  const tm = index - ty * 12 + 1;
  return daysFromCivil(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

export class CalendarTargets {
  /** calendars an Nbd@end target is measured on, with their zones */
  private readonly endCalendars = new Map<string, Zone>();
  /** the distinct N of the Nmo targets, and the zone of their (24x7) calendar */
  private readonly months = new Set<number>();
  private monthZone: Zone | undefined;

  constructor(
    private readonly d: Dialect,
    private readonly config: Config,
    private readonly range: SpineRange,
  ) {
    for (const p of config.policies) {
      for (const m of SQL_METRICS) {
        for (const t of p.targets[m].values()) {
          const cal = p.clocks[m].calendar;
          if (t.kind === 'bd-end') this.endCalendars.set(cal.name, cal.zone);
          if (t.kind === 'mo') {
            this.months.add(t.months);
            this.monthZone = cal.zone;
          }
        }
      }
    }
  }

  /** Whether the config has any: sla_targets then carries end_days and months. */
  get any(): boolean {
    return this.endCalendars.size > 0 || this.months.size > 0;
  }

  /** The local day numbers the spine's range covers in a zone, a day of margin each side. */
  private days(zone: Zone): [number, number] {
    return [Math.floor(zone.instantToWall(this.range.from) / MS_PER_DAY) - 1, Math.floor(zone.instantToWall(this.range.to) / MS_PER_DAY) + 1];
  }

  /** The local day of an instant in a zone, as a day number. */
  private localDay(zone: Zone, ms: string): string {
    const { bounds, offsets } = instantOffsets(zone, this.range.from, this.range.to);
    return `CAST(FLOOR((${ms} + ${stepCase(ms, bounds, offsets.map(String))}) / ${MS_PER_DAY}.0) AS ${this.d.bigint})`;
  }

  /**
   * sla_bday_days (calendar, lday, bday: each local day with working hours and its business-day
   * index, from the same windows as the spine) and sla_month_days (months, lday, due_lday).
   */
  views(): [string, string][] {
    const d = this.d;
    const out: [string, string][] = [];
    if (this.endCalendars.size) {
      const rows = new Map<string, string[]>();
      for (const p of this.config.policies) {
        for (const m of SQL_METRICS) {
          const cal = p.clocks[m].calendar;
          if (!this.endCalendars.has(cal.name)) continue;
          for (const w of cal.windows(this.range.from, this.range.to)) rows.set(`${cal.name}\u0000${w.day}`, [d.str(cal.name), String(w.day), String(w.businessDay)]);
        }
      }
      out.push(['sla_bday_days', d.values([...rows.values()], ['calendar', 'lday', 'bday'], [d.text, d.bigint, d.bigint])]);
    }
    if (this.monthZone) {
      const [first, last] = this.days(this.monthZone);
      const rows: string[][] = [];
      for (const n of this.months) for (let day = first; day <= last; day++) rows.push([String(n), String(day), String(monthsOn(day, n))]);
      out.push(['sla_month_days', d.values(rows, ['months', 'lday', 'due_lday'], [d.bigint, d.bigint, d.bigint])]);
    }
    return out;
  }

  /** sla_targets' extra columns of a target: [end_days, months] as SQL literals. */
  targetColumns(t: Target): string[] {
    return [t.kind === 'bd-end' ? String(t.days) : 'NULL', t.kind === 'mo' ? String(t.months) : 'NULL'];
  }

  /** sla_metric_rows' extra columns, from the policy's targets t1 (the priority's) and t0 (its default). */
  metricColumns(): string {
    return ['end_days', 'months'].map((c) => `,\n  CASE WHEN t1.metric IS NULL THEN t0.${c} ELSE t1.${c} END AS ${c}`).join('');
  }

  /**
   * sla_clock's inner columns (of metric row `k`, its creation's cover row `c`) and joins: day 0's
   * business-day index for Nbd@end (end_base), and the instant Nmo names (mo_due).
   */
  clockInner(): { cols: string; joins: string } {
    const cols: string[] = [];
    const joins: string[] = [];
    if (this.endCalendars.size) {
      const lday = `CASE k.calendar ${[...this.endCalendars].map(([name, zone]) => `WHEN ${this.d.str(name)} THEN ${this.localDay(zone, 'k.created_ms')}`).join(' ')} END`;
      cols.push(`CASE WHEN k.end_days IS NULL THEN NULL WHEN c.start_ms IS NOT NULL AND c.start_ms <= k.created_ms THEN c.bday ELSE COALESCE(ld.bday, c.bday) END AS end_base`);
      joins.push(`LEFT JOIN sla_bday_days ld ON k.end_days IS NOT NULL AND ld.calendar = k.calendar AND ld.lday = ${lday}`);
    } else cols.push(`CAST(NULL AS ${this.d.bigint}) AS end_base`);
    if (this.monthZone) {
      const zone = this.monthZone;
      const { bounds, offsets } = instantOffsets(zone, this.range.from, this.range.to);
      const wall = `(k.created_ms + ${stepCase('k.created_ms', bounds, offsets.map(String))})`;
      const lday = `CAST(FLOOR(${wall} / ${MS_PER_DAY}.0) AS ${this.d.bigint})`;
      const dueWall = `(md.due_lday * ${MS_PER_DAY} + ${wall} - ${lday} * ${MS_PER_DAY})`;
      const w = wallOffsets(zone, this.range.from, this.range.to);
      cols.push(`CASE WHEN md.due_lday IS NULL THEN NULL ELSE ${dueWall} - ${stepCase(dueWall, w.bounds, w.offsets.map(String))} END AS mo_due`);
      joins.push(`LEFT JOIN sla_month_days md ON md.months = k.months AND md.lday = ${lday}`);
    } else cols.push(`CAST(NULL AS ${this.d.bigint}) AS mo_due`);
    return { cols: cols.map((c) => `,\n    ${c}`).join(''), joins: joins.map((j) => `\n  ${j}`).join('') };
  }

  /** sla_clock's target for these kinds (`fallback` the others'), with the outer join to the target day's row `be`. */
  clockTarget(fallback: string): { target: string; join: string } {
    const end = this.endCalendars.size ? `WHEN b.end_days IS NOT NULL THEN CASE WHEN be.bday IS NULL THEN NULL ELSE GREATEST(be.first_cum + be.total - b.bc, 0) END ` : '';
    // on 24x7 the business time between two instants is their difference
    const mo = this.monthZone ? `WHEN b.months IS NOT NULL THEN CASE WHEN b.mo_due IS NULL THEN NULL ELSE GREATEST(b.mo_due - b.created_ms, 0) END ` : '';
    return {
      target: `CASE ${end}${mo}ELSE ${fallback} END`,
      join: this.endCalendars.size ? `\nLEFT JOIN sla_bdays be ON be.calendar = b.calendar AND be.bday = b.end_base + b.end_days` : '',
    };
  }
}
