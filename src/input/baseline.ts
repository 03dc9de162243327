import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { BaselineReport } from '../model/baseline.js';

/** Reads an earlier JSON report (schemaVersion 1) for --baseline. */
export function readBaseline(file: string): BaselineReport {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`--baseline ${file}: ${code === 'ENOENT' ? 'no such file' : code ? `cannot read (${code})` : 'not valid JSON'}; pass a report written by "sla-audit check -o report.json"`);
  }
  const j = json as { schemaVersion?: unknown; overall?: { compliance?: unknown }; metrics?: Record<string, { compliance?: unknown }>; asOf?: unknown };
  if (j?.schemaVersion !== 1 || typeof j.overall !== 'object' || typeof j.metrics !== 'object') {
    throw new InputError(`--baseline ${file}: not a sla-audit JSON report (schemaVersion 1 with overall and metrics)`);
  }
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const compliance: Record<string, number | null> = { overall: num(j.overall?.compliance) };
  for (const [k, v] of Object.entries(j.metrics ?? {})) compliance[k] = num(v?.compliance);
  return { file, asOf: typeof j.asOf === 'string' ? j.asOf : undefined, compliance };
}
