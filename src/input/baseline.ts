import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { BaselineReport } from '../model/baseline.js';

interface ReportJson {
  schemaVersion?: unknown;
  asOf?: unknown;
  config?: unknown;
  configDigest?: unknown;
  inputs?: unknown;
  overall?: { compliance?: unknown };
  metrics?: Record<string, { compliance?: unknown }>;
  kpis?: Record<string, unknown>;
  scorecards?: { name?: unknown; cards?: { period?: unknown; rows?: { key?: unknown; composite?: unknown }[] }[] }[];
}

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads an earlier JSON report (schemaVersion 1) for --baseline: compliance, KPIs and scorecard composites. */
export function readBaseline(file: string): BaselineReport {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`--baseline ${file}: ${code === 'ENOENT' ? 'no such file' : code ? `cannot read (${code})` : 'not valid JSON'}; pass a report written by "sla-audit check -o report.json"`);
  }
  const j = json as ReportJson;
  if (j?.schemaVersion !== 1 || typeof j.overall !== 'object' || typeof j.metrics !== 'object') {
    throw new InputError(`--baseline ${file}: not a sla-audit JSON report (schemaVersion 1 with overall and metrics)`);
  }
  // Object.fromEntries: every name is an own property, whatever it is
  const compliance = Object.fromEntries([['overall', num(j.overall?.compliance)], ...Object.entries(j.metrics ?? {}).map(([k, v]) => [k, num(v?.compliance)])]);
  const kpis = Object.fromEntries(Object.entries(typeof j.kpis === 'object' && j.kpis ? j.kpis : {}).map(([k, v]) => [k, num(v)]));
  const scores = Object.fromEntries(
    (Array.isArray(j.scorecards) ? j.scorecards : []).flatMap((sc) =>
      (sc?.cards ?? []).filter((c) => c?.period === null).flatMap((c) => (c.rows ?? []).map((r) => [`${String(sc.name)} ${String(r?.key)}`, num(r?.composite)])),
    ),
  );
  return {
    file, asOf: typeof j.asOf === 'string' ? j.asOf : undefined, compliance, kpis, scores,
    ...(typeof j.config === 'string' ? { config: j.config } : {}),
    ...(typeof j.configDigest === 'string' ? { configDigest: j.configDigest } : {}),
    ...(Array.isArray(j.inputs) ? { inputs: j.inputs.map(String) } : {}),
  };
}
