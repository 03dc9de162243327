/**
 * Loading a config: find the file, read it, parse the YAML, check it against the schema, then
 * resolve each section. Every problem is collected (file:line:col, YAML path, value, fix) and
 * reported together.
 */
import { mark } from '../model/timeline.js';
import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { TextDecoder } from 'node:util';
import { Composer, LineCounter, Parser, YAMLParseError, type CST, type Document } from 'yaml';
import { ConfigError } from '../errors.js';
import { readsAsGb18030, utf16WithoutBom } from '../text/encoding.js';
import { Zone } from '../time/zone.js';
import { zodMessage } from './messages.js';
import { Problems } from './positions.js';
import { PRESET_DATA } from './presets.js';
import { METRICS, MESSAGE_METRICS, type Metric } from './schema.js';
import { configSchema } from './zod-schema.js';
import { NOTHING_BROKEN, cutReservedKeys, salvage, type Salvaged } from './salvage.js';
import { resolveCalendars } from './sections/calendars.js';
import { resolveCategories } from './sections/categories.js';
import { zoneAt } from './sections/common.js';
import { resolveObjectives } from './sections/objectives.js';
import { levelOrder, resolvePolicies } from './sections/policies.js';
import { resolveMessages } from './sections/messages.js';
import { resolveCredits } from './sections/credits.js';
import { resolvePriorities } from './sections/priorities.js';
import { resolveTickets } from './sections/tickets.js';
import { resolveOlas } from './sections/olas.js';
import { resolveScorecards } from './sections/scorecards.js';
import { resolveSatisfaction } from './sections/satisfaction.js';
import { resolveCustomKpis } from './sections/custom-kpis.js';
import { resolveReport } from './sections/report.js';
import type { Config, Policy } from './types.js';

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

/** At most `limit` + 1 bytes of a file: a device (/dev/zero) or a pipe reports no size, and is read only so far. */
function readUpTo(path: string, limit: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(limit + 1);
    let n = 0;
    for (let got = 1; got > 0 && n <= limit; n += got) got = readSync(fd, buf, n, limit + 1 - n, null);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

export function loadConfig(path: string): Config {
  const shown = displayName(path);
  let bytes: Buffer;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ConfigError([`${shown}: is a directory, not a config file`]);
    if (st.size > MAX_CONFIG_BYTES) {
      throw new ConfigError([`${shown}: ${st.size} bytes is too large for a config (limit ${MAX_CONFIG_BYTES}); is this the right file?`]);
    }
    bytes = readUpTo(path, MAX_CONFIG_BYTES);
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new ConfigError([`${shown}: more than ${MAX_CONFIG_BYTES} bytes is too large for a config (limit ${MAX_CONFIG_BYTES}); is this the right file?`]);
    }
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConfigError([
      `${shown}: cannot read the config (${code === 'ENOENT' ? 'no such file' : code ?? String(e)}); create one with "sla-audit init"`,
    ]);
  }
  const config = parseConfig(decodeConfig(bytes, shown), shown, dirname(resolve(path)));
  mark('config: loaded');
  return config;
}

/**
 * A config's text: UTF-8 with or without a byte-order mark; UTF-16 LE or BE, by its byte-order mark
 * or its zero bytes; GB18030 (GBK, an editor's default on Chinese Windows) when it is not UTF-8 and
 * reads as GB18030. Anything else is refused in one line naming where the bytes go wrong.
 */
