/** credits: service credits per contract period — a tier of the fee by compliance, amounts per breach and per hour over, a cap. */
import type { Path, Problems } from '../positions.js';
import type { Metric } from '../schema.js';
import type { RawConfig } from '../zod-schema.js';
import type { CreditsConfig } from '../types.js';
import { parsePercent } from '../values.js';
import type { Priorities } from './priorities.js';

export interface CreditsContext extends Priorities {
  policies: string[];
  metrics: Metric[];
}

/** The largest amount taken: past it sums lose their cents (and 1.7e308 became "CNY ∞"). */
const MAX_AMOUNT = 1e12;

function tooLarge(amount: number, at: Path, problems: Problems): boolean {
  if (amount <= MAX_AMOUNT) return false;
  problems.add(at, `${amount} is over 1,000,000,000,000, the largest amount taken (sums past it lose their cents); is it in the right unit?`);
  return true;
}

export function resolveCredits(raw: RawConfig['credits'], cx: CreditsContext, problems: Problems): CreditsConfig | undefined {
  if (!raw) return undefined;
  const p: Path = ['credits'];
  tooLarge(raw.fee, [...p, 'fee'], problems);
  const metric = raw.metric ?? 'overall';
  if (metric !== 'overall' && !cx.metrics.includes(metric)) {
    problems.add([...p, 'metric'], `${metric} has no target in any policy, so it has no compliance (measured: ${cx.metrics.join(', ')}, overall)`);
  }
  const tiers: CreditsConfig['tiers'] = [];
  (raw.tiers ?? []).forEach((t, i) => {
    const below = parsePercent(t.below);
    const credit = parsePercent(t.credit);
    if (typeof below === 'string') problems.add([...p, 'tiers', i, 'below'], below);
    if (typeof credit === 'string') problems.add([...p, 'tiers', i, 'credit'], credit);
    if (typeof below === 'number' && typeof credit === 'number') tiers.push({ below, credit });
  });
  tiers.sort((a, b) => b.credit - a.credit || a.below - b.below);
  let cap = Infinity;
  if (raw.cap !== undefined) {
    const c = parsePercent(raw.cap);
    if (typeof c === 'string') problems.add([...p, 'cap'], c);
    else if (c === 0) problems.add([...p, 'cap'], `0% would make every period's credit 0; leave cap out for no cap, or give the most a period can owe (e.g. 25%)`);
    else if (raw.fee === 0) problems.add([...p, 'cap'], `is a share of the fee, and the fee is 0: every period's credit would be capped at 0; leave cap out, or give the fee`);
    else cap = c;
  }
  let policies: Set<string> | undefined;
  if (raw.policies?.length === 0) problems.add([...p, 'policies'], 'is empty: no policy would be covered and no period priced; leave policies out to cover every policy, or name them');
  if (raw.policies) {
    policies = new Set();
    raw.policies.forEach((name, i) => {
      if (!cx.policies.includes(name)) problems.add([...p, 'policies', i], `unknown policy "${name}" (known: ${cx.policies.join(', ')})`);
      policies!.add(name);
    });
  }
  return {
    currency: raw.currency ?? '',
    period: raw.period ?? 'month',
    fee: raw.fee,
    metric,
    tiers,
    perBreach: amounts(raw.per_breach, [...p, 'per_breach'], cx, problems),
    perHourOver: amounts(raw.per_hour_over, [...p, 'per_hour_over'], cx, problems),
    cap,
    ...(policies ? { policies } : {}),
  };
}

/** One amount for every priority, or priority (or default) -> amount; priorities by their canonical names. */
function amounts(raw: number | Record<string, number> | undefined, p: Path, cx: Priorities, problems: Problems): Map<string, number> {
  const out = new Map<string, number>();
  if (raw === undefined) return out;
  if (typeof raw === 'number') return tooLarge(raw, p, problems) ? out : out.set('default', raw);
  for (const [prio, amount] of Object.entries(raw)) {
    if (tooLarge(amount, [...p, prio], problems)) continue;
    if (prio !== 'default' && cx.priorities.length && !cx.priorities.includes(prio)) {
      const canon = cx.priorityLookup.get(prio.toLowerCase());
      problems.add([...p, prio], `unknown priority "${prio}"${canon ? ` (it is an alias of ${canon}; use ${canon})` : ''} (known: ${cx.priorities.join(', ')}, default)`);
      continue;
    }
    out.set(prio, amount);
  }
  return out;
}
