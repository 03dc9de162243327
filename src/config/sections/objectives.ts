/** objectives: what "the service level held" means; any that fails makes the run exit 1. */
import { closest } from '../messages.js';
import { anyKpiDef, kpiNames, unknownOlaKpi, unmeasuredMetric } from '../kpis.js';
import type { Path, Problems } from '../positions.js';
import type { Broken } from '../salvage.js';
import type { Metric } from '../schema.js';
import type { RawConfig } from '../zod-schema.js';
import type { CustomKpi, KpiObjective, Objective, TicketsConfig } from '../types.js';
import { parsePercent } from '../values.js';
import { rangeOf } from './common.js';
import { conditionsOf, describeCondition } from './conditions.js';
import type { Priorities } from './priorities.js';
import { parseThreshold } from './thresholds.js';
import type { Zone } from '../../time/zone.js';

type RawObjective = NonNullable<RawConfig['objectives']>[number];

export interface ObjectiveContext extends Priorities {
  zone: Zone;
  tickets: TicketsConfig;
  metrics: Metric[];
  /** the OLA groups, as written, when the config has an olas: section */
  olaGroups?: readonly string[];
  policies: RawConfig['policies'];
  scorecards: string[];
  /** the original index of each objective (some may have been cut out as broken) */
  index: number[];
  broken: Broken;
  /** said on every run that uses the config (phases of one objective that leave a gap) */
  warnings: string[];
  /** the config's custom KPIs (kpis:), and every name declared there (a refused one is not "unknown" again) */
  custom: CustomKpi[];
  declaredKpis: Set<string>;
}

export function resolveObjectives(raw: RawConfig['objectives'], cx: ObjectiveContext, problems: Problems): Objective[] {
  const objectives: Objective[] = [];
  const numbers = new Map<Objective, number>();
  (raw ?? []).forEach((o, i) => {
    const p: Path = ['objectives', cx.index[i]];
    const given = (['metric', 'kpi', 'scorecard'] as const).filter((k) => o[k] !== undefined);
    if (given.length !== 1) {
      return problems.add(p, given.length ? `gives ${given.join(' and ')}; an objective is on one of metric, kpi or scorecard` : 'says nothing to judge; give metric (compliance), kpi or scorecard');
    }
    const ob = o.scorecard !== undefined ? scorecardObjective(o, cx, p, problems) : kpiObjective(o, cx, p, problems);
    if (ob) {
      objectives.push(ob);
      numbers.set(ob, cx.index[i] + 1);
    }
  });
  cx.warnings.push(...phaseGaps(objectives, numbers));
  return objectives;
}

/**
 * Phases of one objective (the same KPI over the same tickets, with effective ranges) that leave
 * time in neither: `to` is the first moment not covered, so `to: 2026-06-30` then `from:
 * 2026-07-01` leaves June 30 unjudged. Perhaps meant (no target while it changes), so a warning,
 * not an error.
 */
function phaseGaps(objectives: Objective[], numbers: Map<Objective, number>): string[] {
  const scopes = new Map<string, KpiObjective[]>();
  for (const o of objectives) {
    if (o.kind !== 'kpi' || (o.from === undefined && o.to === undefined)) continue;
    const key = JSON.stringify([o.kpi, o.min !== undefined, o.max !== undefined, o.priority, o.policy, o.where.map(describeCondition).sort()]);
    scopes.set(key, [...(scopes.get(key) ?? []), o]);
  }
  const out: string[] = [];
  for (const phases of scopes.values()) {
    const sorted = phases.sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity));
    // the phase reaching furthest so far: a gap is time after it and before the next one starts
    let reach = sorted[0];
    for (const b of sorted.slice(1)) {
      if (reach.to !== undefined && b.from !== undefined && reach.to < b.from) {
        out.push(`objectives ${numbers.get(reach)} and ${numbers.get(b)} (${b.kpi}): tickets created from ${reach.toText} until ${b.fromText} are in neither phase (effective.to is the first moment not covered); to join them, write to: ${b.fromText}`);
      }
      if (reach.to !== undefined && (b.to === undefined || b.to > reach.to)) reach = b;
    }
  }
  return out;
}

