/**
 * The KPI catalogue (names are stable): what each measures, its kind (how thresholds are written
 * and values shown) and which way is better. Compliance and time statistics exist per metric.
 */
import { METRICS, MESSAGE_METRICS, type Metric } from './schema.js';

/** rate: a fraction 0..1 (thresholds as percentages) · time: business minutes (thresholds as durations) · number · count */
type KpiKind = 'rate' | 'time' | 'number' | 'count';

export interface KpiDef {
  name: string;
  kind: KpiKind;
  /** the default direction in scorecards */
  higherIsBetter: boolean;
  /** what it is, for help and explain */
  about: string;
}

const TIME_STATS = [
  ['mean', 'the mean'],
  ['median', 'the median (the middle value, or the mean of the two middle ones)'],
  ['p90', 'the 90th percentile (nearest rank: the value at sorted position ceil(0.9·n))'],
] as const;

function catalogue(metrics: readonly string[]): KpiDef[] {
  const out: KpiDef[] = [];
  for (const m of [...metrics, 'overall']) out.push({ name: `${m}.compliance`, kind: 'rate', higherIsBetter: true, about: `met ÷ (met + breached + overdue)${m === 'overall' ? ' over every metric' : ` for ${m}`}` });
  for (const m of metrics) for (const [stat, about] of TIME_STATS) out.push({ name: `${m}.${stat}`, kind: 'time', higherIsBetter: false, about: `${about} of the business minutes of completed ${m} (met and breached)` });
  out.push(
    { name: 'satisfaction.mean', kind: 'number', higherIsBetter: true, about: 'the mean rating of rated tickets (numbers, or text mapped under satisfaction.values)' },
    { name: 'satisfaction.good_share', kind: 'rate', higherIsBetter: true, about: 'rated tickets rated at least satisfaction.good (default 4) ÷ rated tickets' },
    { name: 'nps', kind: 'number', higherIsBetter: true, about: '% of 9-10 minus % of 0-6 on the 0-10 nps column, in points from -100 to 100' },
    { name: 'fcr', kind: 'rate', higherIsBetter: true, about: 'resolved tickets never reopened (and with at most 1 contact when a contacts column is mapped) ÷ resolved tickets' },
    { name: 'repeat_rate', kind: 'rate', higherIsBetter: false, about: 'repeat complaints (same customer and category within categories.repeat_within) ÷ tickets' },
    { name: 'reopen_rate', kind: 'rate', higherIsBetter: false, about: 'resolved tickets whose status history shows them reopened ÷ resolved tickets with a history' },
    { name: 'tickets', kind: 'count', higherIsBetter: true, about: 'tickets' },
    { name: 'backlog', kind: 'count', higherIsBetter: false, about: 'tickets still open at --as-of' },
    { name: 'overdue', kind: 'count', higherIsBetter: false, about: 'tickets with a metric open past its target at --as-of' },
    ...OLA_KPIS,
  );
  return out;
}

/** Hand-off and OLA KPIs with fixed names (reported when the config has an olas: section). */
const OLA_KPIS: KpiDef[] = [
  { name: 'ola.compliance', kind: 'rate', higherIsBetter: true, about: 'met ÷ (met + breached + overdue) over every OLA (each ticket counts its worst stint per group)' },
  { name: 'handoffs.mean', kind: 'number', higherIsBetter: false, about: 'group changes after the first assignment, per ticket with a group history' },
  { name: 'handoff_rate', kind: 'rate', higherIsBetter: false, about: 'tickets handed off at least once ÷ tickets with a group history' },
];

/** KPIs named after an OLA group: ola.<group>.compliance and group_time.<group>.median|p90. */
const OLA_GROUP_KPI = /^(?:ola\.(.+)\.compliance|group_time\.(.+)\.(?:median|p90))$/s;

function olaGroupKpi(name: string): KpiDef | undefined {
  const m = OLA_GROUP_KPI.exec(name);
  if (!m) return undefined;
  return m[1] !== undefined
    ? { name, kind: 'rate', higherIsBetter: true, about: `met ÷ (met + breached + overdue) of the ${m[1]} OLA (each ticket's worst stint in the group)` }
    : { name, kind: 'time', higherIsBetter: false, about: `business minutes ${m[2]} held a ticket (its stints summed), over the tickets it held` };
}

/**
 * Why an OLA or hand-off KPI cannot be measured with this config, or undefined (also for other
 * KPIs): they need an olas: section, and a group KPI names a group that has an OLA, as written there.
 */
export function unknownOlaKpi(kpi: string, olaGroups: readonly string[] | undefined): string | undefined {
  const m = OLA_GROUP_KPI.exec(kpi);
  if (!m && !OLA_KPIS.some((k) => k.name === kpi)) return undefined;
  if (!olaGroups) return `${kpi} needs an olas: section (OLAs per assignment group, measured from the group column of the status history); add one, or remove this`;
  const group = m?.[1] ?? m?.[2];
  if (group === undefined || olaGroups.includes(group)) return undefined;
  const same = olaGroups.find((g) => g.normalize('NFKC').toLowerCase() === group.normalize('NFKC').toLowerCase());
  return same !== undefined
    ? `group "${group}" is written "${same}" in olas:; write ${kpi.replace(group, same)}`
    : `no OLA for group "${group}" (groups with an OLA: ${olaGroups.join(', ') || 'none'}); add { group: ${group}, target: ... } to olas:, or correct the name`;
}

export const KPIS: readonly KpiDef[] = catalogue(METRICS);
const BY_NAME = new Map(KPIS.map((k) => [k.name, k]));

export function kpiDef(name: string): KpiDef | undefined {
  return BY_NAME.get(name) ?? olaGroupKpi(name);
}

/** A KPI by name among the catalogue's and a config's custom ones (kpis:); undefined when neither has it. */
export function anyKpiDef(name: string, custom: readonly { def: KpiDef }[]): KpiDef | undefined {
  return kpiDef(name) ?? custom.find((k) => k.def.name === name)?.def;
}

/** Every KPI name a config can use: the catalogue's, then its custom ones. */
export function kpiNames(custom: readonly { def: KpiDef }[]): string[] {
  return [...KPIS.map((k) => k.name), ...custom.map((k) => k.def.name)];
}

/** Why a KPI cannot be used with these measured metrics (a message metric no policy has a target for), or undefined. */
export function unmeasuredMetric(kpi: string, metrics: readonly Metric[]): string | undefined {
  const m = kpi.split('.')[0] as Metric;
  if (!(MESSAGE_METRICS as readonly string[]).includes(m) || metrics.includes(m)) return undefined;
  return `${m} has no target in any policy, so ${kpi} is never measured; add targets.${m} to a policy (and pass --messages)`;
}
