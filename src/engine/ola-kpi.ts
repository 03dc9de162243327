/**
 * The KPIs of group hand-offs and OLAs, kept beside a KPI accumulator: tickets with a group
 * history, their hand-offs, and per OLA group a histogram of the business time the group held each
 * ticket (summed over its stints). OLA compliance is read from the accumulator's statuses.
 */
import { minutes } from '../time/units.js';
import { Histogram, type HistogramState } from './histogram.js';
import type { KpiValues, TicketFacts } from './result.js';

/** An OlaAcc as plain data (survives structured clone). */
export interface OlaState {
  withGroups: number;
  handoffs: number;
  handedOff: number;
  groupTimes: HistogramState[];
}

export class OlaAcc {
  /** tickets with at least one stint */
  withGroups = 0;
  handoffs = 0;
  /** tickets with at least one hand-off */
  handedOff = 0;
  /** per OLA group: business ms the group held each ticket it held */
  readonly groupTimes: Histogram[];

  constructor(readonly groups: readonly string[]) {
    this.groupTimes = groups.map(() => new Histogram());
  }

  add(f: TicketFacts, delta: number): void {
    if (!Number.isNaN(f.handoffs)) {
      this.withGroups += delta;
      this.handoffs += delta * f.handoffs;
      if (f.handoffs > 0) this.handedOff += delta;
    }
    for (let i = 0; i < f.groupMs.length; i++) if (!Number.isNaN(f.groupMs[i])) this.groupTimes[i].add(f.groupMs[i], delta);
  }

  /** Its sums as plain data; hands its histograms over. */
  exportState(): OlaState {
    return { withGroups: this.withGroups, handoffs: this.handoffs, handedOff: this.handedOff, groupTimes: this.groupTimes.map((h) => h.exportState()) };
  }

  /** Adds another part's (same OLA groups). */
  absorb(s: OlaState): void {
    this.withGroups += s.withGroups;
    this.handoffs += s.handoffs;
    this.handedOff += s.handedOff;
    s.groupTimes.forEach((h, i) => this.groupTimes[i].absorb(h));
  }

  /** handoffs.mean, handoff_rate, group_time.<group>.median|p90, and ola.compliance from (met, judged) over every OLA. */
  values(v: KpiValues, met: number, judged: number): void {
    v['ola.compliance'] = judged ? met / judged : null;
    v['handoffs.mean'] = this.withGroups ? this.handoffs / this.withGroups : null;
    v.handoff_rate = this.withGroups ? this.handedOff / this.withGroups : null;
    this.groups.forEach((g, i) => {
      const h = this.groupTimes[i];
      v[`group_time.${g}.median`] = minutesOrNull(h.median());
      v[`group_time.${g}.p90`] = minutesOrNull(h.quantile(0.9));
    });
  }

  /** What a hand-off or group-time KPI is made of, or undefined for another KPI. */
  basis(kpi: string): { n: number; detail: string } | undefined {
    if (kpi === 'handoffs.mean') return { n: this.withGroups, detail: `${this.handoffs} hand-offs over ${this.withGroups} tickets with a group history` };
    if (kpi === 'handoff_rate') return { n: this.withGroups, detail: `${this.handedOff} of ${this.withGroups} tickets with a group history were handed off at least once` };
    const m = /^group_time\.(.+)\.(median|p90)$/s.exec(kpi);
    const i = m ? this.groups.indexOf(m[1]) : -1;
    if (i < 0) return undefined;
    const h = this.groupTimes[i];
    return { n: h.total, detail: `${h.total} tickets held by ${m![1]}${h.total ? `, ${minutes(h.sum)} business minutes in all` : ''}` };
  }
}

const minutesOrNull = (ms: number | null) => (ms === null ? null : minutes(ms));
