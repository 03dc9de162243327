/**
 * What differs between SQL engines, and nothing else: quoting, literals, types, regular-expression
 * extraction, VALUES tables, how a derived relation is named, the current instant, and formatting a
 * wall-clock time. Everything the compiler builds on top is plain SQL: integer arithmetic on epoch
 * milliseconds, joins, CASE and window functions.
 */
import { TRIMMED_SPACE_CODES } from '../text/white-space.js';

export const DIALECTS = ['duckdb', 'postgres', 'spark', 'bigquery', 'snowflake'] as const;
export type DialectName = (typeof DIALECTS)[number];

export interface Dialect {
  name: DialectName;
  /** a quoted identifier */
  ident(name: string): string;
  /** a string literal */
  str(text: string): string;
  /** a string literal holding a regular expression (written without backslashes by the compiler) */
  regex(pattern: string): string;
  bigint: string;
  double: string;
  text: string;
  /** whether `s` matches the whole of `pattern` (the pattern carries ^ and $) */
  matches(s: string, pattern: string): string;
  /** whether an RE2 regular expression (a config's `matches:`) is found in `s`; absent where the engine's regular expressions are not RE2's */
  re2Find?(s: string, pattern: string): string;
  /** `s` without the white space String.prototype.trim removes at either end (tabs, no-break and ideographic spaces, …), as the engine trims every cell */
  trimJs(s: string): string;
  /** `s` NFKC-normalised, then lower-cased (a config's `contains:`); absent where the engine cannot normalise */
  nfkcLower?(s: string): string;
  /** 1 where fold(s) may differ from the engine's NFKC-then-lower-case (text outside NFKC_STABLE on an engine without NFKC), else 0 */
  foldUnsure(s: string): string;
  /** capture group `n` (1-based) of `pattern` in `s`; '' or NULL when it did not take part */
  group(s: string, pattern: string, n: number, groups: number): string;
  /**
   * What `pattern` (anchored with ^, one capturing group around the whole, `groups` groups in all)
   * matches at the start of `s`: '' or NULL when nothing. PostgreSQL finds a match without capturing
   * groups many times faster (with them its regular expressions track each group's span: 67 µs a
   * rating against 4), so there it is the whole match of the pattern with every group non-capturing.
   */
  leading(s: string, pattern: string, groups: number): string;
  /** a relation from literal rows; `types` name each column's SQL type */
  values(rows: string[][], columns: string[], types: string[]): string;
  /**
   * A statement that defines `name` as the query, replacing an earlier one: a temporary table (or
   * a cached view) when `keep`, else whatever the engine runs fastest (DuckDB: a view, which its
   * optimizer runs as one pipeline with what reads it). `stats`: whether a later statement's plan
   * needs the relation's statistics (PostgreSQL ANALYZEs only those tables).
   */
  define(name: string, query: string, keep: boolean, stats: boolean): string;
  /** whether a relation define does not keep is a view, computed again by each statement that reads it (DuckDB) */
  views?: boolean;
  /** whether sla_summary groups its sets in one scan (GROUPING SETS): PostgreSQL and DuckDB, where the parity tests run it */
  groupingSets?: boolean;
  /** what follows `alias.*` to leave the named columns out of it (DuckDB's EXCLUDE); absent where a star takes every column */
  starExcept?(columns: string[]): string;
  /**
   * Appended to a subquery so that the planner computes its columns once per row instead of
   * inlining each expression into every one that reads it (PostgreSQL pulls subqueries up: a
   * timestamp's fields, read thirty times by the date arithmetic, were matched thirty times)
   */
  fence: string;
  /** a statement the script starts with, or '' (PostgreSQL: no NOTICE for each DROP … IF EXISTS of nothing) */
  prelude: string;
  /** epoch ms of a column that is already an instant (TIMESTAMPTZ or the engine's equivalent), whole ms down */
  typedMs(x: string): string;
  /**
   * epoch ms of a text `yyyy-MM-dd HH:mm[:ss]` or `yyyy-MM-ddTHH:mm[:ss]` (two-digit fields) read
   * as UTC by the engine's own timestamp cast, as the streaming engine reads it: 24:00[:00] is the
   * next day's start, any other impossible date or time NULL. Absent where the fields are cheaper.
   */
  isoWallMs?(s: string): string;
  /** the current instant as epoch milliseconds */
  nowMs: string;
  /** "YYYY-MM-DDTHH:MM:SS" of a wall time given in epoch milliseconds (the wall clock read as UTC) */
  formatWall(ms: string): string;
  /**
   * FLOOR(a / b) of an integer expression `a` by a positive integer constant: the dialect's bigint
   * where it is cheap to make one there (PostgreSQL), else as FLOOR(a / b.0) was always written
   * (the caller casts). PostgreSQL divides in double precision, exact for |a| < 2^53 (every instant
   * and business time the script handles is below 2^53 ms): its FLOOR of a division by a decimal
   * literal is numeric, and an instant computed so made every later sum, comparison and join
   * numeric arithmetic too.
   */
  floorDiv(a: string, b: number): string;
  /** integer text of a bigint expression */
  intText(x: string): string;
  /** string concatenation */
  concat(parts: string[]): string;
  /** 1-based substring */
  substr(s: string, from: number, len: number): string;
  /** length of a string in characters */
  length(s: string): string;
  /** where `needle` first starts in `s`, 1-based; 0 when absent */
  position(s: string, needle: string): string;
  /** `s` NFKC-normalised and lower-cased where the engine can normalise (nfkcLower), else lower-cased alone (for cells the caller checked) */
  fold(s: string): string;
  /** a text ordered by code point whatever the database's collation */
  binary(s: string): string;
  /** a statement that drops a relation the script defines elsewhere, if it is there */
  drop(name: string): string;
}

