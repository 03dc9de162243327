/**
 * The Excel workbook, described as sheets of typed cells (the writer in `output/workbook.ts` turns
 * them into a file): Summary, Tickets (one row per ticket, streamed), Categories, and a sheet per
 * breakdown. Every cell is a value — text, a number or a date — never a formula, so nothing a ticket
 * says can run in a spreadsheet.
 *
 * A new section of the result becomes a sheet by one function in SECTION_SHEETS (scorecards and
 * credits, when the result has them, go there).
 */
import type { AuditResult, Counts, ScorecardResult } from '../engine/result.js';
import { MS_PER_DAY } from '../time/civil.js';
import type { Zone } from '../time/zone.js';
import { safeText } from './escape.js';
import { kindOf, objectiveActual, objectiveLabel, objectiveTally, tallyText, shownKpis, metricRows, olaRows, metricLabel, METRIC_LABEL } from './format.js';
import type { ReportContext } from './json.js';
import { WIDE_TEXT, measuredMetrics, wideColumns, wideValues, type WideTicket } from './tickets-wide.js';
import { displayWidth } from './width.js';

/** How a cell shows: `percent` holds a fraction (0.95 shows 95.0%), `datetime` an Excel date serial in the config zone. */
export type CellFormat = 'text' | 'int' | 'number' | 'hours' | 'percent' | 'datetime';
export type Cell = string | number | null;

export interface SheetColumn {
  header: string;
  format: CellFormat;
  /** in characters; measured from the cells when not given */
  width?: number;
}

interface SheetTable {
  /** a bold line above the table (Summary's sections) */
  title?: string;
  columns: SheetColumn[];
  /** no header row (Summary's opening lines: label and value) */
  headless?: boolean;
  rows: Iterable<Cell[]> | AsyncIterable<Cell[]>;
}

/** A sheet of one table gets a frozen header row and an autofilter; Summary stacks several. */
export interface Sheet {
  name: string;
  tables: SheetTable[];
}

/**
 * An instant as an Excel date serial of its wall time in the zone: days since 1899-12-30 from
 * 1900-03-01 (serial 61) on. Excel counts a 29 February 1900 that never was (serial 60), so before it
 * a serial is one day less; before 1900 it has no serial at all, and the time is written as text.
 */
function excelDate(ms: number, zone: Zone): Cell {
  const serial = zone.instantToWall(ms) / MS_PER_DAY + 25569;
  if (serial >= 61) return serial;
  if (serial >= 2) return serial - 1;
  return zone.formatShort(ms);
}

/** Text as a cell holds it: control characters shown as escapes, within Excel's 32,767 characters. */
function cellText(s: string): string {
  const t = safeText(s).replace(/[\uFFFE\uFFFF]/g, '\uFFFD');
  return t.length > 32_767 ? `${t.slice(0, 32_766)}…` : t;
}

const compliance = (c: Counts) => c.compliance;

function summarySheet(r: AuditResult, ctx: ReportContext): Sheet {
  const tally = objectiveTally(r);
  const counts = (label: string, c: Counts): Cell[] => [label, compliance(c), c.met, c.breached, c.overdue, c.at_risk, c.running, c.not_applicable, c.not_measured];
  const t = r.totals;
  return {
    name: 'Summary',
    tables: [
      {
        title: 'SLA audit',
        headless: true,
        columns: [{ header: '', format: 'text' }, { header: '', format: 'text' }],
        rows: [
          ['objectives', tally.total ? tallyText(tally) : 'none configured'],
          ['as of', `${ctx.zone.formatShort(r.asOf)} (${ctx.zone.name})`],
          ['config', cellText(r.configFile)],
          ['inputs', cellText(r.inputs.join(', '))],
        ],
      },
      {
        title: 'Compliance (tickets per metric; overall sums both)',
        columns: [
          { header: 'metric', format: 'text' }, { header: 'compliance', format: 'percent' }, { header: 'met', format: 'int' }, { header: 'breached', format: 'int' },
          { header: 'overdue', format: 'int' }, { header: 'at risk', format: 'int' }, { header: 'running', format: 'int' }, { header: 'not applicable', format: 'int' },
          { header: 'not measured', format: 'int' },
        ],
        rows: [...metricRows(r.metrics).map(([m, c]) => counts(METRIC_LABEL[m], c)), counts('overall', r.overall), ...olaRows(r.metrics).map(([m, c]) => counts(metricLabel(m), c))],
      },
      {
        title: 'Objectives',
        // objectives hold rates, times and scores alike, so the actual value is shown as the reports write it
        columns: [{ header: 'objective', format: 'text' }, { header: 'actual', format: 'text' }, { header: 'tickets', format: 'int' }, { header: 'result', format: 'text' }],
        rows: r.objectives.map((o) => [cellText(objectiveLabel(o, r.customKpis)), objectiveActual(o, r.customKpis), o.tickets, o.skipped ? `not judged: ${o.skipped}` : o.passed ? 'met' : 'failed']),
      },
      {
        title: 'KPIs (business time; empty: no data)',
        // one typed column per kind, so a rate stays a percentage and a time a number of hours
        columns: [{ header: 'KPI', format: 'text' }, { header: 'rate', format: 'percent' }, { header: 'hours', format: 'hours' }, { header: 'value', format: 'number' }],
        rows: shownKpis(r).map((k) => kpiRow(k, r.kpis[k] ?? null, r.customKpis)),
      },
      {
        title: 'Totals',
        columns: [{ header: 'rows', format: 'text' }, { header: 'count', format: 'int' }],
        rows: [
          ['data rows read', t.rows],
          ['left out with problems', t.problems],
          ['tickets', t.tickets],
          ['evaluated', t.evaluated],
          ['outside --since/--until or after --as-of', t.outside_range],
          ...(t.event_rows !== undefined ? [['--events rows', t.event_rows], ['--events rows with problems', t.event_problems ?? 0], ['evaluated with no --events history row', t.without_history ?? 0]] : []),
          ...(t.kpi_cell_problems !== undefined ? [['custom KPI cells not a number (the row is evaluated)', t.kpi_cell_problems]] : []),
          ...(t.message_rows !== undefined ? [['--messages rows', t.message_rows], ['--messages rows with problems', t.message_problems ?? 0]] : []),
        ],
      },
    ],
  };
}

