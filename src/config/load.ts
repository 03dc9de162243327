import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, type Node } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { BusinessCalendar, type DayWindow } from '../calendar/calendar.js';
import { Zone } from '../time/zone.js';
import { MS_PER_DAY } from '../time/civil.js';
import { makeParser } from '../input/timestamp.js';
import { configSchema, METRICS, type RawConfig } from './schema.js';
import { DEFAULT_RESOLVED_STATUSES, PRESET_DATA } from './presets.js';
import { parseDateRange, parseDuration, parsePercent, parseWeekdays, parseWindow, type Target } from './values.js';
import type { Config, Objective, Policy } from './types.js';

export const CONFIG_NAMES = ['sla-audit.yaml', 'sla-audit.yml', 'sla.yaml', 'sla.yml'];
const MAX_CONFIG_BYTES = 1 << 20;

type Path = (string | number)[];

/** Formats a YAML path the way users read it: policies[1].targets.resolution.P5 */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += (out ? '.' : '') + seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || '(top level)';
}

/** Collects problems with their positions in the YAML source. */
class Problems {
  readonly lines: string[] = [];
  constructor(
    private readonly file: string,
    private readonly doc: ReturnType<typeof parseDocument> | undefined,
    private readonly lc: LineCounter,
  ) {}

  /** Position of the node at path (or of its key when `key`), falling back to the nearest parent. */
  private pos(path: Path, key = false): string {
    let node: unknown = this.doc?.contents;
    let best: [number, number] | undefined;
    const at = (n: unknown) => {
      const r = (n as Node | undefined)?.range;
      if (r) best = [r[0], r[1]];
    };
    at(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i];
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (!pair) break;
        if (key && i === path.length - 1) {
          at(pair.key);
          node = undefined;
          break;
        }
        node = pair.value;
        at(pair.value ?? pair.key);
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
        at(node);
      } else break;
    }
    if (!best) return '';
    const { line, col } = this.lc.linePos(best[0]);
    return `:${line}:${col}`;
  }

  add(path: Path, message: string, key = false): void {
    this.lines.push(`${this.file}${this.pos(path, key)} ${formatPath(path)}: ${message}`);
  }

  raw(line: string): void {
    this.lines.push(line);
  }
}

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

/** The keys a strict object at `path` allows, found by walking the zod schema. */
function allowedKeys(path: Path): string[] {
  let s: any = configSchema;
  const unwrap = () => {
    for (;;) {
      const t = s?._zod?.def?.type;
      if (t === 'optional' || t === 'nullable' || t === 'default') s = s._zod.def.innerType;
      else if (t === 'union') s = s._zod.def.options.find((o: any) => o._zod.def.type === 'object') ?? s._zod.def.options[0];
      else if (t === 'pipe') s = s._zod.def.in;
      else return;
    }
  };
  for (const seg of path) {
    unwrap();
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

function zodMessage(issue: z.core.$ZodIssue, root: unknown, problems: Problems): void {
  const path = issue.path as Path;
  const found = valueAt(root, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(path);
      for (const k of issue.keys) {
        const near = closest(k, allowed);
        problems.add([...path, k], `unknown key "${k}"${near ? ` (did you mean "${near}"?)` : ''}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`, true);
      }
      return;
    }
    case 'invalid_type':
      if (found === undefined) problems.add(path, `missing (required)`);
      else problems.add(path, `found ${describe(found)}, expected ${issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : issue.expected}`);
      return;
    case 'invalid_value':
      problems.add(path, `found ${describe(found)} (allowed: ${issue.values.map((v) => String(v)).join(', ')})`);
      return;
    case 'invalid_key': {
      const allowed = allowedKeys(path.slice(0, -1));
      const k = String(path[path.length - 1]);
      const near = closest(k, allowed);
      problems.add(path, `unknown key "${k}"${near ? ` (did you mean "${near}"?)` : ''}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`, true);
      return;
    }
    case 'too_small':
      problems.add(path, Array.isArray(found) ? `needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}` : `found ${describe(found)}, which is too small (minimum ${issue.minimum})`);
      return;
    case 'invalid_union':
      problems.add(path, `found ${describe(found)}, which is not allowed here`);
      return;
    default:
      problems.add(path, `found ${describe(found)}: ${issue.message}`);
  }
}

/** Finds the config file: the given one, or the first default name in `cwd`. */
export function findConfig(given: string | undefined, cwd = process.cwd()): string {
  if (given) return resolve(cwd, given);
  for (const name of CONFIG_NAMES) {
    const p = resolve(cwd, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      /* next */
    }
  }
  throw new ConfigError([
    `no config file: looked for ${CONFIG_NAMES.join(', ')} in ${cwd}; pass -c <file> or create one with "sla-audit init"`,
  ]);
}

export function loadConfig(path: string): Config {
  const shown = displayName(path);
  let text: string;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ConfigError([`${shown}: is a directory, not a config file`]);
    if (st.size > MAX_CONFIG_BYTES) {
      throw new ConfigError([`${shown}: ${st.size} bytes is too large for a config (limit ${MAX_CONFIG_BYTES}); is this the right file?`]);
    }
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `${shown}: cannot read the config (${code === 'ENOENT' ? 'no such file' : code ?? String(e)}); create one with "sla-audit init"`,
    ]);
  }
  return parseConfig(text, shown, dirname(resolve(path)));
}

