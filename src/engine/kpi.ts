/**
 * KPI accumulators: one per place a KPI is computed (overall, a breakdown group, a period, an
 * objective's tickets, a scorecard group). Each holds counters and duration histograms, never a
 * value per ticket, and can take a ticket back out. Values follow the catalogue in config/kpis.ts.
 */
import { isOla, type MetricName } from '../config/schema.js';
import type { CustomKpi } from '../config/types.js';
import { minutes } from '../time/units.js';
import { ExactSum } from './exact-sum.js';
import { Histogram, type HistogramState } from './histogram.js';
import { OlaAcc, type OlaState } from './ola-kpi.js';
import { STATUSES, type EvaluatedTicket, type KpiValues, type Status } from './result.js';

const NS = STATUSES.length;
const S = Object.fromEntries(STATUSES.map((s, i) => [s, i])) as Record<Status, number>;

/** The sums a KpiAcc adds up, by name (the counters it merges field by field). */
const SUMS = ['tickets', 'ticketsBreached', 'ticketsOverdue', 'satN', 'satGood', 'npsN', 'promoters', 'detractors', 'fcrBase', 'fcrYes', 'reopenBase', 'reopened', 'backlog'] as const;

/** A KpiAcc as plain data (survives structured clone); repeats are not in it (they are found after merging). */
export interface KpiState {
  sums: number[];
  statuses: Float64Array;
  times: HistogramState[];
  ola?: OlaState;
  customN: Float64Array;
  /** ratings' and custom KPI cells' exact sums, as partials (ExactSum) */
  sat: number[];
  customSum: number[][];
}

export class KpiAcc {
  tickets = 0;
  /** statuses per metric: [metric * NS + status] */
  readonly statuses: Float64Array;
  /** tickets with a metric done after its target / open past it */
  ticketsBreached = 0;
  ticketsOverdue = 0;
  /** business ms of completed (met or breached) tickets, per metric */
  readonly times: Histogram[];
  satN = 0;
  /** the ratings, summed exactly: the same in any order, in one pass or in parts */
  readonly sat = new ExactSum();
  satGood = 0;
  npsN = 0;
  promoters = 0;
  detractors = 0;
  fcrBase = 0;
  fcrYes = 0;
  reopenBase = 0;
  reopened = 0;
  backlog = 0;
  /** repeat complaints among these tickets (found at the end; null when they cannot be known) */
  repeats: number | null = 0;
  /** the SLA metrics come first: OLA metrics (from this index) are in no overall compliance, ticket breach count or time statistic */
  readonly sla: number;
  /** hand-offs and group times, when the config has an olas: section */
  readonly ola: OlaAcc | undefined;
  /** per custom KPI: tickets with a value (a share's non-empty cells, a mean's numbers), and their sum (a share's hits) */
  readonly customN: Float64Array;
  readonly customSum: ExactSum[];

  constructor(
    /** its place in the aggregator's list (repeat complaints find their accumulators by it) */
    readonly id: number,
    private readonly goodRating: number,
    /** the measured metrics (the config's), in the order of a ticket's results */
    readonly metrics: readonly MetricName[],
    /** the config's custom KPIs, in the order of a ticket's custom values */
    private readonly custom: readonly CustomKpi[] = [],
    /** the OLA groups, when the config has an olas: section (even an empty one) */
    olaGroups?: readonly string[],
  ) {
    this.statuses = new Float64Array(metrics.length * NS);
    const first = metrics.findIndex(isOla);
    this.sla = first < 0 ? metrics.length : first;
    this.times = metrics.slice(0, this.sla).map(() => new Histogram());
    this.ola = olaGroups ? new OlaAcc(olaGroups) : undefined;
    this.customN = new Float64Array(custom.length);
    this.customSum = custom.map(() => new ExactSum());
  }

