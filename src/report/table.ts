import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { AuditResult, Counts } from '../engine/result.js';
import { METRICS } from '../config/schema.js';
import { duration, objectiveLabel, pct, when } from './format.js';
import type { ReportContext } from './json.js';

const LABEL: Record<string, string> = { first_response: 'first response', resolution: 'resolution', overall: 'overall' };

function table(head: string[], color: boolean, align?: ('left' | 'right')[]) {
  return new Table({
    head,
    style: { head: color ? ['bold'] : [], border: color ? ['grey'] : [], compact: true, 'padding-left': 1, 'padding-right': 1 },
    colAligns: align,
  });
}

/** The terminal summary: totals, compliance, objectives, breakdowns, worst breaches. */
export function tableReport(r: AuditResult, ctx: ReportContext): string {
  const c = new Chalk({ level: ctx.color ? 1 : 0 });
  const z = ctx.zone;
  const out: string[] = [];
  const complianceColor = (v: number | null, s: string) => (v === null ? c.dim(s) : v >= 0.95 ? c.green(s) : v >= 0.8 ? c.yellow(s) : c.red(s));

  const t = r.totals;
  out.push(
    `${c.bold('sla-audit')}  ${t.evaluated} tickets evaluated from ${r.inputs.join(', ')}  ·  as of ${z.formatShort(r.asOf)} (${z.name})`,
  );
  const notes = [`${t.rows} rows read`];
  if (t.problems) notes.push(c.yellow(`${t.problems} left out with problems (listed on stderr)`));
  if (t.outside_range) notes.push(`${t.outside_range} outside --since/--until`);
  out.push(notes.join(' · '), '');

  const ct = table(['metric', 'compliance', 'met', 'breached', 'overdue', 'at risk', 'running', 'n/a'], ctx.color, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']);
  const row = (label: string, k: Counts) => [
    label,
    complianceColor(k.compliance, pct(k.compliance)),
    k.met,
    k.breached ? c.red(String(k.breached)) : '0',
    k.overdue ? c.red(String(k.overdue)) : '0',
    k.at_risk ? c.yellow(String(k.at_risk)) : '0',
    k.running,
    k.not_applicable,
  ];
  for (const m of METRICS) ct.push(row(LABEL[m], r.metrics[m]));
  ct.push(row(c.bold('overall'), r.overall));
  out.push(c.bold('Compliance'), ct.toString(), '');

  if (r.objectives.length) {
    out.push(c.bold('Objectives'));
    for (const o of r.objectives) {
      const mark = o.skipped ? c.dim('–') : o.passed ? c.green('✓') : c.red('✗');
      const detail = o.skipped ? c.dim(`not judged: ${o.skipped}`) : `actual ${pct(o.actual)} of ${o.tickets}`;
      out.push(`  ${mark} ${objectiveLabel(o).padEnd(32)} ${detail}`);
    }
    out.push('');
  }

  for (const [field, rows] of Object.entries(r.groups)) {
    if (!rows.length) continue;
    const gt = table([field, 'first response', 'resolution', 'overall', 'breached', 'overdue', 'at risk'], ctx.color, ['left', 'right', 'right', 'right', 'right', 'right', 'right']);
    for (const g of rows) {
      gt.push([
        g.key,
        complianceColor(g.metrics.first_response.compliance, pct(g.metrics.first_response.compliance)),
        complianceColor(g.metrics.resolution.compliance, pct(g.metrics.resolution.compliance)),
        complianceColor(g.overall.compliance, pct(g.overall.compliance)),
        g.overall.breached,
        g.overall.overdue,
        g.overall.at_risk,
      ]);
    }
    out.push(c.bold(`By ${field}`), gt.toString(), '');
  }

  if (r.periodAsked && r.periods.length) {
    const pt = table([r.periodKind, 'first response', 'resolution', 'overall', 'breached', 'overdue'], ctx.color, ['left', 'right', 'right', 'right', 'right', 'right']);
    for (const p of r.periods) {
      pt.push([p.period, pct(p.metrics.first_response.compliance), pct(p.metrics.resolution.compliance), complianceColor(p.overall.compliance, pct(p.overall.compliance)), p.overall.breached, p.overall.overdue]);
    }
    out.push(c.bold(`Trend by ${r.periodKind} (of creation)`), pt.toString(), '');
  }

  if (r.categories.length) {
    const shown = r.categories.slice(0, 8);
    const kt = table(['category', 'tickets', 'share', 'cum.', 'breached', 'rate', 'median res.', 'repeat'], ctx.color, ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']);
    for (const k of shown) {
      kt.push([k.name, k.tickets, pct(k.share), pct(k.cumulative_share), k.breached, pct(k.breach_rate), k.median_resolution_minutes === null ? '–' : duration(k.median_resolution_minutes * 60_000), k.repeat ?? '–']);
    }
    out.push(c.bold(`Top categories (${shown.length} of ${r.categories.length}, Pareto order)`), kt.toString(), '');
  }

  if (r.baseline) {
    const b = r.baseline;
    const bt = table(['compliance', 'baseline', 'now', 'change', b.max_drop === null ? '' : `max drop ${b.max_drop}`], ctx.color, ['left', 'right', 'right', 'right', 'left']);
    for (const x of b.rows) {
      const change = x.change_points === null ? '–' : `${x.change_points > 0 ? '+' : ''}${x.change_points} pts`;
      bt.push([x.metric, pct(x.before), pct(x.after), x.failed ? c.red(change) : change, x.failed ? c.red('✗ dropped too far') : b.max_drop === null ? '' : c.green('✓')]);
    }
    out.push(c.bold(`Against baseline ${b.file}${b.asOf ? ` (as of ${b.asOf.slice(0, 16).replace('T', ' ')})` : ''}`), bt.toString(), '');
  }

  const top = r.breaches.slice(0, ctx.top ?? 10);
  if (top.length) {
    const bt = table(['ticket', 'metric', 'policy', 'target', 'elapsed', 'over by', 'due'], ctx.color, ['left', 'left', 'left', 'right', 'right', 'right', 'left']);
    for (const b of top) {
      bt.push([b.id, LABEL[b.metric] + (b.status === 'overdue' ? c.dim(' (open)') : ''), b.policy, duration(b.targetMs), duration(b.elapsedMs), c.red(duration(b.elapsedMs - b.targetMs)), when(z, b.due)]);
    }
    out.push(c.bold(`Worst breaches (${top.length} of ${r.overall.breached + r.overall.overdue}, business time)`), bt.toString(), '');
  }
  const baselineFailed = r.baseline && !r.baseline.passed;
  const objectivesFailed = r.objectives.some((o) => !o.passed);
  if (objectivesFailed) out.push(c.red('An objective failed.'));
  if (baselineFailed) out.push(c.red(`Compliance dropped more than ${r.baseline!.max_drop} points against the baseline.`));
  if (!objectivesFailed && !baselineFailed) {
    out.push(r.objectives.length ? c.green('All objectives met.') : c.dim('No objectives configured (add objectives: or --fail-under).'));
  }
  return out.join('\n') + '\n';
}
