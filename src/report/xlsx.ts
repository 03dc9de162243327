/**
 * The Excel workbook, described as sheets of typed cells (the writer in `output/workbook.ts` turns
 * them into a file): Summary, Trend (under --period), Tickets (one row per ticket, streamed),
 * Categories, and a sheet per breakdown. Labels come from the report language's catalogue. Every cell is a value — text, a number or a date — never a formula, so nothing a ticket
 * says can run in a spreadsheet.
 *
 * A new section of the result becomes a sheet by one function in SECTION_SHEETS (scorecards and
 * credits, when the result has them, go there).
 */
import type { AuditResult, Counts, ScorecardResult } from '../engine/result.js';
import { MS_PER_DAY, MS_PER_MINUTE } from '../time/civil.js';
import type { Zone } from '../time/zone.js';
import { safeText } from './escape.js';
import { kindOf, objectiveActual, objectiveLabel, objectiveTally, shownKpis, metricRows, olaRows, METRIC_LABEL } from './format.js';
import { messages, type Messages } from './i18n/index.js';
import type { ReportContext } from './json.js';
import { WIDE_TEXT, measuredMetrics, wideColumns, wideValues, type WideTicket } from './tickets-wide.js';
import { displayWidth } from './width.js';

/**
 * How a cell shows. `percent` holds a fraction (0.95 shows 95.0%); `duration` holds business minutes
 * (the writer stores them as Excel time, days, shown `[h]:mm`, or `[h]:mm:ss` when not a whole minute);
 * `datetime` an Excel date serial in the config zone; `score` 0.0, `number` 0.00, `money` #,##0.00.
 */
export type CellFormat = 'text' | 'int' | 'number' | 'score' | 'money' | 'duration' | 'percent' | 'datetime';
/** A number with a format of its own, in a column whose cells differ in kind (the Summary's KPI values). */
interface TypedCell {
  value: number;
  format: CellFormat;
}
export type Cell = string | number | null | TypedCell;

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

type Labels = Messages['workbook'];

const labelsOf = (ctx: ReportContext): Labels => messages(ctx.lang).workbook;

/** A metric's name for people in the report language; an OLA's as "OLA <group>". */
function metricName(m: string, w: Labels): string {
  if (m.startsWith('ola.')) return w.ola(m.slice(4));
  return m in METRIC_LABEL && m in w ? (w[m as 'first_response'] as string) : m;
}

const FORMAT_OF_KIND: Record<string, CellFormat> = { rate: 'percent', time: 'duration', count: 'int', number: 'number' };

/** A KPI's value as a cell of its kind: a rate a percentage, a time business minutes (a duration), a count whole. */
function kpiCell(kpi: string, v: number | null | undefined, custom: AuditResult['customKpis']): Cell {
  return v === null || v === undefined ? null : { value: v, format: FORMAT_OF_KIND[kindOf(kpi, custom)] ?? 'number' };
}

const compliance = (c: Counts | undefined) => c?.compliance ?? null;

function countColumns(w: Labels): SheetColumn[] {
  return [
    { header: w.compliance, format: 'percent' }, { header: w.met, format: 'int' }, { header: w.breached, format: 'int' }, { header: w.overdue, format: 'int' },
    { header: w.atRisk, format: 'int' }, { header: w.running, format: 'int' }, { header: w.notApplicable, format: 'int' }, { header: w.notMeasured, format: 'int' },
  ];
}

function totalsRows(t: AuditResult['totals'], w: Labels): Cell[][] {
  return [
    [w.rowsRead, t.rows],
    [w.rowsLeftOut, t.problems],
    [w.tickets, t.tickets],
    [w.evaluated, t.evaluated],
    [w.outsideRange, t.outside_range],
    ...(t.event_rows !== undefined ? [[w.eventRows, t.event_rows], [w.eventProblems, t.event_problems ?? 0], [w.withoutHistory, t.without_history ?? 0]] : []),
    ...(t.kpi_cell_problems !== undefined ? [[w.kpiCellProblems, t.kpi_cell_problems]] : []),
    ...(t.message_rows !== undefined ? [[w.messageRows, t.message_rows], [w.messageProblems, t.message_problems ?? 0]] : []),
  ];
}

