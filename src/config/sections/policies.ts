/** policies: in order, each with its `when`, `effective` range, calendar, targets, warn_at and pauses. */
import type { BusinessCalendar } from '../../calendar/calendar.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../time/civil.js';
import type { Zone } from '../../time/zone.js';
import { closest } from '../messages.js';
import type { Path, Problems } from '../positions.js';
import type { Preset } from '../presets.js';
import { METRICS, type RawConfig } from '../schema.js';
import type { Policy } from '../types.js';
import { parseDuration, parsePercent, type Target } from '../values.js';
import type { Priorities } from './priorities.js';
import { conditionsOf, rangeOf } from './common.js';
import type { Broken } from '../salvage.js';

type RawPolicy = RawConfig['policies'][number];

export interface PolicyContext extends Priorities {
  zone: Zone;
  calendars: Map<string, BusinessCalendar>;
  preset: Preset | undefined;
  /** the original index of each policy (some may have been cut out as broken) */
  index: number[];
  broken: Broken;
}

/** Targets are limited to what a calendar holds in ten years (and so is every due time). */
const TEN_YEARS_IN_WEEKS = 521;

export function resolvePolicies(raw: RawPolicy[], cx: PolicyContext, problems: Problems): Policy[] {
  const names = new Set<string>();
  return raw.map((rp, i) => {
    const index = cx.index[i];
    const p: Path = ['policies', index];
    if (names.has(rp.name)) problems.add([...p, 'name'], `policy name "${rp.name}" is used twice`);
    names.add(rp.name);
    const calName = rp.calendar ?? '24x7';
    const calendar = cx.calendars.get(calName);
    if (!calendar && !cx.broken.calendars.has(calName)) {
      const known = [...cx.calendars.keys()];
      const near = closest(calName, known);
      problems.add([...p, 'calendar'], `unknown calendar "${calName}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${known.join(', ')})`);
    }
    const policy: Policy = {
      name: rp.name,
      index,
      when: conditionsOf(rp.when),
      calendar: calendar ?? cx.calendars.get('24x7')!,
      targets: targetsOf(rp, calName, calendar, cx, p, problems),
      warnAt: warnAtOf(rp, p, problems),
      pauseOn: new Set((rp.pause_on ?? cx.preset?.pauseOn ?? []).map((s) => s.trim().toLowerCase())),
    };
    Object.assign(policy, rangeOf(rp.effective, cx.zone, [...p, 'effective'], problems));
    return policy;
  });
}

function targetsOf(rp: RawPolicy, calName: string, calendar: BusinessCalendar | undefined, cx: PolicyContext, p: Path, problems: Problems): Policy['targets'] {
  const { priorities, priorityLookup } = cx;
  const targets = {} as Policy['targets'];
  for (const metric of METRICS) {
    targets[metric] = new Map<string, Target>();
    const given = rp.targets[metric];
    // one duration means every priority
    const entries = given === undefined ? [] : typeof given === 'object' ? Object.entries(given) : [['default', given] as const];
    for (const [prio, value] of entries) {
      const tp: Path = typeof given === 'object' ? [...p, 'targets', metric, prio] : [...p, 'targets', metric];
      if (prio !== 'default' && priorities.length && !priorities.includes(prio)) {
        if (cx.broken.priorities.has(prio)) continue;
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
      const tooLong = calendar && beyondTenYears(target, calendar);
      if (tooLong) {
        problems.add(tp, `"${value}" ${tooLong}; targets are limited to ten years of the calendar`);
        continue;
      }
      targets[metric].set(prio, target);
    }
  }
  return targets;
}

/** Why a target is beyond ten years of its calendar, or undefined. */
function beyondTenYears(target: Target, calendar: BusinessCalendar): string | undefined {
  const name = calendar.name === '24x7' ? 'ten years' : `ten years of calendar "${calendar.name}"`;
  if (target.kind === 'bd') {
    const max = calendar.typicalWorkdays() * TEN_YEARS_IN_WEEKS;
    return target.days > max ? `is more business days than ${name} hold (at most ${max.toLocaleString('en-US')}bd)` : undefined;
  }
  const maxHours = Math.floor((calendar.typicalWeekMs() * TEN_YEARS_IN_WEEKS) / MS_PER_HOUR);
  return !(target.ms <= maxHours * MS_PER_HOUR) ? `is more business time than ${name} hold (at most ${maxHours.toLocaleString('en-US')}h)` : undefined;
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

