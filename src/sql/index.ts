/** Config to SQL (`sla-audit sql`, and the embedded DuckDB engine). */
export { compileSql, type CompileInput } from './compile.js';
export { quoteTableName, type DialectName } from './dialect.js';
export { spineRangeFor } from './range.js';