function summarySheet(r: AuditResult, ctx: ReportContext): Sheet {
  const w = labelsOf(ctx);
  const tally = objectiveTally(r);
  const counts = (label: string, c: Counts): Cell[] => [label, compliance(c), c.met, c.breached, c.overdue, c.at_risk, c.running, c.not_applicable, c.not_measured];
  return {
    name: w.sheetSummary,
    tables: [
      {
        title: ctx.title ? cellText(ctx.title) : w.defaultTitle,
        headless: true,
        columns: [{ header: '', format: 'text' }, { header: '', format: 'text' }],
        rows: [
          [w.objectives, tally.total ? w.tally(tally.met, tally.failed, tally.notJudged, tally.total) : w.noObjectives],
          [w.asOf, `${ctx.zone.formatShort(r.asOf)} (${ctx.zone.name})`],
          [w.config, cellText(r.configFile)],
          [w.inputs, cellText(r.inputs.join(', '))],
        ],
      },
      {
        title: w.complianceTitle,
        columns: [{ header: w.metric, format: 'text' }, ...countColumns(w)],
        rows: [...metricRows(r.metrics).map(([m, c]) => counts(metricName(m, w), c)), counts(w.overall, r.overall), ...olaRows(r.metrics).map(([m, c]) => counts(metricName(m, w), c))],
      },
      {
        title: w.objectivesTitle,
        // objectives hold rates, times and scores alike, so the actual value is shown as the reports write it
        columns: [{ header: w.objective, format: 'text' }, { header: w.actual, format: 'text' }, { header: w.tickets, format: 'int' }, { header: w.result, format: 'text' }],
        rows: r.objectives.map((o) => [cellText(objectiveLabel(o, r.customKpis)), objectiveActual(o, r.customKpis), o.tickets, o.skipped ? w.notJudged(o.skipped) : o.passed ? w.met : w.failed]),
      },
      {
        title: w.kpisTitle,
        // each value typed by its KPI's kind: a rate a percentage, a time h:mm, a count a whole number
        columns: [{ header: w.kpi, format: 'text' }, { header: w.value, format: 'number' }],
        rows: shownKpis(r).map((k) => [k, kpiCell(k, r.kpis[k], r.customKpis)]),
      },
      {
        title: w.totalsTitle,
        columns: [{ header: w.rows, format: 'text' }, { header: w.count, format: 'int' }],
        rows: totalsRows(r.totals, w),
      },
    ],
  };
}

/**
 * Which tickets are repeat complaints (SPEC: the same customer and category within repeat_within of
 * their previous ticket, at minute resolution, as the engine counts them): a first read of the tickets
 * gathers each customer and category's creation minutes, sorted; then a ticket is a repeat when
 * another of its customer and category was created in the window before its minute, or in the same
 * minute and read before it. Returns the test, to be asked in reading order.
 */