/**
 * Text whose NFKC form is itself and that every engine lower-cases alike: printable ASCII, CJK
 * ideographs, Hangul syllables, kana and CJK punctuation (for engines without NFKC).
 */
const NFKC_STABLE = '^[ -~\u4e00-\u9fff\uac00-\ud7a3\u3041-\u3096\u30a1-\u30fa\u3001-\u3003\u3008-\u3011]*$';
/** foldUnsure of an engine without NFKC (its fold is LOWER alone): sure of NFKC_STABLE text only */
const lowerFold = (matches: (s: string, p: string) => string) => ({
  foldUnsure: (s: string) => `CASE WHEN ${s} IS NULL OR ${matches(s, NFKC_STABLE)} THEN 0 ELSE 1 END`,
});

const ansiStr = (t: string) => `'${t.replace(/'/g, "''")}'`;
/** Spark, BigQuery and Snowflake read backslashes in string literals as escapes. */
const backslashStr = (t: string) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const dq = (name: string) => `"${name.replace(/"/g, '""')}"`;
const bq = (name: string) => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
// Spark SQL: a backtick inside a quoted identifier is doubled (a backslash there is an ordinary character)
const sparkIdent = (name: string) => `\`${name.replace(/`/g, '``')}\``;

function rowsOf(rows: string[][], columns: string[], types: string[], ident: (n: string) => string, alias = 'v'): string {
  // every column is cast so that an engine does not guess a narrower type from the first rows
  const cols = columns.map((c, i) => `CAST(${ident(c)} AS ${types[i]}) AS ${ident(c)}`).join(', ');
  if (!rows.length) return `SELECT ${columns.map((c, i) => `CAST(NULL AS ${types[i]}) AS ${ident(c)}`).join(', ')} FROM (SELECT 1 AS one) AS e WHERE 1 = 0`;
  return `SELECT ${cols} FROM (VALUES\n  ${rows.map((r) => `(${r.join(', ')})`).join(',\n  ')}\n) AS ${alias}(${columns.map(ident).join(', ')})`;
}

/** What String.prototype.trim removes, as the engine trims every cell (SQL's TRIM removes spaces only). */
const JS_TRIM_CODES = TRIMMED_SPACE_CODES;
/** the set as concatenated chr() calls (PostgreSQL, DuckDB, Snowflake: chr of a code point is its character) */
const chrSet = (chr: string) => JS_TRIM_CODES.map((c) => `${chr}(${c})`).join(' || ');

