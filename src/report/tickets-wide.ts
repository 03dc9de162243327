/**
 * One row per ticket, ready for a pivot table: creation time, priority, policy, team, agent,
 * channel and category, then per measured metric its status, target, elapsed and over-by hours and
 * its due and completion times. The same columns make the `--wide` CSV and the workbook's Tickets
 * sheet.
 */
import type { Metric } from '../config/schema.js';
import type { AuditResult, EvaluatedTicket, Status } from '../engine/result.js';
import { MS_PER_HOUR } from '../time/civil.js';
import type { Zone } from '../time/zone.js';
import { csvCell } from './csv.js';

/** What a ticket's row holds, as plain data (times are epoch ms, NaN when there is none). */
export interface WideTicket {
  id: string;
  created: number;
  priority: string;
  policy: string;
  team: string;
  agent: string;
  channel: string;
  category: string;
  /** the rating as a number (text ratings mapped through satisfaction.values), NaN when not rated: the workbook's column only */
  satisfaction: number;
  /** the customer column's value ('' when none): the workbook's column only */
  customer: string;
  /** one per measured metric, in the config's order (the keys of the result's metrics) */
  metrics: { status: Status; targetMs: number; elapsedMs: number; due: number; completed: number }[];
}

export function wideTicket(ev: EvaluatedTicket): WideTicket {
  const t = ev.ticket;
  return {
    id: t.id, created: t.created, priority: t.priority, policy: ev.policy?.name ?? '', team: t.team, agent: t.agent, channel: t.channel, category: ev.facts.category,
    satisfaction: ev.facts.satisfaction, customer: ev.facts.customer,
    metrics: ev.results.map((r) => ({ status: r.status, targetMs: r.targetMs, elapsedMs: r.elapsedMs, due: r.due, completed: r.completed })),
  };
}

/** The text fields, in column order (what a column's width depends on). */
export const WIDE_TEXT = ['id', 'priority', 'policy', 'team', 'agent', 'channel', 'category'] as const;

type WideKind = 'text' | 'time' | 'hours';

export interface WideColumn {
  name: string;
  kind: WideKind;
  /** the field's index in WIDE_TEXT (text columns) */
  text?: number;
}

/** A metric with columns, and its place among a ticket's results. */
export interface WideMetric {
  metric: Metric;
  index: number;
}

/** The metrics a run measured: a metric every ticket has as not measured gets no columns. */
export function measuredMetrics(r: Pick<AuditResult, 'metrics'>): WideMetric[] {
  return (Object.keys(r.metrics) as Metric[]).map((metric, index) => ({ metric, index })).filter(({ metric }) => {
    const c = r.metrics[metric]!;
    const total = c.met + c.breached + c.overdue + c.running + c.at_risk + c.not_applicable + c.not_measured;
    return total === 0 || c.not_measured < total;
  });
}

export function wideColumns(metrics: WideMetric[]): WideColumn[] {
  return [
    { name: 'ticket_id', kind: 'text', text: 0 },
    { name: 'created_at', kind: 'time' },
    ...WIDE_TEXT.slice(1).map((f, i) => ({ name: f, kind: 'text' as const, text: i + 1 })),
    ...metrics.map((x) => x.metric).flatMap((m): WideColumn[] => [
      { name: `${m}_status`, kind: 'text' },
      { name: `${m}_target_hours`, kind: 'hours' },
      { name: `${m}_elapsed_hours`, kind: 'hours' },
      { name: `${m}_over_by_hours`, kind: 'hours' },
      { name: `${m}_due_at`, kind: 'time' },
      { name: `${m}_completed_at`, kind: 'time' },
    ]),
  ];
}

/** A row's values in column order: text as text, times as epoch ms, durations as numbers of `unitMs` (hours unless said); null for an empty cell. */
export function wideValues(t: WideTicket, metrics: WideMetric[], unitMs = MS_PER_HOUR): (string | number | null)[] {
  const out: (string | number | null)[] = [t.id, t.created, t.priority, t.policy, t.team, t.agent, t.channel, t.category];
  for (const { index } of metrics) {
    const r = t.metrics[index];
    const measured = Number.isFinite(r.targetMs) && Number.isFinite(r.elapsedMs);
    out.push(
      r.status,
      measured ? r.targetMs / unitMs : null,
      measured ? r.elapsedMs / unitMs : null,
      // how far past its target (0 within it): summing it over a pivot gives the time over
      measured ? Math.max(0, r.elapsedMs - r.targetMs) / unitMs : null,
      Number.isFinite(r.due) ? r.due : null,
      Number.isFinite(r.completed) ? r.completed : null,
    );
  }
  return out;
}

/** The `--wide` CSV: Excel reads it as it is (a byte-order mark for UTF-8, local times, hours with two decimals). */
export function wideCsv(r: Pick<AuditResult, 'metrics'>, zone: Zone): { header: string; line(t: WideTicket): string } {
  const metrics = measuredMetrics(r);
  const kinds = wideColumns(metrics).map((c) => c.kind);
  return {
    header: '\uFEFF' + wideColumns(metrics).map((c) => c.name).join(',') + '\n',
    line: (t) =>
      wideValues(t, metrics).map((v, i) => {
        if (v === null) return '';
        if (kinds[i] === 'time') return zone.formatShort(v as number);
        if (kinds[i] === 'hours') return (v as number).toFixed(2);
        return csvCell(v as string);
      }).join(',') + '\n',
  };
}
