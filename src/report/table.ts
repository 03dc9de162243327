import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { AuditResult, Counts } from '../engine/result.js';
import {
  labels, metricLabel, olaRows, complianceText, creditCells, creditsTitle, duration, escalationTable, kpiText, metricRows, objectiveActual, objectiveLabel, objectiveTally, pct,
  overText, shareText, targetAndElapsed, shownKpis, signed, tallyText, when, type Common,
} from './format.js';
import type { ReportContext } from './json.js';
import { padEndWidth } from './width.js';

export function table(head: string[], color: boolean, align?: ('left' | 'right')[]) {
  return new Table({
    head,
    style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    colAligns: align,
  });
}

const right = (n: number): ('left' | 'right')[] => ['left', ...Array<'right'>(n - 1).fill('right')];

interface Pen {
  c: ChalkInstance;
  color: boolean;
  comp(k: Counts): string;
  /** the labels of the report's language */
  t: Common;
}

/** The terminal summary: totals, compliance, KPIs, objectives, breakdowns, trend, categories, comparisons, worst breaches. */
export function tableReport(r: AuditResult, ctx: ReportContext): string {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const complianceColor = (v: number | null, s: string) => (v === null ? c.dim(s) : v >= 0.95 ? c.green(s) : v >= 0.8 ? c.yellow(s) : c.red(s));
  const t = labels(ctx.lang);
  const pen: Pen = { c, color: ctx.color, comp: (k) => complianceColor(k.compliance, complianceText(k, t)), t };
  const out: string[] = [];
  if (ctx.title) out.push(c.bold(ctx.title), '');
  header(r, ctx, pen, out);
  compliance(r, pen, out);
  kpis(r, pen, out);
  objectives(r, pen, out);
  breakdowns(r, pen, out);
  trend(r, pen, out);
  categories(r, pen, out);
  escalation(r, pen, out);
  credits(r, pen, out);
  split(r, pen, out);
  baseline(r, pen, out);
  worst(r, ctx, pen, out);
  verdict(r, pen, out);
  return out.join('\n') + '\n';
}

function header(r: AuditResult, ctx: ReportContext, { c, t: m }: Pen, out: string[]): void {
  const t = r.totals;
  const z = ctx.zone;
  out.push(`${c.bold('sla-audit')}  ${m.evaluatedFrom(t.evaluated, r.inputs.join(', '), z.formatShort(r.asOf), z.name)}`);
  const notes = [m.rowsRead(t.rows)];
  if (t.problems) notes.push(c.yellow(m.leftOutWithProblems(t.problems)));
  if (t.outside_range) notes.push(m.outsideRange(t.outside_range));
  if (t.without_history !== undefined) notes.push(m.withoutHistory(t.without_history));
  if (t.kpi_cell_problems) notes.push(c.yellow(m.kpiCellProblems(t.kpi_cell_problems)));
  out.push(notes.join(' · '), '');
}

function compliance(r: AuditResult, { c, color, comp, t }: Pen, out: string[]): void {
  const ct = table([...t.complianceHead], color, right(8));
  const row = (label: string, k: Counts) => [
    label, comp(k), k.met, k.breached ? c.red(String(k.breached)) : '0', k.overdue ? c.red(String(k.overdue)) : '0',
    k.at_risk ? c.yellow(String(k.at_risk)) : '0', k.running, k.not_applicable,
  ];
  for (const [m, c] of metricRows(r.metrics)) ct.push(row(t.metric(m), c));
  ct.push(row(c.bold(t.metric('overall')), r.overall));
  const olas = olaRows(r.metrics);
  for (const [m, k] of olas) ct.push(row(metricLabel(m, t), k));
  out.push(c.bold(t.complianceTitle(olas.length > 0)), ct.toString(), '');
}

/** The KPIs beyond compliance, two to a row; "–" where there is no data. */
function kpis(r: AuditResult, { c, color, t }: Pen, out: string[]): void {
  const kt = table([...t.kpiHead, ...t.kpiHead], color, ['left', 'right', 'left', 'right']);
  const shown = shownKpis(r);
  for (let i = 0; i < shown.length; i += 2) {
    const pair = shown.slice(i, i + 2).flatMap((k) => [t.term(k), kpiText(k, r.kpis[k] ?? null, r.customKpis)]);
    kt.push(pair.length === 4 ? pair : [...pair, '', '']);
  }
  out.push(c.bold(t.kpisTitle), kt.toString(), '');
}

function objectives(r: AuditResult, { c, t }: Pen, out: string[]): void {
  if (!r.objectives.length) return;
  out.push(c.bold(t.objectivesTitle));
  for (const o of r.objectives) {
    const mark = o.skipped ? c.dim('–') : o.passed ? c.green('✓') : c.red('✗');
    const detail = o.skipped ? c.dim(t.notJudged(o.skipped)) : t.actualOf(objectiveActual(o, r.customKpis, t), o.tickets);
    // padded by display width: a Chinese character takes two columns
    out.push(`  ${mark} ${padEndWidth(objectiveLabel(o, r.customKpis, t), 32)} ${detail}`);
  }
  out.push('');
}

function breakdowns(r: AuditResult, { c, color, comp, t }: Pen, out: string[]): void {
  for (const [field, rows] of Object.entries(r.groups)) {
    if (!rows.length) continue;
    const gt = table([t.field(field), ...t.groupHead], color, right(7));
    for (const g of rows) gt.push([g.key, g.tickets, comp(g.metrics.first_response), comp(g.metrics.resolution), comp(g.overall), g.tickets_breached, g.tickets_overdue]);
    out.push(c.bold(t.byField(t.field(field))), gt.toString(), '');
  }
}

