/**
 * Which engine computes a run: `streaming` (the default), `duckdb` (the compiled SQL on embedded
 * DuckDB; exit 2 when @duckdb/node-api is not installed) or `auto`: DuckDB when it is installed and
 * the input files add up to AUTO_MIN_BYTES or more, where its reader pays off; the streaming engine
 * otherwise. Either way the numbers are the same: DuckDB hands any input it would read differently
 * to the streaming engine.
 */
import { statSync } from 'node:fs';

export const ENGINES = ['streaming', 'duckdb', 'auto'] as const;
export type EngineName = (typeof ENGINES)[number];

/** 64 MiB: about 500,000 tickets of a typical export. */
const AUTO_MIN_BYTES = 64 << 20;

export async function chooseEngine(engine: EngineName, inputs: string[]): Promise<'streaming' | 'duckdb'> {
  if (engine === 'streaming') return 'streaming';
  if (engine === 'duckdb') {
    const { requireDuckdb } = await import('./duckdb/driver.js');
    await requireDuckdb();
    return 'duckdb';
  }
  let bytes = 0;
  for (const p of inputs) {
    try {
      if (p !== '-') bytes += statSync(p).size;
    } catch {
      // the input stage names a missing file
    }
  }
  if (bytes < AUTO_MIN_BYTES) return 'streaming';
  const { duckdbModule } = await import('./duckdb/driver.js');
  return (await duckdbModule()) ? 'duckdb' : 'streaming';
}