async function repeatFlags(tickets: AsyncIterable<WideTicket>, windowMs: number): Promise<(t: WideTicket) => boolean> {
  const minutes = new Map<string, number[]>();
  const key = (t: WideTicket) => `${t.customer}\u0000${t.category}`;
  for await (const t of tickets) {
    if (!t.customer) continue;
    const k = key(t);
    const list = minutes.get(k);
    if (list) list.push(Math.floor(t.created / MS_PER_MINUTE));
    else minutes.set(k, [Math.floor(t.created / MS_PER_MINUTE)]);
  }
  for (const list of minutes.values()) list.sort((a, b) => a - b);
  const window = Math.floor(windowMs / MS_PER_MINUTE);
  // tickets of one customer and category created in the same minute, seen so far (only such minutes are kept)
  const seen = new Set<string>();
  const firstAtOrAfter = (list: number[], m: number) => {
    let lo = 0;
    for (let hi = list.length; lo < hi; ) {
      const mid = (lo + hi) >> 1;
      if (list[mid] < m) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return (t) => {
    if (!t.customer) return false;
    const k = key(t);
    const list = minutes.get(k)!;
    const m = Math.floor(t.created / MS_PER_MINUTE);
    if (list[firstAtOrAfter(list, m - window)] < m) return true;
    const at = firstAtOrAfter(list, m);
    if (list[at + 1] !== m) return false; // alone in its minute
    const same = `${k}\u0000${m}`;
    if (seen.has(same)) return true;
    seen.add(same);
    return false;
  };
}

/** The Tickets sheet: a row per ticket as the spool hands them over, with the text columns' widths measured while spooling. */
function ticketsSheet(r: AuditResult, ctx: ReportContext, tickets: TicketRows): Sheet {
  const w = labelsOf(ctx);
  const metrics = measuredMetrics(r);
  // satisfaction and customer when some ticket had one; the repeat flag when repeats were counted
  const satisfaction = !!tickets.has?.satisfaction;
  const customer = tickets.customer && tickets.has?.customer ? tickets.customer : undefined;
  const repeats = customer && r.kpis.repeat_rate !== null && r.kpis.repeat_rate !== undefined ? tickets.repeats : undefined;
  const extra: SheetColumn[] = [
    ...(satisfaction ? [{ header: w.satisfaction, format: 'number' as const, width: displayWidth(w.satisfaction) + 2 }] : []),
    ...(customer ? [{ header: w.customer, format: 'text' as const, width: Math.max(displayWidth(w.customer), tickets.customerWidth ?? tickets.widths[WIDE_TEXT.length] ?? 0) + 2 }] : []),
    ...(repeats ? [{ header: w.repeat, format: 'int' as const, width: displayWidth(w.repeat) + 2 }] : []),
  ];
  const text = [w.ticketId, w.priority, w.policy, w.team, w.agent, w.channel, w.category];
  const perMetric = [w.status, w.target, w.elapsed, w.overBy, w.due, w.completed];
  const headers = [text[0], w.createdAt, ...text.slice(1), ...metrics.flatMap(({ metric }) => perMetric.map((f) => f(metricName(metric, w))))];
  const base: SheetColumn[] = wideColumns(metrics).map((c, i) => ({
    header: headers[i],
    format: c.kind === 'time' ? 'datetime' : c.kind === 'hours' ? 'duration' : 'text',
    width: Math.max(displayWidth(headers[i]), c.text !== undefined ? tickets.widths[c.text] ?? 0 : c.kind === 'time' ? 16 : 8) + 2,
  }));
  const kinds = base.map((c) => c.format);
  const zone = ctx.zone;
  const status = new Set(metrics.map((_, k) => 8 + 6 * k));
  async function* rows(): AsyncIterable<Cell[]> {
    const isRepeat = repeats ? await repeatFlags(repeats.reread(), repeats.withinMs) : undefined;
    for await (const t of tickets.rows) {
      const v: Cell[] = wideValues(t, metrics, MS_PER_MINUTE);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null) continue;
        if (kinds[i] === 'datetime') v[i] = excelDate(x as number, zone);
        else if (status.has(i)) v[i] = w.statusValue(x as string);
        else if (kinds[i] === 'text') v[i] = cellText(x as string);
      }
      if (extra.length) {
        const more: Cell[] = [];
        if (satisfaction) more.push(Number.isNaN(t.satisfaction) ? null : t.satisfaction);
        if (customer) more.push(t.customer ? cellText(customer(t.customer)) : null);
        if (isRepeat) more.push(t.customer ? (isRepeat(t) ? 1 : 0) : null);
        v.splice(8, 0, ...more);
      }
      yield v;
    }
  }
  return { name: w.sheetTickets, tables: [{ columns: [...base.slice(0, 8), ...extra, ...base.slice(8)], rows: rows() }] };
}

/**
 * Under --period: a row per period with its tickets, compliance overall and per metric (and OLA), then
 * every KPI of the period typed by its kind — a table a chart can be drawn from as it is.
 */
