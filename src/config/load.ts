/**
 * Loading a config: find the file, read it, parse the YAML, check it against the schema, then
 * resolve each section. Every problem is collected (file:line:col, YAML path, value, fix) and
 * reported together.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from '../errors.js';
import { Zone } from '../time/zone.js';
import { zodMessage } from './messages.js';
import { Problems } from './positions.js';
import { PRESET_DATA } from './presets.js';
import { configSchema } from './schema.js';
import { NOTHING_BROKEN, cutReservedKeys, salvage, type Salvaged } from './salvage.js';
import { resolveCalendars } from './sections/calendars.js';
import { resolveCategories } from './sections/categories.js';
import { zoneAt } from './sections/common.js';
import { resolveObjectives } from './sections/objectives.js';
import { resolvePolicies } from './sections/policies.js';
import { resolvePriorities } from './sections/priorities.js';
import { resolveTickets } from './sections/tickets.js';
import { resolveScorecards } from './sections/scorecards.js';
import { resolveSatisfaction } from './sections/satisfaction.js';
import type { Config } from './types.js';

const CONFIG_NAMES = ['sla-audit.yaml', 'sla-audit.yml', 'sla.yaml', 'sla.yml'];
const MAX_CONFIG_BYTES = 1 << 20;

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
    problems.raw(`${file}:${line}:${col} invalid YAML: ${err.message.split('\n')[0]}`, line, col);
  }
  if (problems.count) throw new ConfigError(problems.lines);
  let root: unknown;
  try {
    root = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new ConfigError([`${file}: ${(e as Error).message.split('\n')[0]} (YAML aliases are limited to 100 expansions)`]);
  }
  if (root === null || root === undefined) throw new ConfigError([`${file}: the config is empty; start from "sla-audit init"`]);
  for (const path of cutReservedKeys(root)) {
    problems.add(path, `"${path[path.length - 1]}" is a reserved name and cannot be a key in a config; rename it (a CSV column of that name needs another header)`, true);
  }
  // every problem in one run: schema problems, then the value checks on what the schema accepted
  const parsed = configSchema.safeParse(root);
  let s: Salvaged | undefined;
  if (parsed.success) {
    const all = (list: unknown[] | undefined) => (list ?? []).map((_, i) => i);
    s = { data: parsed.data, policyIndex: all(parsed.data.policies), objectiveIndex: all(parsed.data.objectives), broken: NOTHING_BROKEN };
  } else {
    for (const issue of parsed.error.issues) zodMessage(issue, root, problems);
    s = salvage(root, parsed.error.issues);
    if (!s) throw new ConfigError(problems.lines);
  }
  const config = resolveConfig(s, file, dir, problems);
  if (problems.count) throw new ConfigError(problems.lines);
  config.digest = createHash('sha256').update(text).digest('hex').slice(0, 12);
  return config;
}

/** Each section in turn; later sections see what earlier ones resolved (calendars, priorities). */
function resolveConfig(s: Salvaged, file: string, dir: string, problems: Problems): Config {
  const raw = s.data;
  const zone = zoneAt(raw.timezone, Zone.of('UTC'), ['timezone'], problems);
  const preset = raw.preset ? PRESET_DATA[raw.preset] : undefined;
  const calendars = resolveCalendars(raw.calendars, zone, problems);
  const { tickets, events } = resolveTickets(raw, zone, preset, problems);
  const pr = resolvePriorities(raw.priorities, preset, problems);
  const policies = resolvePolicies(raw.policies, { ...pr, zone, calendars, preset, index: s.policyIndex, broken: s.broken }, problems);
  const scorecards = resolveScorecards(raw.scorecards, problems);
  const objectives = resolveObjectives(raw.objectives, { ...pr, zone, tickets, policies: raw.policies, scorecards: scorecards.map((c) => c.name), index: s.objectiveIndex, broken: s.broken }, problems);
  const categories = resolveCategories(raw.categories, problems);
  const satisfaction = resolveSatisfaction(raw.satisfaction, problems);
  return { file, digest: '', dir, zone, categories, calendars, preset: raw.preset, tickets, events, ...pr, policies, objectives, satisfaction, scorecards };
}
