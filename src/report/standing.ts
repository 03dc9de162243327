/**
 * How a report row stands against the objective that applies to that exact row: met, at risk (met,
 * but within `report.at_risk_margin` of the line) or failed; none when no objective covers it.
 *
 * A row is a KPI (compliance of a metric or overall, or any other KPI) over a scope: all tickets,
 * one priority, one policy, or one value of a grouped field (`where: { team: 一线 }` is the row 一线
 * of `--group-by team`). An objective applies when it reads the same KPI over the same scope, over
 * the whole run (one with `effective:` or judged per period covers other tickets than the row).
 *
 * The margin is in percentage points for rates (compliance, shares), in points for scorecard
 * scores (0-100), and a percentage of the line for every other KPI (times, counts, means).
 */
import type { ObjectiveResult } from '../engine/result.js';

export type Standing = 'met' | 'risk' | 'failed';

/** The default margin: 2 points (a 90% objective is at risk from 90% up to, not including, 92%). */
export const DEFAULT_AT_RISK_MARGIN = 2;

/**
 * Which tickets a row covers: all of them, one priority, one policy, or one value of a grouped field;
 * `tickets`: how many the row's KPI was measured on (a compliance: met + breached + overdue).
 */
export type RowScope = { priority?: string; policy?: string; field?: string; value?: string; tickets?: number };

const fold = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** The KPI an objective reads: `metric: resolution` is `resolution.compliance`. */
function objectiveKpi(o: ObjectiveResult): string | undefined {
  return o.kpi ?? (o.metric === undefined ? undefined : `${o.metric}.compliance`);
}

/** The objectives over exactly this KPI and scope, for the whole run. */
export function objectivesFor(objectives: readonly ObjectiveResult[], kpi: string, scope: RowScope = {}): ObjectiveResult[] {
  return objectives.filter((o) => {
    if (o.scorecard !== undefined || o.effective !== undefined || o.period !== undefined || objectiveKpi(o) !== kpi) return false;
    // a grouped field is a priority or policy row when it is that field
    const priority = scope.priority ?? (scope.field !== undefined && fold(scope.field) === 'priority' ? scope.value : undefined);
    const policy = scope.policy ?? (scope.field !== undefined && fold(scope.field) === 'policy' ? scope.value : undefined);
    if ((o.priority ?? '') !== (priority ?? '') || (o.policy ?? '') !== (policy ?? '')) return false;
    const other = scope.field !== undefined && priority === undefined && policy === undefined;
    // where: as the objective writes it, "team = 一线" (one field, one value)
    if (!other) return o.where === undefined;
    return o.where !== undefined && fold(o.where) === fold(`${scope.field} = ${scope.value}`) && sameTickets(o, o.where, scope);
  });
}

/**
 * A where: matches values whatever their case, a grouped row only its exact spelling: the row stands
 * by the objective only when it holds exactly the objective's tickets. The where: takes in every
 * ticket of the row, so the same number of tickets is the same tickets; "Tech Support" and "tech
 * support" with half each are neither the objective. Without a count, the key must be the value as written.
 */
function sameTickets(o: ObjectiveResult, where: string, scope: RowScope): boolean {
  if (scope.tickets !== undefined) return scope.tickets === o.tickets;
  return where.slice(where.indexOf(' = ') + 3) === scope.value;
}

/** How near a value is to a line for it to be at risk: points of a rate or score, else a share of the line. */
function nearLine(kind: 'rate' | 'score' | 'other', line: number, margin: number): number {
  if (kind === 'rate') return margin / 100;
  if (kind === 'score') return margin;
  return (Math.abs(line) * margin) / 100;
}

/** A value against a minimum and a maximum: failed beyond either, at risk within the margin inside either, else met. */
export function standingOfValue(v: number, lines: { min?: number; max?: number }, kind: 'rate' | 'score' | 'other', margin: number): Standing {
  const eps = 1e-9;
  const { min, max } = lines;
  if ((min !== undefined && v < min - eps) || (max !== undefined && v > max + eps)) return 'failed';
  if (min !== undefined && v - min < nearLine(kind, min, margin) - eps) return 'risk';
  if (max !== undefined && max - v < nearLine(kind, max, margin) - eps) return 'risk';
  return 'met';
}

/**
 * An objective's own standing: failed when it failed, at risk when it passed within the margin,
 * none when it was not judged (too few tickets, no data). `rate` tells a rate KPI (points) from others.
 */
export function objectiveStanding(o: ObjectiveResult, margin: number, rate: boolean): Standing | null {
  if (o.skipped || o.actual === null) return null;
  if (!o.passed) return 'failed';
  if (o.scorecard !== undefined) return standingOfValue(o.actual, { min: o.min_score }, 'score', margin) === 'risk' ? 'risk' : 'met';
  return standingOfValue(o.actual, o, rate ? 'rate' : 'other', margin) === 'risk' ? 'risk' : 'met';
}

/** The worst of several standings (a row under two objectives stands as its worse one); null for none. */
export function worst(standings: (Standing | null)[]): Standing | null {
  const order: Standing[] = ['failed', 'risk', 'met'];
  for (const s of order) if (standings.includes(s)) return s;
  return null;
}
