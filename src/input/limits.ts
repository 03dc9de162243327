/**
 * A record over this many bytes is a row problem and reading goes on: no ticket row is that large,
 * and holding it would not end well. The CSV reader and the DuckDB engine's gate (prescan) share it.
 */
export const MAX_RECORD_BYTES = 16 << 20;

/** The rows a worksheet can hold (Excel's limit): a workbook with a row beyond it is refused. */
export const MAX_SHEET_ROWS = 1_048_576;

/**
 * A workbook's shared strings (every distinct text of its cells, which the reader holds in memory
 * while it streams the rows) may unpack to this many bytes; a larger one is refused, with a hint to
 * save the sheet as CSV.
 */
export const MAX_SHARED_STRINGS_BYTES = 128 << 20;
