/** policies: in order, each with its `when`, `effective` range, calendar, targets, warn_at and pauses. */
import type { BusinessCalendar } from '../../calendar/calendar.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../time/civil.js';
import type { Zone } from '../../time/zone.js';
import { closest } from '../messages.js';
import type { Path, Problems } from '../positions.js';
import type { Preset } from '../presets.js';
import { METRICS, type Metric } from '../schema.js';
import type { RawConfig } from '../zod-schema.js';
import type { Policy, ReplyFrom, Rung } from '../types.js';
import { parseDuration, parsePercent, type Target } from '../values.js';
import type { Priorities } from './priorities.js';
import { rangeOf } from './common.js';
import { conditionsOf } from './conditions.js';
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
    const calendar = calendarNamed(calName, [...p, 'calendar'], cx, problems);
    const fallback = cx.calendars.get('24x7')!;
    const cals = metricCalendars(rp, calName, calendar, cx, p, problems);
    const pauses = metricPauses(rp, cx);
    const clocks = Object.fromEntries(METRICS.map((m) => [m, { calendar: cals[m].calendar ?? fallback, pauseOn: new Set(pauses[m].map((s) => s.toLowerCase())), pauseText: pauses[m] }])) as Policy['clocks'];
    const policy: Policy = {
      name: rp.name,
      index,
      when: conditionsOf(rp.when, [...p, 'when'], problems),
      calendar: calendar ?? fallback,
      targets: targetsOf(rp, cals, cx, p, problems),
      warnAt: 0,
      pauseOn: Array.isArray(rp.pause_on) || rp.pause_on === undefined ? clocks.first_response.pauseOn : new Set(),
      clocks,
      replyFrom: replyFromOf(rp, p, problems),
      escalation: [],
    };
    policy.warnAt = warnAtOf(rp, p, problems);
    policy.escalation = ladderOf(rp, policy.warnAt, p, problems);
    Object.assign(policy, rangeOf(rp.effective, cx.zone, [...p, 'effective'], problems));
    return policy;
  });
}

/** The calendar of a name, or undefined with a problem at `path` (none when the calendar was cut out as broken: said there). */
function calendarNamed(name: string, path: Path, cx: PolicyContext, problems: Problems): BusinessCalendar | undefined {
  const calendar = cx.calendars.get(name);
  if (!calendar && !cx.broken.calendars.has(name)) {
    const known = [...cx.calendars.keys()];
    const near = closest(name, known);
    problems.add(path, `unknown calendar "${name}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${known.join(', ')})`);
  }
  return calendar;
}

type MetricCalendars = Record<Metric, { name: string; calendar: BusinessCalendar | undefined }>;

/** Each metric's calendar: the one `calendars:` names for it, else the policy's `calendar:`. */
function metricCalendars(rp: RawPolicy, calName: string, calendar: BusinessCalendar | undefined, cx: PolicyContext, p: Path, problems: Problems): MetricCalendars {
  const out = {} as MetricCalendars;
  for (const m of METRICS) {
    const own = rp.calendars?.[m];
    out[m] = own === undefined ? { name: calName, calendar } : { name: own, calendar: calendarNamed(own, [...p, 'calendars', m], cx, problems) };
  }
  return out;
}

/** Each metric's pause statuses, trimmed: `pause_on` as a list (or the preset's) for all; as a map, each metric's own (none when not named). */
function metricPauses(rp: RawPolicy, cx: PolicyContext): Record<Metric, string[]> {
  const given = rp.pause_on ?? cx.preset?.pauseOn ?? [];
  const trimmed = (xs: string[] | undefined) => [...new Set((xs ?? []).map((s) => s.trim()))];
  return Object.fromEntries(METRICS.map((m) => [m, trimmed(Array.isArray(given) ? given : given[m])])) as Record<Metric, string[]>;
}

/** next_reply's `from:` (first_agent_reply when not given); a `from:` without any target is a problem. */
function replyFromOf(rp: RawPolicy, p: Path, problems: Problems): ReplyFrom {
  const given = rp.targets.next_reply;
  if (typeof given !== 'object' || given.from === undefined) return 'first_agent_reply';
  if (Object.keys(given).length === 1) problems.add([...p, 'targets', 'next_reply'], `has from: ${given.from} but no target; add one, e.g. { from: ${given.from}, default: 4h }`);
  return given.from;
}