function decodeConfig(bytes: Buffer, shown: string): string {
  const refuse = (why: string) => new ConfigError([`${shown}: ${why}; save the config as UTF-8`]);
  const strict = (encoding: string, from: number) => {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(bytes.subarray(from));
    } catch {
      throw refuse(`is not valid ${encoding.toUpperCase()} ${from ? 'after its byte-order mark' : 'though its zero bytes say so'}`);
    }
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return strict('utf-8', 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return strict('utf-16le', 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return strict('utf-16be', 2);
  const utf16 = utf16WithoutBom(bytes);
  if (utf16) return strict(utf16, 0);
  if (bytes.includes(0)) throw refuse('looks binary (it has NUL bytes), not a YAML config');
  if (isUtf8(bytes)) return bytes.toString('utf8');
  if (readsAsGb18030(bytes)) return new TextDecoder('gb18030').decode(bytes);
  // where UTF-8 goes wrong: the valid text before the first replacement character is that many bytes
  const loose = bytes.toString('utf8');
  const at = Buffer.byteLength(loose.slice(0, loose.indexOf('\uFFFD')));
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  throw refuse(`line ${line} has bytes that are neither UTF-8 nor GB18030 (0x${bytes[at].toString(16).toUpperCase().padStart(2, '0')} at byte ${at})`);
}

function displayName(path: string): string {
  const rel = path.startsWith(process.cwd() + '/') ? path.slice(process.cwd().length + 1) : path;
  return rel || basename(path);
}

export function parseConfig(text: string, file = 'sla.yaml', dir = process.cwd()): Config {
  try {
    return parseChecked(text.replace(/^\uFEFF/, ''), file, dir);
  } catch (e) {
    // a safety net: the nesting limit below keeps recursion shallow
    if (e instanceof RangeError) throw new ConfigError([`${file}: the YAML is too deeply nested to read (${e.message}); a config needs only a few levels`]);
    throw e;
  }
}

/** YAML nested deeper than this is refused before it is composed: a config needs about six levels. */
const MAX_DEPTH = 64;

/**
 * Refuses YAML nested more than MAX_DEPTH levels, measured on yaml's concrete syntax tree (built
 * without recursion), before composing the document, turning it into objects or checking it
 * against the schema recurse once per level.
 */
function checkDepth(tokens: CST.Token[], text: string, file: string): void {
  let deepest = 0;
  let where = -1;
  for (const doc of tokens) {
    const stack: [CST.Token, number][] = [[doc, 0]];
    while (stack.length) {
      const [token, depth] = stack.pop()!;
      if (depth > deepest) deepest = depth;
      if (depth > MAX_DEPTH && where < 0) where = token.offset;
      if (token.type === 'document') {
        if (token.value) stack.push([token.value, depth]);
      } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
        for (const item of token.items) {
          if (item.key) stack.push([item.key, depth + 1]);
          if (item.value) stack.push([item.value, depth + 1]);
        }
      }
    }
  }
  if (deepest > MAX_DEPTH) {
    const before = text.slice(0, where);
    const line = before.split('\n').length;
    const col = where - before.lastIndexOf('\n');
    throw new ConfigError([`${file}:${line}:${col} the YAML is nested ${deepest} levels deep; a config needs about six, and more than ${MAX_DEPTH} are refused`]);
  }
}

/**
 * yaml's parseDocument from the syntax tree checkDepth has walked, so the text is parsed once: the
 * first document, and a second one is an error, with yaml's own words.
 */
function composeFirst(tokens: CST.Token[], text: string): Document.Parsed {
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: true, prettyErrors: false }).compose(tokens, true, text.length)) {
    if (!doc) doc = next;
    else {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  return doc!;
}

function parseChecked(text: string, file: string, dir: string): Config {
  const lc = new LineCounter();
  const tokens = [...new Parser(lc.addNewLine).parse(text)];
  checkDepth(tokens, text, file);
  const doc = composeFirst(tokens, text);
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
    s = { data: parsed.data, policyIndex: all(parsed.data.policies), objectiveIndex: all(parsed.data.objectives), broken: NOTHING_BROKEN, typoed: new Set() };
  } else {
    for (const issue of parsed.error.issues) zodMessage(issue, root, problems);
    s = salvage(root, parsed.error.issues);
    if (!s) throw new ConfigError(problems.lines);
    problems.quietEntries = s.typoed;
  }
  const sources: Buffer[] = [];
  const reads: string[] = [];
  const config = resolveConfig(s, file, dir, problems, sources, reads);
  if (problems.count) throw new ConfigError(problems.lines, reads);
  // the files the config reads (a calendar's ical:) are part of what it says
  const hash = createHash('sha256').update(text);
  for (const b of sources) hash.update(b);
  config.digest = hash.digest('hex').slice(0, 12);
  config.reads = reads;
  return config;
}

/** Each section in turn; later sections see what earlier ones resolved (calendars, priorities). */
function resolveConfig(s: Salvaged, file: string, dir: string, problems: Problems, sources: Buffer[], reads: string[]): Config {
  const raw = s.data;
  const zone = zoneAt(raw.timezone, Zone.of('UTC'), ['timezone'], problems);
  const preset = raw.preset ? PRESET_DATA[raw.preset] : undefined;
  const calendars = resolveCalendars(raw.calendars, zone, problems, { dir, sources, paths: reads, cut: s.standIns });
  const { tickets, events } = resolveTickets(raw, zone, preset, problems);
  const pr = resolvePriorities(raw.priorities, preset, problems);
  const policies = resolvePolicies(raw.policies, { ...pr, zone, calendars, preset, index: s.policyIndex, broken: s.broken }, problems);
  const levels = levelOrder(policies, problems);
  const olas = resolveOlas(raw.olas, calendars, s.broken, problems, s.olaIndex);
  const metrics = measuredMetrics(policies);
  const messages = resolveMessages(raw.messages, tickets.zone, tickets.timestampFormat, problems);
  const customKpis = resolveCustomKpis(raw.kpis, problems);
  const declaredKpis = new Set([...Object.keys(raw.kpis ?? {}), ...s.broken.kpis]);
  // every group named in olas:, a broken entry's too (its own problem is said once, not again by each KPI naming it)
  const olaGroups = raw.olas === undefined ? undefined : [...new Set([...raw.olas.map((o) => o.group.trim()), ...(s.olaGroupsCut ?? [])].filter((g) => g))];
  const scorecards = resolveScorecards(raw.scorecards, metrics, { custom: customKpis, declared: declaredKpis, olaGroups, cut: s.standIns }, problems);
  const warnings: string[] = [];
  const objectives = resolveObjectives(raw.objectives, { ...pr, zone, tickets, metrics, olaGroups, policies: raw.policies, scorecards: scorecards.map((c) => c.name), index: s.objectiveIndex, broken: s.broken, warnings, custom: customKpis, declaredKpis }, problems);
  const categories = resolveCategories(raw.categories, problems);
  const satisfaction = resolveSatisfaction(raw.satisfaction, problems);
  const credits = resolveCredits(raw.credits, { ...pr, metrics, policies: raw.policies.map((x) => x.name).concat([...s.broken.policies]) }, problems);
  const report = resolveReport(raw.report, problems);
  return {
    file, digest: '', dir, zone, categories, calendars, preset: raw.preset, tickets, events, messages, ...pr, policies, metrics, olas, olasGiven: raw.olas !== undefined, levels,
    ladders: raw.policies.some((p) => p.escalation !== undefined),
    objectives, satisfaction, scorecards, customKpis, ...(credits ? { credits } : {}), warnings, report,
    ...(raw.report?.at_risk_margin !== undefined ? { atRiskMargin: raw.report.at_risk_margin } : {}),
  };
}

/** first_response and resolution always; a message metric when some policy has a target for it. */
function measuredMetrics(policies: Policy[]): Metric[] {
  return METRICS.filter((m) => !(MESSAGE_METRICS as readonly string[]).includes(m) || policies.some((p) => p.targets[m].size > 0));
}