  /** Adds a ticket (delta 1) or takes it out (-1); `status` holds each metric's status index (STATUSES order). */
  add(ev: EvaluatedTicket, delta: number, status: ArrayLike<number>): void {
    this.tickets += delta;
    let breached = false;
    let overdue = false;
    const nm = this.metrics.length;
    for (let m = 0; m < nm; m++) {
      const s = status[m];
      this.statuses[m * NS + s] += delta;
      if (m >= this.sla) continue;
      if (s === S.met || s === S.breached) this.times[m].add(ev.results[m].elapsedMs, delta);
      if (s === S.breached) breached = true;
      else if (s === S.overdue) overdue = true;
    }
    if (breached) this.ticketsBreached += delta;
    if (overdue) this.ticketsOverdue += delta;
    const f = ev.facts;
    if (!Number.isNaN(f.satisfaction)) {
      this.satN += delta;
      this.sat.add(delta * f.satisfaction);
      if (f.satisfaction >= this.goodRating) this.satGood += delta;
    }
    if (!Number.isNaN(f.nps)) {
      this.npsN += delta;
      if (f.nps >= 9) this.promoters += delta;
      else if (f.nps <= 6) this.detractors += delta;
    }
    if (!Number.isNaN(f.fcr)) {
      this.fcrBase += delta;
      this.fcrYes += delta * f.fcr;
    }
    if (!Number.isNaN(f.reopened)) {
      this.reopenBase += delta;
      this.reopened += delta * f.reopened;
    }
    if (f.open) this.backlog += delta;
    this.ola?.add(f, delta);
    const cv = ev.custom;
    for (let i = 0; i < cv.length; i++) {
      if (Number.isNaN(cv[i])) continue;
      this.customN[i] += delta;
      this.customSum[i].add(delta * cv[i]);
    }
  }

  /** Its counts as plain data; hands its arrays and histograms over (use it no more). */
  exportState(): KpiState {
    return {
      sums: SUMS.map((k) => this[k]), statuses: this.statuses, times: this.times.map((h) => h.exportState()),
      ...(this.ola ? { ola: this.ola.exportState() } : {}), customN: this.customN, sat: this.sat.exportState(), customSum: this.customSum.map((x) => x.exportState()),
    };
  }

  /**
   * Adds another part's counts (the same metrics, OLAs and custom KPIs). Counts of tickets are
   * whole numbers, exact in any order; sums of fractional values (ratings, custom KPI cells) are
   * exact sums (ExactSum), the same in any order, so parts merged give one pass's values.
   */
  absorb(s: KpiState): void {
    SUMS.forEach((k, i) => (this[k] += s.sums[i]));
    this.sat.absorb(s.sat);
    for (let i = 0; i < this.statuses.length; i++) this.statuses[i] += s.statuses[i];
    s.times.forEach((h, i) => this.times[i].absorb(h));
    if (s.ola) this.ola!.absorb(s.ola);
    for (let i = 0; i < this.customN.length; i++) {
      this.customN[i] += s.customN[i];
      this.customSum[i].absorb(s.customSum[i]);
    }
  }

  private status(m: number, s: Status): number {
    return this.statuses[m * NS + S[s]];
  }

  /** met ÷ (met + breached + overdue) of one metric, of the SLA metrics (m = -1), or of the OLAs (m = -2); and its denominator. */
  private compliance(m: number): [number | null, number] {
    let met = 0, judged = 0;
    for (let i = 0; i < this.metrics.length; i++) {
      if (m >= 0 ? i !== m : m === -1 ? i >= this.sla : i < this.sla) continue;
      met += this.status(i, 'met');
      judged += this.status(i, 'met') + this.status(i, 'breached') + this.status(i, 'overdue');
    }
    return [judged ? met / judged : null, judged];
  }

  /** Every KPI of the catalogue: null where there is no data. */
  values(): KpiValues {
    const v: KpiValues = {};
    this.metrics.forEach((m, i) => (v[`${m}.compliance`] = this.compliance(i)[0]));
    v['overall.compliance'] = this.compliance(-1)[0];
    this.times.forEach((h, i) => {
      const m = this.metrics[i];
      v[`${m}.mean`] = minutesOrNull(h.mean());
      v[`${m}.median`] = minutesOrNull(h.median());
      v[`${m}.p90`] = minutesOrNull(h.quantile(0.9));
    });
    v['satisfaction.mean'] = this.satN ? this.sat.value() / this.satN : null;
    v['satisfaction.good_share'] = this.satN ? this.satGood / this.satN : null;
    v.nps = this.npsN ? ((this.promoters - this.detractors) / this.npsN) * 100 : null;
    v.fcr = this.fcrBase ? this.fcrYes / this.fcrBase : null;
    v.repeat_rate = this.repeats === null || !this.tickets ? null : this.repeats / this.tickets;
    v.reopen_rate = this.reopenBase ? this.reopened / this.reopenBase : null;
    v.tickets = this.tickets;
    v.backlog = this.backlog;
    v.overdue = this.ticketsOverdue;
    if (this.ola) {
      const [c, judged] = this.compliance(-2);
      this.ola.values(v, c === null ? 0 : Math.round(c * judged), judged);
    }
    this.custom.forEach((k, i) => (v[k.name] = this.customN[i] ? this.customSum[i].value() / this.customN[i] : null));
    return v;
  }