function displayName(path: string): string {
  const rel = path.startsWith(process.cwd() + '/') ? path.slice(process.cwd().length + 1) : path;
  return rel || basename(path);
}

export function parseConfig(text: string, file = 'sla.yaml', dir = process.cwd()): Config {
  const lc = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const problems = new Problems(file, doc, lc);
  for (const err of doc.errors) {
    const { line, col } = lc.linePos(err.pos[0]);
    problems.raw(`${file}:${line}:${col} invalid YAML: ${err.message.split('\n')[0]}`);
  }
  if (problems.lines.length) throw new ConfigError(problems.lines);
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError([`${file}: ${(e as Error).message.split('\n')[0]} (YAML aliases are limited to 100 expansions)`]);
  }
  if (root === null || root === undefined) throw new ConfigError([`${file}: the config is empty; start from "sla-audit init"`]);
  const parsed = configSchema.safeParse(root);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) zodMessage(issue, root, problems);
    throw new ConfigError(problems.lines);
  }
  const config = resolveConfig(parsed.data, file, dir, problems);
  if (problems.lines.length) throw new ConfigError(problems.lines);
  return config;
}

function zoneAt(name: string | undefined, fallback: Zone, path: Path, problems: Problems): Zone {
  if (name === undefined) return fallback;
  if (!Zone.isValid(name)) {
    problems.add(path, `unknown time zone "${name}" (use an IANA name such as Asia/Shanghai, America/New_York or UTC)`);
    return fallback;
  }
  return Zone.of(name);
}

const asList = (v: string | string[] | undefined) => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

