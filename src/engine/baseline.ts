import type { BaselineReport } from '../input/baseline.js';
import type { AuditResult } from './audit.js';

export interface BaselineRow {
  metric: string;
  before: number | null;
  after: number | null;
  /** percentage points, after - before */
  change_points: number | null;
  failed: boolean;
}

export interface BaselineResult {
  file: string;
  asOf?: string;
  max_drop: number | null;
  rows: BaselineRow[];
  passed: boolean;
}

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