  /** How many tickets a KPI is measured on (for min_tickets), and what it is made of (for explain). */
  basis(kpi: string): { n: number; detail: string } {
    const ci = this.custom.findIndex((k) => k.name === kpi);
    if (ci >= 0) return this.customBasis(ci);
    const dot = kpi.lastIndexOf('.');
    const metric = dot < 0 ? kpi : kpi.slice(0, dot);
    const stat = dot < 0 ? undefined : kpi.slice(dot + 1);
    const m = this.metrics.indexOf(metric as MetricName);
    if (stat === 'compliance' && (m >= 0 || metric === 'overall' || metric === 'ola')) {
      const idx = metric === 'overall' ? -1 : metric === 'ola' ? -2 : m;
      const [c, judged] = this.compliance(idx);
      const met = c === null ? 0 : Math.round(c * judged);
      return { n: judged, detail: `${met} met of ${judged} judged (met + breached + overdue)` };
    }
    const ola = this.ola?.basis(kpi);
    if (ola) return ola;
    if (m >= 0 && m < this.sla) {
      const h = this.times[m];
      return { n: h.total, detail: `${h.total} completed ${metric} times${h.total ? `, ${minutes(h.sum)} business minutes in all` : ''}` };
    }
    switch (kpi) {
      case 'satisfaction.mean': return { n: this.satN, detail: `${this.satN} rated, ratings summing to ${round2(this.sat.value())}` };
      case 'satisfaction.good_share': return { n: this.satN, detail: `${this.satGood} of ${this.satN} rated tickets rated at least ${this.goodRating}` };
      case 'nps': return { n: this.npsN, detail: `${this.promoters} promoters (9-10) and ${this.detractors} detractors (0-6) of ${this.npsN} answers` };
      case 'fcr': return { n: this.fcrBase, detail: `${this.fcrYes} of ${this.fcrBase} resolved tickets resolved at first contact (never reopened; at most 1 contact where contacts are known)` };
      case 'repeat_rate': return { n: this.tickets, detail: this.repeats === null ? 'repeat complaints are unknown (no customer column, or too many customers)' : `${this.repeats} repeat complaints of ${this.tickets} tickets` };
      case 'reopen_rate': return { n: this.reopenBase, detail: `${this.reopened} of ${this.reopenBase} resolved tickets with a status history were reopened` };
      case 'backlog': return { n: this.tickets, detail: `${this.backlog} of ${this.tickets} tickets open at --as-of` };
      case 'overdue': return { n: this.tickets, detail: `${this.ticketsOverdue} of ${this.tickets} tickets with a metric open past its target` };
      default: return { n: this.tickets, detail: `${this.tickets} tickets` };
    }
  }

  private customBasis(i: number): { n: number; detail: string } {
    return { n: this.customN[i], detail: customDetail(this.custom[i], this.customN[i], this.customSum[i].value()) };
  }
}

/** Custom KPIs (kpis:): a share's hits of the non-empty cells, a mean's numeric cells and their sum. */
function customDetail(k: CustomKpi, n: number, sum: number): string {
  if (k.stat === 'share') return `${sum} of ${n} tickets with a ${k.column} cell have ${k.shown.join(' | ')} (empty and null cells not counted)`;
  return `${n} numeric ${k.column} cells${n ? `, summing to ${round2(sum)}` : ''}`;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const minutesOrNull = (ms: number | null) => (ms === null ? null : minutes(ms));
