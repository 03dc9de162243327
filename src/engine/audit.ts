/**
 * The engine's audit: consumes the input stage's stream of typed tickets and problems, evaluates
 * each ticket, feeds the aggregates and any observers (the per-ticket report, explain), and sums
 * it all up. Reads no file: tickets arrive as a stream, sorted-key storage is handed in.
 */
import type { Config, Objective } from '../config/types.js';
import type { InputItem, RowProblem, TicketStream } from '../model/ticket.js';
import { Aggregator, type SortedKeys } from './aggregate.js';
import { judgedMetrics } from './olas.js';
import { DEFAULT_GROUP_BY, FileContexts, evaluateTicket, type EvaluationSettings } from './evaluate-ticket.js';
import type { Period } from './periods.js';
import type { AuditResult, EvaluatedTicket, RepeatCustomer } from './result.js';
import { categoryRows, escalationResult, groupRows, hotspotsOf, metricsOf, objectiveResults, overallCounts, periodRows, scorecardResults, splitResult } from './summary.js';

const MAX_PROBLEMS_KEPT = 10_000;

/** Sees every evaluated ticket inside --since/--until, in reading order (a seam for per-ticket reports). */
export interface TicketObserver {
  ticket?(ev: EvaluatedTicket): void;
  /** a ticket given to `ticket` earlier that a later row with the same id replaced */
  replaced?(ev: EvaluatedTicket): void;
}

export interface EngineOptions {
  config: Config;
  /** epoch ms at which open tickets are measured */
  asOf: number;
  since?: number;
  until?: number;
  groupBy?: string[];
  /** objectives added on the command line (--fail-under) */
  extraObjectives?: Objective[];
  maxBreaches?: number;
  /** --period: group compliance, categories and KPIs by creation period */
  period?: Period;
  /** --split: compare the tickets created before this instant with those created from it */
  split?: number;
  observers?: TicketObserver[];
  /** --messages files were given: the message metrics are measured */
  messages?: boolean;
  /** storage for repeat-complaint keys (default: in memory) */
  sortedKeys?: () => SortedKeys;
  /** list the customers with repeat complaints (AuditResult.repeatCustomers; -o repeats.csv) */
  listRepeats?: boolean;
}

/** A ProblemLog as plain data (survives structured clone). */
export interface ProblemLogState {
  kept: RowProblem[];
  dropped: number;
  rows: number;
  events: number;
  messages: number;
  cells: number;
}

/** Problems as they come: the first MAX_PROBLEMS_KEPT kept, the rest counted. */
export class ProblemLog implements ProblemLogState {
  readonly kept: RowProblem[] = [];
  dropped = 0;
  rows = 0;
  events = 0;
  messages = 0;
  /** custom KPI cells that are not numbers: problems of a row that is still evaluated */
  cells = 0;
  add(p: RowProblem, rows: number, event = false, message = false): void {
    if (this.kept.length < MAX_PROBLEMS_KEPT) this.kept.push(p);
    else this.dropped++;
    this.rows += rows;
    if (event) this.events++;
    if (message) this.messages++;
  }

  /**
   * Takes back the cell problems of a row a later row with its id replaced: that row is not
   * evaluated, so its custom KPI cells leave no ticket out (the duplicate id is its one problem).
   */
  withdrawCells(cells: readonly RowProblem[]): void {
    for (const p of cells) {
      const i = this.kept.findLastIndex((k) => k.row === p.row && k.file === p.file && k.column === p.column && k.message === p.message);
      if (i >= 0) this.kept.splice(i, 1);
      else if (this.dropped > 0) this.dropped--;
      this.cells--;
    }
  }

  /** Adds a later part's problems (in file order, rows as they are: a part shifts its own): the first MAX_PROBLEMS_KEPT of all kept. */
  absorb(o: ProblemLogState): void {
    const room = Math.max(0, MAX_PROBLEMS_KEPT - this.kept.length);
    for (let i = 0; i < Math.min(room, o.kept.length); i++) this.kept.push(o.kept[i]);
    this.dropped += o.dropped + Math.max(0, o.kept.length - room);
    this.rows += o.rows;
    this.events += o.events;
    this.messages += o.messages;
    this.cells += o.cells;
  }
}

