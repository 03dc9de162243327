import type { AuditResult, Counts } from '../engine/result.js';
import { complianceText, duration, kpiText, labels, objectiveActual, objectiveLabel, objectiveTally, pct, signed, tallyText, when, shownKpis, metricRows, olaRows, creditCells, creditsTitle, escalationTable, overText, shareText, type Common, targetAndElapsed } from './format.js';
import { cardCells, cardHead, cardNotes, cardTitle } from './scorecards.js';
import type { ReportContext } from './json.js';

/**
 * Text (from tickets or the config) as plain inline Markdown: no link, image, emphasis, code, HTML or
 * entity takes effect, and GitHub's autolinks (http://, www., an e-mail address) stay text. An
 * underscore inside a word (first_response) is left alone: it makes no emphasis there.
 */
export function mdInline(s: string | number): string {
  return String(s)
    .replace(/[\\`*[\]~|&<>@]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`))
    .replace(/_/g, (u, at: number, all: string) => (/[\p{L}\p{N}]/u.test(all[at - 1] ?? '') && /[\p{L}\p{N}]/u.test(all[at + 1] ?? '') ? u : '\\_'))
    .replace(/:\/\//g, '\\://')
    .replace(/\b(www)\./gi, '$1\\.')
    .replace(/#+$/, (h) => h.replace(/#/g, '\\#'))
    .replace(/\r?\n|\r/g, ' ');
}

/** Escapes text for a GitHub-flavoured table cell. */
function mdCell(s: string | number): string {
  return mdInline(s);
}

/** A file name as inline code, whatever backticks it holds. */
const mdCode = (s: string) => {
  const ticks = '`'.repeat(Math.max(0, ...[...s.matchAll(/`+/g)].map((m) => m[0].length)) + 1);
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${s.replace(/\r?\n|\r/g, ' ')}${ticks.length > 1 ? ' ' : ''}${ticks}`;
};

export function mdTable(head: string[], rows: (string | number)[][], right: boolean[]): string {
  const lines = [`| ${head.map(mdCell).join(' | ')} |`, `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(mdCell).join(' | ')} |`);
  return lines.join('\n');
}

/** The summary as GitHub-flavoured Markdown, fit for $GITHUB_STEP_SUMMARY; report.title on top as a first-level heading. */
export function markdownReport(r: AuditResult, ctx: ReportContext): string {
  const z = ctx.zone;
  const m = labels(ctx.lang);
  const out: string[] = ctx.title ? [`# ${mdInline(ctx.title)}`, ''] : [];
  const t = r.totals;
  const tally = objectiveTally(r);
  const verdict = tally.failed ? `❌ ${m.mdObjectives(tallyText(tally, m))}` : tally.total ? `${tally.notJudged ? '➖' : '✅'} ${m.mdObjectives(tallyText(tally, m))}` : m.mdNoObjectives;
  out.push(`## ${m.mdHeadline(r.baseline && !r.baseline.passed ? m.mdBaselineDropped : verdict)}`, '');
  out.push(m.mdEvaluated({ n: t.evaluated, inputs: r.inputs.map(mdCode).join(', '), asOf: z.formatShort(r.asOf), zone: z.name, rows: t.rows, problems: t.problems, withoutHistory: t.without_history }), '');
  const row = (label: string, k: Counts) => [label, complianceText(k, m), k.met, k.breached, k.overdue, k.at_risk, k.running, k.not_applicable];
  out.push(`### ${m.mdCompliance}`, '', mdTable([...m.complianceHead],
    [...metricRows(r.metrics).map(([x, c]) => row(m.term(x), c)), row(`**${m.metric('overall')}**`, r.overall), ...olaRows(r.metrics).map(([x, c]) => row(m.term(x), c))], [false, true, true, true, true, true, true, true]), '');
  out.push(`### ${m.mdKpis}`, '', mdTable([...m.kpiHead], shownKpis(r).map((k) => [m.term(k), kpiText(k, r.kpis[k] ?? null, r.customKpis)]), [false, true]), '');
  if (r.objectives.length) {
    out.push(`### ${m.objectivesTitle}`, '', mdTable([...m.mdObjectiveHead],
      r.objectives.map((o) => [o.skipped ? '➖' : o.passed ? '✅' : '❌', objectiveLabel(o, r.customKpis, m), o.skipped ? m.notJudged(o.skipped) : objectiveActual(o, r.customKpis, m), o.tickets]), [false, false, true, true]), '');
  }
  for (const sc of r.scorecards) {
    for (const card of sc.cards) {
      const head = cardHead(sc, m);
      const notes = cardNotes(card, m);
      out.push(`### ${mdInline(cardTitle(sc, card, m))}`, '', mdTable(head, card.rows.map((row) => cardCells(row, r.customKpis, m)), head.map((_, i) => i > 0)), '', ...notes.map((n) => `- ${mdInline(n)}`), ...(notes.length ? [''] : []));
    }
  }
  const compare = (rows: { what: string; before: number | null; after: number | null; change: number | null; worse: boolean }[], h: readonly string[]) =>
    mdTable(['', h[0], h[1], m.change, ''], rows.map((x) => [m.term(x.what), kpiText(x.what, x.before, r.customKpis), kpiText(x.what, x.after, r.customKpis), signed(x.what, x.change, r.customKpis, m), x.worse ? m.mdWorse : '']), [false, true, true, true, false]);
  if (r.split) out.push(`### ${m.mdBeforeAfter(r.split.at.slice(0, 16).replace('T', ' '))}`, '', compare(r.split.rows, m.beforeAfter), '');
  for (const [field, rows] of Object.entries(r.groups)) {
    if (!rows.length) continue;
    out.push(`### ${m.byField(mdInline(m.field(field)))}`, '', mdTable([m.field(field), ...m.groupHead],
      rows.map((g) => [g.key, g.tickets, complianceText(g.metrics.first_response, m), complianceText(g.metrics.resolution, m), complianceText(g.overall, m), g.tickets_breached, g.tickets_overdue]),
      [false, true, true, true, true, true, true]), '');
  }
  baselineMd(r, m, compare, out);
  if (r.periodAsked && r.periods.length) {
    out.push(`### ${m.mdTrend(r.periodKind)}`, '', mdTable([m.period(r.periodKind), ...m.trendHead],
      r.periods.map((p) => [p.period, complianceText(p.metrics.first_response, m), complianceText(p.metrics.resolution, m), complianceText(p.overall, m), p.overall.breached, p.overall.overdue]),
      [false, true, true, true, true, true]), '');
  }
  if (r.categories.length) {
    out.push(`### ${m.mdCategories}`, '', mdTable([...m.mdCategoryHead],
      r.categories.map((k) => [k.name, k.tickets, pct(k.share), pct(k.cumulative_share), k.breached, pct(k.breach_rate),
        k.median_resolution_minutes === null ? '–' : duration(k.median_resolution_minutes * 60_000), k.p90_resolution_minutes === null ? '–' : duration(k.p90_resolution_minutes * 60_000),
        k.satisfaction ?? '–', k.repeat ?? '–']),
      [false, true, true, true, true, true, true, true, true, true]), '');
  }
  if (r.ladders && r.escalation.levels.length) {
    const e = escalationTable(r.escalation, r.periodKind, m);
    out.push(`### ${m.escalationTitle(r.periodKind)}`, '', mdTable(e.head, e.rows, e.head.map((_, i) => i > 0)), '');
  }
  if (r.credits) {
    const head = [...m.creditHead];
    out.push(`### ${mdInline(creditsTitle(r.credits, m))}`, '', mdTable(head, r.credits.periods.map((p) => creditCells(p, r.credits!, m)), head.map((_, i) => i > 0 && i < head.length - 1)), '');
  }
  const top = r.breaches.slice(0, ctx.top ?? 10);
  if (top.length) {
    out.push(`### ${m.mdWorst}`, '', mdTable([...m.mdWorstHead],
      top.map((b) => [b.id, m.term(b.metric), m.term(b.status), b.policy, ...targetAndElapsed(b), shareText(b.elapsedMs, b.targetMs, m), overText(b.elapsedMs - b.targetMs), when(z, b.due)]),
      [false, false, false, false, true, true, true, true, false]), '');
  }
  return out.join('\n');
}

type Compare = (rows: NonNullable<AuditResult['baseline']>['kpis'], h: readonly string[]) => string;

/** Compliance (and every KPI and score) against the --baseline report, or the note that there is none yet. */
function baselineMd(r: AuditResult, m: Common, compare: Compare, out: string[]): void {
  if (r.baseline?.missing) out.push(`### ${m.mdAgainstBaseline(`\`${r.baseline.file}\``)}`, '', m.mdNoBaselineYet(`\`${r.baseline.file}\``), '');
  else if (r.baseline) {
    const b = r.baseline;
    out.push(`### ${m.mdAgainstBaseline(mdCode(b.file))}`, '', mdTable([...m.mdBaselineHead],
      b.rows.map((x) => [m.term(x.metric), pct(x.before), pct(x.after), x.change_points === null ? '–' : `${x.change_points > 0 ? '+' : ''}${x.change_points}`, x.failed ? m.mdMoreThanDown(b.max_drop) : '']),
      [false, true, true, true, false]), '');
    const known = b.kpis.filter((x) => x.before !== null || x.after !== null);
    if (known.length) out.push(`#### ${m.kpisAgainstBaseline}`, '', compare(known, m.baselineNow), '');
  }
}
