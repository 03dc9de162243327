import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { AuditResult, Counts } from '../engine/result.js';
import {
  CREDIT_HEAD, METRIC_LABEL, metricLabel, olaRows, complianceText, creditCells, creditsTitle, duration, escalationTable, kpiText, metricRows, objectiveActual, objectiveLabel, objectiveTally, pct,
  overText, shareText, targetAndElapsed, shownKpis, signed, tallyText, when,
} from './format.js';
import type { ReportContext } from './json.js';

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
}

/** The terminal summary: totals, compliance, KPIs, objectives, breakdowns, trend, categories, comparisons, worst breaches. */
export function tableReport(r: AuditResult, ctx: ReportContext): string {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const complianceColor = (v: number | null, s: string) => (v === null ? c.dim(s) : v >= 0.95 ? c.green(s) : v >= 0.8 ? c.yellow(s) : c.red(s));
  const pen: Pen = { c, color: ctx.color, comp: (k) => complianceColor(k.compliance, complianceText(k)) };
  const out: string[] = [];
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

function header(r: AuditResult, ctx: ReportContext, { c }: Pen, out: string[]): void {
  const t = r.totals;
  const z = ctx.zone;
  out.push(`${c.bold('sla-audit')}  ${t.evaluated} ticket${t.evaluated === 1 ? '' : 's'} evaluated from ${r.inputs.join(', ')}  ·  as of ${z.formatShort(r.asOf)} (${z.name})`);
  const notes = [`${t.rows} row${t.rows === 1 ? '' : 's'} read`];
  if (t.problems) notes.push(c.yellow(`${t.problems} left out with problems (listed on stderr)`));
  if (t.outside_range) notes.push(`${t.outside_range} outside --since/--until or created after --as-of`);
  if (t.without_history !== undefined) notes.push(`${t.without_history} with no --events history row`);
  if (t.kpi_cell_problems) notes.push(c.yellow(`${t.kpi_cell_problems} custom KPI cell${t.kpi_cell_problems === 1 ? '' : 's'} not a number (those KPIs only; listed on stderr)`));
  out.push(notes.join(' · '), '');
}

function compliance(r: AuditResult, { c, color, comp }: Pen, out: string[]): void {
  const ct = table(['metric', 'compliance', 'met', 'breached', 'overdue', 'at risk', 'running', 'n/a'], color, right(8));
  const row = (label: string, k: Counts) => [
    label, comp(k), k.met, k.breached ? c.red(String(k.breached)) : '0', k.overdue ? c.red(String(k.overdue)) : '0',
    k.at_risk ? c.yellow(String(k.at_risk)) : '0', k.running, k.not_applicable,
  ];
  for (const [m, c] of metricRows(r.metrics)) ct.push(row(METRIC_LABEL[m], c));
  ct.push(row(c.bold('overall'), r.overall));
  const olas = olaRows(r.metrics);
  for (const [m, k] of olas) ct.push(row(metricLabel(m), k));
  out.push(c.bold(`Compliance (tickets per metric; overall sums both${olas.length ? ', OLAs are not in it' : ''})`), ct.toString(), '');
}

/** The KPIs beyond compliance, two to a row; "–" where there is no data. */
function kpis(r: AuditResult, { c, color }: Pen, out: string[]): void {
  const kt = table(['KPI', 'value', 'KPI', 'value'], color, ['left', 'right', 'left', 'right']);
  const shown = shownKpis(r);
  for (let i = 0; i < shown.length; i += 2) {
    const pair = shown.slice(i, i + 2).flatMap((k) => [k, kpiText(k, r.kpis[k] ?? null, r.customKpis)]);
    kt.push(pair.length === 4 ? pair : [...pair, '', '']);
  }
  out.push(c.bold('KPIs (business time; – no data)'), kt.toString(), '');
}

function objectives(r: AuditResult, { c }: Pen, out: string[]): void {
  if (!r.objectives.length) return;
  out.push(c.bold('Objectives'));
  for (const o of r.objectives) {
    const mark = o.skipped ? c.dim('–') : o.passed ? c.green('✓') : c.red('✗');
    const detail = o.skipped ? c.dim(`not judged: ${o.skipped}`) : `actual ${objectiveActual(o, r.customKpis)} of ${o.tickets}`;
    out.push(`  ${mark} ${objectiveLabel(o, r.customKpis).padEnd(32)} ${detail}`);
  }
  out.push('');
}

function breakdowns(r: AuditResult, { c, color, comp }: Pen, out: string[]): void {
  for (const [field, rows] of Object.entries(r.groups)) {
    if (!rows.length) continue;
    const gt = table([field, 'tickets', 'first response', 'resolution', 'overall', 'tickets breached', 'tickets overdue'], color, right(7));
    for (const g of rows) gt.push([g.key, g.tickets, comp(g.metrics.first_response), comp(g.metrics.resolution), comp(g.overall), g.tickets_breached, g.tickets_overdue]);
    out.push(c.bold(`By ${field}`), gt.toString(), '');
  }
}

function trend(r: AuditResult, { c, color, comp }: Pen, out: string[]): void {
  if (!r.periodAsked || !r.periods.length) return;
  const pt = table([r.periodKind, 'first response', 'resolution', 'overall', 'breached', 'overdue'], color, right(6));
  for (const p of r.periods) pt.push([p.period, complianceText(p.metrics.first_response), complianceText(p.metrics.resolution), comp(p.overall), p.overall.breached, p.overall.overdue]);
  out.push(c.bold(`Trend by ${r.periodKind} (of creation)`), pt.toString(), '');
}

function categories(r: AuditResult, { c, color }: Pen, out: string[]): void {
  if (!r.categories.length) return;
  const shown = r.categories.slice(0, 8);
  const kt = table(['category', 'tickets', 'share', 'cum.', 'tickets breached', 'rate', 'median res.', 'repeat'], color, right(8));
  for (const k of shown) {
    kt.push([k.name, k.tickets, pct(k.share), pct(k.cumulative_share), k.breached, pct(k.breach_rate), k.median_resolution_minutes === null ? '–' : duration(k.median_resolution_minutes * 60_000), k.repeat ?? '–']);
  }
  out.push(c.bold(`Top categories (${shown.length} of ${r.categories.length}, Pareto order)`), kt.toString(), '');
}

/** A before/after table: the value of each thing then and now, the change, and ✗ where it got worse. */
function comparison(rows: { what: string; before: number | null; after: number | null; change: number | null; worse: boolean }[], headings: [string, string], { c, color }: Pen, custom: AuditResult['customKpis']): string {
  const t = table(['', headings[0], headings[1], 'change', ''], color, ['left', 'right', 'right', 'right', 'left']);
  for (const x of rows) t.push([x.what, kpiText(x.what, x.before, custom), kpiText(x.what, x.after, custom), signed(x.what, x.change, custom), x.worse ? c.red('✗ worse') : '']);
  return t.toString();
}

function split(r: AuditResult, pen: Pen, out: string[]): void {
  if (!r.split) return;
  out.push(pen.c.bold(`Before and after ${r.split.at.slice(0, 16).replace('T', ' ')} (by creation)`), comparison(r.split.rows, ['before', 'after'], pen, r.customKpis), '');
}

function baseline(r: AuditResult, pen: Pen, out: string[]): void {
  if (!r.baseline) return;
  const { c, color } = pen;
  const b = r.baseline;
  if (b.missing) {
    out.push(c.bold(`Against baseline ${b.file}`), `No baseline yet: ${b.file} does not exist, so nothing is compared on this run (--baseline-optional).`, '');
    return;
  }
  const bt = table(['compliance', 'baseline', 'now', 'change', b.max_drop === null ? '' : `max drop ${b.max_drop}`], color, ['left', 'right', 'right', 'right', 'left']);
  for (const x of b.rows) {
    const change = x.change_points === null ? '–' : `${x.change_points > 0 ? '+' : ''}${x.change_points} pts`;
    bt.push([x.metric, pct(x.before), pct(x.after), x.failed ? c.red(change) : change, x.failed ? c.red('✗ dropped too far') : b.max_drop === null ? '' : c.green('✓')]);
  }
  out.push(c.bold(`Against baseline ${b.file}${b.asOf ? ` (as of ${b.asOf.slice(0, 16).replace('T', ' ')})` : ''}`), bt.toString(), '');
  const known = b.kpis.filter((x) => x.before !== null || x.after !== null);
  if (known.length) out.push(c.bold('KPIs and scores against the baseline'), comparison(known, ['baseline', 'now'], pen, r.customKpis), '');
}

function worst(r: AuditResult, ctx: ReportContext, { c, color }: Pen, out: string[]): void {
  const top = r.breaches.slice(0, ctx.top ?? 10);
  if (!top.length) return;
  const bt = table(['ticket', 'metric', 'policy', 'target', 'elapsed', 'share', 'over by', 'due'], color, ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left']);
  for (const b of top) {
    bt.push([b.id, metricLabel(b.metric) + (b.status === 'overdue' ? c.dim(' (open)') : ''), b.policy, ...targetAndElapsed(b), c.red(shareText(b.elapsedMs, b.targetMs)), overText(b.elapsedMs - b.targetMs), when(ctx.zone, b.due)]);
  }
  out.push(c.bold(`Worst breaches (${top.length} of ${r.overall.breached + r.overall.overdue + olaRows(r.metrics).reduce((n, [, k]) => n + k.breached + k.overdue, 0)}, by share of target; business time)`), bt.toString(), '');
}

/** Tickets that reached each escalation level, per period: shown when some policy has a ladder of its own. */
function escalation(r: AuditResult, { c, color }: Pen, out: string[]): void {
  if (!r.ladders || !r.escalation.levels.length) return;
  const e = escalationTable(r.escalation, r.periodKind);
  const t = table(e.head, color, right(e.head.length));
  for (const row of e.rows) t.push(row);
  out.push(c.bold(`Escalation (tickets that reached each level, by ${r.periodKind} of creation)`), t.toString(), '');
}

function credits(r: AuditResult, { c, color }: Pen, out: string[]): void {
  if (!r.credits) return;
  const t = table(CREDIT_HEAD, color, [...right(CREDIT_HEAD.length - 1), 'left']);
  for (const p of r.credits.periods) t.push(creditCells(p, r.credits));
  out.push(c.bold(creditsTitle(r.credits)), t.toString(), '');
}

function verdict(r: AuditResult, { c }: Pen, out: string[]): void {
  const tally = objectiveTally(r);
  if (!tally.total) out.push(c.dim('No objectives configured (add objectives: or --fail-under).'));
  else {
    const line = `Objectives: ${tallyText(tally)}.`;
    out.push(tally.failed ? c.red(line) : tally.notJudged ? c.yellow(line) : c.green(line));
  }
  if (r.baseline && !r.baseline.passed) out.push(c.red(`Compliance dropped more than ${r.baseline.max_drop} points against the baseline.`));
}