function trend(r: AuditResult, { c, color, comp, t }: Pen, out: string[]): void {
  if (!r.periodAsked || !r.periods.length) return;
  const pt = table([t.period(r.periodKind), ...t.trendHead], color, right(6));
  for (const p of r.periods) pt.push([p.period, complianceText(p.metrics.first_response, t), complianceText(p.metrics.resolution, t), comp(p.overall), p.overall.breached, p.overall.overdue]);
  out.push(c.bold(t.trendTitle(r.periodKind)), pt.toString(), '');
}

function categories(r: AuditResult, { c, color, t }: Pen, out: string[]): void {
  if (!r.categories.length) return;
  const shown = r.categories.slice(0, 8);
  const kt = table([...t.categoryHead], color, right(8));
  for (const k of shown) {
    kt.push([k.name, k.tickets, pct(k.share), pct(k.cumulative_share), k.breached, pct(k.breach_rate), k.median_resolution_minutes === null ? '–' : duration(k.median_resolution_minutes * 60_000), k.repeat ?? '–']);
  }
  out.push(c.bold(t.categoriesTitle(shown.length, r.categories.length)), kt.toString(), '');
}

/** A before/after table: the value of each thing then and now, the change, and ✗ where it got worse. */
function comparison(rows: { what: string; before: number | null; after: number | null; change: number | null; worse: boolean }[], headings: readonly string[], { c, color, t }: Pen, custom: AuditResult['customKpis']): string {
  const ct = table(['', headings[0], headings[1], t.change, ''], color, ['left', 'right', 'right', 'right', 'left']);
  for (const x of rows) ct.push([t.term(x.what), kpiText(x.what, x.before, custom), kpiText(x.what, x.after, custom), signed(x.what, x.change, custom, t), x.worse ? c.red(t.worse) : '']);
  return ct.toString();
}

function split(r: AuditResult, pen: Pen, out: string[]): void {
  if (!r.split) return;
  out.push(pen.c.bold(pen.t.splitTitle(r.split.at.slice(0, 16).replace('T', ' '))), comparison(r.split.rows, pen.t.beforeAfter, pen, r.customKpis), '');
}

function baseline(r: AuditResult, pen: Pen, out: string[]): void {
  if (!r.baseline) return;
  const { c, color, t } = pen;
  const b = r.baseline;
  if (b.missing) {
    out.push(c.bold(t.againstBaseline(b.file, null)), t.noBaselineYet(b.file), '');
    return;
  }
  const bt = table([...t.baselineHead, b.max_drop === null ? '' : t.maxDrop(b.max_drop)], color, ['left', 'right', 'right', 'right', 'left']);
  for (const x of b.rows) {
    const change = x.change_points === null ? '–' : t.points(`${x.change_points > 0 ? '+' : ''}${x.change_points}`);
    bt.push([t.term(x.metric), pct(x.before), pct(x.after), x.failed ? c.red(change) : change, x.failed ? c.red(t.droppedTooFar) : b.max_drop === null ? '' : c.green('✓')]);
  }
  out.push(c.bold(t.againstBaseline(b.file, b.asOf ? b.asOf.slice(0, 16).replace('T', ' ') : null)), bt.toString(), '');
  const known = b.kpis.filter((x) => x.before !== null || x.after !== null);
  if (known.length) out.push(c.bold(t.kpisAgainstBaseline), comparison(known, t.baselineNow, pen, r.customKpis), '');
}

function worst(r: AuditResult, ctx: ReportContext, { c, color, t }: Pen, out: string[]): void {
  const top = r.breaches.slice(0, ctx.top ?? 10);
  if (!top.length) return;
  const bt = table([...t.worstHead], color, ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left']);
  for (const b of top) {
    bt.push([b.id, metricLabel(b.metric, t) + (b.status === 'overdue' ? c.dim(t.open) : ''), b.policy, ...targetAndElapsed(b), c.red(shareText(b.elapsedMs, b.targetMs, t)), overText(b.elapsedMs - b.targetMs), when(ctx.zone, b.due)]);
  }
  out.push(c.bold(t.worstTitle(top.length, r.overall.breached + r.overall.overdue + olaRows(r.metrics).reduce((n, [, k]) => n + k.breached + k.overdue, 0))), bt.toString(), '');
}

/** Tickets that reached each escalation level, per period: shown when some policy has a ladder of its own. */
function escalation(r: AuditResult, { c, color, t }: Pen, out: string[]): void {
  if (!r.ladders || !r.escalation.levels.length) return;
  const e = escalationTable(r.escalation, r.periodKind, t);
  const et = table(e.head, color, right(e.head.length));
  for (const row of e.rows) et.push(row);
  out.push(c.bold(t.escalationTitle(r.periodKind)), et.toString(), '');
}

function credits(r: AuditResult, { c, color, t }: Pen, out: string[]): void {
  if (!r.credits) return;
  const ct = table([...t.creditHead], color, [...right(t.creditHead.length - 1), 'left']);
  for (const p of r.credits.periods) ct.push(creditCells(p, r.credits, t));
  out.push(c.bold(creditsTitle(r.credits, t)), ct.toString(), '');
}

function verdict(r: AuditResult, { c, t }: Pen, out: string[]): void {
  const tally = objectiveTally(r);
  if (!tally.total) out.push(c.dim(t.noObjectives));
  else {
    const line = t.objectivesLine(tallyText(tally, t));
    out.push(tally.failed ? c.red(line) : tally.notJudged ? c.yellow(line) : c.green(line));
  }
  if (r.baseline && !r.baseline.passed) out.push(c.red(t.droppedAgainstBaseline(r.baseline.max_drop)));
}
