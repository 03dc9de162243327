/**
 * The DuckDB engine's input: the CSV files loaded by DuckDB's reader, the compiled SQL run
 * in-process, and the result handed on as the same stream of typed tickets the input stage makes,
 * each carrying its per-metric results, so the streaming engine's aggregates and reporters do the
 * rest. It takes a file only when the SQL reads it exactly as the streaming engine does; otherwise
 * it says why (`fallback`) and the caller runs the streaming engine, so the numbers never differ.
 */
import { fieldConditions, foldText } from '../config/sections/conditions.js';
import { cpus } from 'node:os';
import { SQL_METRICS } from '../sql/metrics.js';
import type { Config } from '../config/types.js';
import type { InputItem, Ticket as TicketType, TicketStream } from '../model/ticket.js';
import { Ticket } from '../model/ticket.js';
import type { MetricResult, Status } from '../engine/result.js';
import { ColumnMap } from '../input/columns.js';
import { readHeader, type HeaderRead } from '../input/header-only.js';
import { isWorkbookPath } from '../input/xlsx.js';
import { MAX_RECORD_BYTES } from '../input/limits.js';
import { prescanCsv } from '../input/prescan.js';
import { compileSql } from '../sql/compile.js';
import { refusals } from '../sql/refusals.js';
import { spineRangeFor } from '../sql/range.js';
import { requireDuckdb, whileRunning } from './driver.js';
import { duckdbSource } from './sources.js';
import { duckdbFormat } from '../input/duckdb-formats.js';
import { UserError } from '../errors.js';
import { TRIMMED_SPACE_CODES } from '../text/white-space.js';

interface Con {
  run(sql: string): Promise<unknown>;
  runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }>;
}

export interface DuckdbInput {
  config: Config;
  inputs: string[];
  /** the table to read in a DuckDB database file (default: its only one) */
  table?: string;
  events?: string[];
  messages?: string[];
  asOf: number;
  /** true without --as-of: the audit runs as of now, and later timestamps are problems */
  asOfIsNow: boolean;
  since?: number;
  until?: number;
  onProgress?: (rows: number) => void;
}

export type DuckdbTickets = { stream: TicketStream } | { fallback: string };

const STATUS_CODES: Status[] = ['met', 'breached', 'overdue', 'running', 'at_risk', 'not_applicable', 'not_measured'];
/** JS String.prototype.trim's whitespace, which the compiled SQL trims too (sql/dialect.ts trimJs). */
const JS_SPACE = String.fromCharCode(...TRIMMED_SPACE_CODES);
const BATCH = 2048;

