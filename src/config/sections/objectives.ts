/** objectives: what "compliance dropped" means; any that fails makes the run exit 1. */
import type { Path, Problems } from '../positions.js';
import type { RawConfig } from '../schema.js';
import type { Objective } from '../types.js';
import { parsePercent } from '../values.js';
import type { Priorities } from './priorities.js';

export function resolveObjectives(raw: RawConfig['objectives'], policies: RawConfig['policies'], pr: Priorities, problems: Problems): Objective[] {
  const objectives: Objective[] = [];
  (raw ?? []).forEach((o, i) => {
    const p: Path = ['objectives', i];
    const min = parsePercent(o.min);
    if (typeof min === 'string') return problems.add([...p, 'min'], min);
    let priority = o.priority;
    if (priority !== undefined && pr.priorities.length) {
      const canon = pr.priorityLookup.get(priority.toLowerCase());
      if (!canon) return problems.add([...p, 'priority'], `unknown priority "${priority}" (known: ${pr.priorities.join(', ')})`);
      priority = canon;
    }
    if (o.policy !== undefined && !policies.some((rp) => rp.name === o.policy)) {
      return problems.add([...p, 'policy'], `unknown policy "${o.policy}" (known: ${policies.map((x) => x.name).join(', ')})`);
    }
    objectives.push({ metric: o.metric, priority, policy: o.policy, min, minTickets: o.min_tickets ?? 0 });
  });
  return objectives;
}