const duckdb: Dialect = {
  name: 'duckdb',
  ident: dq,
  str: ansiStr,
  regex: ansiStr,
  bigint: 'BIGINT',
  double: 'DOUBLE',
  text: 'VARCHAR',
  trimJs: (s) => `trim(${s}, ${chrSet('chr')})`,
  matches: (s, p) => `regexp_full_match(${s}, ${ansiStr(p)})`,
  // DuckDB's regular expressions are RE2 (with its default options, as the engine's)
  re2Find: (s, p) => `regexp_matches(${s}, ${ansiStr(p)})`,
  ...lowerFold((s, p) => `regexp_full_match(${s}, ${ansiStr(p)})`),
  // DuckDB takes group indexes 0-9 only: one capturing group per extraction
  group: (s, p, n) => `NULLIF(regexp_extract(${s}, ${ansiStr(oneGroup(p, n))}, 1), '')`,
  leading: (s, p, groups) => duckdb.group(s, p, 1, groups),
  values: (rows, columns, types) => rowsOf(rows, columns, types, dq),
  prelude: '',
  fence: '',
  typedMs: (x) => `epoch_ms(CAST(${x} AS TIMESTAMPTZ))`,
  // DuckDB's cast is a hand-written ISO 8601 reader: four times cheaper than the fields by position
  isoWallMs: (s) => `epoch_ms(TRY_CAST(${s} AS TIMESTAMP))`,
  define: (name, q, keep) => `CREATE OR REPLACE TEMP ${keep ? 'TABLE' : 'VIEW'} ${dq(name)} AS\n${q};`,
  views: true,
  groupingSets: true,
  starExcept: (columns) => ` EXCLUDE (${columns.join(', ')})`,
  nowMs: 'epoch_ms(now())',
  // epoch_ms of a BIGINT is a TIMESTAMP: half the cost of make_timestamp on the product in µs
  formatWall: (ms) => `strftime(epoch_ms(${ms}), '%Y-%m-%dT%H:%M:%S')`,
  floorDiv: (a, b) => `FLOOR(${a} / ${b}.0)`,
  intText: (x) => `CAST(${x} AS VARCHAR)`,
  concat: (parts) => `(${parts.join(' || ')})`,
  substr: (s, f, l) => `substr(${s}, ${f}, ${l})`,
  length: (s) => `length(${s})`,
  position: (s, n) => `strpos(${s}, ${n})`,
  fold: (s) => `lower(${s})`,
  binary: (s) => s,
  drop: (name) => `DROP TABLE IF EXISTS ${dq(name)};`,
};

const postgres: Dialect = {
  name: 'postgres',
  ident: dq,
  str: ansiStr,
  regex: ansiStr,
  bigint: 'BIGINT',
  double: 'DOUBLE PRECISION',
  text: 'TEXT',
  trimJs: (s) => `btrim(${s}, ${chrSet('chr')})`,
  matches: (s, p) => `(${s} ~ ${ansiStr(p)})`,
  nfkcLower: (s) => `LOWER(NORMALIZE(${s}, NFKC))`,
  foldUnsure: () => '0',
  group: (s, p, n) => `NULLIF((regexp_match(${s}, ${ansiStr(p)}))[${n}], '')`,
  leading: (s, p) => `NULLIF(substring(${s} from ${ansiStr(p.replace(/\((?!\?)/g, '(?:'))}), '')`,
  values: (rows, columns, types) => rowsOf(rows, columns, types, dq),
  prelude: 'SET client_min_messages = warning;',
  fence: ' OFFSET 0',
  groupingSets: true,
  typedMs: (x) => `CAST(FLOOR(EXTRACT(EPOCH FROM CAST(${x} AS TIMESTAMPTZ)) * 1000) AS BIGINT)`,
  // autovacuum never sees a temporary table: ANALYZE the ones a later join or grouping is planned
  // on (about 30,000 rows sampled per table, a second or more for a wide one at any size); without
  // it the planner still counts a table's rows from its pages, but knows nothing of its values
  define: (name, q, _keep, stats) => `DROP TABLE IF EXISTS ${dq(name)} CASCADE;\nCREATE TEMP TABLE ${dq(name)} AS\n${q};${stats ? `\nANALYZE ${dq(name)};` : ''}`,
  nowMs: 'CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)',
  // a timestamp without time zone from its epoch: no numeric division, no time zone conversion
  formatWall: (ms) => `to_char(TIMESTAMP '1970-01-01 00:00:00' + ${ms} * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS')`,
  floorDiv: (a, b) => `CAST(FLOOR(CAST(${a} AS DOUBLE PRECISION) / ${b}) AS BIGINT)`,
  intText: (x) => `CAST(${x} AS TEXT)`,
  concat: (parts) => `(${parts.join(' || ')})`,
  substr: (s, f, l) => `substr(${s}, ${f}, ${l})`,
  length: (s) => `length(${s})`,
  position: (s, n) => `strpos(${s}, ${n})`,
  fold: (s) => `LOWER(NORMALIZE(${s}, NFKC))`,
  // the database's collation may order by language: "C" orders by the bytes of UTF-8, which is code point order
  binary: (s) => `${s} COLLATE "C"`,
  drop: (name) => `DROP TABLE IF EXISTS ${dq(name)} CASCADE;`,
};

