/**
 * The engine's audit: consumes the input stage's stream of typed tickets and problems, evaluates
 * each ticket, feeds the aggregates and any observers (the per-ticket report, explain), and sums
 * it all up. Reads no file: tickets arrive as a stream, sorted-key storage is handed in.
 */
import type { Config, Objective } from '../config/types.js';
import type { InputItem, RowProblem, TicketStream } from '../model/ticket.js';
import { Aggregator, type SortedKeys } from './aggregate.js';
import { DEFAULT_GROUP_BY, FileContexts, evaluateTicket, type EvaluationSettings } from './evaluate-ticket.js';
import type { Period } from './periods.js';
import type { AuditResult, EvaluatedTicket } from './result.js';
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
}

/** Problems as they come: the first MAX_PROBLEMS_KEPT kept, the rest counted. */
class ProblemLog {
  readonly kept: RowProblem[] = [];
  dropped = 0;
  rows = 0;
  events = 0;
  messages = 0;
  add(p: RowProblem, rows: number, event = false, message = false): void {
    if (this.kept.length < MAX_PROBLEMS_KEPT) this.kept.push(p);
    else this.dropped++;
    this.rows += rows;
    if (event) this.events++;
    if (message) this.messages++;
  }
}

export async function auditStream(stream: TicketStream, o: EngineOptions): Promise<AuditResult> {
  const { config } = o;
  const objectives = [...config.objectives, ...(o.extraObjectives ?? [])];
  const settings: EvaluationSettings = { config, asOf: o.asOf, since: o.since, until: o.until, groupBy: o.groupBy ?? DEFAULT_GROUP_BY, objectives, messages: !!o.messages };
  const contexts = new FileContexts(settings);
  const agg = new Aggregator({
    metrics: config.metrics, groupBy: settings.groupBy, objectives, scorecards: config.scorecards, period: o.period, split: o.split,
    maxBreaches: o.maxBreaches, sortedKeys: o.sortedKeys, goodRating: config.satisfaction.good, levels: config.levels.length, credits: config.credits,
  });
  const observers = o.observers ?? [];
  const problems = new ProblemLog();
  let tickets = 0;
  let end: Extract<InputItem, { kind: 'end' }> | undefined;
  try {
    for await (const batch of stream) {
      for (const item of batch) {
        switch (item.kind) {
          case 'source':
            contexts.of(item.columns); // a policy or --group-by naming a missing column fails here, before any row
            break;
          case 'ticket': {
            tickets++;
            const ev = evaluateTicket(item.ticket, contexts.of(item.ticket.columns), settings);
            agg.add(ev);
            if (ev.counted) for (const ob of observers) ob.ticket?.(ev);
            break;
          }
          case 'problem':
            problems.add(item.problem, item.rows, item.event, item.message);
            break;
          case 'replaced': {
            tickets--;
            const ev = evaluateTicket(item.ticket, contexts.of(item.ticket.columns), settings);
            agg.retract(ev);
            problems.add(item.problem, 1);
            if (ev.counted) for (const ob of observers) ob.replaced?.(ev);
            break;
          }
          case 'end':
            end = item;
            break;
        }
      }
    }
    if (!end) throw new Error('the ticket stream ended without its end item');
    return summarise(agg, end, problems, tickets, objectives, o);
  } finally {
    agg.dispose();
  }
}

function summarise(agg: Aggregator, end: Extract<InputItem, { kind: 'end' }>, problems: ProblemLog, tickets: number, objectives: Objective[], o: EngineOptions): AuditResult {
  const { config } = o;
  problems.kept.sort((a, b) => (a.file === b.file ? a.row - b.row : 0));
  const warnings = [...end.warnings];
  // repeat complaints are counted first: every KPI accumulator learns its repeats here
  const categories = categoryRows(agg, config, warnings);
  const scorecards = scorecardResults(agg, config.scorecards);
  const objectiveList = objectiveResults(agg, objectives, scorecards);
  const groups = groupRows(agg);
  const periods = periodRows(agg, o.period);
  const split = o.split === undefined ? undefined : splitResult(agg, config.scorecards, config.zone.format(o.split));
  return {
    asOf: o.asOf,
    configFile: config.file,
    inputs: end.inputs,
    zone: config.zone.name,
    totals: {
      rows: end.rows, tickets, evaluated: agg.evaluated, problems: problems.rows, outside_range: tickets - agg.evaluated,
      ...(end.eventRows !== undefined ? { event_rows: end.eventRows, event_problems: problems.events } : {}),
      ...(end.messageRows !== undefined ? { message_rows: end.messageRows, message_problems: problems.messages } : {}),
    },
    overall: overallCounts(agg.overall),
    metrics: metricsOf(agg.overall),
    kpis: agg.overall.values(),
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
    passed: objectiveList.every((x) => x.passed),
  };
}
