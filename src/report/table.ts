import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { AuditResult } from '../engine/audit.js';
import type { Counts } from '../engine/aggregate.js';
import { METRICS } from '../config/schema.js';
import { duration, pct } from './format.js';
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
      out.push(`  ${mark} ${o.label.padEnd(32)} ${detail}`);
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

  const top = r.breaches.slice(0, ctx.top ?? 10);
  if (top.length) {
    const bt = table(['ticket', 'metric', 'policy', 'target', 'elapsed', 'over by', 'due'], ctx.color, ['left', 'left', 'left', 'right', 'right', 'right', 'left']);
    for (const b of top) {
      bt.push([b.id, LABEL[b.metric] + (b.status === 'overdue' ? c.dim(' (open)') : ''), b.policy, duration(b.targetMs), duration(b.elapsedMs), c.red(duration(b.elapsedMs - b.targetMs)), z.formatShort(b.due)]);
    }
    out.push(c.bold(`Worst breaches (${top.length} of ${r.overall.breached + r.overall.overdue}, business time)`), bt.toString(), '');
  }
  const verdict = r.passed ? c.green('All objectives met.') : c.red('An objective failed.');
  out.push(r.objectives.length ? verdict : c.dim('No objectives configured (add objectives: or --fail-under).'));
  return out.join('\n') + '\n';
}
