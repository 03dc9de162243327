/**
 * The audit's result from a warehouse's aggregates: `check --engine postgres` (the compiled SQL run
 * in the database) and `report --from DIR` (the relations exported as CSV). The engine's own
 * accumulators and summary turn them into the result every report renders (engine/restore.ts).
 */
import type { Config, Objective } from '../config/types.js';
import { UsageError } from '../errors.js';
import { safeText } from '../report/escape.js';
import type { Period } from '../engine/periods.js';
import type { AuditResult } from '../engine/result.js';
import type { Fetched } from '../warehouse/relations.js';

export interface WarehouseSettings {
  config: Config;
  asOf: number;
  since?: number;
  until?: number;
  groupBy?: string[];
  period?: Period;
  extraObjectives: Objective[];
  /** said on stderr: report parts the relations do not carry */
  note: (text: string) => void;
}

/** Options of check that need every ticket, which a run on aggregates does not have: refused, naming what to do instead. */
export function refuseTicketOptions(how: string, o: { events: string[]; messages: string[]; sheet?: string; split?: string; wide?: boolean; format: string; quiet?: boolean; customerKey?: string }, perTicket: string[]): void {
  const instead = 'the per-ticket rows stay in the database: compile the script with `sla-audit sql --dialect postgres --schema NAME` and export sla_ticket_metrics, or run check on an export of the tickets';
  if (o.events.length) throw new UsageError(`--events: ${how} reads the status history from the database: give --history-table`);
  if (o.messages.length) throw new UsageError(`--messages: ${how} does not read conversations (next_reply and periodic_update); run check on the exports`);
  if (o.sheet !== undefined) throw new UsageError(`--sheet: ${how} reads no workbook`);
  if (o.split !== undefined) throw new UsageError(`--split: ${how} has no before/after aggregates; run check on an export of the tickets`);
  if (o.customerKey !== undefined) throw new UsageError(`--customer-key: ${how} fetches no customers (-o repeats.csv and the workbook's Tickets sheet need every ticket)`);
  if (o.wide) throw new UsageError(`--wide: ${how} fetches only aggregates, and ${instead}`);
  if (!o.quiet && o.format === 'csv') throw new UsageError(`-f csv is the per-ticket CSV: ${how} fetches only aggregates, and ${instead} (-f json, markdown, html, junit and table are rendered)`);
  if (perTicket.length) throw new UsageError(`-o ${perTicket[0]}: the per-ticket CSV (and repeats.csv) need every ticket: ${how} fetches only aggregates, and ${instead}`);
}

export interface PostgresOptions {
  db: string;
  table?: string;
  historyTable?: string;
  rowColumn?: string;
  historyOrder?: string;
  statementTimeout?: string;
}

/** --statement-timeout in ms: 30s, 10m, 1h, 500ms. */
function timeoutOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms'] : NaN;
  if (!(ms >= 1 && ms < 2 ** 31)) throw new UsageError(`--statement-timeout "${text}" is not a duration (e.g. 30s, 10m or 1h)`);
  return ms;
}

/** check --engine postgres: the compiled SQL run in the database, its aggregates fetched and summed up. */
export async function postgresResult(o: PostgresOptions, s: WarehouseSettings & { asOfIsNow: boolean }): Promise<AuditResult> {
  const statementTimeout = timeoutOf(o.statementTimeout);
  const { runInPostgres } = await import('../warehouse/postgres.js');
  const table = o.table ?? 'tickets';
  const fetched = await runInPostgres({
    config: s.config, url: o.db, table, historyTable: o.historyTable, rowColumn: o.rowColumn, historyOrder: o.historyOrder,
    asOf: s.asOf, asOfIsNow: s.asOfIsNow, since: s.since, until: s.until, objectives: [...s.config.objectives, ...s.extraObjectives], statementTimeout,
    groupBy: s.groupBy, period: s.period,
  });
  return resultFromRelations(fetched, [table], s);
}

/** report --from DIR: the relations exported as CSV; the instant measured at is the script's (sla_params), or --as-of. */
export async function dirResult(dir: string, asOf: number | undefined, s: Omit<WarehouseSettings, 'asOf'>): Promise<AuditResult> {
  const { readRelations } = await import('../warehouse/csv-dir.js');
  // the columns as the script reads them: the first name of each in the config
  const { config } = s;
  const fetched = readRelations(dir, asOf !== undefined, (source, field) => {
    if (source === 'history') return (config.events.columns as Record<string, string[] | undefined>)[field]?.[0];
    return (config.tickets.columns as Record<string, string[] | undefined>)[field]?.[0];
  }, config.customKpis);
  const params = fetched.relations.sla_params?.[0];
  const scriptAsOf = params ? Number(params.as_of) : undefined;
  if (scriptAsOf !== undefined && !Number.isFinite(scriptAsOf)) throw new UsageError(`--from ${dir}: sla_params.csv has no as_of instant (epoch milliseconds)`);
  if (scriptAsOf !== undefined && asOf !== undefined && scriptAsOf !== asOf) {
    throw new UsageError(`--as-of: the exported relations were computed as of ${new Date(scriptAsOf).toISOString()} (sla_params.csv), not ${new Date(asOf).toISOString()}; leave out --as-of`);
  }
  return resultFromRelations(fetched, [dir], { ...s, asOf: (scriptAsOf ?? asOf)! });
}

