/**
 * Custom KPIs (kpis:) in SQL, with the engine's definitions (engine/custom-kpis.ts): a share's cell
 * is a hit when its NFKC form, trimmed as JavaScript trims and lower-cased, is one of the values
 * (config/sections/custom-kpis.ts shareKey); a mean's cell is read as a plain decimal number after
 * NFKC and trimming, and one that is not (or is past 2^53) is a problem of that KPI only, worded as
 * the engine words it. Per scope, sla_acc_custom holds each distinct value with its count: the CLI
 * sums them exactly (engine/exact-sum.ts), as the streaming engine does, instead of a SUM of doubles.
 * Only dialects with NFKC compile them (refusals.ts says so for the others).
 */
import type { Config, CustomKpi } from '../config/types.js';
import type { Dialect } from './dialect.js';

/** the engine's NUMBER (ASCII digits: \d without the u flag) */
const NUMBER = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$';
/** a number with more than 16 digits before the point (leading zeros aside) is past 2^53 - 1 = 9007199254740991 */
const INT_DIGITS = '^[+-]?0*([0-9]*)';

/** The relation's columns (the script's header and README name them). */
export const CUSTOM_HEADER = [
  '--   sla_acc_custom (kpi, value, n: each custom KPI\'s (kpis:) distinct values and how many tickets have each — a share\'s 1 and 0 — per scope;',
  '--     summed exactly by sla-audit; sla_kpis has their means), sla_totals.kpi_cell_problems (custom KPI cells that are not numbers, in sla_problems).',
];

/** Why a dialect without NFKC leaves them out (completed by "<dialect> cannot do"). */
export const CUSTOM_NFKC = 'custom KPIs (kpis:) read their cells NFKC-normalised (full-width ＯＫ is OK, １２０ is 120), which';

/** Whether a dialect compiles custom KPIs (it has NFKC). */
export function compilesCustomKpis(d: Dialect, config: Config): boolean {
  return config.customKpis.length > 0 && d.nfkcLower !== undefined;
}

export class CustomKpiSql {
  readonly kpis: readonly CustomKpi[];
  /** each KPI's cell alias in sla_tickets */
  private readonly cells: string[];

  constructor(
    private readonly d: Dialect,
    config: Config,
    cell: (key: string) => string,
  ) {
    this.kpis = compilesCustomKpis(d, config) ? config.customKpis : [];
    this.cells = this.kpis.map((k) => cell(k.column));
  }

  /** The cell's text as the engine reads it: NFKC, then trimmed as JavaScript trims. */
  private text(cell: string): string {
    return this.d.trimJs(`NORMALIZE(${cell}, NFKC)`);
  }

  /** A mean's number, or NULL (not a number, or past 2^53 - 1 in magnitude). */
  private number(t: string): string {
    const d = this.d;
    // nested: a cast is reached only by a text that is a number of at most 16 whole digits
    return `CASE WHEN ${d.matches(t, NUMBER)} THEN CASE WHEN ${d.length(`COALESCE(${d.group(t, INT_DIGITS, 1, 1)}, '')`)} <= 16 THEN
      CASE WHEN ABS(CAST(${t} AS ${d.double})) <= 9007199254740991 THEN CAST(${t} AS ${d.double}) END END END`;
  }

  /** Each KPI's value of a ticket in sla_tickets `k` (NULL: not counted), as `ck<i>`. */
  factColumns(): string[] {
    const d = this.d;
    return this.kpis.map((k, i) => {
      const c = `k.${this.cells[i]}`;
      if (k.stat === 'share') {
        const key = `LOWER(${this.text(c)})`;
        return `CASE WHEN ${c} IS NULL THEN CAST(NULL AS ${d.double}) WHEN ${key} IN (${[...k.values].map((v) => this.str(v)).join(', ')}) THEN CAST(1 AS ${d.double}) ELSE CAST(0 AS ${d.double}) END AS ck${i}`;
      }
      return `CASE WHEN ${c} IS NULL THEN CAST(NULL AS ${d.double}) ELSE ${this.number(this.text(c))} END AS ck${i}`;
    });
  }

  private str(s: string): string {
    return this.d.str(s);
  }

  /** JavaScript's length of a text (UTF-16 code units: a character beyond U+FFFF counts two). */
  private jsLength(t: string): string {
    const astral = this.d.name === 'postgres' ? `length(regexp_replace(${t}, '[^\\U00010000-\\U0010FFFF]', '', 'g'))` : `CHAR_LENGTH(REGEXP_REPLACE(${t}, r'[\\x{0}-\\x{FFFF}]', ''))`;
    return `(${this.d.length(t)} + ${astral})`;
  }

  /** A whole number with thousands separators, as toLocaleString('en-US') writes it (below a trillion). */
  private grouped(n: string): string {
    const d = this.d;
    const part = (div: number) => d.substr(d.intText(`1000 + MOD(CAST(FLOOR(${n} / ${div}.0) AS ${d.bigint}), 1000)`), 2, 3);
    const top = (div: number) => d.intText(`CAST(FLOOR(${n} / ${div}.0) AS ${d.bigint})`);
    return `CASE WHEN ${n} < 1000 THEN ${d.intText(n)} WHEN ${n} < 1000000 THEN ${d.concat([top(1000), "','", part(1)])}
      WHEN ${n} < 1000000000 THEN ${d.concat([top(1000000), "','", part(1000), "','", part(1)])}
      ELSE ${d.concat([top(1000000000), "','", part(1000000), "','", part(1000), "','", part(1)])} END`;
  }