function trendSheet(r: AuditResult, ctx: ReportContext): Sheet | undefined {
  if (!r.periodAsked || !r.periods.length) return undefined;
  const w = labelsOf(ctx);
  const metrics = [...metricRows(r.metrics), ...olaRows(r.metrics)].map(([m]) => m);
  const kpis = shownKpis(r).filter((k) => k !== 'tickets');
  return {
    name: w.sheetTrend,
    tables: [{
      columns: [
        { header: w.period, format: 'text' }, { header: w.tickets, format: 'int' }, { header: w.metricCompliance(w.overall), format: 'percent' },
        ...metrics.map((m): SheetColumn => ({ header: w.metricCompliance(metricName(m, w)), format: 'percent' })),
        ...kpis.map((k): SheetColumn => ({ header: k, format: FORMAT_OF_KIND[kindOf(k, r.customKpis)] ?? 'number' })),
      ],
      rows: r.periods.map((p): Cell[] => [
        p.period, p.kpis?.tickets ?? null, compliance(p.overall),
        ...metrics.map((m) => compliance(p.metrics[m])),
        ...kpis.map((k) => p.kpis?.[k] ?? null),
      ]),
    }],
  };
}

function categoriesSheet(r: AuditResult, ctx: ReportContext): Sheet | undefined {
  if (!r.categories.length) return undefined;
  const w = labelsOf(ctx);
  return {
    name: w.sheetCategories,
    tables: [{
      columns: [
        { header: w.category, format: 'text' }, { header: w.tickets, format: 'int' }, { header: w.share, format: 'percent' }, { header: w.cumulativeShare, format: 'percent' },
        { header: w.ticketsBreached, format: 'int' }, { header: w.breachRate, format: 'percent' }, { header: w.medianResolution, format: 'duration' },
        { header: w.p90Resolution, format: 'duration' }, { header: w.satisfaction, format: 'number' }, { header: w.repeat, format: 'int' },
      ],
      rows: r.categories.map((k) => [cellText(k.name), k.tickets, k.share, k.cumulative_share, k.breached, k.breach_rate, k.median_resolution_minutes, k.p90_resolution_minutes, k.satisfaction, k.repeat]),
    }],
  };
}

/** A sheet per --group-by field. */
function groupSheets(r: AuditResult, ctx: ReportContext): Sheet[] {
  const w = labelsOf(ctx);
  return Object.entries(r.groups).map(([field, rows]) => ({
    name: w.sheetGroup(w.field(field)),
    tables: [{
      columns: [
        { header: cellText(w.field(field)), format: 'text' }, { header: w.tickets, format: 'int' }, { header: metricName('first_response', w), format: 'percent' },
        { header: metricName('resolution', w), format: 'percent' }, { header: w.overall, format: 'percent' }, { header: w.ticketsBreached, format: 'int' },
        { header: w.ticketsOverdue, format: 'int' },
      ],
      rows: rows.map((g) => [cellText(g.key), g.tickets, compliance(g.metrics.first_response), compliance(g.metrics.resolution), compliance(g.overall), g.tickets_breached, g.tickets_overdue]),
    }],
  }));
}

/**
 * A sheet per scorecard: a row per group and period, each indicator's actual value typed by its KPI
 * and the points (0-100) it earned, then score, grade and rank.
 */
function scorecardSheets(r: AuditResult, ctx: ReportContext): Sheet[] {
  const w = labelsOf(ctx);
  return r.scorecards.map((sc: ScorecardResult) => {
    const inds = sc.cards[0]?.rows[0]?.indicators ?? [];
    return {
      name: w.sheetScorecard(sc.name),
      tables: [{
        columns: [
          { header: w.period, format: 'text' }, { header: cellText(w.field(sc.by)), format: 'text' }, { header: w.tickets, format: 'int' },
          ...inds.flatMap((i): SheetColumn[] => [
            { header: cellText(w.indicator(i.kpi, i.weight)), format: FORMAT_OF_KIND[kindOf(i.kpi, r.customKpis)] ?? 'number' },
            { header: cellText(w.points(i.kpi)), format: 'score' },
          ]),
          { header: w.score, format: 'score' }, { header: w.grade, format: 'text' }, { header: w.rank, format: 'int' }, { header: w.note, format: 'text' },
        ],
        rows: sc.cards.flatMap((card) => card.rows.map((row): Cell[] => [
          card.period ?? w.all, cellText(row.key), row.tickets,
          ...row.indicators.flatMap((i) => [i.actual, i.points]),
          row.composite, row.grade === null ? null : cellText(row.grade), row.rank,
          row.scored ? (row.left_out.length ? w.leftOut(row.left_out.join(', ')) : null) : w.notScored(row.reason ?? ''),
        ])),
      }],
    };
  });
}

