/**
 * `when:` (policies) and `where:` (objectives): field -> a value, a list (any of), or one operator
 * ({ not }, { contains }, { matches }, { gt | gte | lt | lte }); `all: [...]` / `any: [...]` combine
 * mappings of conditions, nested at most MAX_NESTING deep. Every bad condition is one problem with
 * its own path, and the rest are still checked.
 */
import { createRequire } from 'node:module';
import { closest } from '../messages.js';
import type { Path, Problems } from '../positions.js';
import type { Condition, FieldTest } from '../types.js';

const OPERATORS = ['not', 'contains', 'matches', 'gt', 'gte', 'lt', 'lte'] as const;
const COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const;
/** all:/any: inside all:/any: up to this many levels (a condition that needs more is better split into policies) */
const MAX_NESTING = 4;
/** a longer regular expression is refused: a condition needs a few dozen characters */
const MAX_PATTERN = 1000;
/** RE2 time grows with cell length × program size: this bounds the second factor */
const MAX_PROGRAM = 2000;

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/**
 * A numeric cell for gt/gte/lt/lte: plain decimal digits, an optional sign and point, at most 15
 * digits either side (so every engine reads the same double); `1,000`, `1e3` or `.5` are not numbers.
 * Written without backslashes: the SQL dialects take it as it is.
 */
export const NUMBER_PATTERN = '^[+-]?[0-9]{1,15}([.][0-9]{1,15})?$';

type Re2 = typeof import('re2js');
let re2: Re2 | undefined;
/** re2js (RE2 in JavaScript), loaded the first time a config has a `matches:`: most have none, and it takes 30 ms to load */
const loadRe2 = (): Re2 => (re2 ??= createRequire(import.meta.url)('re2js') as Re2);

/** NFKC and lower case: how `contains` reads a cell and its texts, the same as complaint keywords. */
export const foldText = (s: string) => s.normalize('NFKC').toLowerCase();

function found(v: unknown): string {
  if (v === undefined || v === null) return 'an empty value';
  if (Array.isArray(v)) return v.length ? 'a list' : 'an empty list';
  if (v instanceof Date) return `the date ${v.toISOString().slice(0, 10)}`;
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'string' ? `"${v}"` : String(v);
}

/** A `when:` or `where:` mapping as conditions that must all hold; problems are added at their paths. */
export function conditionsOf(raw: Record<string, unknown> | undefined, path: Path, problems: Problems, depth = 0): Condition[] {
  const out: Condition[] = [];
  for (const [label, v] of Object.entries(raw ?? {})) {
    const p: Path = [...path, label];
    if (label === 'all' || label === 'any') {
      const group = groupOf(label, v, p, problems, depth);
      if (group) out.push(group);
      continue;
    }
    const test = fieldTest(v, p, problems);
    if (test) out.push({ kind: 'field', key: label.trim().toLowerCase(), label, test });
  }
  return out;
}

function groupOf(kind: 'all' | 'any', v: unknown, p: Path, problems: Problems, depth: number): Condition | undefined {
  const example = `${kind}: [ { tier: VIP }, { region: { matches: "^East" } } ]`;
  if (!Array.isArray(v)) return void problems.add(p, `found ${found(v)}, expected a list of mappings of conditions, e.g. ${example}`);
  if (!v.length) return void problems.add(p, `is an empty list, which ${kind === 'any' ? 'no ticket' : 'every ticket'} would meet; give at least one mapping of conditions, e.g. ${example}, or remove it`);
  if (depth >= MAX_NESTING) return void problems.add(p, `nests all:/any: ${depth + 1} levels deep; at most ${MAX_NESTING} are allowed: split the conditions over policies (the first that matches applies)`);
  const of: Condition[][] = [];
  v.forEach((item, i) => {
    if (!isMapping(item)) return void problems.add([...p, i], `found ${found(item)}, expected a mapping of conditions, e.g. { channel: Email }`);
    if (!Object.keys(item).length) return void problems.add([...p, i], `is an empty mapping, which every ticket would meet; give a condition, e.g. { channel: Email }, or remove it`);
    of.push(conditionsOf(item, [...p, i], problems, depth + 1));
  });
  return of.length === v.length ? { kind, of } : undefined;
}

/** A list of values (a single one is a list of one): lower-cased for matching, as written for reports. */
function valuesOf(v: unknown, p: Path, problems: Problems, what: string): { values: Set<string>; shown: string[] } | undefined {
  const list = Array.isArray(v) ? v : [v];
  if (!list.length) return void problems.add(p, `is an empty list, which matches no ticket; give at least one ${what}`);
  let ok = true;
  list.forEach((x, i) => {
    if (!isScalar(x)) {
      ok = false;
      problems.add(Array.isArray(v) ? [...p, i] : p, `found ${found(x)}, expected a ${what} (text or a number)${isMapping(x) ? '; an operator such as { not: ... } goes on the field itself, not in a list' : ''}`);
    }
  });
  return ok ? { values: new Set(list.map((x) => String(x).trim().toLowerCase())), shown: list.map(String) } : undefined;
}

