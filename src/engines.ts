/**
 * Which engine computes a run: `streaming` (the default) or `duckdb` (the compiled SQL on embedded
 * DuckDB; exit 2 when @duckdb/node-api is not installed). The numbers are the same either way:
 * DuckDB hands any input it would read differently to the streaming engine.
 *
 * There is no `auto`: measured (npm run bench, README "Performance"), the DuckDB engine is slower
 * than the streaming engine at 1M and 4M tickets and holds far more memory, so there is no input
 * size above which choosing it pays off.
 */
export const ENGINES = ['streaming', 'duckdb'] as const;
export type EngineName = (typeof ENGINES)[number];

export async function chooseEngine(engine: EngineName): Promise<'streaming' | 'duckdb'> {
  if (engine === 'streaming') return 'streaming';
  const { requireDuckdb } = await import('./duckdb/driver.js');
  await requireDuckdb();
  return 'duckdb';
}