export async function duckdbTickets(o: DuckdbInput): Promise<DuckdbTickets> {
  const { config } = o;
  if (o.events?.length) return { fallback: '--events histories are read by the streaming engine' };
  if (o.messages?.length) return { fallback: '--messages conversations are read by the streaming engine' };
  if (o.inputs.includes('-')) return { fallback: 'standard input is read by the streaming engine' };
  const book = o.inputs.find(isWorkbookPath);
  if (book) return { fallback: `${book} is a workbook (.xlsx), read by the streaming engine` };
  if (config.tickets.layout === 'events') return { fallback: 'the event-log layout (tickets.layout: events) is read by the streaming engine' };
  const { DuckDBInstance } = await requireDuckdb();
  const db = await DuckDBInstance.create(':memory:', { threads: String(Math.max(1, cpus().length)) });
  const con = await db.connect();
  const forget = whileRunning(con);
  let handedOver = false;
  const close = () => {
    forget();
    con.closeSync();
    db.closeSync();
  };
  try {
    const read = await readHeads(con, o);
    if (typeof read === 'string') return { fallback: read };
    const heads = read;
    const map = heads[0].map;
    const width = map.header.length;
    const names = Array.from({ length: width }, (_, i) => `c${i}`);
    const columns = { column: (key: string) => (map.resolve(key) === undefined ? undefined : `c${map.resolve(key)}`) };
    const refused = refusals({ config, dialect: 'duckdb', table: 't', columns, range: { from: 0, to: 1 }, objectives: [], nfkcChecked: true }).filter((r) => !r.startsWith('calendar '));
    if (refused.length) return { fallback: refused[0] };
    const loadedOrWhy = await load(con, heads, names);
    if (typeof loadedOrWhy === 'string') return { fallback: loadedOrWhy };
    const { loaded, firstOrd } = loadedOrWhy;
    // rowid is the insertion order: each file's rows in file order, one file after another
    await timed(con, 'CREATE VIEW tt AS SELECT rowid + 2 AS _ord, * FROM t');
    // naive times read with the zone's offsets over every year the engine reads (1900-2199), so
    // the reading does not depend on the spine's range and runs once
    const parseRange = { from: Date.UTC(1900, 0, 1), to: Date.UTC(2200, 0, 1) };
    // contains: DuckDB has no NFKC; sqlReadsDifferently hands the run over when a cell it reads has a different NFKC form
    const base = { config, dialect: 'duckdb' as const, table: 'tt', columns, rowColumn: '_ord', asOf: o.asOf, asOfIsNow: o.asOfIsNow, since: o.since, until: o.until, objectives: [], parseRange, nfkcChecked: true, keepIntermediates: true };
    // first the times alone (a spine of one day), to know how far the spine must reach
    const probe = compileSql({ ...base, range: { from: o.asOf - 86_400_000, to: o.asOf } });
    const upTo = probe.statements.findIndex((s) => s.includes('"sla_parsed"'));
    for (const s of probe.statements.slice(0, upTo + 1)) await timed(con, s);
    const first = Number((await con.runAndReadAll(`SELECT COALESCE(MIN(created_ms), ${o.asOf}) FROM sla_parsed WHERE created_ms <= ${o.asOf}`)).getRows()[0][0]);
    const compiled = compileSql({ ...base, range: spineRangeFor(config, Math.min(first, o.asOf), o.asOf) });
    // the tables a warehouse reads are not needed here: the engine aggregates from sla_evaluated
    const upToEvaluated = compiled.statements.findIndex((s) => s.includes('"sla_evaluated"'));
    // sla_rows and sla_parsed are the probe's, word for word: not run again
    for (const s of compiled.statements.slice(0, upToEvaluated + 1)) if (!/"sla_(rows|parsed)"/.test(s)) await timed(con, s);
    // one narrow row per row of the files, in file order: its times and each metric's result as numbers
    const pick = (m: number, col: string) => `MAX(CASE WHEN metric_no = ${m} THEN ${col} END)`;
    await timed(con, `CREATE TEMP TABLE sla_engine AS
SELECT p.row_no, CAST(p.created_ms AS DOUBLE) AS created, CAST(p.fr_ms AS DOUBLE) AS fr, CAST(p.res_ms AS DOUBLE) AS res, p.frm, g.* EXCLUDE (row_no)
FROM sla_parsed p LEFT JOIN (
  SELECT row_no, MAX(gap) AS gap,
  ${SQL_METRICS.map((_, m) => [
    `${pick(m, `CASE ${STATUS_CODES.map((st, k) => `WHEN status = '${st}' THEN ${k}`).join(' ')} END`)} AS s${m}`,
    `${pick(m, 'CAST(target_ms AS DOUBLE)')} AS t${m}`, `${pick(m, 'CAST(elapsed_ms AS DOUBLE)')} AS e${m}`,
    `${pick(m, 'CAST(due_raw AS DOUBLE)')} AS d${m}`, `${pick(m, "CAST(CASE WHEN status = 'not_measured' THEN NULL WHEN status = 'not_applicable' THEN completed_ms ELSE done_ms END AS DOUBLE)")} AS k${m}`,
    `${pick(m, 'CAST(clock_start AS DOUBLE)')} AS c${m}`, `${pick(m, 'CASE WHEN by_minutes = 1 AND vendor_at <= as_of THEN 1 ELSE 0 END')} AS f${m}`,
  ].join(', ')).join(',\n  ')}
  FROM sla_evaluated WHERE counted = 1 GROUP BY row_no
) g ON g.row_no = p.row_no
ORDER BY p.row_no`);
    const left = Number((await con.runAndReadAll('SELECT count(*) FROM sla_checked WHERE problem IS NOT NULL OR dup_rank > 1')).getRows()[0][0]);
    const gaps = Number((await con.runAndReadAll('SELECT count(*) FROM sla_engine WHERE gap = 1')).getRows()[0][0]);
    // no count: the SQL's idea of a problem row is not the streaming engine's in every case, and the
    // note must not give a number the run's report then contradicts
    if (left) return { fallback: 'rows with problems, which the streaming engine finds and names row by row' };
    if (gaps) return { fallback: `${gaps} ticket${gaps === 1 ? '' : 's'} reach beyond the calendar spine` };
    const t0 = performance.now();
    const differs = await sqlReadsDifferently(con, config, map);
    profile(t0, 'text rules compared');
    if (differs) return { fallback: differs };

    const fileOf = (ord: number) => {
      let fi = firstOrd.length - 1;
      while (fi > 0 && ord < firstOrd[fi]) fi--;
      return fi;
    };
    // the files' rows and sla_engine are both in file order, one row each: joined by position,
    // no sort of the cells; a row's cells as one text joined by the unit separator (no cell has
    // one: prescan), so one string per row crosses into JavaScript instead of one per cell
    const result = await con.stream(`SELECT r._ord, concat_ws(chr(31), ${names.map((n) => `COALESCE(r.${n}, '')`).join(', ')}) AS cells,
  g.created, g.fr, g.res, g.frm,
  ${SQL_METRICS.map((_, m) => ['s', 't', 'e', 'd', 'k', 'c', 'f'].map((c) => `g.${c}${m}`).join(', ')).join(',\n  ')}, g.row_no
FROM tt r POSITIONAL JOIN sla_engine g`);
    handedOver = true;
    return { stream: tickets(result, heads, fileOf, firstOrd, width, config, o, close, loaded) };
  } catch (e) {
    if (e instanceof UserError) throw e;
    // DuckDB's reader is stricter than ours in places: the streaming engine reads the run. Only the
    // error's kind is said ("Invalid Input Error"): DuckDB's message quotes the row's text.
    return { fallback: `DuckDB stopped with an error of its own (${String((e as Error).message).split(':')[0].slice(0, 60)})` };
  } finally {
    if (!handedOver) close();
  }
}

