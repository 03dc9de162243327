/**
 * What is left of a config once the parts the schema refused are cut out, so the value checks can
 * still run on the rest and every problem is reported in one run. A broken policy, objective,
 * calendar or priority is left out whole (and references to it are not reported again), except for
 * an unknown key in a policy or objective, which is cut alone, and a calendar's wrong entry of
 * holidays:, workdays: or hours:, wrong timezone or unknown key, each cut alone; a broken setting
 * elsewhere is left out by itself.
 */
import type { core } from 'zod/mini';
import { replyTargets, salvageSchema, type RawConfig } from './zod-schema.js';

export interface Salvaged {
  data: RawConfig;
  /** the original index of each policy and objective that is left */
  policyIndex: number[];
  objectiveIndex: number[];
  /** names of entries that were cut out: references to them are not problems of their own */
  broken: Broken;
  /**
   * policies and objectives ("objectives.0") that lost an unknown key: a problem about the entry as
   * a whole (it now says nothing to judge, needs min or max) is that typo's consequence, not its own
   */
  typoed: Set<string>;
  /** the original index of each OLA that is left (absent: all are) */
  olaIndex?: number[];
  /** the groups of OLAs cut out: KPIs naming them are not problems of their own */
  olaGroupsCut?: string[];
  /**
   * entries cut alone, each as a stand-in the resolver skips (JSON of its path: a calendar's
   * ["calendars","office","holidays",0], ["calendars","office","hours","mon-fri"], a scorecard's
   * ["scorecards","team","indicators",1] or ["scorecards","team","groups",0,"indicators",1])
   */
  standIns?: Set<string>;
}

export interface Broken {
  calendars: Set<string>;
  policies: Set<string>;
  priorities: Set<string>;
  scorecards: Set<string>;
  /** custom KPIs (kpis:) */
  kpis: Set<string>;
}

export const NOTHING_BROKEN: Broken = { calendars: new Set(), policies: new Set(), priorities: new Set(), scorecards: new Set(), kpis: new Set() };

/** Policy settings with a default: a wrong value is cut by itself, and the policy stays (with the default). */
const CUT_ALONE = new Set(['warn_at', 'escalation', 'pause_on']);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