/**
 * One audit under way: its settings, the files' contexts, the aggregates and the problems. Items go
 * in one at a time; finish sums it all up. A run per part of the tickets can be merged (agg.absorb,
 * problems.absorb, tickets summed) into the first part's run, which then finishes.
 */
export interface AuditRun {
  readonly settings: EvaluationSettings;
  readonly contexts: FileContexts;
  readonly agg: Aggregator;
  readonly problems: ProblemLog;
  /** tickets read (less those a later row replaced) */
  tickets: number;
  /** one item of the input stage's stream (an `end` item is kept for finish) */
  item(item: InputItem): void;
  /** The audit's result (the aggregator's repeat keys are consumed: call once). */
  finish(end: EndItem): AuditResult;
}

type EndItem = Extract<InputItem, { kind: 'end' }>;

/** Makes the settings, file contexts, aggregator and problem log of an audit. */
export function startAudit(o: EngineOptions): AuditRun {
  const { config } = o;
  const objectives = [...config.objectives, ...(o.extraObjectives ?? [])];
  const settings: EvaluationSettings = { config, asOf: o.asOf, since: o.since, until: o.until, groupBy: o.groupBy ?? DEFAULT_GROUP_BY, objectives, messages: !!o.messages };
  const contexts = new FileContexts(settings);
  const agg = new Aggregator({
    metrics: judgedMetrics(config), ...(config.olasGiven ? { olaGroups: config.olas.map((x) => x.group) } : {}), groupBy: settings.groupBy, objectives, scorecards: config.scorecards, period: o.period, split: o.split,
    maxBreaches: o.maxBreaches, sortedKeys: o.sortedKeys, goodRating: config.satisfaction.good, levels: config.levels.length, credits: config.credits, customKpis: config.customKpis, listRepeats: o.listRepeats,
  });
  const observers = o.observers ?? [];
  const problems = new ProblemLog();
  const run: AuditRun = {
    settings, contexts, agg, problems, tickets: 0,
    item(item) {
      switch (item.kind) {
        case 'source':
          contexts.of(item.columns); // a policy or --group-by naming a missing column fails here, before any row
          break;
        case 'ticket': {
          run.tickets++;
          const ev = evaluateTicket(item.ticket, contexts.of(item.ticket.columns), settings);
          agg.add(ev);
          if (ev.counted) for (const ob of observers) ob.ticket?.(ev);
          // the row is evaluated: its cell problems leave no row out of the counts (rows: 0)
          if (ev.counted && ev.cellProblems) {
            for (const p of ev.cellProblems) problems.add(p, 0);
            problems.cells += ev.cellProblems.length;
          }
          break;
        }
        case 'problem':
          problems.add(item.problem, item.rows, item.event, item.message);
          break;
        case 'replaced': {
          run.tickets--;
          const ev = evaluateTicket(item.ticket, contexts.of(item.ticket.columns), settings);
          agg.retract(ev);
          if (ev.counted && ev.cellProblems) problems.withdrawCells(ev.cellProblems);
          problems.add(item.problem, 1);
          if (ev.counted) for (const ob of observers) ob.replaced?.(ev);
          break;
        }
        case 'end':
          break;
      }
    },
    finish: (end) => summarise(agg, end, problems, run.tickets, objectives, o),
  };
  return run;
}

export async function auditStream(stream: TicketStream, o: EngineOptions): Promise<AuditResult> {
  const run = startAudit(o);
  let end: EndItem | undefined;
  try {
    for await (const batch of stream) {
      for (const item of batch) {
        if (item.kind === 'end') end = item;
        else run.item(item);
      }
    }
    if (!end) throw new Error('the ticket stream ended without its end item');
    return run.finish(end);
  } finally {
    run.agg.dispose();
  }
}

