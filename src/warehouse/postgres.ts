/**
 * `check --engine postgres`: the compiled SQL run in a PostgreSQL database through node-postgres,
 * and only its aggregate relations fetched. Everything runs in one transaction that is rolled back,
 * on temporary tables: nothing is left behind in the database whether the run succeeds or fails,
 * and the user needs no CREATE right on any schema (only TEMP, which PostgreSQL grants by default).
 * The password in the URL is never shown: messages name the server as user@host:port/database.
 */
import type { Config, Objective } from '../config/types.js';
import type { Period } from '../config/schema.js';
import { InputError, UsageError } from '../errors.js';
import { ColumnMap } from '../input/columns.js';
import { safeText } from '../report/escape.js';
import { compileSql } from '../sql/compile.js';
import { spineRangeFor } from '../sql/range.js';
import { fetchRelations, problemsOf, type Fetched } from './relations.js';
import { UnreadTimes } from './unread-times.js';

export interface PostgresRun {
  config: Config;
  url: string;
  table: string;
  historyTable?: string;
  rowColumn?: string;
  historyOrder?: string;
  asOf: number;
  asOfIsNow: boolean;
  since?: number;
  until?: number;
  objectives: Objective[];
  /** --group-by and --period: the breakdowns and periods the script's accumulators are computed for */
  groupBy?: string[];
  period?: Period;
  /** ms; undefined: the server's (or PGOPTIONS') statement_timeout */
  statementTimeout?: number;
}

interface Client {
  query(q: string | { text: string; values?: unknown[]; rowMode?: 'array'; types?: unknown }): Promise<{ rows: unknown[]; fields: { name: string }[] }>;
  end(): Promise<void>;
}

/** postgres://user:secret@host:5432/db → postgres://user@host:5432/db (never the password). */
function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.host}${u.pathname}`;
  } catch {
    return 'the --db URL';
  }
}

function checkUrl(url: string): void {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError('--db: not a URL; give postgres://user[:password]@host[:port]/database (or set the password in PGPASSWORD)');
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new UsageError(`--db: ${shownUrl(url)}: not a postgres:// or postgresql:// URL`);
}

/** text for every value, whatever its type: the relations are read as a CSV export of them would be */
const AS_TEXT = { getTypeParser: () => (v: string) => v };

