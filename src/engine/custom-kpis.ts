/**
 * Custom KPIs (kpis:) applied to one ticket: each reads one cell. A share is 1 (one of its values),
 * 0 (another value) or NaN (an empty or null cell: not counted); a mean is the cell's number, or NaN
 * when empty. A cell that is not a number is a problem of that KPI only: the ticket is still
 * evaluated for everything else, so the problem leaves no row out of the counts.
 */
import { shareKey } from '../config/sections/custom-kpis.js';
import type { Config, CustomKpi } from '../config/types.js';
import { InputError } from '../errors.js';
import type { Columns, RowProblem, Ticket } from '../model/ticket.js';

/** A decimal number, as written in exports (after NFKC: full-width digits are digits); no thousands separators. */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Custom KPIs compiled against one file's columns. */
export class CustomKpiCells {
  private readonly cols: number[];
  /** per share KPI: raw cell -> hit (a bounded cache of the normalisation) */
  private readonly memo: Map<string, number>[];

  constructor(
    private readonly kpis: readonly CustomKpi[],
    config: Config,
    columns: Columns,
  ) {
    this.cols = kpis.map((k) => {
      const col = columns.resolve(k.column);
      if (col === undefined) {
        throw new InputError(
          `${columns.file}: custom KPI ${k.name} reads column "${k.column}", but there is no such column (headers: ${columns.header.map((h) => `"${h.trim()}"`).join(', ')}); map it under tickets.columns or fix kpis.${k.name}.${k.stat}.column in ${config.file}`,
        );
      }
      return col;
    });
    this.memo = kpis.map(() => new Map());
  }

  /** Each custom KPI's value for the ticket (into `out`); the cells that are not numbers, as problems. */
  read(t: Ticket, out: Float64Array): RowProblem[] | undefined {
    let problems: RowProblem[] | undefined;
    for (let i = 0; i < this.kpis.length; i++) {
      const k = this.kpis[i];
      const cell = t.cells[this.cols[i]] ?? '';
      if (t.columns.isNull(cell)) {
        out[i] = NaN;
        continue;
      }
      if (k.stat === 'share') {
        const memo = this.memo[i];
        let hit = memo.get(cell);
        if (hit === undefined) {
          hit = k.values.has(shareKey(cell)) ? 1 : 0;
          if (memo.size < 10_000) memo.set(cell, hit);
        }
        out[i] = hit;
        continue;
      }
      const text = cell.normalize('NFKC').trim();
      // digits past 2^53 are no measurement, and summed (or past Number.MAX_VALUE, Infinity) they would make the mean up
      const n = NUMBER.test(text) ? Number(text) : NaN;
      if (Math.abs(n) <= Number.MAX_SAFE_INTEGER) out[i] = n;
      else {
        out[i] = NaN;
        (problems ??= []).push({
          file: t.file, row: t.row, column: t.columns.header[this.cols[i]].trim(),
          message: `${shown(text)} is not a number${Number.isNaN(n) ? '' : ' a mean can use (larger than 9,007,199,254,740,991)'}; custom KPI ${k.name} leaves this ticket out (it is evaluated for everything else). Write plain numbers such as 12 or 12.5, without units or thousands separators`,
        });
      }
    }
    return problems;
  }
}

/** A cell in a message: quoted when short and not an email, else only its length (ticket text is not echoed). */
function shown(v: string): string {
  return v.length <= 40 && !v.includes('@') ? `"${v}"` : `${v.length.toLocaleString('en-US')} characters`;
}
