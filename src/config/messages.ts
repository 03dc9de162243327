/** zod's findings about a config as messages users read: what was found, what is allowed, the closest name. */
import type { core } from 'zod/mini';
import { configSchema } from './zod-schema.js';
import type { Path, Problems } from './positions.js';

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `"${v}"`;
  return String(v);
}

function valueAt(root: unknown, path: Path): unknown {
  let v: any = root;
  for (const seg of path) v = v?.[seg as any];
  return v;
}

/** How many of a value's keys an object schema knows (to tell which shape of a union a mapping meant). */
function keysShared(option: any, value: unknown): number {
  const shape = option?._zod?.def?.shape;
  if (!shape || value === null || typeof value !== 'object') return -1;
  return Object.keys(value).filter((k) => k in shape).length;
}

/** The keys a strict object at `path` allows, found by walking the zod schema (in a union, the shape that shares most keys with the value in `root`). */
function allowedKeys(path: Path, root?: unknown): string[] {
  let s: any = configSchema;
  let value: unknown = root;
  const unwrap = () => {
    for (;;) {
      const t = s?._zod?.def?.type;
      if (t === 'optional' || t === 'nullable' || t === 'default') s = s._zod.def.innerType;
      else if (t === 'union') {
        const objects = s._zod.def.options.filter((o: any) => o._zod.def.type === 'object');
        s = objects.reduce((best: any, o: any) => (keysShared(o, value) > keysShared(best, value) ? o : best), objects[0]) ?? s._zod.def.options[0];
      } else if (t === 'pipe') s = s._zod.def.in;
      else return;
    }
  };
  for (const seg of path) {
    unwrap();
    value = (value as any)?.[seg as any];
    const def = s?._zod?.def;
    if (!def) return [];
    if (def.type === 'object') s = def.shape[seg];
    else if (def.type === 'array') s = def.element;
    else if (def.type === 'record') s = def.valueType;
    else return [];
  }
  unwrap();
  const def = s?._zod?.def;
  return def?.type === 'object' ? Object.keys(def.shape) : def?.type === 'record' && def.keyType?._zod?.def?.entries ? Object.keys(def.keyType._zod.def.entries) : [];
}

export function closest(word: string, options: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const w = word.toLowerCase();
  for (const o of options) {
    const lo = o.toLowerCase();
    // "Created" and "Created At": containment is as good as a typo
    const d = lo.includes(w) || w.includes(lo) ? 1 : levenshtein(w, lo);
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** A policy's `calendars: support`: the per-metric map written where one calendar for all was meant. */
function hintFor(path: Path, found: unknown): string {
  const oneCalendar = path.length === 3 && path[0] === 'policies' && path[2] === 'calendars' && typeof found === 'string';
  return oneCalendar ? ` of metric -> calendar (one calendar for every metric is calendar: ${found})` : '';
}

export function zodMessage(issue: core.$ZodIssue, root: unknown, problems: Problems): void {
  const path = issue.path as Path;
  const found = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(path, root);
      for (const k of issue.keys) {
        const near = closest(k, allowed);
        problems.add([...path, k], `unknown key "${k}"${near ? ` (did you mean "${near}"?)` : ''}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`, true);
      }
      return;
    }
    case 'invalid_type':
      if (found === undefined) problems.add(path, `missing (required)`);
      else problems.add(path, `found ${describe(found)}, expected ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : issue.expected}${hintFor(path, found)}`);
      return;
    case 'invalid_value':
      problems.add(path, `found ${describe(found)} (allowed: ${issue.values.map((v) => String(v)).join(', ')})`);
      return;
    case 'invalid_key': {
      const allowed = allowedKeys(path.slice(0, -1), root);
      const k = String(path[path.length - 1]);
      const near = closest(k, allowed);
      problems.add(path, `unknown key "${k}"${near ? ` (did you mean "${near}"?)` : ''}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`, true);
      return;
    }
    case 'too_small':
      problems.add(path, Array.isArray(found) ? `needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}` : `found ${describe(found)}, which is too small (minimum ${issue.minimum})`);
      return;
    case 'invalid_union': {
      // a mapping or list that one branch accepts in shape: report that branch's own findings inside it;
      // a mapping that several branches could be: the branch it fits best (fewest unknown or missing keys)
      const branches = issue.errors ?? [];
      const mapping = found !== null && typeof found === 'object' && !Array.isArray(found) && !(found instanceof Date);
      const misfits = (branch: core.$ZodIssue[]) => branch.reduce((n, i) => n + (i.code === 'unrecognized_keys' ? i.keys.length : 1), 0);
      const fewest = mapping && branches.length ? branches.reduce((best, b) => (misfits(b) < misfits(best) ? b : best)) : undefined;
      const inner = branches.find((branch) => branch.length && branch.every((i) => i.path.length > 0)) ?? fewest;
      if (inner && found !== null && typeof found === 'object') {
        for (const i of inner) zodMessage({ ...i, path: [...path, ...i.path] } as core.$ZodIssue, root, problems);
        return;
      }
      // what the branches wanted instead: "expected a list or a mapping" (pause_on: Pending)
      const kinds = [...new Set(branches.flatMap((b) => b.filter((i) => i.code === 'invalid_type' && i.path.length === 0).map((i) => (i as core.$ZodIssueInvalidType).expected)))];
      const words = kinds.map((k) => (k === 'array' ? 'a list' : k === 'object' ? 'a mapping' : k));
      problems.add(path, `found ${describe(found)}, which is not allowed here${words.length ? ` (expected ${words.join(' or ')})` : ''}`);
      return;
    }
    default:
      problems.add(path, `found ${describe(found)}: ${issue.message}`);
  }
}