  /** The engine's message for a mean's cell that is not a number it reads, or NULL. */
  private problem(k: CustomKpi, i: number): string {
    const d = this.d;
    const c = `k.${this.cells[i]}`;
    const t = this.text(c);
    const len = this.jsLength(t);
    // a cell is quoted when short and not an email, else only its length is said (ticket text is not echoed)
    const shown = `CASE WHEN ${len} <= 40 AND ${d.position(t, "'@'")} = 0 THEN ${d.concat(["'\"'", t, "'\"'"])} ELSE ${d.concat([this.grouped(len), "' characters'"])} END`;
    const tail = `; custom KPI ${k.name} leaves this ticket out (it is evaluated for everything else). Write plain numbers such as 12 or 12.5, without units or thousands separators`;
    return `CASE WHEN ${c} IS NULL OR ${this.number(t)} IS NOT NULL THEN NULL
    ELSE ${d.concat([shown, `CASE WHEN ${d.matches(t, NUMBER)} THEN ' is not a number a mean can use (larger than 9,007,199,254,740,991)' ELSE ' is not a number' END`, this.str(tail)])} END`;
  }

  /** Whether any KPI is a mean (whose cells can be problems). */
  get hasMeans(): boolean {
    return this.kpis.some((k) => k.stat === 'mean');
  }

  /**
   * sla_problems' rows for the means' cells, of the tickets the engine evaluates (counted, on the
   * spine): in the row's order, the KPIs in the config's; '' without a mean.
   */
  problems(): string {
    if (!this.hasMeans) return '';
    const parts = this.kpis.flatMap((k, i) => (k.stat === 'mean' ? [`SELECT k.row_no, k.id, ${this.problem(k, i)} AS problem FROM sla_tickets k
  WHERE k.counted = 1 AND k.row_no NOT IN (SELECT g.row_no FROM sla_evaluated g WHERE g.gap = 1)`] : []));
    return `\nUNION ALL\nSELECT c.row_no, c.id, 'tickets' AS source, c.problem FROM (\n${parts.join('\nUNION ALL\n')}\n) c WHERE c.problem IS NOT NULL`;
  }

  /** sla_totals' column: how many custom KPI cells are problems; '' without a custom KPI. */
  totalsColumn(): string {
    if (!this.kpis.length) return '';
    return `,\n  (SELECT COUNT(*) FROM sla_problems p WHERE p.source = 'tickets' AND p.problem LIKE ${this.str('%; custom KPI % leaves this ticket out (it is evaluated for everything else).%')}) AS kpi_cell_problems`;
  }

  /** sla_acc_custom: per scope (a SELECT of `scoped`) and KPI, each value and its count. */
  acc(scoped: (what: string, by: string, where: string) => string[]): string {
    const d = this.d;
    return this.kpis.flatMap((k, i) => scoped(`${this.str(k.name)} AS kpi, f.ck${i} AS value, COUNT(*) AS n`, `f.ck${i}`, `f.ck${i} IS NOT NULL`)).join('\nUNION ALL\n')
      || `SELECT CAST(NULL AS ${d.text}) AS scope FROM sla_params WHERE 1 = 0`;
  }

  /** sla_kpi_wide's join: each KPI's count and sum per scope (k<i>_n, k<i>_sum). */
  wideJoin(on: (alias: string) => string): { cols: string; join: string } {
    if (!this.kpis.length) return { cols: '', join: '' };
    const d = this.d;
    const sums = this.kpis.map((k, i) => `SUM(CASE WHEN kpi = ${this.str(k.name)} THEN n ELSE 0 END) AS k${i}_n, SUM(CASE WHEN kpi = ${this.str(k.name)} THEN value * n ELSE 0 END) AS k${i}_sum`).join(', ');
    return {
      cols: `, ${this.kpis.map((_, i) => `COALESCE(u.k${i}_n, 0) AS k${i}_n, CAST(u.k${i}_sum AS ${d.double}) AS k${i}_sum`).join(', ')}`,
      join: `\nLEFT JOIN (SELECT scope, dimension, key, period_label, ${sums} FROM sla_acc_custom GROUP BY scope, dimension, key, period_label) u ON ${on('u')}`,
    };
  }

  /** Each KPI's value (the mean of its values) and basis, as KpiRelations.kpiExprs has them. */
  exprs(): [string, { value: string; n: string }][] {
    return this.kpis.map((k, i) => [k.name, { value: `CASE WHEN w.k${i}_n = 0 THEN NULL ELSE w.k${i}_sum / w.k${i}_n END`, n: `w.k${i}_n` }]);
  }

  /** Whether a KPI is one of these shares (a rate). */
  isShare(kpi: string): boolean {
    return this.kpis.some((k) => k.name === kpi && k.stat === 'share');
  }
}