export function salvage(root: unknown, issues: core.$ZodIssue[]): Salvaged | undefined {
  if (!isObject(root)) return undefined;
  const copy: Record<string, unknown> = structuredClone(root);
  const cut = { policies: new Set<number>(), objectives: new Set<number>(), olas: new Set<number>() };
  const olaGroupsCut: string[] = [];
  const broken: Broken = { calendars: new Set(), policies: new Set(), priorities: new Set(), scorecards: new Set(), kpis: new Set() };
  const typoed = new Set<string>();
  const standIns = new Set<string>();
  const unknownKeys = issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k]) : []));
  const paths = [...unknownKeys, ...issues.filter((i) => i.code !== 'unrecognized_keys').map((i) => i.path)];
  for (const path of paths) {
    const [top, second] = path;
    if (typeof top !== 'string') continue;
    const section = copy[top];
    // an unknown key inside a policy or objective (a typo) means nothing: cut it alone, so the
    // entry's other values are still checked (a wrong value cuts the whole entry, below)
    if ((top === 'policies' || top === 'objectives') && typeof second === 'number' && unknownKeys.includes(path) && cutAt(copy, path)) {
      typoed.add(`${top}.${second}`);
      continue;
    }
    // a wrong value of a policy setting that has a default (warn_at: [75%]) cuts that setting alone:
    // the policy's targets are still checked (a 2d on a business calendar was no longer reported)
    if (top === 'policies' && typeof second === 'number' && typeof path[2] === 'string' && CUT_ALONE.has(path[2]) && cutAt(copy, path.slice(0, 3))) continue;
    // so does a wrong next_reply from: alone (it has a default, first_agent_reply): the policy's
    // conditions and other targets are still checked
    if (top === 'policies' && typeof second === 'number' && path[2] === 'targets' && path[3] === 'next_reply' && path.length === 4 && cutReplyFrom(copy, path)) continue;
    if (top === 'calendars' && isObject(section) && isObject(section[String(second)]) && cutInCalendar(section[String(second)] as Record<string, unknown>, path, standIns)) continue;
    if (top === 'scorecards' && isObject(section) && standInIndicator(section[String(second)], path, standIns)) continue;
    if (top === 'olas' && typeof second === 'number' && Array.isArray(section)) {
      // an OLA with a typo loses that key; a wrong value cuts the entry alone (the others are still checked)
      if (unknownKeys.includes(path) && cutAt(copy, path)) continue;
      cut.olas.add(second);
      const group = (section[second] as { group?: unknown } | undefined)?.group;
      if (typeof group === 'string' && group.trim()) olaGroupsCut.push(group.trim());
    } else if ((top === 'policies' || top === 'objectives') && typeof second === 'number' && Array.isArray(section)) {
      cut[top].add(second);
      const name = (section[second] as { name?: unknown } | undefined)?.name;
      if (top === 'policies' && typeof name === 'string') broken.policies.add(name);
    } else if (second !== undefined && isObject(section)) {
      if (top === 'calendars' || top === 'priorities' || top === 'scorecards' || top === 'kpis') broken[top].add(String(second));
      // a required key cut out would take its whole section (and so the rest of the checks) with it:
      // its problem is reported, so a stand-in keeps the section's other values checked
      if (top === 'credits' && second === 'fee') section.fee = 0;
      else delete section[String(second)];
    } else delete copy[top];
  }
  const keep = (key: 'policies' | 'objectives' | 'olas') => {
    const list = Array.isArray(copy[key]) ? (copy[key] as unknown[]) : [];
    const index = list.map((_, i) => i).filter((i) => !cut[key].has(i));
    copy[key] = index.map((i) => list[i]);
    return index;
  };
  hoursAllCut(copy.calendars, standIns, broken);
  const policyIndex = keep('policies');
  const objectiveIndex = keep('objectives');
  const hadOlas = Array.isArray(copy.olas);
  const olaIndex = keep('olas');
  if (!hadOlas) delete copy.olas;
  const parsed = salvageSchema.safeParse(copy);
  return parsed.success ? { data: parsed.data, policyIndex, objectiveIndex, broken, typoed, olaIndex, olaGroupsCut, standIns } : undefined;
}

/**
 * A calendar whose every window of hours: was cut has no working time, not for its own fault:
 * its other values are still checked, but it is left out as broken (marked by its own path), so
 * targets on it are not judged on a calendar with no hours, and references to it are not reported.
 */
function hoursAllCut(calendars: unknown, cuts: Set<string>, broken: Broken): void {
  for (const [name, cal] of Object.entries(isObject(calendars) ? calendars : {})) {
    if (!isObject(cal) || !isObject(cal.hours)) continue;
    const cut = (...at: PropertyKey[]) => cuts.has(JSON.stringify(['calendars', name, 'hours', ...at]));
    const days = Object.entries(cal.hours).map(([day, wins]) => ({ day: cut(day), wins: Array.isArray(wins) ? wins.map((_, i) => cut(day, i)) : [] }));
    const some = days.some((d) => d.day || d.wins.some(Boolean));
    if (some && days.every((d) => d.day || d.wins.every(Boolean))) {
      cuts.add(JSON.stringify(['calendars', name]));
      broken.calendars.add(name);
    }
  }
}

/**
 * A wrong indicator of a scorecard (or of one of its groups) is cut alone, as a stand-in skipped by
 * its path: the scorecard's other indicators are still checked (an unknown KPI beside a wrong weight
 * was hidden until the next run). Anything else wrong in a scorecard cuts the scorecard.
 */
