/** Policy match: the first policy whose `when` and `effective` hold for a ticket, and why earlier ones did not. */
import { InputError } from '../errors.js';
import type { Config, Policy } from '../config/types.js';
import type { Columns, Ticket } from '../model/ticket.js';

interface Condition {
  /** raw cell -> whether it is one of the values (bounded cache of the trim and lower-casing) */
  memo: Map<string, boolean>;
  label: string;
  shown: string[];
  /** column index, or -1 for the canonical priority */
  col: number;
  values: Set<string>;
  priority: boolean;
}

export interface MatchStep {
  policy: string;
  matched: boolean;
  /** why it did not match, e.g. 'channel is "Phone", not one of Email, Chat' */
  reason?: string;
}

/** Policies compiled against one file's columns: the first whose `when` and `effective` hold applies. */
export class PolicyMatcher {
  private readonly compiled: { policy: Policy; conds: Condition[] }[];

  constructor(config: Config, map: Columns) {
    this.compiled = config.policies.map((policy) => ({
      policy,
      conds: policy.when.map((w) => {
        const isPriority = w.key === 'priority';
        const col = map.resolve(w.key);
        if (col === undefined && !isPriority) {
          throw new InputError(
            `${map.file}: policy "${policy.name}" has when: ${w.label}, but there is no such column (headers: ${map.header.map((h) => `"${h.trim()}"`).join(', ')}); map it under tickets.columns or fix the name in ${config.file}`,
          );
        }
        return { memo: new Map(), label: w.label, shown: w.shown, col: col ?? -1, values: w.values, priority: isPriority };
      }),
    }));
  }

  private failing(t: Ticket, p: Policy, conds: Condition[]): string | undefined {
    if (p.from !== undefined && t.created < p.from) return `created before its effective from ${p.fromText}`;
    if (p.to !== undefined && t.created >= p.to) return `created on or after its effective to ${p.toText}`;
    for (const c of conds) {
      const cell = c.col >= 0 ? t.cells[c.col] ?? '' : '';
      let hit = c.memo.get(cell);
      if (hit === undefined) {
        // a null value (tickets.null_values) is an empty cell here too
        hit = c.values.has(t.columns.isNull(cell) ? '' : cell.trim().toLowerCase());
        if (c.memo.size < 10_000) c.memo.set(cell, hit);
      }
      if (hit) continue;
      const raw = t.columns.isNull(cell) ? '' : cell.trim();
      if (c.priority && c.values.has(t.priority.toLowerCase())) continue;
      // the ticket's own value is not echoed (it may be personal data), except its priority
      return `${c.label} is ${c.priority ? `"${t.priority || raw}"` : raw === '' ? 'empty' : 'another value'}, needs ${c.shown.join(' | ')}`;
    }
    return undefined;
  }

  match(t: Ticket): Policy | undefined {
    for (const { policy, conds } of this.compiled) {
      if (this.failing(t, policy, conds) === undefined) return policy;
    }
    return undefined;
  }

  /** Each policy tried in order until one matches, with the reason the earlier ones did not. */
  explain(t: Ticket): MatchStep[] {
    const steps: MatchStep[] = [];
    for (const { policy, conds } of this.compiled) {
      const reason = this.failing(t, policy, conds);
      steps.push(reason === undefined ? { policy: policy.name, matched: true } : { policy: policy.name, matched: false, reason });
      if (reason === undefined) break;
    }
    return steps;
  }
}
