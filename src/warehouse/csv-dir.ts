/**
 * `report --from DIR`: the aggregate relations exported as CSV files, one per relation, named
 * <relation>.csv with the column names as header (psql's \copy … CSV HEADER, DuckDB's COPY … (HEADER),
 * Spark's, BigQuery's and Snowflake's exports). A file or column the report needs that is not
 * there is exit 2, naming it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../errors.js';
import type { CustomKpi } from '../config/types.js';
import { AUTO_OTHER_SHAPE } from '../sql/timestamps.js';
import { CUSTOM_CELL, RELATION_COLUMNS, badCell, badCustomRow, missingParts, problemsOf, type Fetched, type ProblemColumn } from './relations.js';

/** columns a relation may leave out */
const OPTIONAL = new Set(['sla_totals.without_history', 'sla_totals.event_rows', 'sla_totals.event_problems', 'sla_totals.kpi_cell_problems']);

function readRelation(dir: string, name: string, custom: readonly CustomKpi[]): Record<string, string | null>[] {
  const file = join(dir, `${name}.csv`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let rows: (string | null)[][];
  try {
    // an unquoted empty cell is NULL (as \copy and COPY write it), a quoted one the empty text
    rows = parse(text, { cast: (value: string, ctx: { quoting: boolean }) => (value === '' && !ctx.quoting ? null : value), relax_column_count: false }) as (string | null)[][];
  } catch (e) {
    throw new InputError(`${file}: not a CSV file (${String((e as Error).message).split(':')[0].slice(0, 80)})`);
  }
  if (!rows.length) throw new InputError(`${file}: empty; export it with its header row (the column names)`);
  const header = rows[0].map((h) => (h ?? '').trim().toLowerCase());
  const lacking = RELATION_COLUMNS[name].filter((c) => !header.includes(c) && !OPTIONAL.has(`${name}.${c}`));
  if (lacking.length) throw new InputError(`${file}: no column ${lacking.map((c) => `"${c}"`).join(', ')} (its header: ${header.join(', ')}); export the relation with all its columns and a header row`);
  const out = rows.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? null])));
  const bad = badCell(name, out);
  if (bad) throw new InputError(`${file}: ${bad}; export the relation as the script computes it`);
  const badCustom = name === 'sla_acc_custom' ? badCustomRow(out, custom) : undefined;
  if (badCustom) throw new InputError(`${file}: ${badCustom}`);
  return out;
}

/**
 * sla_totals.kpi_cell_problems beside sla_problems, with custom KPIs (sla_acc_custom exported: the
 * script of this version computed them, and wrote the column). Without the column (hand-made, or
 * sla_totals from another run) it is refused: the count is not taken from sla_problems' rows, as an
 * export of sla_problems may hold only some of them (a LIMIT, as check --engine postgres fetches the
 * first 10,000) and nothing else says how many custom KPI cells it should list. A count that
 * disagrees with the rows is refused when sla_problems evidently holds every row (its history rows
 * are event_problems, its other ticket rows at least problems: one a row left out, one more a
 * ticket the spine does not reach), and whenever sla_problems lists more than it says.
 */
function checkCellProblems(dir: string, totals: Record<string, string | null>, problems: Record<string, string | null>[]): void {
  const file = join(dir, 'sla_totals.csv');
  const said = totals.kpi_cell_problems;
  if (said === undefined || said === null || said === '') {
    throw new InputError(`${file}: no kpi_cell_problems${said === undefined ? ' column' : ' (an empty cell)'}, which the script of this version writes when the config has custom KPIs (kpis:): without it the custom KPI cells that are not numbers would be counted as 0; compile the script with this version's \`sla-audit sql\`, run it and export sla_totals, sla_problems and sla_acc_custom from that run`);
  }
  const cells = problems.filter((r) => r.source === 'tickets' && CUSTOM_CELL.test(r.problem ?? '')).length;
  const history = problems.filter((r) => r.source === 'history').length;
  const complete = (totals.event_problems === null || totals.event_problems === undefined || totals.event_problems === '' || history === Number(totals.event_problems)) && problems.length - history - cells >= Number(totals.problems ?? 0);
  const n = Number(said);
  if (n === cells || (n > cells && !complete)) return;
  throw new InputError(`${file}: row 2, column "kpi_cell_problems": ${n} is not the ${cells} custom KPI cell problem${cells === 1 ? '' : 's'} sla_problems.csv lists (it ${complete ? 'holds every row of the relation' : 'lists more than sla_totals counts'}); export sla_totals and sla_problems from the same run of the script`);
}

/**
 * Rows whose time the script left unread and that check's auto may read (AUTO_OTHER_SHAPE): the
 * script cannot say whether check would audit them, so the report is refused rather than made with
 * other numbers than check's.
 */
function refuseOtherShapes(dir: string, problems: Record<string, string | null>[]): void {
  const rows = problems.filter((r) => r.source !== 'history' && (r.problem ?? '').endsWith(`: ${AUTO_OTHER_SHAPE}`));
  if (!rows.length) return;
  const first = rows.reduce((a, r) => (Number(r.row_no) < Number(a.row_no) ? r : a));
  const field = (first.problem ?? '').split(':')[0];
  throw new InputError(`${join(dir, 'sla_problems.csv')}: ${rows.length} row${rows.length === 1 ? '' : 's'} (the first: row ${first.row_no}, ${field}) with a time the script left unread that check's timestamp_format auto may read (the SQL's auto reads ISO 8601 only): refused rather than reported with other numbers than check's; set tickets.timestamp_format to the pattern of those times, which the SQL compiles, and run the script again, or run sla-audit check on an export of the tickets`);
}

/** The relations exported into DIR; exit 2 naming a file the report needs that is missing. */
export function readRelations(dir: string, asOfGiven: boolean, column: ProblemColumn, custom: readonly CustomKpi[] = []): Fetched {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`--from ${dir}: no such folder; export the aggregate relations into one, a <relation>.csv each`);
  const present = (name: string) => existsSync(join(dir, `${name}.csv`));
  const need = (name: string) => {
    if (!present(name)) throw new InputError(`--from ${dir}: no ${name}.csv; export the relation ${name} there (README: "Running where your data is")`);
  };
  if (!present('sla_params') && !asOfGiven) throw new InputError(`--from ${dir}: no sla_params.csv to say the instant the script measured at; export sla_params there, or give the script's --as-of`);
  need('sla_totals');
  need('sla_problems');
  if (!present('sla_acc_status')) {
    need('sla_summary');
    need('sla_objectives');
  }
  const relations: Fetched['relations'] = {};
  for (const name of Object.keys(RELATION_COLUMNS)) if (present(name)) relations[name] = readRelation(dir, name, custom);
  const totals = relations.sla_totals!;
  if (totals.length !== 1) throw new InputError(`${join(dir, 'sla_totals.csv')}: has ${totals.length} rows where the relation has one`);
  refuseOtherShapes(dir, relations.sla_problems ?? []);
  if (custom.length && relations.sla_acc_custom) checkCellProblems(dir, totals[0], relations.sla_problems ?? []);
  return { relations, problems: problemsOf(relations.sla_problems ?? [], 'tickets', 'history', column, custom), missing: missingParts(relations) };
}
