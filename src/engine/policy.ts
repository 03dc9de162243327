/** Policy match: the first policy whose `when` and `effective` hold for a ticket, and why earlier ones did not. */
import { InputError } from '../errors.js';
import type { Config, Policy } from '../config/types.js';
import type { Columns, Ticket } from '../model/ticket.js';
import { ConditionSet } from './conditions.js';

export interface MatchStep {
  policy: string;
  matched: boolean;
  /** why it did not match, e.g. 'channel is another value, needs Email | Chat' */
  reason?: string;
}

/** Policies compiled against one file's columns: the first whose `when` and `effective` hold applies. */
export class PolicyMatcher {
  private readonly compiled: { policy: Policy; conds: ConditionSet }[];

  constructor(config: Config, map: Columns) {
    this.compiled = config.policies.map((policy) => ({
      policy,
      conds: new ConditionSet(policy.when, (w) => {
        const isPriority = w.key === 'priority';
        const col = map.resolve(w.key);
        if (col === undefined && !isPriority) {
          throw new InputError(
            `${map.file}: policy "${policy.name}" has when: ${w.label}, but there is no such column (headers: ${map.header.map((h) => `"${h.trim()}"`).join(', ')}); map it under tickets.columns or fix the name in ${config.file}`,
          );
        }
        return {
          raw: (t) => (col === undefined ? '' : t.cells[col] ?? ''),
          // a null value (tickets.null_values) is an empty cell here too
          clean: (t, cell) => (t.columns.isNull(cell) ? '' : cell.trim()),
          // the priority matches by its cell or by its canonical name
          ...(isPriority ? { canonical: (t: Ticket) => t.priority } : {}),
        };
      }),
    }));
  }

  private failing(t: Ticket, p: Policy, conds: ConditionSet, words: boolean): string | undefined {
    if (p.from !== undefined && t.created < p.from) return `created before its effective from ${p.fromText}`;
    if (p.to !== undefined && t.created >= p.to) return `created on or after its effective to ${p.toText}`;
    return words ? conds.reason(t) : conds.holds(t) ? undefined : '';
  }

  match(t: Ticket): Policy | undefined {
    for (const { policy, conds } of this.compiled) {
      if (this.failing(t, policy, conds, false) === undefined) return policy;
    }
    return undefined;
  }

  /** Each policy tried in order until one matches, with the reason the earlier ones did not. */
  explain(t: Ticket): MatchStep[] {
    const steps: MatchStep[] = [];
    for (const { policy, conds } of this.compiled) {
      const reason = this.failing(t, policy, conds, true);
      steps.push(reason === undefined ? { policy: policy.name, matched: true } : { policy: policy.name, matched: false, reason });
      if (reason === undefined) break;
    }
    return steps;
  }
}