function resolveConfig(raw: RawConfig, file: string, dir: string, problems: Problems): Config {
  const zone = zoneAt(raw.timezone, Zone.of('UTC'), ['timezone'], problems);
  const preset = raw.preset ? PRESET_DATA[raw.preset] : undefined;

  // calendars
  const calendars = new Map<string, BusinessCalendar>();
  const allDay: DayWindow[] = [{ start: 0, end: 1440 }];
  calendars.set('24x7', new BusinessCalendar({ name: '24x7', zone, weekly: Array(7).fill(allDay), holidays: new Set(), workdays: new Map() }));
  for (const [name, cal] of Object.entries(raw.calendars ?? {})) {
    const p: Path = ['calendars', name];
    if (name === '24x7') {
      problems.add(p, `"24x7" is built in and cannot be redefined; give your calendar another name`, true);
      continue;
    }
    const czone = zoneAt(cal.timezone, zone, [...p, 'timezone'], problems);
    const weekly: DayWindow[][] = Array.from({ length: 7 }, () => []);
    const seen = new Map<number, string>();
    for (const [days, wins] of Object.entries(cal.hours)) {
      const wd = parseWeekdays(days);
      if (typeof wd === 'string') {
        problems.add([...p, 'hours', days], wd, true);
        continue;
      }
      const parsedWins = windowsAt(wins, [...p, 'hours', days], problems);
      for (const d of wd) {
        if (seen.has(d)) problems.add([...p, 'hours', days], `${['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][d]} is already given by "${seen.get(d)}"`, true);
        seen.set(d, days);
        weekly[d] = parsedWins;
      }
    }
    if (weekly.every((w) => w.length === 0)) problems.add([...p, 'hours'], `no working hours on any weekday; add e.g. mon-fri: [09:00-18:00]`);
    const holidays = new Set<number>();
    const holidayNames = new Map<number, string>();
    (cal.holidays ?? []).forEach((h, i) => {
      const value = typeof h === 'object' && !(h instanceof Date) ? h.date : h;
      const range = parseDateRange(value);
      if (typeof range === 'string') return problems.add([...p, 'holidays', i], range);
      for (let d = range[0]; d <= range[1]; d++) {
        holidays.add(d);
        if (typeof h === 'object' && !(h instanceof Date) && h.name) holidayNames.set(d, h.name);
      }
    });
    const workdays = new Map<number, DayWindow[]>();
    (cal.workdays ?? []).forEach((w, i) => {
      const obj = typeof w === 'object' && !(w instanceof Date) ? w : undefined;
      const range = parseDateRange(obj ? obj.date : w);
      if (typeof range === 'string') return problems.add([...p, 'workdays', i], range);
      const wins = obj?.hours ? windowsAt(obj.hours, [...p, 'workdays', i, 'hours'], problems) : weekly[1];
      if (!obj?.hours && weekly[1].length === 0) {
        problems.add([...p, 'workdays', i], `the short form takes Monday's hours, but Monday has none; give { date: ..., hours: [...] }`);
      }
      for (let d = range[0]; d <= range[1]; d++) workdays.set(d, wins);
    });
    calendars.set(name, new BusinessCalendar({ name, zone: czone, weekly, holidays, workdays, holidayNames }));
  }

  // tickets
  const t = raw.tickets ?? {};
  const tzone = zoneAt(t.timezone, zone, ['tickets', 'timezone'], problems);
  const fmt = t.timestamp_format ?? preset?.timestampFormat ?? 'auto';
  const probe = makeParser(fmt, tzone, 'dmy');
  if (typeof probe === 'string') problems.add(['tickets', 'timestamp_format'], probe);
  const delimiter = t.delimiter ?? 'auto';
  if (!['auto', ',', ';', '\t', '|', 'tab', 'TAB', '\\t'].includes(delimiter)) {
    problems.add(['tickets', 'delimiter'], `found "${delimiter}" (allowed: auto, ",", ";", "\\t", "|")`);
  }
  const encoding = (t.encoding ?? 'auto').toLowerCase();
  if (encoding !== 'auto') {
    try {
      new TextDecoder(encoding);
    } catch {
      problems.add(['tickets', 'encoding'], `unknown encoding "${t.encoding}" (e.g. auto, utf-8, utf-16le, gb18030, gbk, big5, shift_jis)`);
    }
  }

  // priorities
  const priorities: string[] = [];
  const priorityLookup = new Map<string, string>();
  for (const [canon, aliases] of Object.entries({ ...(preset?.priorities ?? {}), ...(raw.priorities ?? {}) })) {
    priorities.push(canon);
    const add = (alias: string, i?: number) => {
      const k = alias.trim().toLowerCase();
      const prev = priorityLookup.get(k);
      if (prev !== undefined && prev !== canon) {
        problems.add(i === undefined ? ['priorities', canon] : ['priorities', canon, i], `"${alias}" already means ${prev}`);
      }
      priorityLookup.set(k, canon);
    };
    add(canon);
    aliases.forEach((a, i) => add(String(a), i));
  }

  // policies
  const policies: Policy[] = [];
  const names = new Set<string>();
  raw.policies.forEach((rp, index) => {
    const p: Path = ['policies', index];
    if (names.has(rp.name)) problems.add([...p, 'name'], `policy name "${rp.name}" is used twice`);
    names.add(rp.name);
    const calName = rp.calendar ?? '24x7';
    const calendar = calendars.get(calName);
    if (!calendar) {
      const known = [...calendars.keys()];
      const near = closest(calName, known);
      problems.add([...p, 'calendar'], `unknown calendar "${calName}"${near ? ` (did you mean "${near}"?)` : ''} (known: ${known.join(', ')})`);
    }
    const targets = {} as Record<(typeof METRICS)[number], Map<string, Target>>;
    for (const metric of METRICS) {
      targets[metric] = new Map();
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
    let warnAt = 0.75;
    if (rp.warn_at !== undefined) {
      const w = parsePercent(rp.warn_at);
      if (typeof w === 'string') problems.add([...p, 'warn_at'], w);
      else warnAt = w;
    }
    const when: Policy['when'] = [];
    for (const [key, v] of Object.entries(rp.when ?? {})) {
      const values = (Array.isArray(v) ? v : [v]).map((x) => String(x).trim().toLowerCase());
      when.push({ key: key.trim().toLowerCase(), label: key, values: new Set(values), shown: (Array.isArray(v) ? v : [v]).map(String) });
    }
    const policy: Policy = {
      name: rp.name,
      index,
      when,
      calendar: calendar ?? calendars.get('24x7')!,
      targets,
      warnAt,
      pauseOn: new Set((rp.pause_on ?? preset?.pauseOn ?? []).map((s) => s.trim().toLowerCase())),
    };
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
    policies.push(policy);
  });

  // objectives
  const objectives: Objective[] = [];
  (raw.objectives ?? []).forEach((o, i) => {
    const p: Path = ['objectives', i];
    const min = parsePercent(o.min);
    if (typeof min === 'string') return problems.add([...p, 'min'], min);
    let priority = o.priority;
    if (priority !== undefined && priorities.length) {
      const canon = priorityLookup.get(priority.toLowerCase());
      if (!canon) return problems.add([...p, 'priority'], `unknown priority "${priority}" (known: ${priorities.join(', ')})`);
      priority = canon;
    }
    if (o.policy !== undefined && !raw.policies.some((rp) => rp.name === o.policy)) {
      return problems.add([...p, 'policy'], `unknown policy "${o.policy}" (known: ${raw.policies.map((x) => x.name).join(', ')})`);
    }
    const label = [o.metric, priority, o.policy].filter(Boolean).join(' ') + ` ≥ ${fmtPct(min)}`;
    objectives.push({ metric: o.metric, priority, policy: o.policy, min, minTickets: o.min_tickets ?? 0, label });
  });

  // complaint categories
  const rc = raw.categories ?? {};
  const norm = (v: string) => v.normalize('NFKC').trim().toLowerCase();
  const aliases = new Map<string, string>();
  for (const [cat, values] of Object.entries(rc.aliases ?? {})) {
    aliases.set(norm(cat), cat);
    values.forEach((v) => aliases.set(norm(String(v)), cat));
  }
  let repeatWithinMs = 30 * MS_PER_DAY;
  if (rc.repeat_within !== undefined) {
    const d = parseDuration(rc.repeat_within);
    if (typeof d === 'string' || d.kind === 'bd') problems.add(['categories', 'repeat_within'], typeof d === 'string' ? d : 'use calendar time here (e.g. 30d or 72h), not business days');
    else repeatWithinMs = d.ms;
  }
  const categories = {
    field: rc.field ?? 'category',
    aliases,
    rules: (rc.rules ?? []).map((r) => ({ category: r.category, keywords: r.keywords.map(norm).filter(Boolean) })),
    default: rc.default ?? 'Other',
    repeatWithinMs,
  };

  return {
    file,
    dir,
    zone,
    categories,
    calendars,
    preset: raw.preset,
    tickets: {
      path: t.path,
      layout: t.layout ?? 'rows',
      columns: Object.fromEntries(
        Object.entries({ ...(preset?.columns ?? {}), ...(t.columns ?? {}) }).map(([k, v]) => [k, asList(v)!]),
      ),
      userColumns: new Set(Object.keys(t.columns ?? {})),
      resolvedStatuses: new Set((t.resolved_statuses ?? preset?.resolved ?? DEFAULT_RESOLVED_STATUSES).map((s) => s.trim().toLowerCase())),
      firstResponseStatuses: new Set((t.first_response_statuses ?? preset?.firstResponseStatuses ?? []).map((s) => s.trim().toLowerCase())),
      zone: tzone,
      timestampFormat: fmt,
      nullValues: new Set((t.null_values ?? preset?.nullValues ?? ['']).map((v) => String(v).trim().toLowerCase())),
      encoding,
      delimiter: delimiter === 'tab' || delimiter === 'TAB' || delimiter === '\\t' ? '\t' : delimiter,
    },
    events: {
      columns: {
        ticket_id: asList(raw.events?.columns?.ticket_id) ?? ['ticket_id'],
        timestamp: asList(raw.events?.columns?.timestamp) ?? ['timestamp'],
        status: asList(raw.events?.columns?.status) ?? ['status'],
      },
      zone: zoneAt(raw.events?.timezone, tzone, ['events', 'timezone'], problems),
      timestampFormat: raw.events?.timestamp_format ?? fmt,
    },
    priorities,
    priorityLookup,
    policies,
    objectives,
  };
}

function windowsAt(wins: string[], path: Path, problems: Problems): DayWindow[] {
  const out: DayWindow[] = [];
  wins.forEach((w, i) => {
    const r = parseWindow(w);
    if (typeof r === 'string') problems.add([...path, i], r);
    else out.push(r);
  });
  out.sort((a, b) => a.start - b.start);
  for (let i = 1; i < out.length; i++) {
    if (out[i].start < out[i - 1].end) problems.add(path, `windows overlap (${wins.join(', ')}); list them without overlaps`);
  }
  return out;
}

export function fmtPct(v: number): string {
  return `${+(v * 100).toFixed(2)}%`;
}
