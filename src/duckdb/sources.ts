/**
 * The ticket files only DuckDB reads (input/duckdb-formats.ts): a Parquet file, JSON lines, a
 * table of a DuckDB database. Each becomes a SELECT of text columns under the file's column names,
 * in the file's row order, so that the engine reads them as it reads a CSV of the same rows: the
 * columns are mapped by name, and a typed timestamp becomes the wall-time text the compiled SQL
 * reads (ISO 8601; a TIMESTAMP WITH TIME ZONE as UTC with Z).
 */
import { existsSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import type { DuckdbFormat } from '../input/duckdb-formats.js';

interface Con {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
}

export interface DuckdbSource {
  fields: string[];
  /** a SELECT of one VARCHAR per field, in the file's row order */
  select: string;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const WHAT: Record<DuckdbFormat, string> = { parquet: 'a Parquet file', jsonl: 'JSON lines', duckdb: 'a DuckDB database' };

/** A column as text: typed times as ISO 8601 wall time (whole seconds unless it has milliseconds). */
function asText(col: string, type: string, timestampFormat: string, name: string, file: string): string {
  const c = ident(col);
  const t = type.toUpperCase();
  if (/^TIMESTAMP/.test(t) || t === 'DATETIME') {
    // a typed time has no text form of its own: an explicit tickets.timestamp_format would not read ours
    if (timestampFormat.trim() !== 'auto' && timestampFormat.trim() !== '') {
      throw new InputError(`${file}: column "${name}" is typed ${type}, and tickets.timestamp_format (${timestampFormat}) reads text; remove timestamp_format from the config (auto reads typed times)`);
    }
    const wall = /WITH TIME ZONE|TIMESTAMPTZ/.test(t) ? `(${c} AT TIME ZONE 'UTC')` : `CAST(${c} AS TIMESTAMP)`;
    const zone = /WITH TIME ZONE|TIMESTAMPTZ/.test(t) ? " || 'Z'" : '';
    return `CASE WHEN ${c} IS NULL THEN NULL WHEN epoch_ms(${wall}) % 1000 = 0 THEN strftime(${wall}, '%Y-%m-%dT%H:%M:%S')${zone} ELSE strftime(${wall}, '%Y-%m-%dT%H:%M:%S.%g')${zone} END`;
  }
  return t === 'VARCHAR' ? c : `CAST(${c} AS VARCHAR)`;
}

/** The relation a file's rows come from, for its format. */
async function relation(con: Con, path: string, format: DuckdbFormat, table: string | undefined, name: string, n: number): Promise<string> {
  if (format === 'parquet') return `read_parquet(${lit(path)})`;
  if (format === 'jsonl') {
    // the names as DuckDB finds them, then every value read as text (no guessed types)
    const cols = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_json(${lit(path)}, format = 'newline_delimited')`)).getRows().map((r) => String(r[0]));
    return `read_json(${lit(path)}, format = 'newline_delimited', columns = {${cols.map((c) => `${lit(c)}: 'VARCHAR'`).join(', ')}})`;
  }
  await con.run(`ATTACH ${lit(path)} AS sla_source${n} (READ_ONLY)`);
  const tables = (await con.runAndReadAll(`SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = 'sla_source${n}' UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = 'sla_source${n}' AND NOT internal ORDER BY 1, 2`)).getRows().map((r) => ({ schema: String(r[0]), table: String(r[1]) }));
  const found = table === undefined ? (tables.length === 1 ? tables[0] : undefined) : tables.find((t) => t.table === table || `${t.schema}.${t.table}` === table);
  if (!found) {
    const list = tables.length ? tables.map((t) => (t.schema === 'main' ? t.table : `${t.schema}.${t.table}`)).join(', ') : 'none';
    throw new InputError(table === undefined ? `${name}: has ${tables.length} tables (${list}); name one with --table` : `${name}: has no table named ${JSON.stringify(table)} (its tables: ${list})`);
  }
  return `sla_source${n}.${ident(found.schema)}.${ident(found.table)}`;
}

/** A Parquet, JSON lines or DuckDB file as text columns; exit 2 (InputError) when DuckDB cannot read it. */
/** n: the file's place among the inputs (a database is attached under a name of its own) */
export async function duckdbSource(con: Con, path: string, format: DuckdbFormat, table: string | undefined, timestampFormat: string, n: number): Promise<DuckdbSource> {
  const name = path;
  if (!existsSync(path)) throw new InputError(`${name}: cannot read (no such file)`);
  if (statSync(path).isDirectory()) throw new InputError(`${name}: is a directory; pass a file`);
  let from: string;
  let described: unknown[][];
  try {
    from = await relation(con, path, format, table, name, n);
    described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM ${from}`)).getRows();
  } catch (e) {
    if (e instanceof InputError) throw e;
    // only the error's kind: DuckDB's message may quote the file's contents
    throw new InputError(`${name}: DuckDB cannot read it as ${WHAT[format]} (${String((e as Error).message).split(':')[0].slice(0, 60)})`);
  }
  const fields = described.map((r) => String(r[0]));
  const select = `SELECT ${described.map((r, i) => asText(fields[i], String(r[1]), timestampFormat, fields[i], name)).join(', ')} FROM ${from}`;
  return { fields, select };
}
