/** objectives: what "compliance dropped" means; any that fails makes the run exit 1. */
import type { Path, Problems } from '../positions.js';
import type { RawConfig } from '../schema.js';
import type { Objective } from '../types.js';
import type { Metric } from '../schema.js';
import { parsePercent } from '../values.js';
import type { Priorities } from './priorities.js';
import type { Broken } from '../salvage.js';
import type { TicketsConfig } from '../types.js';

export interface ObjectiveContext extends Priorities {
  tickets: TicketsConfig;
  policies: RawConfig['policies'];
  /** the original index of each objective (some may have been cut out as broken) */
  index: number[];
  broken: Broken;
}

export function resolveObjectives(raw: RawConfig['objectives'], cx: ObjectiveContext, problems: Problems): Objective[] {
  const { policies, broken } = cx;
  const pr = cx;
  const objectives: Objective[] = [];
  (raw ?? []).forEach((o, i) => {
    const p: Path = ['objectives', cx.index[i]];
    const min = parsePercent(o.min);
    if (typeof min === 'string') return problems.add([...p, 'min'], min);
    let priority = o.priority;
    if (priority !== undefined && pr.priorities.length) {
      const canon = pr.priorityLookup.get(priority.toLowerCase());
      if (!canon) return problems.add([...p, 'priority'], `unknown priority "${priority}" (known: ${pr.priorities.join(', ')})`);
      priority = canon;
    }
    const unmapped = o.metric !== 'overall' && notMeasured(o.metric, cx.tickets);
    if (unmapped) return problems.add([...p, 'metric'], unmapped);
    if (o.policy !== undefined && !policies.some((rp) => rp.name === o.policy) && !broken.policies.has(o.policy)) {
      return problems.add([...p, 'policy'], `unknown policy "${o.policy}" (known: ${policies.map((x) => x.name).join(', ')})`);
    }
    objectives.push({ metric: o.metric, priority, policy: o.policy, min, minTickets: o.min_tickets ?? 0 });
  });
  return objectives;
}

/** Why a metric cannot be measured with this config (its column is not mapped), or undefined. */
function notMeasured(metric: Metric, t: TicketsConfig): string | undefined {
  if (metric !== 'first_response') return undefined;
  if (t.columns.first_response_at || t.columns.first_response_minutes || t.firstResponseStatuses.size) return undefined;
  return 'first_response is not measured: neither tickets.columns.first_response_at nor first_response_minutes is mapped (nor first_response_statuses); map one, or remove this objective';
}
