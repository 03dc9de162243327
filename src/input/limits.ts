/**
 * A record over this many bytes is a row problem and reading goes on: no ticket row is that large,
 * and holding it would not end well. The CSV reader and the DuckDB engine's gate (prescan) share it.
 */
export const MAX_RECORD_BYTES = 16 << 20;