function fieldTest(v: unknown, p: Path, problems: Problems): FieldTest | undefined {
  if (!isMapping(v)) {
    const vs = valuesOf(v, p, problems, 'value');
    return vs && { op: 'in', ...vs };
  }
  const keys = Object.keys(v);
  const ops = keys.filter((k): k is (typeof OPERATORS)[number] => (OPERATORS as readonly string[]).includes(k));
  const unknown = keys.filter((k) => !ops.includes(k as (typeof OPERATORS)[number]));
  for (const k of unknown) {
    const near = closest(k, [...OPERATORS]);
    problems.add([...p, k], `unknown operator "${k}"${near ? ` (did you mean "${near}"?)` : ''} (operators: ${OPERATORS.join(', ')}; a plain value or list means "one of")`, true);
  }
  if (unknown.length) return undefined;
  if (!ops.length) return void problems.add(p, `is an empty mapping; give one operator (${OPERATORS.join(', ')}) or a value`);
  if (ops.length > 1) {
    const range = ops.every((o) => (COMPARISONS as readonly string[]).includes(o));
    const fix = range ? `; for a range combine two: all: [ { ${String(p[p.length - 1])}: { ${ops[0]}: ${String(v[ops[0]])} } }, { ${String(p[p.length - 1])}: { ${ops[1]}: ${String(v[ops[1]])} } } ]` : '; write one per field, or combine them with all: [...] / any: [...]';
    return void problems.add(p, `gives ${ops.join(' and ')}; a field takes one operator${fix}`);
  }
  const op = ops[0];
  const arg = v[op];
  const ap: Path = [...p, op];
  if (op === 'not') {
    const vs = valuesOf(arg, ap, problems, 'value');
    return vs && { op, ...vs };
  }
  if (op === 'contains') return containsTest(arg, ap, problems);
  if (op === 'matches') return matchesTest(arg, ap, problems);
  if (typeof arg !== 'number' || !Number.isFinite(arg)) {
    const digits = typeof arg === 'string' ? arg.replace(/[\s,_']/g, '') : '';
    const fix = /^[+-]?\d+(\.\d+)?$/.test(digits) ? `write ${digits} (a YAML number: no quotes, no thousands separators)` : 'write a number such as 1000 or 99.5';
    return void problems.add(ap, `found ${found(arg)}, expected a number; ${fix}`);
  }
  return { op, n: arg };
}

function containsTest(arg: unknown, p: Path, problems: Problems): FieldTest | undefined {
  const vs = valuesOf(arg, p, problems, 'text');
  if (!vs) return undefined;
  const needles = vs.shown.map(foldText);
  const empty = needles.findIndex((n) => n === '');
  if (empty >= 0) return void problems.add(Array.isArray(arg) ? [...p, empty] : p, 'is empty text, which every cell contains; give the text to look for');
  return { op: 'contains', needles, shown: vs.shown };
}

function matchesTest(arg: unknown, p: Path, problems: Problems): FieldTest | undefined {
  if (typeof arg !== 'string') return void problems.add(p, `found ${found(arg)}, expected a regular expression in quotes, e.g. "^East"`);
  if (arg === '') return void problems.add(p, 'is an empty pattern, which every cell matches; give the pattern to look for');
  if (arg.length > MAX_PATTERN) return void problems.add(p, `is a regular expression of ${arg.length} characters; at most ${MAX_PATTERN} are allowed`);
  try {
    // RE2: matching time grows linearly with the cell, whatever the pattern (no backtracking)
    const re = loadRe2().RE2JS.compile(arg);
    // and with the size of the compiled program: a condition needs a few dozen steps, not thousands
    if (re.programSize() > MAX_PROGRAM) return void problems.add(p, `"${arg}" compiles to ${re.programSize()} steps (repetitions such as {500} multiply); at most ${MAX_PROGRAM} are allowed: write a shorter pattern`);
    return { op: 'matches', pattern: arg, re };
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp: /, '');
    return void problems.add(p, `"${arg}" is not a regular expression RE2 accepts (${why}); RE2 has no look-around (?=…) or back-references \\1: rewrite without them`);
  }
}

const SIGN = { gt: '>', gte: '≥', lt: '<', lte: '≤' } as const;

/** A condition as people read it, e.g. `channel = Email | Chat`, `amount ≥ 1000`, `any of (tier = VIP; region matches ^East)`. */
export function describeCondition(c: Condition): string {
  if (c.kind !== 'field') return `${c.kind} of (${c.of.map((g) => g.map(describeCondition).join(', ')).join('; ')})`;
  return `${c.label} ${describeTest(c.test)}`;
}

/** The test alone, after the field: `= Email | Chat`, `not Phone`, `contains 退款`, `matches ^East`, `≥ 1000`. */
export function describeTest(t: FieldTest): string {
  switch (t.op) {
    case 'in':
      return `= ${t.shown.join(' | ')}`;
    case 'not':
      return `not ${t.shown.join(' | ')}`;
    case 'contains':
      return `contains ${t.shown.join(' | ')}`;
    case 'matches':
      return `matches ${t.pattern}`;
    default:
      return `${SIGN[t.op]} ${t.n}`;
  }
}

/** Every field condition, however deeply combined (for the columns a set of conditions reads). */
export function fieldConditions(conds: Condition[]): Extract<Condition, { kind: 'field' }>[] {
  return conds.flatMap((c) => (c.kind === 'field' ? [c] : c.of.flatMap(fieldConditions)));
}
