/**
 * What the gate's tests compare with: `check`'s objectives on the demo, and the gate's message
 * built from them (operational-script.test.ts on DuckDB, operational-script.server.test.ts on a
 * PostgreSQL server).
 */
import { join } from 'node:path';
import { cli, ROOT } from '../cli/run.js';

export const DEMO = join(ROOT, 'fixtures/demo');

/** check's objectives on the demo at an --as-of: the gate's message is built from them */
export async function checkObjectives(config: string, asOf: string) {
  const r = await cli(['check', '-c', config, join(DEMO, 'tickets.csv'), '--as-of', asOf, '-f', 'json']);
  const j = JSON.parse(r.stdout);
  return { exitCode: r.exitCode, objectives: j.objectives as { metric: string; priority?: string; min: number; actual: number; passed: boolean; skipped?: boolean }[], evaluated: j.totals.evaluated as number };
}

const pct = (x: number) => (Math.floor(x * 10000 + 0.5) / 100).toFixed(2);

/** the failed objectives as the gate names them: number (from 1), metric, priority, actual < minimum */
export const failedNames = (objectives: Awaited<ReturnType<typeof checkObjectives>>['objectives']) =>
  objectives.map((o, i) => ({ ...o, i: i + 1 })).filter((o) => !o.passed)
    .map((o) => `objective ${o.i} (${o.metric}.compliance${o.priority ? `, priority ${o.priority}` : ''}): ${pct(o.actual)}% < ${pct(o.min)}%`);