const spark: Dialect = {
  name: 'spark',
  ident: sparkIdent,
  str: backslashStr,
  regex: backslashStr,
  bigint: 'BIGINT',
  double: 'DOUBLE',
  text: 'STRING',
  // Spark's chr() takes the code modulo 256: the set as a literal of \\u escapes, which its parser reads
  trimJs: (s) => `trim(BOTH '${JS_TRIM_CODES.map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}' FROM ${s})`,
  matches: (s, p) => `(${s} RLIKE ${backslashStr(p)})`,
  ...lowerFold((s, p) => `(${s} RLIKE ${backslashStr(p)})`),
  group: (s, p, n) => `NULLIF(regexp_extract(${s}, ${backslashStr(p)}, ${n}), '')`,
  leading: (s, p, groups) => spark.group(s, p, 1, groups),
  values: (rows, columns, types) => rowsOf(rows, columns, types, sparkIdent),
  // a table (parquet) for every relation: a temporary view would put its whole plan into each
  // later one's, and Spark's planner runs out of memory on the longer scripts
  prelude: '',
  fence: '',
  typedMs: (x) => `unix_millis(CAST(${x} AS TIMESTAMP))`,
  define: (name, q) => `DROP TABLE IF EXISTS ${sparkIdent(name)};\nCREATE TABLE ${sparkIdent(name)} USING parquet AS\n${q};`,
  nowMs: 'unix_millis(current_timestamp())',
  // the wall time read as UTC: format in UTC whatever the session zone is
  formatWall: (ms) => `date_format(to_utc_timestamp(timestamp_millis(${ms}), current_timezone()), "yyyy-MM-dd'T'HH:mm:ss")`,
  floorDiv: (a, b) => `FLOOR(${a} / ${b}.0)`,
  intText: (x) => `CAST(${x} AS STRING)`,
  concat: (parts) => `concat(${parts.join(', ')})`,
  substr: (s, f, l) => `substr(${s}, ${f}, ${l})`,
  length: (s) => `char_length(${s})`,
  position: (s, n) => `instr(${s}, ${n})`,
  fold: (s) => `lower(${s})`,
  binary: (s) => s,
  drop: (name) => `DROP TABLE IF EXISTS ${sparkIdent(name)};`,
};