type Head = HeaderRead & { map: ColumnMap; select?: string };

/**
 * Every file's header, as the input stage reads it (the same errors for a missing column); a
 * Parquet, JSON lines or DuckDB file's column names as DuckDB reads them. A reason to hand the run
 * to the streaming engine instead, when there is one.
 */
async function readHeads(con: Con, o: DuckdbInput): Promise<Head[] | string> {
  const { config } = o;
  const heads: Head[] = [];
  for (const [n, path] of o.inputs.entries()) {
    const format = duckdbFormat(path);
    if (format) {
      const src = await duckdbSource(con, path, format, o.table, config.tickets.timestampFormat, n);
      heads.push({ path, name: path, encoding: 'utf-8', delimiter: ',', fields: src.fields, select: src.select, map: new ColumnMap(path, src.fields, config) });
      continue;
    }
    const h = await readHeader(path, config.tickets.encoding, config.tickets.delimiter);
    if (!/^utf-?8$/i.test(h.encoding)) return `${h.name} is ${h.encoding}, which DuckDB's reader does not read`;
    heads.push({ ...h, map: new ColumnMap(h.name, h.fields, config) });
  }
  if (heads.some((h) => h.fields.length !== heads[0].fields.length || h.fields.some((f, i) => f.trim() !== heads[0].fields[i].trim()))) {
    return 'the files have different headers';
  }
  return heads;
}

