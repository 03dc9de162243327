/** scorecards: weighted KPI indicators per group (team, agent, vendor...), with grade lines. */
import { closest } from '../messages.js';
import { anyKpiDef, kpiNames, unknownOlaKpi, unmeasuredMetric } from '../kpis.js';
import type { Path, Problems } from '../positions.js';
import type { Metric } from '../schema.js';
import type { RawConfig } from '../zod-schema.js';
import type { CustomKpi, Indicator, Scorecard } from '../types.js';
import { parseThreshold } from './thresholds.js';

type RawScorecard = NonNullable<RawConfig['scorecards']>[string];
type RawIndicator = NonNullable<RawScorecard['indicators']>[number];

/** The KPIs an indicator may name: the catalogue's and the config's custom ones (declared: every name under kpis:, refused ones too). */
interface KpiScope {
  custom: CustomKpi[];
  declared: Set<string>;
  /** the OLA groups, as written, when the config has an olas: section */
  olaGroups?: readonly string[];
  /** indicators cut for a wrong shape (salvage.ts: standIns), skipped here: said once, by the schema */
  cut?: ReadonlySet<string>;
}

export function resolveScorecards(raw: RawConfig['scorecards'], metrics: Metric[], scope: KpiScope, problems: Problems): Scorecard[] {
  return Object.entries(raw ?? {}).flatMap(([name, sc]) => {
    const p: Path = ['scorecards', name];
    if (!!sc.indicators === !!sc.groups) {
      problems.add(p, sc.indicators ? 'gives both indicators and groups; a scorecard has one or the other' : 'needs indicators (or groups of indicators)');
      return [];
    }
    if (!sc.by.trim()) problems.add([...p, 'by'], 'is empty; name the group field (team, agent, channel, policy, or a column)');
    const indicators: Indicator[] = sc.indicators
      ? indicatorsOf(sc.indicators, [...p, 'indicators'], undefined, metrics, scope, problems)
      : sc.groups!.flatMap((g, gi) => indicatorsOf(g.indicators, [...p, 'groups', gi, 'indicators'], g.name, metrics, scope, problems));
    const names = new Set<string>();
    for (const [gi, g] of (sc.groups ?? []).entries()) {
      if (names.has(g.name)) problems.add([...p, 'groups', gi, 'name'], `group name "${g.name}" is used twice`);
      names.add(g.name);
    }
    const grades = Object.entries(sc.grades ?? {}).map(([g, min]) => ({ name: g, min })).sort((a, b) => b.min - a.min);
    for (const g of grades) if (!(g.min >= 0 && g.min <= 100)) problems.add([...p, 'grades', g.name], `${g.min} is outside 0..100 (a grade line is a composite score)`);
    grades.forEach((g, gi) => {
      const same = grades.findIndex((h) => h.min === g.min);
      if (same < gi) problems.add([...p, 'grades', g.name], `${g.min} is also the line of grade "${grades[same].name}"; a composite at that score would earn both (give each grade its own line)`);
    });
    for (const [gi, g] of (sc.groups ?? []).entries()) tooHeavy(g.weight, [...p, 'groups', gi, 'weight'], problems);
    return [{
      name,
      by: sc.by.trim(),
      ...(sc.period ? { period: sc.period } : {}),
      minTickets: sc.min_tickets ?? 0,
      method: sc.method ?? 'weighted',
      indicators,
      ...(sc.groups ? { groups: sc.groups.map((g) => ({ name: g.name, weight: g.weight })) } : {}),
      grades,
      below: sc.below ?? 'below',
    }];
  });
}

/** Weights are relative; one over a million is a slip (1e308 · 100 points is no number, and the composite became NaN). */
const MAX_WEIGHT = 1_000_000;

function tooHeavy(weight: number, at: Path, problems: Problems): boolean {
  if (weight <= MAX_WEIGHT) return false;
  problems.add(at, `${weight} is too large: weights are relative (10, 25, 0.5 ...), at most 1000000`);
  return true;
}

function indicatorsOf(raw: RawIndicator[], p: Path, group: string | undefined, metrics: Metric[], scope: KpiScope, problems: Problems): Indicator[] {
  return raw.flatMap((ind, i) => {
    if (scope.cut?.has(JSON.stringify([...p, i]))) return [];
    if (tooHeavy(ind.weight, [...p, i, 'weight'], problems)) return [];
    const def = anyKpiDef(ind.kpi, scope.custom);
    if (!def) {
      if (scope.declared.has(ind.kpi)) return [];
      const known = kpiNames(scope.custom);
      const near = closest(ind.kpi, known);
      problems.add([...p, i, 'kpi'], `unknown KPI "${ind.kpi}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${known.join(', ')}; or define it under kpis:)`);
      return [];
    }
    const unmeasured = unmeasuredMetric(ind.kpi, metrics) ?? unknownOlaKpi(ind.kpi, scope.olaGroups);
    if (unmeasured) {
      problems.add([...p, i, 'kpi'], unmeasured);
      return [];
    }
    const target = parseThreshold(ind.target, def);
    if (typeof target === 'string') {
      problems.add([...p, i, 'target'], target);
      return [];
    }
    const worst = ind.worst === undefined ? undefined : parseThreshold(ind.worst, def);
    if (typeof worst === 'string') {
      problems.add([...p, i, 'worst'], worst);
      return [];
    }
    const higherIsBetter = ind.direction ? ind.direction === 'higher' : def.higherIsBetter;
    if (worst !== undefined && (higherIsBetter ? worst >= target : worst <= target)) {
      problems.add([...p, i, 'worst'], `${ind.worst} is not worse than the target ${ind.target} (${higherIsBetter ? 'higher' : 'lower'} is better for ${ind.kpi})`);
      return [];
    }
    if (worst === undefined && target <= 0) {
      // the score is the ratio to the target without worst: to 0 it is no number, to a negative target it turns the scale round
      problems.add([...p, i, 'target'], `a target of ${ind.target} (0 or below) needs worst: too (the score is the ratio to the target otherwise, which a target of 0 or below turns round); e.g. worst: ${higherIsBetter ? -100 : 100}`);
      return [];
    }
    return [{ kpi: ind.kpi, weight: ind.weight, target, targetText: String(ind.target), ...(worst !== undefined ? { worst, worstText: String(ind.worst) } : {}), higherIsBetter, ...(group ? { group } : {}) }];
  });
}