/** The service credits: a row per contract period, amounts as numbers. */
function creditsSheet(r: AuditResult, ctx: ReportContext): Sheet | undefined {
  const c = r.credits;
  if (!c) return undefined;
  const w = labelsOf(ctx);
  const cur = c.currency ? cellText(c.currency) : '';
  return {
    name: w.sheetCredits,
    tables: [{
      columns: [
        { header: c.period, format: 'text' }, { header: w.compliance, format: 'percent' }, { header: w.tierShare, format: 'percent' }, { header: w.breaches, format: 'int' },
        { header: w.hoursOver, format: 'int' }, { header: w.tierAmount(cur), format: 'money' }, { header: w.breachAmount(cur), format: 'money' }, { header: w.uncapped(cur), format: 'money' },
        { header: w.credit(cur), format: 'money' }, { header: w.note, format: 'text' },
      ],
      rows: c.periods.map((p) => [
        p.period, p.compliance, p.tier ? p.tier.credit : null, p.breaches, p.hours_over, p.tier_amount, p.breach_amount, p.uncapped, p.credit,
        [p.capped ? w.capped : '', p.provisional ? w.provisional : ''].filter(Boolean).join(', ') || null,
      ]),
    }],
  };
}

/** Sheets from sections of the result, after Summary and Tickets: one function per section. */
const SECTION_SHEETS: ((r: AuditResult, ctx: ReportContext) => Sheet | Sheet[] | undefined)[] = [categoriesSheet, groupSheets, scorecardSheets, creditsSheet];

/** The per-ticket rows (spooled while the audit ran) and the widest text seen per WIDE_TEXT field, then the customer's. */
export interface TicketRows {
  rows: AsyncIterable<WideTicket>;
  widths: number[];
  /** whether some ticket had a satisfaction rating, or a customer */
  has?: { satisfaction: boolean; customer: boolean };
  /** the customer as its cell shows it (--customer-key: as written, a keyed hash or its first characters); no customer column without it */
  customer?: (customer: string) => string;
  /** the width of the customer column when `customer` changes it (a hash is 16 characters) */
  customerWidth?: number;
  /** the tickets read again from the start, and categories.repeat_within: the repeat flags, gathered before the rows are written */
  repeats?: { reread: () => AsyncIterable<WideTicket>; withinMs: number };
}

/**
 * Every sheet of the workbook, in order, with names Excel accepts (at most 31 characters, no []:*?/\, unique);
 * no Tickets sheet without per-ticket rows (a run that fetched only aggregates from a warehouse).
 */
export function workbookSheets(r: AuditResult, ctx: ReportContext, tickets: TicketRows | undefined): Sheet[] {
  const sheets: Sheet[] = [summarySheet(r, ctx), ...[trendSheet(r, ctx) ?? []].flat(), ...(tickets ? [ticketsSheet(r, ctx, tickets)] : []), ...SECTION_SHEETS.flatMap((f) => f(r, ctx) ?? [])];
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

/** Track the widest text per WIDE_TEXT field of a ticket, then its customer's (for the Tickets sheet's column widths). */
export function measureTicket(t: WideTicket, widths: number[]): void {
  for (let i = 0; i <= WIDE_TEXT.length; i++) {
    const s = i < WIDE_TEXT.length ? t[WIDE_TEXT[i]] : t.customer;
    // no column is made wider than 60; a text cannot be wider than twice its length
    if (widths[i] < MAX_WIDTH && s.length * 2 > widths[i]) {
      const w = Math.min(MAX_WIDTH, displayWidth(s.length > MAX_WIDTH ? s.slice(0, MAX_WIDTH) : s));
      if (w > widths[i]) widths[i] = w;
    }
  }
}