/** Why a statement or the connection failed, in one line: SQLSTATE classes read as the user would fix them. */
function failure(e: unknown, where: string, server: string, timeout: number | undefined): InputError {
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return new InputError(`--db ${server}: connection refused (is the server running and listening there?)`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new InputError(`--db ${server}: no such host`);
  if (code === 'ETIMEDOUT') return new InputError(`--db ${server}: the connection timed out`);
  if (code === '57014') return new InputError(`--db ${server}: ${where} was cancelled by the statement timeout${timeout !== undefined ? ` (--statement-timeout ${timeout} ms)` : ''}; give it longer with --statement-timeout (e.g. 10m)`);
  if (code === '28P01' || code === '28000') return new InputError(`--db ${server}: the server refused the login (${code === '28P01' ? 'wrong password' : 'no such user, or not allowed from here'})`);
  if (code === '3D000') return new InputError(`--db ${server}: no such database`);
  if (code === '42501') return new InputError(`--db ${server}: ${where}: permission denied (the run needs SELECT on the tables and TEMP on the database; it creates nothing else)`);
  // a data exception's message may quote a cell: only its first words
  const message = String(err.message ?? e).split(/: "|\n/)[0].slice(0, 200);
  return new InputError(`--db ${server}: ${where} failed: ${message}${code ? ` (SQLSTATE ${code})` : ''}`);
}

const TEXT_TYPES = /^(text|character varying.*|character.*|varchar.*|char.*|name|citext)$/;
const TIME_TYPES = /^timestamp( with(out)? time zone)?$/;

/** A table's columns and their types, from the catalogue; an input error naming the table when there is none. */
async function columnsOf(client: Client, table: string, what: string): Promise<{ name: string; type: string }[]> {
  const shown = boundedName(table);
  const r = await client.query({
    text: `SELECT a.attname, format_type(a.atttypid, NULL) FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    values: [table], rowMode: 'array', types: AS_TEXT,
  }).catch((e: { code?: string }) => {
    // to_regclass reads the name as SQL does: My Tix (a space), or a stray quote, is no name at all
    if (e.code === '42602') throw new InputError(`${what} ${shown}: not a name PostgreSQL can read (invalid name syntax); quote a name with spaces, capitals or other characters in double quotes: ${what} '"${boundedName(table.replace(/"/g, '""'))}"'`);
    throw e;
  });
  const exists = (await client.query({ text: 'SELECT to_regclass($1) IS NOT NULL', values: [table], rowMode: 'array' })).rows[0] as boolean[];
  if (!exists[0]) throw new InputError(`${what} ${shown}: no such table or view in the database (tables are found through the search_path; name its schema: schema.table)`);
  return (r.rows as string[][]).map(([name, type]) => ({ name, type }));
}

/** The time columns read: all typed (timestamptz, timestamp) → the typed route; any other type but text is refused. */
function timeRoute(cols: { name: string; type: string }[], timeNames: string[], what: string): boolean {
  const times = timeNames.map((n) => cols.find((c) => c.name === n)!).filter(Boolean);
  for (const c of times) {
    if (!TEXT_TYPES.test(c.type) && !TIME_TYPES.test(c.type)) throw new InputError(`${what}: column "${c.name}" is ${c.type}; its times must be text (as exported) or timestamp with time zone (timestamp: read in the config's timezone)`);
  }
  return times.length > 0 && times.every((c) => TIME_TYPES.test(c.type));
}

/** A table name as a message shows it: its first 80 characters (then …), control characters escaped. */
function boundedName(name: string): string {
  const chars = [...name];
  return safeText(chars.length > 80 ? `${chars.slice(0, 80).join('')}…` : name);
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const qualified = (s: string) => s.split('.').map((p) => ident(p.replace(/^"|"$/g, ''))).join('.');

/** Runs a statement; with SLA_AUDIT_PROFILE set, says on stderr how long it took. */
async function timed(client: Client, sql: string): Promise<void> {
  const t0 = performance.now();
  await client.query(sql);
  if (process.env.SLA_AUDIT_PROFILE) process.stderr.write(`sla-audit: profile: ${(performance.now() - t0).toFixed(0).padStart(6)} ms  ${/TABLE "?([a-z_]+)/.exec(sql)?.[1] ?? sql.slice(0, 40)}\n`);
}

/** Rows fetched at a time from the times the SQL left unread. */
const UNREAD_BATCH = 10_000;

/**
 * The tickets' time cells the probe's SQL left unread, fetched from sla_parsed (the table's cells,
 * trimmed) and read with the engine's parser: an input error when the engine reads any of them.
 */
async function refuseUnreadTimes(client: Client, table: string, config: Config, column: (field: string) => string | undefined): Promise<void> {
  const cells = ([['created', 'created_at'], ['fr', 'first_response_at'], ['res', 'resolved_at']] as const).flatMap(([p, f]) => {
    const c = column(f);
    return c === undefined ? [] : [[p, c] as const];
  });
  if (!cells.length) return;
  const unread = new UnreadTimes(config.tickets.timestampFormat, config.tickets.zone);
  const cell = (p: string) => `CASE WHEN ${p}_txt IS NOT NULL AND ${p}_ms IS NULL THEN ${p}_txt END`;
  await client.query(`DECLARE sla_unread NO SCROLL CURSOR FOR SELECT row_no, ${cells.map(([p]) => cell(p)).join(', ')} FROM sla_parsed WHERE ${cells.map(([p]) => `(${p}_txt IS NOT NULL AND ${p}_ms IS NULL)`).join(' OR ')}`);
  for (;;) {
    const r = await client.query({ text: `FETCH ${UNREAD_BATCH} FROM sla_unread`, rowMode: 'array', types: AS_TEXT });
    for (const row of r.rows as (string | null)[][]) cells.forEach(([, c], i) => unread.add(c, Number(row[0]), row[i + 1]));
    if (r.rows.length < UNREAD_BATCH) break;
  }
  await client.query('CLOSE sla_unread');
  const refused = unread.refusal(`--table ${boundedName(table)}`, config.tickets.timestampFormat);
  if (refused) throw refused;
}

/** What check --engine postgres can do about an objective the script does not compute. */
const OBJECTIVE_HINT = 'run sla-audit check without --engine postgres on an export of the tickets (the streaming engine computes it), or take the objective out of the config for the run in the database';

/** Runs the audit's SQL in the database; the aggregate relations, and what the run read. */
export async function runInPostgres(o: PostgresRun): Promise<Fetched> {
  checkUrl(o.url);
  const server = shownUrl(o.url);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: o.url, application_name: 'sla-audit', connectionTimeoutMillis: 60_000 }) as unknown as Client & { connect(): Promise<void>; on(ev: string, f: (e: Error) => void): void };
  client.on('error', () => undefined); // a connection lost between queries: the next query says so
  let where = 'the connection';
  try {
    await client.connect();
    where = 'reading the catalogue';
    await client.query('BEGIN');
    if (o.statementTimeout !== undefined) await client.query(`SET LOCAL statement_timeout = ${Math.round(o.statementTimeout)}`);
    const { config } = o;
    const cols = await columnsOf(client, o.table, '--table');
    const map = new ColumnMap(o.table, cols.map((c) => c.name), config);
    const name = (key: string) => {
      const i = map.resolve(key);
      return i === undefined ? undefined : cols[i].name;
    };
    const timeCols = ['created_at', 'first_response_at', 'resolved_at'].map(name).filter((x): x is string => !!x);
    if (o.rowColumn !== undefined && !cols.some((c) => c.name === o.rowColumn)) throw new InputError(`--row-column ${boundedName(o.rowColumn)}: no such column in ${boundedName(o.table)} (its columns: ${cols.map((c) => c.name).join(', ')})`);
    let history: Parameters<typeof compileSql>[0]['history'];
    let historyTyped = true;
    if (o.historyTable !== undefined) {
      const hc = await columnsOf(client, o.historyTable, '--history-table');
      const ec = config.events.columns;
      const find = (wanted: string[], field: string) => {
        const c = wanted.map((w) => hc.find((h) => h.name.trim().toLowerCase() === w.trim().toLowerCase())).find((x) => x !== undefined);
        if (!c) throw new InputError(`--history-table ${boundedName(o.historyTable!)}: no column for ${field} (events.columns.${field}: ${wanted.join(', ')}); its columns: ${hc.map((h) => h.name).join(', ')}`);
        return c.name;
      };
      history = { table: qualified(o.historyTable), id: find(ec.ticket_id, 'ticket_id'), time: find(ec.timestamp, 'timestamp'), status: find(ec.status, 'status'), order: o.historyOrder };
      historyTyped = timeRoute(hc, [history.time], `--history-table ${boundedName(o.historyTable)}`);
    }
    const ticketsTyped = timeRoute(cols, timeCols, `--table ${boundedName(o.table)}`);
    // typed only when every time column is: a text one among them is read as exported, the typed ones as their text
    const typed = ticketsTyped && historyTyped;
    // timestamptz as text carries its offset; a timestamp without zone is a wall time in the config's timezone
    await client.query(`SET LOCAL TimeZone = '${typed ? config.tickets.zone.name.replace(/'/g, "''") : 'UTC'}'`);
    const columns = { column: (key: string) => name(key) ?? (cols.find((c) => c.name.trim().toLowerCase() === key.trim().toLowerCase())?.name) };
    // the accumulators' breakdowns and periods (a script that computes none ignores them)
    const scopes: object = { groupBy: o.groupBy, period: o.period };
    // a scorecard objective is judged here, from its groups' accumulators: not compiled
    const compiledObjectives = o.objectives.flatMap((x, i) => (x.kind === 'kpi' ? [i] : []));
    const base = {
      config, dialect: 'postgres' as const, table: qualified(o.table), columns, rowColumn: o.rowColumn, history, asOf: o.asOf, asOfIsNow: o.asOfIsNow, since: o.since, until: o.until,
      objectives: compiledObjectives.map((i) => o.objectives[i]), objectiveRefusalHint: OBJECTIVE_HINT, typed, parseRange: { from: Date.UTC(1900, 0, 1), to: Date.UTC(2200, 0, 1) }, configName: config.file,
      ...scopes,
    };
    // the times alone first (a spine of one day), to know how far the spine must reach
    where = 'the script';
    const probe = compileSql({ ...base, range: { from: o.asOf - 86_400_000, to: o.asOf } });
    const upTo = probe.statements.findIndex((s) => s.includes('"sla_parsed"'));
    for (const s of probe.statements.slice(0, upTo + 1)) await timed(client, s);
    // a time the SQL leaves unread but check reads: refused, never audited with other numbers
    if (!typed) {
      where = 'reading the times the SQL left unread';
      await refuseUnreadTimes(client, o.table, config, name);
      where = 'the script';
    }
    const firstRow = (await client.query({ text: `SELECT COALESCE(MIN(created_ms), ${o.asOf}) FROM sla_parsed WHERE created_ms <= ${o.asOf}`, rowMode: 'array', types: AS_TEXT })).rows[0] as string[];
    // the tickets' times stay as the probe read them (sla_parsed is not run again); the history's are
    // read over the spine's range, as sql does (every year from 1900 made its statement a megabyte)
    const compiled = compileSql({ ...base, parseRange: undefined, range: spineRangeFor(config, Math.min(Number(firstRow[0]), o.asOf), o.asOf) });
    for (const s of compiled.statements) if (!/"sla_(rows|parsed)"/.test(s)) await timed(client, s);
    where = 'fetching the aggregates';
    const fetched = await fetchRelations(async (sql) => {
      const r = await client.query({ text: sql, rowMode: 'array', types: AS_TEXT });
      return { columns: r.fields.map((f) => f.name), rows: r.rows as (string | null)[][] };
    }, compiled.statements);
    const historyColumn: Record<string, string | undefined> = { ticket_id: history?.id, timestamp: history?.time, status: history?.status };
    fetched.objectiveIndex = compiledObjectives;
    fetched.problems = problemsOf(fetched.relations.sla_problems ?? [], o.table, o.historyTable, (source, field) => (source === 'history' ? historyColumn[field] : name(field)), config.customKpis);
    return fetched;
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) throw e;
    throw failure(e, where, server, o.statementTimeout);
  } finally {
    // nothing is kept: the temporary tables go with the transaction
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}