/** The Tickets sheet: a row per ticket as the spool hands them over, with the text columns' widths measured while spooling. */
function ticketsSheet(r: AuditResult, ctx: ReportContext, tickets: TicketRows): Sheet {
  const metrics = measuredMetrics(r);
  const columns: SheetColumn[] = wideColumns(metrics).map((c) => ({
    header: c.name,
    format: c.kind === 'time' ? 'datetime' : c.kind === 'hours' ? 'hours' : 'text',
    width: c.text !== undefined ? Math.max(c.name.length, tickets.widths[c.text] ?? 0) + 2 : Math.max(c.name.length, c.kind === 'time' ? 16 : 8) + 2,
  }));
  const kinds = columns.map((c) => c.format);
  const zone = ctx.zone;
  async function* rows(): AsyncIterable<Cell[]> {
    for await (const t of tickets.rows) {
      const v = wideValues(t, metrics);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null) continue;
        if (kinds[i] === 'datetime') v[i] = excelDate(x as number, zone);
        else if (kinds[i] === 'text') v[i] = cellText(x as string);
      }
      yield v;
    }
  }
  return { name: 'Tickets', tables: [{ columns, rows: rows() }] };
}

function categoriesSheet(r: AuditResult): Sheet | undefined {
  if (!r.categories.length) return undefined;
  const hours = (m: number | null) => (m === null ? null : m / 60);
  return {
    name: 'Categories',
    tables: [{
      columns: [
        { header: 'category', format: 'text' }, { header: 'tickets', format: 'int' }, { header: 'share', format: 'percent' }, { header: 'cumulative share', format: 'percent' },
        { header: 'tickets breached', format: 'int' }, { header: 'breach rate', format: 'percent' }, { header: 'median resolution hours', format: 'hours' },
        { header: 'p90 resolution hours', format: 'hours' }, { header: 'satisfaction', format: 'number' }, { header: 'repeat', format: 'int' },
      ],
      rows: r.categories.map((k) => [cellText(k.name), k.tickets, k.share, k.cumulative_share, k.breached, k.breach_rate, hours(k.median_resolution_minutes), hours(k.p90_resolution_minutes), k.satisfaction, k.repeat]),
    }],
  };
}

/** A sheet per --group-by field. */
function groupSheets(r: AuditResult): Sheet[] {
  return Object.entries(r.groups).map(([field, rows]) => ({
    name: `By ${field}`,
    tables: [{
      columns: [
        { header: cellText(field), format: 'text' }, { header: 'tickets', format: 'int' }, { header: 'first response', format: 'percent' }, { header: 'resolution', format: 'percent' },
        { header: 'overall', format: 'percent' }, { header: 'tickets breached', format: 'int' }, { header: 'tickets overdue', format: 'int' },
      ],
      rows: rows.map((g) => [cellText(g.key), g.tickets, compliance(g.metrics.first_response), compliance(g.metrics.resolution), compliance(g.overall), g.tickets_breached, g.tickets_overdue]),
    }],
  }));
}

/** A KPI's value in the column of its kind: rate, hours (from business minutes) or a plain value. */
function kpiRow(kpi: string, v: number | null, custom: AuditResult['customKpis']): Cell[] {
  const kind = kindOf(kpi, custom);
  return [kpi, kind === 'rate' ? v : null, kind === 'time' && v !== null ? v / 60 : null, kind === 'count' || kind === 'number' ? v : null];
}