function summarise(agg: Aggregator, end: EndItem, problems: ProblemLog, tickets: number, objectives: Objective[], o: EngineOptions): AuditResult {
  const { config } = o;
  problems.kept.sort((a, b) => (a.file === b.file ? a.row - b.row : 0));
  const warnings = [...end.warnings];
  if (config.olas.length && agg.evaluated > 0 && agg.overall.ola?.withGroups === 0) {
    warnings.push(`no ticket has a group history, so the OLAs (${config.olas.map((x) => x.group).join(', ')}) are not measured: give --events a file with a group column (events.columns.group), or map tickets.columns.team in the event-log layout`);
  }
  // repeat complaints are counted first: every KPI accumulator learns its repeats here
  const categories = categoryRows(agg, config, warnings);
  const scorecards = scorecardResults(agg, config.scorecards);
  const objectiveList = objectiveResults(agg, objectives, scorecards);
  const groups = groupRows(agg);
  const periods = periodRows(agg, o.period);
  const split = o.split === undefined ? undefined : splitResult(agg, config.scorecards, config.customKpis, config.zone.format(o.split));
  return {
    asOf: o.asOf,
    configFile: config.file,
    inputs: end.inputs,
    zone: config.zone.name,
    totals: {
      rows: end.rows, tickets, evaluated: agg.evaluated, problems: problems.rows, outside_range: tickets - agg.evaluated,
      ...(end.eventRows !== undefined ? { event_rows: end.eventRows, event_problems: problems.events } : {}),
      ...(end.messageRows !== undefined ? { message_rows: end.messageRows, message_problems: problems.messages } : {}),
      ...(end.eventRows !== undefined ? { without_history: agg.withoutHistory } : {}),
      ...(config.customKpis.length ? { kpi_cell_problems: problems.cells } : {}),
    },
    overall: overallCounts(agg.overall),
    metrics: metricsOf(agg.overall),
    kpis: agg.overall.values(),
    ...(o.listRepeats ? { repeatCustomers: agg.repeatCustomers.sort(mostRepeatsFirst) } : {}),
    customKpis: config.customKpis.map((k) => k.def),
    objectives: objectiveList,
    scorecards,
    escalation: escalationResult(agg, config.levels, periods.kind),
    ...(agg.credits ? { credits: agg.credits.results(config, o.asOf, o, warnings) } : {}),
    ladders: config.ladders,
    ...(split ? { split } : {}),
    configDigest: config.digest,
    groups,
    breaches: agg.worstBreaches(),
    categories,
    periods: periods.rows,
    periodKind: periods.kind,
    periodAsked: o.period !== undefined,
    hotspots: hotspotsOf(agg),
    problems: problems.kept,
    problemsDropped: problems.dropped,
    warnings,
    ...(end.eventRows !== undefined ? { historyCoverage: historyCoverage(agg.withoutHistory, agg.evaluated) } : {}),
    passed: objectiveList.every((x) => x.passed),
  };
}

/**
 * How much of the audit an --events history covers: a ticket with no row in it is taken as never
 * paused or reopened, which is what fcr and reopen_rate then assume of it. A warning when that
 * assumption carries more than half of the tickets (an export of only the tickets that changed).
 */
function historyCoverage(without: number, evaluated: number): NonNullable<AuditResult['historyCoverage']> {
  const what = `--events: ${without} of ${evaluated} evaluated ticket${evaluated === 1 ? '' : 's'} had no row in the status history (up to --as-of)`;
  const warning = without * 2 > evaluated;
  const they = without === 1 ? ['it was', 'its'] : ['they were', 'their'];
  const message = warning
    ? `${what}; fcr and reopen_rate assume ${they[0]} never reopened (and nothing paused ${they[1]} clocks): if the export lists only tickets whose status changed, check that it lists every reopened ticket`
    : `${what}, taken as never paused or reopened`;
  return { without, evaluated, warning, message };
}

/** Most repeats first, then most tickets, then by customer and category (code-unit order, the same on every machine). */
function mostRepeatsFirst(a: RepeatCustomer, b: RepeatCustomer): number {
  return b.repeats - a.repeats || b.tickets - a.tickets || (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : a.category < b.category ? -1 : a.category > b.category ? 1 : 0);
}