function scorecardObjective(o: RawObjective, cx: ObjectiveContext, p: Path, problems: Problems): Objective | undefined {
  const extra = (['min', 'max', 'where', 'priority', 'policy', 'effective'] as const).filter((k) => o[k] !== undefined);
  if (extra.length) problems.add([...p, extra[0]], `a scorecard objective takes min_score only (the scorecard's own indicators, by and period say the rest)`, true);
  if (!cx.scorecards.includes(o.scorecard!)) {
    // a scorecard cut out for its own problems is not unknown
    if (cx.broken.scorecards.has(o.scorecard!)) return undefined;
    const near = closest(o.scorecard!, cx.scorecards);
    problems.add([...p, 'scorecard'], `unknown scorecard "${o.scorecard}"${near ? ` (did you mean "${near}"?)` : ''} (defined: ${cx.scorecards.join(', ') || 'none; add them under scorecards:'})`);
    return undefined;
  }
  if (o.min_score === undefined || !(o.min_score >= 0 && o.min_score <= 100)) {
    problems.add([...p, 'min_score'], `${o.min_score === undefined ? 'missing' : `${o.min_score} is outside 0..100`}: every scored group must reach this composite score (0-100)`);
    return undefined;
  }
  return { kind: 'scorecard', scorecard: o.scorecard!, minScore: o.min_score };
}

function kpiObjective(o: RawObjective, cx: ObjectiveContext, p: Path, problems: Problems): Objective | undefined {
  const name = o.metric !== undefined ? `${o.metric}.compliance` : o.kpi!;
  const def = anyKpiDef(name, cx.custom);
  if (!def) {
    // a custom KPI refused for its own problems is not unknown
    if (cx.declaredKpis.has(name)) return undefined;
    const known = kpiNames(cx.custom);
    const near = closest(name, known);
    problems.add([...p, 'kpi'], `unknown KPI "${name}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${known.join(', ')}; or define it under kpis:)`);
    return undefined;
  }
  if (o.min_score !== undefined) problems.add([...p, 'min_score'], 'min_score is for scorecard objectives; use min or max', true);
  if (o.metric !== undefined && o.max !== undefined) problems.add([...p, 'max'], `compliance has a min; write min: (or kpi: ${name} with max:)`, true);
  if (o.min === undefined && o.max === undefined) return void problems.add(p, `needs min or max (in ${def.kind === 'rate' ? 'percent' : def.kind === 'time' ? 'business time, e.g. 8h' : 'numbers'})`);
  const ob: KpiObjective = { kind: 'kpi', kpi: name, ...(o.metric ? { metric: o.metric } : {}), where: conditionsOf(o.where, [...p, 'where'], problems), minTickets: o.min_tickets ?? 0 };
  for (const edge of ['min', 'max'] as const) {
    if (o[edge] === undefined) continue;
    const v = o.metric !== undefined ? parsePercent(o[edge]) : parseThreshold(o[edge], def);
    if (typeof v === 'string') return void problems.add([...p, edge], v);
    ob[edge] = v;
    ob[`${edge}Text`] = String(o[edge]);
  }
  const unmapped = notMeasured(name, cx.tickets) ?? unmeasuredMetric(name, cx.metrics) ?? unknownOlaKpi(name, cx.olaGroups);
  if (unmapped) return void problems.add([...p, o.metric !== undefined ? 'metric' : 'kpi'], unmapped);
  if (o.priority !== undefined && cx.priorities.length) {
    const canon = cx.priorityLookup.get(o.priority.toLowerCase());
    if (!canon) return void problems.add([...p, 'priority'], `unknown priority "${o.priority}" (known: ${cx.priorities.join(', ')})`);
    ob.priority = canon;
  } else if (o.priority !== undefined) ob.priority = o.priority;
  if (o.policy !== undefined && !cx.policies.some((rp) => rp.name === o.policy) && !cx.broken.policies.has(o.policy)) {
    return void problems.add([...p, 'policy'], `unknown policy "${o.policy}" (known: ${cx.policies.map((x) => x.name).join(', ')})`);
  }
  if (o.policy !== undefined) ob.policy = o.policy;
  Object.assign(ob, rangeOf(o.effective, cx.zone, [...p, 'effective'], problems));
  return ob;
}

/** Why a KPI cannot be measured with this config (its column is not mapped), or undefined. */
function notMeasured(kpi: string, t: TicketsConfig): string | undefined {
  if (kpi.startsWith('first_response.') && !(t.columns.first_response_at || t.columns.first_response_minutes || t.firstResponseStatuses.size)) {
    return `${kpi === 'first_response.compliance' ? 'first_response' : kpi} is not measured: neither tickets.columns.first_response_at nor first_response_minutes is mapped (nor first_response_statuses); map one, or remove this objective`;
  }
  if (kpi === 'nps' && !t.columns.nps) return 'nps needs the 0-10 answers: map tickets.columns.nps';
  return undefined;
}
