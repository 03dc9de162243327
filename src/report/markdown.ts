import type { AuditResult, Counts } from '../engine/result.js';
import { complianceText, duration, kpiText, objectiveActual, objectiveLabel, objectiveTally, pct, signed, tallyText, when, shownKpis, metricRows, olaRows, CREDIT_HEAD, creditCells, creditsTitle, escalationTable, overText, shareText, targetAndElapsed } from './format.js';
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

/** The summary as GitHub-flavoured Markdown, fit for $GITHUB_STEP_SUMMARY. */
export function markdownReport(r: AuditResult, ctx: ReportContext): string {
  const z = ctx.zone;
  const out: string[] = [];
  const t = r.totals;
  const tally = objectiveTally(r);
  const verdict = tally.failed ? `❌ objectives ${tallyText(tally)}` : tally.total ? `${tally.notJudged ? '➖' : '✅'} objectives ${tallyText(tally)}` : 'no objectives configured';
  out.push(`## SLA audit: ${r.baseline && !r.baseline.passed ? '❌ compliance dropped against the baseline' : verdict}`, '');
  out.push(`${t.evaluated} ticket${t.evaluated === 1 ? '' : 's'} evaluated from ${r.inputs.map(mdCode).join(', ')} as of ${z.formatShort(r.asOf)} (${z.name}); ${t.rows} row${t.rows === 1 ? '' : 's'} read, ${t.problems} left out with problems${t.without_history !== undefined ? `; ${t.without_history} with no --events history row` : ''}.`, '');
  const row = (label: string, k: Counts) => [label, complianceText(k), k.met, k.breached, k.overdue, k.at_risk, k.running, k.not_applicable];
  out.push('### Compliance', '', mdTable(['metric', 'compliance', 'met', 'breached', 'overdue', 'at risk', 'running', 'n/a'],
    [...metricRows(r.metrics).map(([m, c]) => row(m, c)), row('**overall**', r.overall), ...olaRows(r.metrics).map(([m, c]) => row(m, c))], [false, true, true, true, true, true, true, true]), '');
  out.push('### KPIs', '', mdTable(['KPI', 'value'], shownKpis(r).map((k) => [k, kpiText(k, r.kpis[k] ?? null, r.customKpis)]), [false, true]), '');
  if (r.objectives.length) {
    out.push('### Objectives', '', mdTable(['', 'objective', 'actual', 'tickets'],
      r.objectives.map((o) => [o.skipped ? '➖' : o.passed ? '✅' : '❌', objectiveLabel(o, r.customKpis), o.skipped ? `not judged: ${o.skipped}` : objectiveActual(o, r.customKpis), o.tickets]), [false, false, true, true]), '');
  }
  for (const sc of r.scorecards) {
    for (const card of sc.cards) {
      const head = cardHead(sc);
      out.push(`### ${mdInline(cardTitle(sc, card))}`, '', mdTable(head, card.rows.map((row) => cardCells(row, r.customKpis)), head.map((_, i) => i > 0)), '', ...cardNotes(card).map((n) => `- ${mdInline(n)}`), ...(cardNotes(card).length ? [''] : []));
    }
  }
  const compare = (rows: { what: string; before: number | null; after: number | null; change: number | null; worse: boolean }[], h: [string, string]) =>
    mdTable(['', h[0], h[1], 'change', ''], rows.map((x) => [x.what, kpiText(x.what, x.before, r.customKpis), kpiText(x.what, x.after, r.customKpis), signed(x.what, x.change, r.customKpis), x.worse ? '❌ worse' : '']), [false, true, true, true, false]);
  if (r.split) out.push(`### Before and after ${r.split.at.slice(0, 16).replace('T', ' ')}`, '', compare(r.split.rows, ['before', 'after']), '');
  for (const [field, rows] of Object.entries(r.groups)) {
    if (!rows.length) continue;
    out.push(`### By ${mdInline(field)}`, '', mdTable([field, 'tickets', 'first response', 'resolution', 'overall', 'tickets breached', 'tickets overdue'],
      rows.map((g) => [g.key, g.tickets, complianceText(g.metrics.first_response), complianceText(g.metrics.resolution), complianceText(g.overall), g.tickets_breached, g.tickets_overdue]),
      [false, true, true, true, true, true, true]), '');
  }
  if (r.baseline?.missing) out.push(`### Against baseline \`${r.baseline.file}\``, '', `No baseline yet: \`${r.baseline.file}\` does not exist, so nothing is compared on this run (\`--baseline-optional\`).`, '');
  else if (r.baseline) {
    const b = r.baseline;
    out.push(`### Against baseline ${mdCode(b.file)}`, '', mdTable(['compliance', 'baseline', 'now', 'change (points)', ''],
      b.rows.map((x) => [x.metric, pct(x.before), pct(x.after), x.change_points === null ? '–' : `${x.change_points > 0 ? '+' : ''}${x.change_points}`, x.failed ? `❌ more than ${b.max_drop} down` : '']),
      [false, true, true, true, false]), '');
    const known = b.kpis.filter((x) => x.before !== null || x.after !== null);
    if (known.length) out.push('#### KPIs and scores against the baseline', '', compare(known, ['baseline', 'now']), '');
  }
  if (r.periodAsked && r.periods.length) {
    out.push(`### Trend by ${r.periodKind}`, '', mdTable([r.periodKind, 'first response', 'resolution', 'overall', 'breached', 'overdue'],
      r.periods.map((p) => [p.period, complianceText(p.metrics.first_response), complianceText(p.metrics.resolution), complianceText(p.overall), p.overall.breached, p.overall.overdue]),
      [false, true, true, true, true, true]), '');
  }
  if (r.categories.length) {
    out.push('### Complaint categories', '', mdTable(['category', 'tickets', 'share', 'cumulative', 'tickets breached', 'breach rate', 'median resolution', 'p90 resolution', 'satisfaction', 'repeat'],
      r.categories.map((k) => [k.name, k.tickets, pct(k.share), pct(k.cumulative_share), k.breached, pct(k.breach_rate),
        k.median_resolution_minutes === null ? '–' : duration(k.median_resolution_minutes * 60_000), k.p90_resolution_minutes === null ? '–' : duration(k.p90_resolution_minutes * 60_000),
        k.satisfaction ?? '–', k.repeat ?? '–']),
      [false, true, true, true, true, true, true, true, true, true]), '');
  }
  if (r.ladders && r.escalation.levels.length) {
    const e = escalationTable(r.escalation, r.periodKind);
    out.push(`### Escalation (tickets that reached each level, by ${r.periodKind} of creation)`, '', mdTable(e.head, e.rows, e.head.map((_, i) => i > 0)), '');
  }
  if (r.credits) {
    out.push(`### ${mdInline(creditsTitle(r.credits))}`, '', mdTable(CREDIT_HEAD, r.credits.periods.map((p) => creditCells(p, r.credits!)), CREDIT_HEAD.map((_, i) => i > 0 && i < CREDIT_HEAD.length - 1)), '');
  }
  const top = r.breaches.slice(0, ctx.top ?? 10);
  if (top.length) {
    out.push('### Worst breaches (by share of target)', '', mdTable(['ticket', 'metric', 'status', 'policy', 'target', 'elapsed', 'share', 'over by', 'due'],
      top.map((b) => [b.id, b.metric, b.status, b.policy, ...targetAndElapsed(b), shareText(b.elapsedMs, b.targetMs), overText(b.elapsedMs - b.targetMs), when(z, b.due)]),
      [false, false, false, false, true, true, true, true, false]), '');
  }
  return out.join('\n');
}
