import { readFileSync, statSync } from 'node:fs';
import { kpiDef } from '../config/kpis.js';
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

const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : String(JSON.stringify(v)));

/**
 * The first figure of the report that no sla-audit report holds (a compliance of "abc" or 1e308, a
 * KPI that is not a number): the comparison would be against nothing real.
 */
function shapeProblem(j: ReportJson): string | undefined {
  const share = (v: unknown) => v === null || v === undefined || (typeof v === 'number' && v >= 0 && v <= 1);
  if (!share(j.overall?.compliance)) return `overall.compliance is ${shown(j.overall?.compliance)}, not a share from 0 to 1 (or null)`;
  // a report's overall compliance is under overall, never under metrics (it would stand in for it)
  if (j.metrics && Object.hasOwn(j.metrics, 'overall')) return 'metrics.overall is no metric (the overall compliance is overall.compliance)';
  for (const [k, v] of Object.entries(j.metrics ?? {})) {
    if (typeof v !== 'object' || v === null) return `metrics.${k} is ${shown(v)}, not an object`;
    if (!share(v.compliance)) return `metrics.${k}.compliance is ${shown(v.compliance)}, not a share from 0 to 1 (or null)`;
  }
  for (const [k, v] of Object.entries(typeof j.kpis === 'object' && j.kpis ? j.kpis : {})) {
    if (v !== null && !(typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e15)) return `kpis.${k} is ${shown(v)}, not a number (or null)`;
    if (kpiDef(k)?.kind === 'rate' && !share(v)) return `kpis.${k} is ${shown(v)}, not a share from 0 to 1 (or null)`;
  }
  for (const sc of Array.isArray(j.scorecards) ? j.scorecards : []) {
    for (const c of Array.isArray(sc?.cards) ? sc.cards : []) {
      for (const r of Array.isArray(c?.rows) ? c.rows : []) {
        if (r?.composite !== null && r?.composite !== undefined && !(typeof r.composite === 'number' && r.composite >= 0 && r.composite <= 100)) {
          return `scorecard ${shown(sc.name)} group ${shown(r.key)} has a composite of ${shown(r.composite)}, not a score from 0 to 100 (or null)`;
        }
      }
    }
  }
  return undefined;
}

/** Reads an earlier JSON report (schemaVersion 1) for --baseline: compliance, KPIs and scorecard composites. */
export function readBaseline(file: string): BaselineReport {
  let json: unknown;
  try {
    // a device (/dev/zero) is no earlier report, and reading one might never end; a pipe (<(…)) is read as cat would
    const st = statSync(file);
    if (!st.isFile() && !st.isFIFO()) throw new InputError(`--baseline ${file}: is ${st.isDirectory() ? 'a directory' : 'a device or socket, not a file'}; pass a report written by "sla-audit check -o report.json"`);
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`--baseline ${file}: ${code === 'ENOENT' ? 'no such file' : code ? `cannot read (${code})` : 'not valid JSON'}; pass a report written by "sla-audit check -o report.json"${code === 'ENOENT' ? ' (on a first run, with no report yet, add --baseline-optional)' : ''}`);
  }
  const j = json as ReportJson;
  const record = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (j?.schemaVersion !== 1 || !record(j.overall) || !record(j.metrics)) {
    throw new InputError(`--baseline ${file}: not a sla-audit JSON report (schemaVersion 1 with overall and metrics)`);
  }
  const wrong = shapeProblem(j);
  if (wrong) throw new InputError(`--baseline ${file}: ${wrong}; pass a report written by "sla-audit check -o report.json", unedited`);
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
