/**
 * Which engine computes a run: `streaming` (the default), `duckdb` (the compiled SQL on embedded
 * DuckDB; exit 2 when @duckdb/node-api is not installed) or `auto`. The numbers are the same either
 * way: DuckDB hands any CSV it would read differently to the streaming engine.
 *
 * Measured (npm run bench, README "Performance"), the DuckDB engine is slower than the streaming
 * engine on CSV at every size tried (0.37x at 1M tickets, 0.36x at 4M) and holds far more memory,
 * so `auto` never picks it for CSV. It is what reads the files the streaming engine cannot:
 * Parquet, JSON lines and a table of a DuckDB database (input/duckdb-formats.ts); `auto` picks it
 * when a ticket file is one of those.
 */
import { duckdbFormat } from './input/duckdb-formats.js';

export const ENGINES = ['streaming', 'duckdb', 'auto'] as const;
export type EngineName = (typeof ENGINES)[number];

export async function chooseEngine(engine: EngineName, inputs: string[]): Promise<'streaming' | 'duckdb'> {
  if (engine === 'streaming' || (engine === 'auto' && !inputs.some((p) => duckdbFormat(p)))) return 'streaming';
  const { requireDuckdb } = await import('./duckdb/driver.js');
  await requireDuckdb();
  return 'duckdb';
}