function targetsOf(rp: RawPolicy, cals: MetricCalendars, cx: PolicyContext, p: Path, problems: Problems): Policy['targets'] {
  const { priorities, priorityLookup } = cx;
  const targets = {} as Policy['targets'];
  for (const metric of METRICS) {
    targets[metric] = new Map<string, Target>();
    const { name: calName, calendar } = cals[metric];
    const given = rp.targets[metric];
    // one duration means every priority
    const entries = given === undefined ? [] : typeof given === 'object' ? Object.entries(given) : [['default', given] as const];
    for (const [prio, value] of entries) {
      const tp: Path = typeof given === 'object' ? [...p, 'targets', metric, prio] : [...p, 'targets', metric];
      if (prio === 'from' && typeof given === 'object') {
        // next_reply's clock start (checked by the schema); no other metric has a choice of start
        if (metric !== 'next_reply') problems.add(tp, `"from" chooses where next_reply's waits start; ${metric} has no such choice (remove it, or move it under next_reply)`, true);
        continue;
      }
      if (value === undefined) continue;
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
      const wrong = targetProblem(target, value, calName, calendar, rp.calendars?.[metric] !== undefined ? `calendars.${metric}` : undefined);
      if (wrong) {
        problems.add(tp, wrong);
        continue;
      }
      targets[metric].set(prio, target);
    }
  }
  return targets;
}

/**
 * What is wrong with a target on the calendar it is measured on (`calName`, from `from` when that is
 * not the policy's calendar; `calendar` undefined when that name is unknown), or undefined: 24-hour days and calendar months only on 24x7, ten years at most.
 */
export function targetProblem(target: Target, value: unknown, calName: string, calendar: BusinessCalendar | undefined, from?: string): string | undefined {
  // where the metric's calendar comes from when it is not the policy's `calendar:`
  const cal = `business calendar "${calName}"${from ? ` (${from})` : ''}`;
  if (target.kind === 'time' && target.days && calName !== '24x7') {
    const days = target.ms / MS_PER_DAY;
    const dayHours = calendar ? calendar.typicalDayHours() : 8;
    const hint = `${+(days * dayHours).toFixed(2)}h (${days} × ${dayHours}h working days)`;
    return `"${String(value)}" uses d (24-hour days) on ${cal}; write ${Math.ceil(days)}bd for business days, or business hours such as ${hint}`;
  }
  if (target.kind === 'mo' && calName !== '24x7') {
    const bd = target.months * (calendar ? Math.round((calendar.typicalWorkdays() * 52) / 12) : 21);
    return `"${String(value)}" counts calendar months, which need calendar 24x7, not ${cal}; write business days (about ${bd}bd, or ${bd}bd@end for the close of that day), or put this metric on calendar 24x7`;
  }
  if (target.kind === 'mo') {
    return target.months > MAX_MONTHS ? `"${String(value)}" is more than ten years (at most ${MAX_MONTHS}mo); targets are limited to ten years of the calendar` : undefined;
  }
  const tooLong = calendar && beyondTenYears(target, calendar);
  return tooLong ? `"${String(value)}" ${tooLong}; targets are limited to ten years of the calendar` : undefined;
}

const MAX_MONTHS = 120;

