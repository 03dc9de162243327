/** Config to SQL (`sla-audit sql`, and the embedded DuckDB engine). */
export { compileSql, type CompileInput, type Compiled, type HistorySource, type SourceColumns } from './compile.js';
export { DIALECTS, type DialectName } from './dialect.js';
export { spineRangeFor } from './range.js';