function standInIndicator(card: unknown, path: PropertyKey[], cuts: Set<string>): boolean {
  const at = path[2] === 'indicators' ? 4 : path[2] === 'groups' && typeof path[3] === 'number' && path[4] === 'indicators' ? 6 : 0;
  if (!at || path.length < at) return false;
  let list: unknown = card;
  for (const k of path.slice(2, at - 1)) list = list !== null && typeof list === 'object' ? (list as Record<PropertyKey, unknown>)[k] : undefined;
  const i = path[at - 1];
  if (!Array.isArray(list) || typeof i !== 'number' || i >= list.length) return false;
  list[i] = { kpi: '', weight: 1, target: 0 };
  cuts.add(JSON.stringify(path.slice(0, at)));
  return true;
}

/** What stands in for a cut holidays:, workdays: or hours entry: the schema takes it, and the resolver skips it by its path. */
const STAND_IN = { holidays: '', workdays: '', window: '' };

/**
 * Cuts a calendar's wrong part alone, so its other values are still checked in the same run (a
 * wrong shape in one holidays entry hid the others' problems until the next run): an entry of
 * holidays: or workdays:, or a window or day of hours:, is replaced by a stand-in the resolver skips
 * (later entries keep their index); a wrong timezone (the default applies), holidays: or workdays:
 * that is not a list, or an unknown key, is deleted. Anything else (hours: itself) cuts the calendar.
 */
function cutInCalendar(cal: Record<string, unknown>, path: PropertyKey[], cuts: Set<string>): boolean {
  const [key, entry, item] = path.slice(2);
  const stand = (at: PropertyKey[], list: unknown, index: PropertyKey | undefined, value: unknown): boolean => {
    if (!Array.isArray(list) || typeof index !== 'number' || index >= list.length) return false;
    list[index] = value;
    cuts.add(JSON.stringify(at));
    return true;
  };
  if (key === 'holidays' || key === 'workdays') {
    if (entry === undefined) return delete cal[key];
    return stand(path.slice(0, 4), cal[key], entry, STAND_IN[key]);
  }
  if (key === 'hours' && typeof entry === 'string' && isObject(cal.hours) && Object.hasOwn(cal.hours, entry)) {
    if (typeof item === 'number') return stand(path.slice(0, 5), cal.hours[entry], item, STAND_IN.window);
    cal.hours[entry] = [];
    cuts.add(JSON.stringify(path.slice(0, 4)));
    return true;
  }
  if (key === 'timezone' || (typeof key === 'string' && key !== 'hours' && path.length === 3)) return delete cal[key];
  return false;
}

/** Deletes the key at path (an unknown key found by the schema); false when the path is not there. */
/** next_reply's targets whose only wrong value is from: lose that key (so the policy stays); false otherwise. */
function cutReplyFrom(root: Record<string, unknown>, path: PropertyKey[]): boolean {
  let node: unknown = root;
  for (const k of path) node = isObject(node) || Array.isArray(node) ? (node as Record<PropertyKey, unknown>)[k as string] : undefined;
  if (!isObject(node) || !('from' in node)) return false;
  const { from: _from, ...rest } = node;
  if (!replyTargets.safeParse(rest).success) return false;
  return cutAt(root, [...path, 'from']);
}

function cutAt(root: Record<string, unknown>, path: PropertyKey[]): boolean {
  let node: unknown = root;
  for (const k of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return false;
    node = (node as Record<PropertyKey, unknown>)[k as string];
  }
  if (!isObject(node)) return false;
  return delete node[String(path[path.length - 1])];
}

const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Removes keys named __proto__, constructor or prototype from every mapping (they would be
 * dropped or act on the object itself somewhere along the way) and returns where they were.
 */
export function cutReservedKeys(root: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: root, path: [] }];
  while (stack.length) {
    const { node, path } = stack.pop()!;
    if (Array.isArray(node)) node.forEach((v, i) => stack.push({ node: v, path: [...path, i] }));
    else if (isObject(node)) {
      for (const k of Object.keys(node)) {
        if (RESERVED.has(k)) {
          found.push([...path, k]);
          delete node[k];
        } else stack.push({ node: node[k], path: [...path, k] });
      }
    }
  }
  return found;
}