/** Why a target is beyond ten years of its calendar, or undefined. */
function beyondTenYears(target: Exclude<Target, { kind: 'mo' }>, calendar: BusinessCalendar): string | undefined {
  const name = calendar.name === '24x7' ? 'ten years' : `ten years of calendar "${calendar.name}"`;
  if (target.kind === 'bd' || target.kind === 'bd-end') {
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


/** The default ladder: at risk from warn_at, overdue from 100%. */
const DEFAULT_LEVELS = { atRisk: 'at risk', overdue: 'overdue' };

/** A policy's escalation rungs, lowest first: as written, or warn_at "at risk" and 100% "overdue". */
function ladderOf(rp: RawPolicy, warnAt: number, p: Path, problems: Problems): Rung[] {
  if (!rp.escalation) return [{ at: warnAt, level: DEFAULT_LEVELS.atRisk, rank: -1 }, { at: 1, level: DEFAULT_LEVELS.overdue, rank: -1 }];
  const rungs: Rung[] = [];
  const levels = new Map<string, number>();
  rp.escalation.forEach((r, i) => {
    const rp2: Path = [...p, 'escalation', i];
    // a rung may sit past the target (150%: a director after half as long again); up to ten times it
    const at = parsePercent(r.at, 1000);
    if (typeof at === 'string') return void problems.add([...rp2, 'at'], at);
    const level = r.level.trim();
    if (!level) return void problems.add([...rp2, 'level'], 'is empty; name the level (组长, team lead, ...)');
    if (levels.has(level)) return void problems.add([...rp2, 'level'], `level "${level}" is used twice in this ladder (also rung ${levels.get(level)})`);
    const same = rungs.find((x) => x.at === at);
    if (same) return void problems.add([...rp2, 'at'], `${+(at * 100).toFixed(4)}% is also where "${same.level}" starts; each rung needs its own share`);
    levels.set(level, i);
    rungs.push({ at, level, rank: -1 });
  });
  return rungs.sort((a, b) => a.at - b.at);
}

/**
 * Every level of every ladder in one order, lowest first, that keeps each ladder's own order (so
 * "this level and above" means the same in every policy); levels that no ladder orders between them
 * go by the share they start at, then by where the config first names them (never by their names:
 * "overdue" and 经理 both at 100% would sort one way in English and the other in Chinese). Two
 * ladders that order two levels differently are a problem.
 */
export function levelOrder(policies: Policy[], problems: Problems): string[] {
  const after = new Map<string, Set<string>>();
  const firstAt = new Map<string, number>();
  const named = new Map<string, number>();
  const seenIn = new Map<string, string>(); // "a>b" -> policy that says a is below b
  for (const pol of policies) {
    pol.escalation.forEach((r, i) => {
      if (!after.has(r.level)) after.set(r.level, new Set());
      if (!named.has(r.level)) named.set(r.level, named.size);
      firstAt.set(r.level, Math.min(firstAt.get(r.level) ?? Infinity, r.at));
      for (const lower of pol.escalation.slice(0, i)) {
        const clash = seenIn.get(`${r.level}>${lower.level}`);
        if (clash !== undefined) {
          problems.add(['policies', pol.index, 'escalation'], `puts "${lower.level}" below "${r.level}", but policy "${clash}" puts it above; a level must rank the same in every ladder`);
          continue;
        }
        seenIn.set(`${lower.level}>${r.level}`, pol.name);
        after.get(lower.level)!.add(r.level);
      }
    });
  }
  // Kahn's algorithm; among levels that are free to go next, the lowest start share first
  const indeg = new Map([...after.keys()].map((k) => [k, 0]));
  for (const next of after.values()) for (const n of next) indeg.set(n, indeg.get(n)! + 1);
  const out: string[] = [];
  const ready = [...indeg].filter(([, d]) => d === 0).map(([k]) => k);
  while (ready.length) {
    ready.sort((a, b) => firstAt.get(a)! - firstAt.get(b)! || named.get(a)! - named.get(b)!);
    const k = ready.shift()!;
    out.push(k);
    for (const n of after.get(k)!) {
      indeg.set(n, indeg.get(n)! - 1);
      if (indeg.get(n) === 0) ready.push(n);
    }
  }
  if (out.length < after.size) {
    const circle = [...after.keys()].filter((k) => !out.includes(k));
    problems.add(['policies'], `the escalation ladders order the levels ${circle.map((c) => `"${c}"`).join(', ')} in a circle; a level must rank the same in every ladder`);
    out.push(...circle);
  }
  for (const pol of policies) for (const r of pol.escalation) r.rank = out.indexOf(r.level);
  return out;
}

/**
 * The ranks at or above a level, for "this level and above" (queue --level, --fail-on-level): every
 * level ranked above it, and every level that starts at the same share and that no ladder puts below
 * it (the default "overdue" and another ladder's 100% rung are the same step, whichever ranks first).
 */
export function ranksAtOrAbove(policies: readonly Policy[], levels: readonly string[], rank: number): Set<number> {
  const below = new Map<string, Set<string>>(); // level -> the levels some ladder puts directly below it
  const firstAt = new Map<string, number>();
  for (const pol of policies) {
    pol.escalation.forEach((r, i) => {
      firstAt.set(r.level, Math.min(firstAt.get(r.level) ?? Infinity, r.at));
      if (!below.has(r.level)) below.set(r.level, new Set());
      if (i > 0) below.get(r.level)!.add(pol.escalation[i - 1].level);
    });
  }
  const target = levels[rank];
  // whether a ladder (or a chain of them) puts `level` below the target
  const under = (level: string): boolean => {
    const seen = new Set<string>();
    const todo = [...(below.get(target) ?? [])];
    while (todo.length) {
      const l = todo.pop()!;
      if (l === level) return true;
      if (seen.has(l)) continue;
      seen.add(l);
      todo.push(...(below.get(l) ?? []));
    }
    return false;
  };
  const out = new Set<number>();
  levels.forEach((l, i) => {
    if (i >= rank || (firstAt.get(l) === firstAt.get(target) && !under(l))) out.add(i);
  });
  return out;
}
