/**
 * Which engine computes a run: `streaming` (the default), `duckdb` (the compiled SQL on embedded
 * DuckDB; exit 2 when @duckdb/node-api is not installed) or `auto`, the faster of the two for the
 * input. The numbers are the same either way: DuckDB hands any input it would read differently to
 * the streaming engine.
 *
 * Measured (npm run bench, README "Performance"), the DuckDB engine is slower than the streaming
 * engine at every size tried (0.37x at 1M tickets, 0.36x at 4M) and holds far more memory, so
 * `auto` picks the streaming engine; it is kept as a name (SPEC: stable) for when DuckDB is faster.
 */
export const ENGINES = ['streaming', 'duckdb', 'auto'] as const;
export type EngineName = (typeof ENGINES)[number];

export async function chooseEngine(engine: EngineName): Promise<'streaming' | 'duckdb'> {
  if (engine !== 'duckdb') return 'streaming';
  const { requireDuckdb } = await import('./duckdb/driver.js');
  await requireDuckdb();
  return 'duckdb';
}