/** The files' rows into table t (text columns c0, c1, ...), one file after another in file order. */
async function load(con: Con, heads: Head[], names: string[]): Promise<{ loaded: number; firstOrd: number[] } | string> {
  const counts: (number | undefined)[] = [];
  for (const h of heads) {
    if (h.select !== undefined) {
      counts.push(undefined);
      continue;
    }
    const scan = await prescanCsv(h.path, h.delimiter, h.fields.length);
    if (!scan.plain) return `${h.name}: ${scan.why}`;
    counts.push(scan.rows);
  }
  await con.run(`CREATE TABLE t (${names.map((n) => `${n} VARCHAR`).join(', ')})`);
  const firstOrd: number[] = [];
  let loaded = 0;
  for (const [fi, h] of heads.entries()) {
    firstOrd.push(loaded + 2);
    const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
    await timed(con, h.select !== undefined ? `INSERT INTO t ${h.select}` : `INSERT INTO t SELECT * FROM read_csv(${lit(h.path)}, header = true, auto_detect = false, all_varchar = true, strict_mode = true,
      delim = ${lit(h.delimiter)}, quote = '"', escape = '"', null_padding = false, max_line_size = ${MAX_RECORD_BYTES + 1024}, columns = {${names.map((n) => `'${n}': 'VARCHAR'`).join(', ')}})`);
    const n = Number((await con.runAndReadAll('SELECT count(*) FROM t')).getRows()[0][0]) - loaded;
    if (counts[fi] !== undefined && n !== counts[fi]) return `${h.name}: DuckDB read ${n} rows where there are ${counts[fi]}`;
    loaded += n;
  }
  return { loaded, firstOrd };
}

/**
 * Whether the SQL's text rules (LOWER, null values) read any cell it decides on differently
 * from the engine's (JavaScript's toLowerCase): priorities and the columns policies match on (both
 * trim the same white space). Checked on the distinct values, so the policy and priority of every ticket agree.
 */
async function sqlReadsDifferently(con: { runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> }, config: Config, map: ColumnMap): Promise<string | undefined> {
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const norm = (raw: string | null) => (raw === null || map.isNull(raw) ? '' : raw.trim().toLowerCase());
  const cols = new Set<number>();
  /** columns a `contains` reads: the SQL lower-cases them without NFKC, so their NFKC forms must not differ */
  const folded = new Set<number>();
  if (map.at.priority !== undefined) cols.add(map.at.priority);
  for (const p of config.policies) for (const w of fieldConditions(p.when)) {
    const c = map.resolve(w.label);
    if (c !== undefined) cols.add(c);
    if (c !== undefined && w.test.op === 'contains') folded.add(c);
    // on priority, contains reads the canonical name when there is one
    if (w.key === 'priority' && w.test.op === 'contains' && config.priorities.some((n) => foldText(n) !== n.toLowerCase())) return 'a priority name has a different NFKC form, which DuckDB cannot normalise for contains';
  }
  if (!cols.size) return undefined;
  // the priority, and each column a policy matches on, as SQL normalises it: with the same
  // normalised text, the alias table and the `when` lists give the same answers
  const nulls = [...config.tickets.nullValues].map(lit).join(', ') || "' '";
  const trimmed = (c: number) => `trim(c${c}, ${lit(JS_SPACE)})`;
  const sqlNorm = (c: number) => `CASE WHEN ${trimmed(c)} = '' OR lower(${trimmed(c)}) IN (${nulls}) THEN '' ELSE lower(${trimmed(c)}) END`;
  const list = [...cols];
  const rows = (await con.runAndReadAll(`SELECT DISTINCT ${list.map((c) => `c${c}, ${sqlNorm(c)}`).join(', ')} FROM tt LIMIT 1000001`)).getRows();
  if (rows.length > 1_000_000) return 'the columns policies match on have over a million combinations';
  for (const r of rows) {
    for (let i = 0; i < list.length; i++) {
      const raw = r[2 * i] as string | null;
      const v = norm(raw);
      if (v !== ((r[2 * i + 1] as string | null) ?? '')) return `column "${map.header[list[i]].trim()}" has a value SQL reads differently (letter case)`;
      // the engine's contains reads NFKC, then lower case; the SQL's lower case alone (v)
      if (folded.has(list[i]) && foldText(raw === null || map.isNull(raw) ? '' : raw.trim()) !== v) return `column "${map.header[list[i]].trim()}" has text whose NFKC form differs (full-width or compatibility characters), which DuckDB cannot normalise for contains`;
    }
  }
  return undefined;
}

