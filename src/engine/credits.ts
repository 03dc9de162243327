/**
 * Service credits: per contract period (by ticket creation, config zone), the compliance the tiers
 * read, the breaches and the business hours over target they carry, and what that costs:
 *
 *   credit = min(cap · fee, fee · tier + Σ over breaches (per_breach[p] + per_hour_over[p] · ceil(over / 1h)))
 *
 * where tier is the largest credit whose `below` is above the period's compliance. Nothing is kept
 * per ticket: each period holds sums, and a ticket can be taken back out (a replaced duplicate).
 */
import { isOla, type MetricName } from '../config/schema.js';
import type { Config, CreditsConfig } from '../config/types.js';
import { MS_PER_DAY, MS_PER_HOUR, formatDay } from '../time/civil.js';
import type { Zone } from '../time/zone.js';
import { ExactSum } from './exact-sum.js';
import { periodDays, periodOf } from './periods.js';
import type { CreditPeriod, CreditsResult, EvaluatedTicket, MetricResult } from './result.js';

export interface PeriodSums {
  /** the first local day of the period (for its bounds) */
  day: number;
  met: number;
  judged: number;
  breaches: number;
  hoursOver: number;
  /** Σ per_breach + per_hour_over · hours, unrounded, summed exactly (the same in any order) */
  charges: ExactSum;
}

/** One breach's charge: its priority's per_breach and per_hour_over for each started business hour over target. */
export function breachCharge(cfg: CreditsConfig, priority: string, r: MetricResult): { hours: number; perBreach: number; perHour: number; amount: number } {
  const hours = Math.ceil((r.elapsedMs - r.targetMs) / MS_PER_HOUR);
  const perBreach = cfg.perBreach.get(priority) ?? cfg.perBreach.get('default') ?? 0;
  const perHour = cfg.perHourOver.get(priority) ?? cfg.perHourOver.get('default') ?? 0;
  return { hours, perBreach, perHour, amount: perBreach + perHour * hours };
}

/** Whether a ticket counts toward the credits: inside the audit and under a covered policy. */
export function covered(cfg: CreditsConfig, ev: EvaluatedTicket): boolean {
  return ev.counted && !!ev.policy && (!cfg.policies || cfg.policies.has(ev.policy.name));
}

/** A CreditsAcc as plain data (survives structured clone): contract period label -> sums, the charges as ExactSum partials. */
export type CreditsState = Map<string, Omit<PeriodSums, 'charges'> & { charges: number[] }>;

export class CreditsAcc {
  private readonly periods = new Map<string, PeriodSums>();
  /** the indexes of the metrics whose compliance the tiers read (and whose breaches are charged) */
  private readonly read: number[];

  constructor(
    private readonly cfg: CreditsConfig,
    metrics: readonly MetricName[],
  ) {
    // OLAs are internal agreements: never charged
    this.read = cfg.metric === 'overall' ? metrics.flatMap((m, i) => (isOla(m) ? [] : [i])) : [metrics.indexOf(cfg.metric)];
  }

  add(ev: EvaluatedTicket, delta: number): void {
    if (!covered(this.cfg, ev)) return;
    const label = periodOf(ev.facts.day, this.cfg.period);
    let p = this.periods.get(label);
    if (!p) this.periods.set(label, (p = { day: ev.facts.day, met: 0, judged: 0, breaches: 0, hoursOver: 0, charges: new ExactSum() }));
    for (const i of this.read) {
      const r = ev.results[i];
      if (r.status === 'met') {
        p.met += delta;
        p.judged += delta;
      } else if (r.status === 'breached' || r.status === 'overdue') {
        p.judged += delta;
        const c = breachCharge(this.cfg, ev.ticket.priority, r);
        p.breaches += delta;
        p.hoursOver += delta * c.hours;
        p.charges.add(delta * c.amount);
      }
    }
  }

  /** Its periods' sums as plain data; hands them over. */
  exportState(): CreditsState {
    return new Map([...this.periods].map(([label, p]) => [label, { ...p, charges: p.charges.exportState() }]));
  }

