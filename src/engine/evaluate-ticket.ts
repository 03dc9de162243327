/** One ticket evaluated: its policy, its times, a result per metric, its group values and facts. */
import { InputError } from '../errors.js';
import { METRICS } from '../config/schema.js';
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

  constructor(config: Config, columns: Columns, groupBy: string[]) {
    this.matcher = new PolicyMatcher(config, columns);
    this.groupCols = groupBy.map((g) => {
      if (g === 'priority' || g === 'policy') return -1;
      const col = columns.resolve(g);
      if (col === undefined) throw new InputError(`--group-by ${g}: ${columns.file} has no such column (headers: ${columns.header.map((h) => `"${h.trim()}"`).join(', ')})`);
      return col;
    });
    this.categories = new CategoryResolver(config.categories, columns);
  }
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
  const times = timesOf(t, config);
  const results = METRICS.map((m) => evaluateMetric(times, t.priority, policy, m, asOf, config.tickets.resolvedStatuses));
  const counted = (s.since === undefined || t.created >= s.since) && (s.until === undefined || t.created < s.until);
  const groupValues = s.groupBy.map((g, i) =>
    g === 'priority' ? t.priority || NONE_KEY : g === 'policy' ? policy?.name ?? NO_POLICY : (t.cells[fc.groupCols[i]] ?? '').trim() || NONE_KEY,
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
