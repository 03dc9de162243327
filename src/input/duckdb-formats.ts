/**
 * Ticket files only the DuckDB engine reads (`check --engine duckdb`): Parquet, JSON lines and a
 * table of a DuckDB database file, told by the file's extension. The streaming engine reads CSV
 * and .xlsx workbooks; given one of these it says to use --engine duckdb.
 */
export type DuckdbFormat = 'parquet' | 'jsonl' | 'duckdb';

const KINDS: Record<DuckdbFormat, string> = { parquet: 'a Parquet file', jsonl: 'a JSON lines file', duckdb: 'a DuckDB database' };

/** The format of a ticket file only DuckDB reads, from its extension; undefined for any other file. */
export function duckdbFormat(path: string): DuckdbFormat | undefined {
  if (/\.parquet$/i.test(path)) return 'parquet';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  if (/\.duckdb$/i.test(path)) return 'duckdb';
  return undefined;
}

/** What the streaming engine says of such a file (after "name: "). */
export function streamingCannotRead(format: DuckdbFormat): string {
  return `is ${KINDS[format]}, which the streaming engine does not read; check, scorecard and queue read it with --engine duckdb (needs @duckdb/node-api), or export the tickets as CSV`;
}