/**
 * --period and --group-by over relations compiled without them: sla_acc has no row of that period
 * or field, and the per-period KPIs or the breakdown would be missing without a word; refused.
 * (Without a ticket no row is expected, and none is missing.)
 */
function refuseUncomputedScopes(rel: Fetched['relations'], s: WarehouseSettings): void {
  const acc = rel.sla_acc ?? [];
  if (!(Number(rel.sla_totals?.[0]?.tickets ?? 0) > 0)) return;
  const has = (scope: string, dimension: string) => acc.some((r) => r.scope === scope && r.dimension === dimension);
  if (s.period !== undefined && !has('period', s.period)) {
    throw new UsageError(`--period ${s.period}: the relations have no per-${s.period} rows (sla_acc, scope period); compile the script with \`sla-audit sql --period ${s.period}\` and run it again, or leave out --period`);
  }
  const absent = (s.groupBy ?? []).filter((g) => !has('group', g));
  if (absent.length) {
    throw new UsageError(`--group-by ${absent.map(safeText).join(',').slice(0, 80)}: the relations have no breakdown by ${absent.length > 1 ? 'these fields' : 'this field'} (sla_acc, scope group); compile the script with \`sla-audit sql --group-by ${absent.map(safeText).join(',').slice(0, 80)}\` and run it again, or leave it out of --group-by`);
  }
}

/** Custom KPIs the relations do not carry: a scorecard or an objective on one refused, the KPIs said left out. */
function refuseWithoutCustom(config: Config, missing: string[], objectives: Objective[]): void {
  const customs = new Set(config.customKpis.map((k) => k.def.name));
  for (const sc of config.scorecards) {
    const read = sc.indicators.find((i) => customs.has(i.kpi));
    if (read) throw new UsageError(`scorecard ${safeText(sc.name)} weighs the custom KPI ${safeText(read.kpi)}, which the relations do not carry (no sla_acc_custom): its score would leave it out; compile the script for postgres or bigquery (they compute custom KPIs) and run it again, run sla-audit check on an export of the tickets, or take the indicator out of the config for the run on the aggregates`);
  }
  const judged = objectives.findIndex((o) => o.kind === 'kpi' && customs.has(o.kpi));
  if (judged >= 0) throw new UsageError(`objective ${judged + 1} (kpi ${safeText((objectives[judged] as { kpi: string }).kpi)}) is on a custom KPI, which the relations do not carry (no sla_acc_custom); compile the script for postgres or bigquery and run it again, or run sla-audit check on an export of the tickets`);
  missing.push(`custom KPIs (kpis: ${config.customKpis.map((k) => k.def.name).join(', ')})`);
}

/** The engine's result from fetched or exported relations; report parts without a relation said once. */
async function resultFromRelations(fetched: Fetched, inputs: string[], s: WarehouseSettings): Promise<AuditResult> {
  const [{ restoreAudit }, { fromSummary }] = await Promise.all([import('../engine/restore.js'), import('../warehouse/relations.js')]);
  const { config } = s;
  const objectives = [...config.objectives, ...s.extraObjectives];
  const rel = fetched.relations;
  if (!rel.sla_acc_status) {
    // compliance alone, from sla_summary and sla_objectives: an objective judged per --period cannot be
    const perPeriod = s.period !== undefined && objectives.some((o) => o.kind === 'kpi' && (o.from !== undefined || o.to !== undefined));
    if (perPeriod) throw new UsageError('--period with an objective that has effective: dates judges it per period, and this script computes no per-period aggregates (sla_acc); leave out --period');
    const card = objectives.findIndex((o) => o.kind === 'scorecard');
    if (card >= 0) throw new UsageError(`objective ${card + 1} (scorecard ${(objectives[card] as { scorecard: string }).scorecard}) is judged on its groups' KPIs, which this script does not compute (sla_acc); leave it out of the config for this run, or run check on an export of the tickets`);
    const other = (s.groupBy ?? []).filter((g) => g !== 'priority' && g !== 'policy');
    if (other.length) throw new UsageError(`--group-by ${other.join(',')}: this script computes breakdowns by priority and policy only (sla_summary)`);
    fromSummary(rel);
  } else refuseUncomputedScopes(rel, s);
  const missing = [...fetched.missing];
  if (config.credits && !rel.sla_credits) missing.push('service credits');
  // relations without custom KPIs (sla_acc_custom: a dialect without NFKC, or an older script):
  // null, and said; a scorecard weighing one would score its groups without it, so it is refused
  if (config.customKpis.length && !rel.sla_acc_custom) refuseWithoutCustom(config, missing, objectives);
  if (missing.length) s.note(`not computed from the aggregates, so left out of the reports: ${missing.join('; ')}`);
  const result = restoreAudit(
    { relations: rel, inputs, problems: fetched.problems, objectiveIndex: fetched.objectiveIndex },
    { config, asOf: s.asOf, since: s.since, until: s.until, groupBy: s.groupBy, period: s.period, extraObjectives: s.extraObjectives },
  );
  if (config.credits && !rel.sla_credits) delete result.credits;
  return result;
}