function profile(t0: number, what: string): void {
  if (process.env.SLA_AUDIT_PROFILE) process.stderr.write(`sla-audit: profile: ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${what}\n`);
}

/** Runs a statement; with SLA_AUDIT_PROFILE set, says on stderr how long it took (the bench's profile). */
async function timed(con: { run(sql: string): Promise<unknown> }, sql: string): Promise<void> {
  const t0 = performance.now();
  await con.run(sql);
  if (process.env.SLA_AUDIT_PROFILE) process.stderr.write(`sla-audit: profile: ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${/(?:TABLE|VIEW) "?([a-z_]+)/.exec(sql)?.[1] ?? sql.slice(0, 40)}\n`);
}

interface ChunkSource {
  fetchChunk(): Promise<{ rowCount: number; getColumns(): unknown[][] } | null>;
}

async function* tickets(
  result: ChunkSource, heads: { name: string; map: ColumnMap }[], fileOf: (ord: number) => number, firstOrd: number[], width: number,
  config: Config, o: DuckdbInput, close: () => void, rows: number,
): TicketStream {
  const t0 = performance.now();
  let fetching = 0;
  try {
    yield [{ kind: 'source', columns: heads[0].map }, ...heads.slice(1).map((h) => ({ kind: 'source' as const, columns: h.map }))];
    const idCol = heads[0].map.at.id!;
    const prioCol = heads[0].map.at.priority;
    const nm = SQL_METRICS.length;
    const base = 2 + 4;
    let done = 0;
    for (;;) {
      const f0 = performance.now();
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const cols = chunk.getColumns();
      fetching += performance.now() - f0;
      const n = chunk.rowCount;
      const out: InputItem[] = [];
      for (let j = 0; j < n; j++) {
        const ord = Number(cols[0][j]);
        if (Number(cols[cols.length - 1][j]) !== ord) throw new Error(`DuckDB rows out of step at row ${ord}`);
        const fi = fileOf(ord);
        const map = heads[fi].map;
        const cells = (cols[1][j] as string).split('\u001f');
        const raw = cells[prioCol ?? 0];
        const priority = prioCol === undefined || map.isNull(raw) ? '' : config.priorities.length ? config.priorityLookup.get(raw.trim().toLowerCase())! : raw.trim();
        const num = (v: unknown) => (v === null ? NaN : (v as number));
        const t: TicketType = new Ticket(
          cells[idCol].trim(), heads[fi].name, ord - firstOrd[fi] + 2,
          num(cols[2][j]), num(cols[3][j]), num(cols[4][j]), num(cols[5][j]), priority, cells, map,
        );
        if (cols[base][j] !== null) {
          const results: MetricResult[] = [];
          for (let m = 0; m < nm; m++) {
            const k = base + m * 7;
            const status = STATUS_CODES[cols[k][j] as number];
            const na = status === 'not_applicable' || status === 'not_measured';
            results.push({
              metric: SQL_METRICS[m], status, targetMs: na ? NaN : num(cols[k + 1][j]), elapsedMs: na ? NaN : num(cols[k + 2][j]),
              due: na ? NaN : cols[k + 3][j] === null ? Infinity : (cols[k + 3][j] as number), completed: num(cols[k + 4][j]),
              clockStart: na ? NaN : num(cols[k + 5][j]), excluded: undefined, fromMinutes: cols[k + 6][j] === 1,
              intervals: na ? 0 : 1, open: undefined, peak: NaN, // the engine reads the share of target from these
            });
          }
          t.precomputed = results;
        }
        out.push({ kind: 'ticket', ticket: t });
      }
      done += n;
      o.onProgress?.(done);
      for (let i = 0; i < out.length; i += BATCH) yield out.slice(i, i + BATCH);
    }
    profile(performance.now() - fetching, 'fetching rows from DuckDB');
    profile(t0 + fetching, 'the engine over the rows (tickets, aggregates, reports)');
    yield [{ kind: 'end', inputs: heads.map((h) => h.name), rows, warnings: [] }];
  } finally {
    close();
  }
}