const KIND_FORMAT: Record<string, CellFormat> = { rate: 'percent', time: 'hours', count: 'int', number: 'number' };

/** A sheet per scorecard: a row per group and period, each indicator's actual value typed by its KPI, then score, grade and rank. */
function scorecardSheets(r: AuditResult): Sheet[] {
  return r.scorecards.map((sc: ScorecardResult) => {
    const inds = sc.cards[0]?.rows[0]?.indicators ?? [];
    return {
      name: `Scorecard ${sc.name}`,
      tables: [{
        columns: [
          { header: 'period', format: 'text' }, { header: cellText(sc.by), format: 'text' }, { header: 'tickets', format: 'int' },
          ...inds.map((i): SheetColumn => ({ header: `${i.kpi}${kindOf(i.kpi) === 'time' ? ' hours' : ''} (${i.weight})`, format: KIND_FORMAT[kindOf(i.kpi, r.customKpis)] })),
          { header: 'score', format: 'number' }, { header: 'grade', format: 'text' }, { header: 'rank', format: 'int' }, { header: 'note', format: 'text' },
        ],
        rows: sc.cards.flatMap((card) => card.rows.map((row): Cell[] => [
          card.period ?? 'all', cellText(row.key), row.tickets,
          ...row.indicators.map((i) => (i.actual !== null && kindOf(i.kpi) === 'time' ? i.actual / 60 : i.actual)),
          row.composite, row.grade === null ? null : cellText(row.grade), row.rank,
          row.scored ? (row.left_out.length ? `${row.left_out.join(', ')} left out (no data)` : null) : `not scored, ${row.reason}`,
        ])),
      }],
    };
  });
}

/** The service credits: a row per contract period, amounts as numbers. */
function creditsSheet(r: AuditResult): Sheet | undefined {
  const c = r.credits;
  if (!c) return undefined;
  const money = `amount${c.currency ? ` (${cellText(c.currency)})` : ''}`;
  return {
    name: 'Credits',
    tables: [{
      columns: [
        { header: c.period, format: 'text' }, { header: 'compliance', format: 'percent' }, { header: 'tier credit share', format: 'percent' }, { header: 'breaches', format: 'int' },
        { header: 'hours over', format: 'int' }, { header: `tier ${money}`, format: 'number' }, { header: `breach ${money}`, format: 'number' }, { header: `uncapped ${money}`, format: 'number' },
        { header: `credit ${money}`, format: 'number' }, { header: 'note', format: 'text' },
      ],
      rows: c.periods.map((p) => [
        p.period, p.compliance, p.tier ? p.tier.credit : null, p.breaches, p.hours_over, p.tier_amount, p.breach_amount, p.uncapped, p.credit,
        [p.capped ? 'capped' : '', p.provisional ? 'provisional' : ''].filter(Boolean).join(', ') || null,
      ]),
    }],
  };
}

/** Sheets from sections of the result, after Summary and Tickets: one function per section. */
const SECTION_SHEETS: ((r: AuditResult, ctx: ReportContext) => Sheet | Sheet[] | undefined)[] = [categoriesSheet, groupSheets, scorecardSheets, creditsSheet];

/** The per-ticket rows (spooled while the audit ran) and the widest text seen per WIDE_TEXT field. */
export interface TicketRows {
  rows: AsyncIterable<WideTicket>;
  widths: number[];
}

/** Every sheet of the workbook, in order, with names Excel accepts (at most 31 characters, no []:*?/\, unique). */
export function workbookSheets(r: AuditResult, ctx: ReportContext, tickets: TicketRows): Sheet[] {
  const sheets = [summarySheet(r, ctx), ticketsSheet(r, ctx, tickets), ...SECTION_SHEETS.flatMap((f) => f(r, ctx) ?? [])];
  const used = new Set<string>();
  for (const s of sheets) {
    const base = cellText(s.name).replace(/[[\]:*?/\\]/g, '_').replace(/^'|'$/g, '_').slice(0, 31) || 'Sheet';
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base.slice(0, 31 - String(k).length - 1)} ${k}`;
    used.add(name.toLowerCase());
    s.name = name;
  }
  return sheets;
}

export const MAX_WIDTH = 60;

/** Track the widest text per WIDE_TEXT field of a ticket (for the Tickets sheet's column widths). */
export function measureTicket(t: WideTicket, widths: number[]): void {
  for (let i = 0; i < WIDE_TEXT.length; i++) {
    const s = t[WIDE_TEXT[i]];
    // no column is made wider than 60; a text cannot be wider than twice its length
    if (widths[i] < MAX_WIDTH && s.length * 2 > widths[i]) {
      const w = Math.min(MAX_WIDTH, displayWidth(s.length > MAX_WIDTH ? s.slice(0, MAX_WIDTH) : s));
      if (w > widths[i]) widths[i] = w;
    }
  }
}
