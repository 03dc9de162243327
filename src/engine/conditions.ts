/**
 * Conditions tested on tickets, for policies' `when:` and objectives' `where:` alike: each field's
 * test on its cell (remembered per distinct cell), all:/any: combined, and why a ticket does not
 * meet them, in words that never repeat the ticket's own cell (it may be personal data), except
 * its priority.
 */
import { NUMBER_PATTERN, describeTest, foldText } from '../config/sections/conditions.js';
import type { Condition, FieldTest } from '../config/types.js';
import type { Ticket } from '../model/ticket.js';

/** Where a field's value comes from in one file. */
export interface FieldSource {
  /** the cell as read (the memo's key) */
  raw(t: Ticket, policy: string | undefined): string;
  /** the cell as tested: trimmed, '' when empty or a null value */
  clean(t: Ticket, raw: string): string;
  /** the priority: its canonical name, tested besides the cell; its value may be shown in reasons */
  canonical?: (t: Ticket) => string;
}

type Node =
  | { kind: 'field'; label: string; test: FieldTest; src: FieldSource; memo: Map<string, boolean> }
  | { kind: 'all' | 'any'; of: Node[][] };

const NUMBER = new RegExp(NUMBER_PATTERN);

/** A cell as a number: plain decimal digits with an optional sign and point (1000, -3, 1000.5); undefined otherwise. */
function cellNumber(s: string): number | undefined {
  return NUMBER.test(s) ? Number(s) : undefined;
}

function passes(test: FieldTest, s: string, canonical: string | undefined): boolean {
  switch (test.op) {
    case 'in':
    case 'not': {
      const hit = test.values.has(s.toLowerCase()) || (canonical !== undefined && test.values.has(canonical.toLowerCase()));
      return test.op === 'in' ? hit : !hit;
    }
    case 'contains': {
      const text = foldText(canonical || s);
      return test.needles.some((n) => text.includes(n));
    }
    case 'matches':
      return test.re.test(canonical || s);
    default: {
      const v = cellNumber(canonical || s);
      if (v === undefined) return false;
      return test.op === 'gt' ? v > test.n : test.op === 'gte' ? v >= test.n : test.op === 'lt' ? v < test.n : v <= test.n;
    }
  }
}

const BELOW = { gt: 'at most', gte: 'below', lt: 'at least', lte: 'above' } as const;

/** Conditions that must all hold, compiled against one file's columns. */
export class ConditionSet {
  private readonly nodes: Node[];

  constructor(conds: Condition[], source: (c: Extract<Condition, { kind: 'field' }>) => FieldSource) {
    const build = (cs: Condition[]): Node[] =>
      cs.map((c) => (c.kind === 'field' ? { kind: 'field', label: c.label, test: c.test, src: source(c), memo: new Map() } : { kind: c.kind, of: c.of.map(build) }));
    this.nodes = build(conds);
  }

  get empty(): boolean {
    return !this.nodes.length;
  }

  holds(t: Ticket, policy?: string): boolean {
    return this.failing(t, policy, false) === undefined;
  }

  /** Why the ticket does not meet them (the first condition that fails), or undefined when it does. */
  reason(t: Ticket, policy?: string): string | undefined {
    return this.failing(t, policy, true);
  }

  private failing(t: Ticket, policy: string | undefined, words: boolean, nodes = this.nodes): string | undefined {
    for (const n of nodes) {
      if (n.kind === 'field') {
        const raw = n.src.raw(t, policy);
        const canonical = n.src.canonical?.(t);
        const key = canonical === undefined ? raw : `${raw}\u0000${canonical}`;
        let hit = n.memo.get(key);
        if (hit === undefined) {
          hit = passes(n.test, n.src.clean(t, raw), canonical);
          if (n.memo.size < 10_000) n.memo.set(key, hit);
        }
        if (!hit) return words ? fieldReason(n, n.src.clean(t, raw), canonical) : '';
      } else if (n.kind === 'all') {
        for (const g of n.of) {
          const why = this.failing(t, policy, words, g);
          if (why !== undefined) return why;
        }
      } else {
        const whys: string[] = [];
        for (const g of n.of) {
          const why = this.failing(t, policy, words, g);
          if (why === undefined) break;
          whys.push(why);
        }
        if (whys.length === n.of.length) return words ? `no entry of any: holds (${whys.join('; ')})` : '';
      }
    }
    return undefined;
  }
}

/** Why a field's test failed, without the cell's own text (the priority excepted). */
function fieldReason(n: Extract<Node, { kind: 'field' }>, s: string, canonical: string | undefined): string {
  const { label, test } = n;
  const own = canonical !== undefined ? `"${canonical || s}"` : undefined;
  const value = canonical || s;
  switch (test.op) {
    case 'in':
      return `${label} is ${own ?? (s === '' ? 'empty' : 'another value')}, needs ${test.shown.join(' | ')}`;
    case 'not': {
      const which = test.shown.find((x) => x.trim().toLowerCase() === s.toLowerCase() || x.trim().toLowerCase() === canonical?.toLowerCase());
      return `${label} is ${own ?? (s === '' ? 'empty' : which)}, needs none of ${test.shown.join(' | ')}`;
    }
    case 'contains':
    case 'matches': {
      const verb = test.op === 'contains' ? 'contain' : 'match';
      return value === '' ? `${label} is empty, needs to ${verb} ${test.op === 'contains' ? test.shown.join(' | ') : test.pattern}` : `${label}${own ? ` ${own}` : ''} does not ${describeTest(test).replace(/^\w+/, verb)}`;
    }
    default: {
      if (value === '') return `${label} is empty, needs a number ${describeTest(test)}`;
      if (cellNumber(value) === undefined) return `${label} is ${own ? `${own}, ` : ''}not a number (plain digits such as 1000 or 1000.5), needs ${describeTest(test)}`;
      return `${label} is ${own ? `${own}, ` : ''}${BELOW[test.op]} ${test.n}, needs ${describeTest(test)}`;
    }
  }
}
