import type { AuditResult, Counts } from '../engine/result.js';
import { METRICS } from '../config/schema.js';
import { duration, objectiveLabel, pct, when } from './format.js';
import type { ReportContext } from './json.js';

/** Escapes text for a GitHub-flavoured table cell. */
function mdCell(s: string | number): string {
  return String(s).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (ch) => (ch === '<' ? '&lt;' : '&gt;')).replace(/\r?\n/g, ' ');
}

function mdTable(head: string[], rows: (string | number)[][], right: boolean[]): string {
  const lines = [`| ${head.map(mdCell).join(' | ')} |`, `|${right.map((r) => (r ? ' ---: ' : ' --- ')).join('|')}|`];
  for (const r of rows) lines.push(`| ${r.map(mdCell).join(' | ')} |`);
  return lines.join('\n');
}

/** The summary as GitHub-flavoured Markdown, fit for $GITHUB_STEP_SUMMARY. */
export function markdownReport(r: AuditResult, ctx: ReportContext): string {
  const z = ctx.zone;
  const out: string[] = [];
  const t = r.totals;
  const verdict = !r.passed ? '❌ an objective failed' : r.objectives.length || r.baseline ? '✅ all objectives met' : 'no objectives configured';
  out.push(`## SLA audit: ${r.baseline && !r.baseline.passed ? '❌ compliance dropped against the baseline' : verdict}`, '');
  out.push(`${t.evaluated} tickets evaluated from ${r.inputs.map((i) => `\`${i}\``).join(', ')} as of ${z.formatShort(r.asOf)} (${z.name}); ${t.rows} rows read, ${t.problems} left out with problems.`, '');
  const row = (label: string, k: Counts) => [label, pct(k.compliance), k.met, k.breached, k.overdue, k.at_risk, k.running, k.not_applicable];
  out.push('### Compliance', '', mdTable(['metric', 'compliance', 'met', 'breached', 'overdue', 'at risk', 'running', 'n/a'],
    [...METRICS.map((m) => row(m, r.metrics[m])), row('**overall**', r.overall)], [false, true, true, true, true, true, true, true]), '');
  if (r.objectives.length) {
    out.push('### Objectives', '', mdTable(['', 'objective', 'actual', 'tickets'],
      r.objectives.map((o) => [o.skipped ? '➖' : o.passed ? '✅' : '❌', objectiveLabel(o), o.skipped ? `not judged: ${o.skipped}` : pct(o.actual), o.tickets]), [false, false, true, true]), '');
  }
  for (const [field, rows] of Object.entries(r.groups)) {
    if (!rows.length) continue;
    out.push(`### By ${field}`, '', mdTable([field, 'first response', 'resolution', 'overall', 'breached', 'overdue', 'at risk'],
      rows.map((g) => [g.key, pct(g.metrics.first_response.compliance), pct(g.metrics.resolution.compliance), pct(g.overall.compliance), g.overall.breached, g.overall.overdue, g.overall.at_risk]),
      [false, true, true, true, true, true, true]), '');
  }
  if (r.baseline) {
    const b = r.baseline;
    out.push(`### Against baseline \`${b.file}\``, '', mdTable(['compliance', 'baseline', 'now', 'change (points)', ''],
      b.rows.map((x) => [x.metric, pct(x.before), pct(x.after), x.change_points === null ? '–' : `${x.change_points > 0 ? '+' : ''}${x.change_points}`, x.failed ? `❌ more than ${b.max_drop} down` : '']),
      [false, true, true, true, false]), '');
  }
  if (r.periodAsked && r.periods.length) {
    out.push(`### Trend by ${r.periodKind}`, '', mdTable([r.periodKind, 'first response', 'resolution', 'overall', 'breached', 'overdue'],
      r.periods.map((p) => [p.period, pct(p.metrics.first_response.compliance), pct(p.metrics.resolution.compliance), pct(p.overall.compliance), p.overall.breached, p.overall.overdue]),
      [false, true, true, true, true, true]), '');
  }
  if (r.categories.length) {
    out.push('### Complaint categories', '', mdTable(['category', 'tickets', 'share', 'cumulative', 'breached', 'breach rate', 'median resolution', 'p90 resolution', 'satisfaction', 'repeat'],
      r.categories.map((k) => [k.name, k.tickets, pct(k.share), pct(k.cumulative_share), k.breached, pct(k.breach_rate),
        k.median_resolution_minutes === null ? '–' : duration(k.median_resolution_minutes * 60_000), k.p90_resolution_minutes === null ? '–' : duration(k.p90_resolution_minutes * 60_000),
        k.satisfaction ?? '–', k.repeat ?? '–']),
      [false, true, true, true, true, true, true, true, true, true]), '');
  }
  const top = r.breaches.slice(0, ctx.top ?? 10);
  if (top.length) {
    out.push('### Worst breaches', '', mdTable(['ticket', 'metric', 'status', 'policy', 'target', 'elapsed', 'over by', 'due'],
      top.map((b) => [b.id, b.metric, b.status, b.policy, duration(b.targetMs), duration(b.elapsedMs), duration(b.elapsedMs - b.targetMs), when(z, b.due)]),
      [false, false, false, false, true, true, true, false]), '');
  }
  return out.join('\n');
}
