/**
 * The early-warning queue: every clock still running at --as-of — an open ticket's first response or
 * resolution, a next reply owed, an update due — with the share of its target used, the business
 * time left, its due time and its escalation level. Kept only for open clocks, so memory follows
 * the backlog, not the file.
 */
import type { Config } from '../config/types.js';
import type { TicketObserver } from './audit.js';
import { levelAt } from './evaluate-ticket.js';
import { NO_POLICY } from './filters.js';
import type { EvaluatedTicket, MetricResult, QueueRow } from './result.js';
import { shareOf } from './share.js';

const OPEN = new Set(['running', 'at_risk', 'overdue']);

/** The clock of a metric still running at --as-of: the metric itself, or (message metrics) its open interval. */
function openClock(r: MetricResult): MetricResult | undefined {
  if (OPEN.has(r.status)) return r;
  return r.open && OPEN.has(r.open.status) ? r.open : undefined;
}

/** Overdue first, the longest overdue first; then by due time (paused clocks, due when they resume, last); then id. */
function queueOrder(a: QueueRow, b: QueueRow): number {
  const ao = a.status === 'overdue' ? 0 : 1, bo = b.status === 'overdue' ? 0 : 1;
  if (ao !== bo) return ao - bo;
  if (a.due !== b.due) return a.due === Infinity ? 1 : b.due === Infinity ? -1 : a.due - b.due;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0;
}

export class QueueCollector implements TicketObserver {
  private readonly rows: QueueRow[] = [];
  /** "file\0row" of tickets a later row with the same id replaced */
  private readonly replacedAt = new Set<string>();

  constructor(private readonly config: Config) {}

  ticket(ev: EvaluatedTicket): void {
    const policy = ev.policy;
    if (!policy) return;
    const t = ev.ticket;
    for (const r of ev.results) {
      const c = openClock(r);
      if (!c) continue;
      const share = shareOf(c.elapsedMs, c.targetMs);
      const rank = levelAt(policy, share);
      this.rows.push({
        id: t.id, metric: c.metric, priority: t.priority, policy: policy?.name ?? NO_POLICY, team: t.team, agent: t.agent,
        status: c.status as QueueRow['status'], elapsedMs: c.elapsedMs, targetMs: c.targetMs, share, leftMs: c.targetMs - c.elapsedMs, due: c.due,
        level: rank < 0 ? '' : this.config.levels[rank], rank, file: t.file, row: t.row,
      });
    }
  }

  replaced(ev: EvaluatedTicket): void {
    this.replacedAt.add(`${ev.ticket.file}\0${ev.ticket.row}`);
  }

  /** Every open clock, in queue order. */
  result(): QueueRow[] {
    const rows = this.replacedAt.size ? this.rows.filter((r) => !this.replacedAt.has(`${r.file}\0${r.row}`)) : this.rows;
    return rows.sort(queueOrder);
  }
}
