/**
 * Scorecards: each group's KPIs scored against targets and weighed into a composite, graded by
 * lines and ranked. Weighted: an indicator's points are 100·s, s linear between worst and target
 * (or the ratio to target without worst), the composite Σ w·points / Σ w over the indicators with
 * data (two-level: first per indicator group, then over the groups). Rank-sum ratio (rsr): each
 * indicator ranks the scored groups (1 worst … n best, ties share the mean rank), and a group's
 * composite is 100 · Σ w·rank/n / Σ w.
 */
import type { Indicator, Scorecard } from '../config/types.js';
import type { KpiAcc } from './kpi.js';
import type { ScoreCard, ScoreIndicator, ScoreRow } from './result.js';

const clamp = (x: number) => Math.min(1, Math.max(0, x));

/** An indicator's score s in 0..1 for an actual value. */
function indicatorScore(a: number, ind: Pick<Indicator, 'target' | 'worst' | 'higherIsBetter'>): number {
  const { target: T, worst: W } = ind;
  if (ind.higherIsBetter) return W !== undefined ? clamp((a - W) / (T - W)) : clamp(a / T);
  return W !== undefined ? clamp((W - a) / (W - T)) : a <= T ? 1 : T / a;
}

/** Σ w·x / Σ w over the entries with a value; null when none has one. */
function weighted(entries: { w: number; x: number | null }[]): number | null {
  let sw = 0, sx = 0;
  for (const e of entries) {
    if (e.x === null) continue;
    sw += e.w;
    sx += e.w * e.x;
  }
  return sw ? sx / sw : null;
}

/** Ranks 1..n by value, ascending; equal values share the mean of their ranks. */
function meanRanks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

function gradeOf(sc: Scorecard, composite: number | null): string | null {
  if (composite === null || !sc.grades.length) return null;
  return sc.grades.find((g) => composite >= g.min - 1e-9)?.name ?? sc.below;
}

/** Competition ranking by composite, descending: 1, 2, 2, 4. */
function rankRows(rows: ScoreRow[]): void {
  const scored = rows.filter((r) => r.composite !== null).sort((a, b) => b.composite! - a.composite!);
  scored.forEach((r, i) => (r.rank = i > 0 && Math.abs(r.composite! - scored[i - 1].composite!) < 1e-9 ? scored[i - 1].rank : i + 1));
}

/** One card: a row per group (the groups' accumulators for all tickets, or for one period). */
export function scoreCard(sc: Scorecard, groups: Map<string, KpiAcc>, period: string | null): ScoreCard {
  const rows: ScoreRow[] = [...groups].filter(([, acc]) => acc.tickets > 0).map(([key, acc]) => {
    const values = acc.values();
    const scored = acc.tickets >= Math.max(1, sc.minTickets);
    const indicators: ScoreIndicator[] = sc.indicators.map((ind) => {
      const actual = values[ind.kpi];
      return {
        kpi: ind.kpi, ...(ind.group ? { group: ind.group } : {}), weight: ind.weight, target: ind.target, ...(ind.worst !== undefined ? { worst: ind.worst } : {}),
        direction: ind.higherIsBetter ? 'higher' : 'lower', actual, points: actual === null || !scored ? null : 100 * indicatorScore(actual, ind), basis: acc.basis(ind.kpi).detail,
      };
    });
    return {
      key, tickets: acc.tickets, scored, ...(scored ? {} : { reason: `only ${acc.tickets} ticket${acc.tickets === 1 ? '' : 's'} (min_tickets ${sc.minTickets})` }),
      indicators, composite: null, grade: null, rank: null, left_out: scored ? indicators.filter((i) => i.actual === null).map((i) => i.kpi) : [],
    };
  });
  const scored = rows.filter((r) => r.scored);
  if (sc.method === 'rsr') rankSumRatio(sc, scored);
  else for (const r of scored) weighedRow(sc, r);
  for (const r of scored) r.grade = gradeOf(sc, r.composite);
  rankRows(scored);
  rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.tickets - a.tickets || (a.key < b.key ? -1 : 1));
  return { period, rows };
}

function weighedRow(sc: Scorecard, r: ScoreRow): void {
  if (!sc.groups) {
    r.composite = weighted(r.indicators.map((i) => ({ w: i.weight, x: i.points })));
    return;
  }
  r.groups = sc.groups.map((g) => ({ name: g.name, weight: g.weight, score: weighted(r.indicators.filter((i) => i.group === g.name).map((i) => ({ w: i.weight, x: i.points }))) }));
  r.composite = weighted(r.groups.map((g) => ({ w: g.weight, x: g.score })));
}

/** Weights as one level: in a two-level scorecard an indicator's share of its group's weight. */
function flatWeights(sc: Scorecard): number[] {
  if (!sc.groups) return sc.indicators.map((i) => i.weight);
  return sc.indicators.map((i) => {
    const g = sc.groups!.find((x) => x.name === i.group)!;
    const inGroup = sc.indicators.filter((x) => x.group === i.group).reduce((a, x) => a + x.weight, 0);
    return (g.weight * i.weight) / inGroup;
  });
}

function rankSumRatio(sc: Scorecard, rows: ScoreRow[]): void {
  const w = flatWeights(sc);
  const share = rows.map(() => [] as { w: number; x: number | null }[]);
  sc.indicators.forEach((ind, k) => {
    const withData = rows.map((r, i) => [r.indicators[k].actual, i] as const).filter(([a]) => a !== null) as [number, number][];
    // rank 1 is the worst: for lower-is-better KPIs the highest value
    const ranks = meanRanks(withData.map(([a]) => (ind.higherIsBetter ? a : -a)));
    withData.forEach(([, i], j) => {
      rows[i].indicators[k].rank = ranks[j];
      rows[i].indicators[k].points = (100 * ranks[j]) / withData.length;
      share[i].push({ w: w[k], x: ranks[j] / withData.length });
    });
  });
  rows.forEach((r, i) => {
    const rsr = weighted(share[i]);
    r.composite = rsr === null ? null : rsr * 100;
  });
}