  /** Adds another part's periods (charges exactly: the same in any order). */
  absorb(s: CreditsState): void {
    for (const [label, q] of s) {
      const p = this.periods.get(label);
      if (!p) {
        const charges = new ExactSum();
        charges.absorb(q.charges);
        this.periods.set(label, { ...q, charges });
        continue;
      }
      // any day of the period gives its bounds: the first part's is kept
      p.met += q.met;
      p.judged += q.judged;
      p.breaches += q.breaches;
      p.hoursOver += q.hoursOver;
      p.charges.absorb(q.charges);
    }
  }

  /**
   * Every period with tickets, in time order; a period that ends after --as-of is provisional. A
   * period cut by --since or --until is left out, with a warning: priced on the part of its tickets
   * inside the range it would be a figure no contract owes (a month's breaches without its met tickets).
   */
  results(config: Config, asOf: number, range: { since?: number; until?: number }, warnings: string[]): CreditsResult {
    const cfg = this.cfg;
    const zone = config.zone;
    const leftOut: NonNullable<CreditsResult['left_out']> = [];
    const rows = [...this.periods].filter(([, p]) => p.judged > 0 || p.breaches > 0).sort((a, b) => a[1].day - b[1].day)
      .filter(([period, p]) => {
        const [first, next] = periodDays(p.day, cfg.period);
        const cutBy = [range.since !== undefined && range.since > zone.wallToInstant(first * MS_PER_DAY) ? '--since' : '', range.until !== undefined && range.until < zone.wallToInstant(next * MS_PER_DAY) ? '--until' : ''].filter(Boolean);
        if (cutBy.length) {
          leftOut.push({ period, from: formatDay(first), to: formatDay(next), cut_by: cutBy });
          warnings.push(`credits: ${cfg.period} ${period} (${formatDay(first)} to ${formatDay(next)}) is cut by ${cutBy.join(' and ')}, so it is left out of the service credits (priced on part of its tickets it would be no contract figure); give --since ${formatDay(first)} --until ${formatDay(next)} or wider to price it`);
        }
        return cutBy.length === 0;
      })
      .map(([period, p]) => periodRow(cfg, period, p, zone, asOf));
    return {
      currency: cfg.currency, period: cfg.period, fee: cfg.fee, metric: cfg.metric,
      ...(Number.isFinite(cfg.cap) ? { cap: cfg.cap } : {}),
      ...(cfg.policies ? { policies: [...cfg.policies] } : {}),
      periods: rows,
      ...(leftOut.length ? { left_out: leftOut } : {}),
    };
  }
}

/**
 * Rounded half up to cents. Through 15 significant digits first: 1.005 is 1.00499999999999989… in
 * binary, and 1.005 × 100 is 100.49999999999999, which Math.round would take down to 1.00.
 */
export const cents = (x: number) => Math.round(Number((x * 100).toPrecision(15))) / 100;

function periodRow(cfg: CreditsConfig, period: string, p: PeriodSums, zone: Zone, asOf: number): CreditPeriod {
  const compliance = p.judged > 0 ? p.met / p.judged : null;
  // the largest credit whose `below` is above the compliance (tiers are sorted largest credit first)
  const tier = compliance === null ? undefined : cfg.tiers.find((t) => compliance < t.below);
  const tierAmount = tier ? cfg.fee * tier.credit : 0;
  const uncapped = cents(tierAmount + p.charges.value());
  // no cap: no limit (a fee of 0 times no limit is no number)
  const capAmount = Number.isFinite(cfg.cap) ? cents(cfg.fee * cfg.cap) : Infinity;
  const [first, next] = periodDays(p.day, cfg.period);
  const end = zone.wallToInstant(next * MS_PER_DAY);
  return {
    period,
    from: formatDay(first),
    to: formatDay(next),
    provisional: end > asOf,
    compliance,
    tickets_judged: p.judged,
    tier: tier ? { below: tier.below, credit: tier.credit } : null,
    tier_amount: cents(tierAmount),
    breaches: p.breaches,
    hours_over: p.hoursOver,
    breach_amount: cents(p.charges.value()),
    uncapped,
    credit: Math.min(uncapped, capAmount),
    capped: uncapped > capAmount,
  };
}
