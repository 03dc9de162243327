/** One ticket evaluated: its policy, its times, a result per metric, its group values and facts. */
import { InputError } from '../errors.js';
import { METRICS, type Metric } from '../config/schema.js';
import type { Config } from '../config/types.js';
import type { Columns, Ticket } from '../model/ticket.js';
import { MS_PER_DAY, MS_PER_HOUR, weekdayOfDay } from '../time/civil.js';
import { CategoryResolver } from './categories.js';
import { evaluateMetric } from './evaluate.js';
import { timesOf } from './history.js';
import { PolicyMatcher } from './policy.js';
import type { EvaluatedTicket } from './result.js';

export const NONE_KEY = '(none)';
export const NO_POLICY = '(no policy)';
export const DEFAULT_GROUP_BY = ['priority', 'policy'];

export interface EvaluationSettings {
  config: Config;
  asOf: number;
  since?: number;
  until?: number;
  groupBy: string[];
}

/** Per input file: the policies, --group-by columns and category rules compiled against its columns. */
export class FileContext {
  readonly matcher: PolicyMatcher;
  readonly categories: CategoryResolver;
  /** column of each --group-by field (-1 for priority and policy) */
  readonly groupCols: number[];
  /** per metric: whether the file has anything to measure it from (else its status is not_measured) */
  readonly measured: boolean[];

  constructor(config: Config, columns: Columns, groupBy: string[]) {
    this.matcher = new PolicyMatcher(config, columns);
    this.measured = METRICS.map((m) => isMeasured(m, columns, config));
    this.groupCols = groupBy.map((g) => {
      if (g === 'priority' || g === 'policy') return -1;
      const col = columns.resolve(g);
      if (col === undefined) throw new InputError(`--group-by ${g}: ${columns.file} has no such column (headers: ${columns.header.map((h) => `"${h.trim()}"`).join(', ')})`);
      return col;
    });
    this.categories = new CategoryResolver(config.categories, columns);
  }
}

/**
 * A metric can be measured from a file when it has the metric's column, or (for first response by
 * status, and resolution) a status history; otherwise nothing would be measured but invented.
 */
function isMeasured(metric: Metric, columns: Columns, config: Config): boolean {
  if (metric === 'resolution') return columns.at.resolved_at !== undefined || columns.history;
  return columns.at.first_response_at !== undefined || columns.at.first_response_minutes !== undefined || (columns.history && config.tickets.firstResponseStatuses.size > 0);
}

/** File contexts by the columns object the input stage hands over (one per file and pass). */
export class FileContexts {
  private readonly byColumns = new Map<Columns, FileContext>();
  constructor(private readonly s: EvaluationSettings) {}

  of(columns: Columns): FileContext {
    let fc = this.byColumns.get(columns);
    if (!fc) this.byColumns.set(columns, (fc = new FileContext(this.s.config, columns, this.s.groupBy)));
    return fc;
  }
}

export function evaluateTicket(t: Ticket, fc: FileContext, s: EvaluationSettings): EvaluatedTicket {
  const { config, asOf } = s;
  const policy = fc.matcher.match(t);
  const times = timesOf(t, config, asOf);
  const results = METRICS.map((m, i) => evaluateMetric(times, t.priority, policy, m, asOf, config.tickets.resolvedStatuses, fc.measured[i]));
  // created after --as-of: outside the audit, like outside --since/--until
  const counted = t.created <= asOf && (s.since === undefined || t.created >= s.since) && (s.until === undefined || t.created < s.until);
  const groupValues = s.groupBy.map((g, i) =>
    g === 'priority' ? t.priority || NONE_KEY : g === 'policy' ? policy?.name ?? NO_POLICY : t.columns.text(t.cells, fc.groupCols[i]) || NONE_KEY,
  );
  const wall = config.zone.instantToWall(t.created);
  const day = Math.floor(wall / MS_PER_DAY);
  return {
    ticket: t, times, policy, results, counted, groupValues,
    facts: {
      category: fc.categories.of(t),
      channel: t.channel,
      customer: t.customer,
      day,
      hour: Math.floor((wall - day * MS_PER_DAY) / MS_PER_HOUR),
      weekday: weekdayOfDay(day),
      satisfaction: parseFloat(t.satisfaction),
    },
  };
}
