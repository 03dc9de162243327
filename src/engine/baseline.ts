/** Compliance now against an earlier report's: a drop of more than --max-drop points fails. */
import type { BaselineReport } from '../model/baseline.js';
import type { AuditResult, BaselineResult } from './result.js';

/** Compares overall and per-metric compliance with an earlier report; a drop of more than maxDrop points fails. */
export function compareBaseline(r: AuditResult, base: BaselineReport, maxDrop: number | undefined): BaselineResult {
  const now: Record<string, number | null> = { overall: r.overall.compliance };
  for (const [k, v] of Object.entries(r.metrics)) now[k] = v.compliance;
  const rows = Object.keys(now).map((metric) => {
    const before = base.compliance[metric] ?? null;
    const after = now[metric];
    const change = before === null || after === null ? null : Math.round((after - before) * 100 * 100) / 100;
    return { metric, before, after, change_points: change, failed: maxDrop !== undefined && change !== null && -change > maxDrop + 1e-9 };
  });
  return { file: base.file, ...(base.asOf ? { asOf: base.asOf } : {}), max_drop: maxDrop ?? null, rows, passed: rows.every((x) => !x.failed) };
}
