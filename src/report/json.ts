import type { AuditResult } from '../engine/result.js';
import type { Zone } from '../time/zone.js';
import { minutes } from './format.js';
import { shareDown } from '../engine/share.js';
import type { Lang } from './i18n/index.js';

const SCHEMA_VERSION = 1;

export interface ReportContext {
  zone: Zone;
  color: boolean;
  /** how many worst breaches the table shows */
  top?: number;
  generatedAt?: number;
  /** the language of human-facing labels (report.lang, --lang); stable names never change with it */
  lang?: Lang;
  /** report.title: the heading of the HTML, markdown and workbook reports */
  title?: string;
  /** report.at_risk_margin: how near its line a met objective is at risk (HTML colours); default 2 points */
  atRiskMargin?: number;
}

/** The JSON report (schemaVersion 1); key names are stable. */
function toJsonObject(r: AuditResult, ctx: ReportContext) {
  const z = ctx.zone;
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt: new Date(ctx.generatedAt ?? Date.now()).toISOString(),
    asOf: z.format(r.asOf),
    config: r.configFile,
    configDigest: r.configDigest,
    inputs: r.inputs,
    totals: r.totals,
    overall: r.overall,
    metrics: r.metrics,
    kpis: r.kpis,
    objectives: r.objectives.map((o) => {
      const { origin: _, ...rest } = o;
      return rest;
    }),
    groups: Object.fromEntries(
      Object.entries(r.groups).map(([field, rows]) => [field, rows.map((g) => ({ key: g.key, tickets: g.tickets, tickets_breached: g.tickets_breached, tickets_overdue: g.tickets_overdue, metrics: g.metrics, overall: g.overall, kpis: g.kpis }))]),
    ),
    categories: r.categories,
    ...(r.periodAsked ? { periods: r.periods.map((p) => ({ period: p.period, metrics: p.metrics, overall: p.overall, kpis: p.kpis, categories: p.categories })) } : {}),
    ...(r.scorecards.length ? { scorecards: r.scorecards } : {}),
    escalation: r.escalation,
    ...(r.credits ? { credits: r.credits } : {}),
    ...(r.split ? { split: r.split } : {}),
    hotspots: r.hotspots,
    ...(r.baseline ? { baseline: r.baseline } : {}),
    breaches: r.breaches.map((b) => ({
      id: b.id,
      metric: b.metric,
      status: b.status,
      policy: b.policy,
      priority: b.priority || null,
      target_minutes: minutes(b.targetMs),
      elapsed_minutes: minutes(b.elapsedMs),
      over_minutes: minutes(b.elapsedMs - b.targetMs),
      share_of_target: b.targetMs > 0 ? shareDown(b.elapsedMs, b.targetMs, 4) : null,
      due_at: Number.isFinite(b.due) ? z.format(b.due) : null,
      completed_at: Number.isFinite(b.completed) ? z.format(b.completed) : null,
    })),
    problems: r.problems.map((p) => ({ file: p.file, row: p.row, ...(p.line !== undefined && p.line !== p.row ? { line: p.line } : {}), ...(p.column ? { column: p.column } : {}), message: p.message })),
    ...(r.problemsDropped ? { problemsNotListed: r.problemsDropped } : {}),
  };
}

export function jsonReport(r: AuditResult, ctx: ReportContext): string {
  return JSON.stringify(toJsonObject(r, ctx), null, 2) + '\n';
}
