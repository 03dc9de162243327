/** Now against an earlier report: compliance (a drop of more than --max-drop points fails), every KPI and scorecard composite (shown, marked when worse). */
import { anyKpiDef } from '../config/kpis.js';
import type { BaselineReport } from '../model/baseline.js';
import type { AuditResult, BaselineResult } from './result.js';

export function compareBaseline(r: AuditResult, base: BaselineReport, maxDrop: number | undefined): BaselineResult {
  const now: Record<string, number | null> = { overall: r.overall.compliance };
  for (const [k, v] of Object.entries(r.metrics)) now[k] = v!.compliance;
  const rows = Object.keys(now).map((metric) => {
    const before = base.compliance[metric] ?? null;
    const after = now[metric];
    const change = before === null || after === null ? null : Math.round((after - before) * 100 * 100) / 100;
    return { metric, before, after, change_points: change, failed: maxDrop !== undefined && change !== null && -change > maxDrop + 1e-9 };
  });
  const kpis: BaselineResult['kpis'] = [];
  const compare = (what: string, before: number | null, after: number | null, higherIsBetter: boolean) => {
    const change = before === null || after === null ? null : after - before;
    kpis.push({ what, before, after, change, worse: change !== null && Math.abs(change) > 1e-12 && (higherIsBetter ? change < 0 : change > 0) });
  };
  for (const [k, v] of Object.entries(r.kpis)) compare(k, base.kpis[k] ?? null, v, anyKpiDef(k, r.customKpis.map((def) => ({ def })))?.higherIsBetter ?? true);
  for (const sc of r.scorecards) {
    for (const row of sc.cards.find((c) => c.period === null)?.rows ?? []) compare(`scorecard ${sc.name} ${row.key}`, base.scores[`${sc.name} ${row.key}`] ?? null, row.composite, true);
  }
  const differs: string[] = [];
  if (base.configDigest && base.configDigest !== r.configDigest) {
    differs.push(`its config ${base.config ?? ''} (digest ${base.configDigest}) is not this run's ${r.configFile} (digest ${r.configDigest})`.replace(/  +/g, ' '));
  }
  if (base.inputs && base.inputs.join('\n') !== r.inputs.join('\n')) differs.push(`its inputs (${base.inputs.join(', ')}) are not this run's (${r.inputs.join(', ')})`);
  return { file: base.file, ...(base.asOf ? { asOf: base.asOf } : {}), max_drop: maxDrop ?? null, rows, kpis, differs, passed: rows.every((x) => !x.failed) };
}