/** The pattern with only group `keep` capturing (BigQuery takes one capturing group, DuckDB ten at most). */
function oneGroup(pattern: string, keep: number): string {
  let k = 0;
  return pattern.replace(/\((?!\?)/g, () => (++k === keep ? '(' : '(?:'));
}

const bigquery: Dialect = {
  name: 'bigquery',
  ident: bq,
  str: backslashStr,
  regex: backslashStr,
  bigint: 'INT64',
  double: 'FLOAT64',
  text: 'STRING',
  trimJs: (s) => `TRIM(${s}, CODE_POINTS_TO_STRING([${JS_TRIM_CODES.join(', ')}]))`,
  matches: (s, p) => `REGEXP_CONTAINS(${s}, ${backslashStr(p)})`,
  re2Find: (s, p) => `REGEXP_CONTAINS(${s}, ${backslashStr(p)})`,
  nfkcLower: (s) => `LOWER(NORMALIZE(${s}, NFKC))`,
  foldUnsure: () => '0',
  group: (s, p, n) => `NULLIF(REGEXP_EXTRACT(${s}, ${backslashStr(oneGroup(p, n))}), '')`,
  leading: (s, p, groups) => bigquery.group(s, p, 1, groups),
  values: (rows, columns, types) =>
    rows.length
      ? `SELECT * FROM UNNEST([\n  ${rows.map((r) => `STRUCT(${r.map((v, i) => `CAST(${v} AS ${types[i]}) AS ${bq(columns[i])}`).join(', ')})`).join(',\n  ')}\n])`
      : `SELECT ${columns.map((c, i) => `CAST(NULL AS ${types[i]}) AS ${bq(c)}`).join(', ')} FROM UNNEST([1]) WHERE FALSE`,
  prelude: '',
  fence: '',
  typedMs: (x) => `UNIX_MILLIS(CAST(${x} AS TIMESTAMP))`,
  define: (name, q) => `CREATE OR REPLACE TEMP TABLE ${bq(name)} AS\n${q};`,
  nowMs: 'UNIX_MILLIS(CURRENT_TIMESTAMP())',
  formatWall: (ms) => `FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%S', TIMESTAMP_MILLIS(${ms}), 'UTC')`,
  floorDiv: (a, b) => `FLOOR(${a} / ${b}.0)`,
  intText: (x) => `CAST(${x} AS STRING)`,
  concat: (parts) => `CONCAT(${parts.join(', ')})`,
  substr: (s, f, l) => `SUBSTR(${s}, ${f}, ${l})`,
  length: (s) => `CHAR_LENGTH(${s})`,
  position: (s, n) => `STRPOS(${s}, ${n})`,
  fold: (s) => `LOWER(NORMALIZE(${s}, NFKC))`,
  binary: (s) => s,
  drop: (name) => `DROP TABLE IF EXISTS ${bq(name)};`,
};

const snowflake: Dialect = {
  name: 'snowflake',
  ident: dq,
  str: backslashStr,
  regex: backslashStr,
  bigint: 'BIGINT',
  double: 'DOUBLE',
  text: 'VARCHAR',
  trimJs: (s) => `TRIM(${s}, ${chrSet('CHR')})`,
  matches: (s, p) => `REGEXP_LIKE(${s}, ${backslashStr(p)})`,
  ...lowerFold((s, p) => `REGEXP_LIKE(${s}, ${backslashStr(p)})`),
  group: (s, p, n) => `NULLIF(REGEXP_SUBSTR(${s}, ${backslashStr(p)}, 1, 1, 'e', ${n}), '')`,
  leading: (s, p, groups) => snowflake.group(s, p, 1, groups),
  values: (rows, columns, types) => rowsOf(rows, columns, types, dq),
  prelude: '',
  fence: '',
  typedMs: (x) => `DATE_PART('epoch_millisecond', CAST(${x} AS TIMESTAMP_TZ))`,
  define: (name, q) => `CREATE OR REPLACE TEMPORARY TABLE ${dq(name)} AS\n${q};`,
  nowMs: "DATE_PART('epoch_millisecond', CURRENT_TIMESTAMP())",
  formatWall: (ms) => `TO_CHAR(TO_TIMESTAMP_NTZ(${ms}, 3), 'YYYY-MM-DD"T"HH24:MI:SS')`,
  floorDiv: (a, b) => `FLOOR(${a} / ${b}.0)`,
  intText: (x) => `CAST(${x} AS VARCHAR)`,
  concat: (parts) => `(${parts.join(' || ')})`,
  substr: (s, f, l) => `SUBSTR(${s}, ${f}, ${l})`,
  length: (s) => `LENGTH(${s})`,
  position: (s, n) => `POSITION(${n}, ${s})`,
  fold: (s) => `LOWER(${s})`,
  binary: (s) => s,
  drop: (name) => `DROP TABLE IF EXISTS ${dq(name)};`,
};

export const DIALECT: Record<DialectName, Dialect> = { duckdb, postgres, spark, bigquery, snowflake };

/** A table name (schema.table: each part) quoted as the dialect quotes identifiers. */
export function quoteTableName(dialect: DialectName, name: string): string {
  return name.split('.').map((part) => DIALECT[dialect].ident(part)).join('.');
}
