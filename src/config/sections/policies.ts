/** policies: in order, each with its `when`, `effective` range, calendar, targets, warn_at and pauses. */
import type { BusinessCalendar } from '../../calendar/calendar.js';
import { MS_PER_DAY } from '../../time/civil.js';
import { makeParser } from '../../time/timestamp.js';
import type { Zone } from '../../time/zone.js';
import { closest } from '../messages.js';
import type { Path, Problems } from '../positions.js';
import type { Preset } from '../presets.js';
import { METRICS, type RawConfig } from '../schema.js';
import type { Policy } from '../types.js';
import { parseDuration, parsePercent, type Target } from '../values.js';
import type { Priorities } from './priorities.js';

type RawPolicy = RawConfig['policies'][number];

export interface PolicyContext extends Priorities {
  zone: Zone;
  calendars: Map<string, BusinessCalendar>;
  preset: Preset | undefined;
}

export function resolvePolicies(raw: RawPolicy[], cx: PolicyContext, problems: Problems): Policy[] {
  const names = new Set<string>();
  return raw.map((rp, index) => {
    const p: Path = ['policies', index];
    if (names.has(rp.name)) problems.add([...p, 'name'], `policy name "${rp.name}" is used twice`);
    names.add(rp.name);
    const calName = rp.calendar ?? '24x7';
    const calendar = cx.calendars.get(calName);
    if (!calendar) {
      const known = [...cx.calendars.keys()];
      const near = closest(calName, known);
      problems.add([...p, 'calendar'], `unknown calendar "${calName}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${known.join(', ')})`);
    }
    const policy: Policy = {
      name: rp.name,
      index,
      when: whenOf(rp),
      calendar: calendar ?? cx.calendars.get('24x7')!,
      targets: targetsOf(rp, calName, calendar, cx, p, problems),
      warnAt: warnAtOf(rp, p, problems),
      pauseOn: new Set((rp.pause_on ?? cx.preset?.pauseOn ?? []).map((s) => s.trim().toLowerCase())),
    };
    effectiveRange(rp, policy, cx.zone, p, problems);
    return policy;
  });
}

function targetsOf(rp: RawPolicy, calName: string, calendar: BusinessCalendar | undefined, cx: PolicyContext, p: Path, problems: Problems): Policy['targets'] {
  const { priorities, priorityLookup } = cx;
  const targets = {} as Policy['targets'];
  for (const metric of METRICS) {
    targets[metric] = new Map<string, Target>();
    for (const [prio, value] of Object.entries(rp.targets[metric] ?? {})) {
      const tp: Path = [...p, 'targets', metric, prio];
      if (prio !== 'default' && priorities.length && !priorities.includes(prio)) {
        const canon = priorityLookup.get(prio.toLowerCase());
        problems.add(tp, `unknown priority "${prio}"${canon ? ` (it is an alias of ${canon}; use ${canon})` : ''} (known: ${priorities.join(', ')}, default)`, true);
        continue;
      }
      const target = parseDuration(value);
      if (typeof target === 'string') {
        problems.add(tp, target);
        continue;
      }
      if (target.kind === 'time' && target.days && calName !== '24x7') {
        const days = target.ms / MS_PER_DAY;
        const dayHours = calendar ? calendar.typicalDayHours() : 8;
        const hint = `${+(days * dayHours).toFixed(2)}h (${days} × ${dayHours}h working days)`;
        problems.add(tp, `"${value}" uses d (24-hour days) on business calendar "${calName}"; write ${Math.ceil(days)}bd for business days, or business hours such as ${hint}`);
        continue;
      }
      targets[metric].set(prio, target);
    }
  }
  return targets;
}

function warnAtOf(rp: RawPolicy, p: Path, problems: Problems): number {
  if (rp.warn_at === undefined) return 0.75;
  const w = parsePercent(rp.warn_at);
  if (typeof w === 'string') {
    problems.add([...p, 'warn_at'], w);
    return 0.75;
  }
  return w;
}

function whenOf(rp: RawPolicy): Policy['when'] {
  return Object.entries(rp.when ?? {}).map(([key, v]) => {
    const list = Array.isArray(v) ? v : [v];
    return { key: key.trim().toLowerCase(), label: key, values: new Set(list.map((x) => String(x).trim().toLowerCase())), shown: list.map(String) };
  });
}

function effectiveRange(rp: RawPolicy, policy: Policy, zone: Zone, p: Path, problems: Problems): void {
  for (const edge of ['from', 'to'] as const) {
    const v = rp.effective?.[edge];
    if (v === undefined) continue;
    const textV = v instanceof Date ? v.toISOString() : v;
    const parser = makeParser('auto', zone, 'dmy');
    const ms = typeof parser === 'string' ? NaN : parser(textV);
    if (Number.isNaN(ms)) problems.add([...p, 'effective', edge], `"${textV}" is not a date (write YYYY-MM-DD or YYYY-MM-DD HH:MM)`);
    else {
      policy[edge] = ms;
      policy[edge === 'from' ? 'fromText' : 'toText'] = textV;
    }
  }
  if (policy.from !== undefined && policy.to !== undefined && policy.to <= policy.from) {
    problems.add([...p, 'effective'], `"to" (${policy.toText}) is not after "from" (${policy.fromText})`);
  }
}
