/** The queue command's report: every open clock at --as-of, in table, json, csv, markdown or html. */
import type { QueueRow } from '../engine/result.js';
import { csvCell } from './csv.js';
import { escapeXml as esc, safeJson, safeText } from './escape.js';
import { metricLabel, clockTexts, labels, leftText, shareText, when, type Common } from './format.js';
import { shareDown } from '../engine/share.js';
import { page, table as htmlTable } from './html.js';
import type { ReportContext } from './json.js';
import { mdInline, mdTable } from './markdown.js';
import { minutes } from './format.js';
import { table } from './table.js';

const QUEUE_FORMATS = ['table', 'json', 'csv', 'markdown', 'html'] as const;
export type QueueFormat = (typeof QUEUE_FORMATS)[number];

/** What the queue report says about its run. */
export interface QueueReport {
  asOf: number;
  config: string;
  inputs: string[];
  levels: string[];
  /** every open clock before --within and --level */
  open: number;
  /** the filters applied, as given */
  within?: string;
  level?: string;
  rows: QueueRow[];
}

const QUEUE_CSV_HEADER = 'ticket_id,metric,status,priority,policy,team,agent,elapsed_minutes,target_minutes,share,left_minutes,due_at,level';

/** The share of the target used, rounded down to 4 places (never up to a rung it has not reached); null past a target of 0. */
function share(q: QueueRow): number | null {
  const s = shareDown(q.elapsedMs, q.targetMs, 4);
  return Number.isFinite(s) ? s : null;
}

function cells(q: QueueRow, ctx: ReportContext, t: Common): string[] {
  return [q.id, metricLabel(q.metric, t), q.priority || '–', q.policy, q.team || '–', q.agent || '–', ...clockTexts(q.elapsedMs, q.targetMs), shareText(q.elapsedMs, q.targetMs, t), leftText(q.leftMs), q.due === Infinity ? t.paused : when(ctx.zone, q.due), q.level || '–'];
}

function title(q: QueueReport, ctx: ReportContext, t: Common): string {
  const overdue = q.rows.filter((r) => r.status === 'overdue').length;
  const atRisk = q.rows.filter((r) => r.status === 'at_risk').length;
  return t.queueTitle({ asOf: ctx.zone.formatShort(q.asOf), zone: ctx.zone.name, n: q.rows.length, within: q.within, level: q.level, open: q.open, overdue, atRisk });
}

export function queueReport(q: QueueReport, fmt: QueueFormat, ctx: ReportContext): string {
  const z = ctx.zone;
  const t = labels(ctx.lang);
  const HEAD = [...t.queueHead];
  // report.title on top of the pages for people
  const heading = ctx.title ? safeText(ctx.title) : undefined;
  switch (fmt) {
    case 'csv':
      return [QUEUE_CSV_HEADER, ...q.rows.map((r) => [
        csvCell(r.id), r.metric, r.status, csvCell(r.priority), csvCell(r.policy), csvCell(r.team), csvCell(r.agent), minutes(r.elapsedMs), minutes(r.targetMs),
        share(r) ?? '', minutes(r.leftMs), r.due === Infinity ? '' : z.format(r.due), csvCell(r.level),
      ].join(','))].join('\n') + '\n';
    case 'json':
      return safeJson(JSON.stringify({
        schemaVersion: 1, generatedAt: new Date(ctx.generatedAt ?? Date.now()).toISOString(), asOf: z.format(q.asOf), config: q.config, inputs: q.inputs, levels: q.levels,
        open: q.open, ...(q.within ? { within: q.within } : {}), ...(q.level ? { level: q.level } : {}),
        tickets: q.rows.map((r) => ({
          id: r.id, metric: r.metric, status: r.status, priority: r.priority || null, policy: r.policy, team: r.team || null, agent: r.agent || null,
          elapsed_minutes: minutes(r.elapsedMs), target_minutes: minutes(r.targetMs), share: share(r), left_minutes: minutes(r.leftMs),
          due_at: r.due === Infinity ? null : z.format(r.due), level: r.level || null,
        })),
      }, null, 2) + '\n');
    case 'markdown':
      return [...(heading ? [`# ${mdInline(heading)}`, ''] : []), `### ${mdInline(safeText(title(q, ctx, t)))}`, '', mdTable(HEAD, q.rows.map((r) => cells(r, ctx, t).map(safeText)), HEAD.map((_, i) => i >= 6 && i <= 9)), ''].join('\n');
    case 'html':
      return page(ctx.title ?? t.queuePage(z.formatShort(q.asOf)), [...(ctx.title ? [`<h1>${esc(ctx.title)}</h1>`] : []), `<${ctx.title ? 'h2' : 'h1'}>${esc(title(q, ctx, t))}</${ctx.title ? 'h2' : 'h1'}>`, htmlTable(HEAD, q.rows.map((r) => cells(r, ctx, t)), [0, 1, 2, 3, 4, 5, 10, 11])], ctx);
    default: {
      const qt = table(HEAD, ctx.color, HEAD.map((_, i) => (i >= 6 && i <= 9 ? 'right' : 'left')));
      for (const r of q.rows) qt.push(cells(r, ctx, t).map(safeText));
      return `${heading ? `${heading}\n\n` : ''}${safeText(title(q, ctx, t))}\n${q.rows.length ? qt.toString() + '\n' : ''}`;
    }
  }
}
