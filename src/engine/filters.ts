/**
 * What a ticket is, for grouping and judging: the value of a group field (priority, policy, a
 * canonical field or a raw header), and whether it meets an objective's conditions (priority,
 * policy, where:, effective range). Compiled once per input file against its columns.
 */
import { InputError } from '../errors.js';
import type { KpiObjective } from '../config/types.js';
import type { Columns, Ticket } from '../model/ticket.js';
import { ConditionSet } from './conditions.js';

export const NONE_KEY = '(none)';
export const NO_POLICY = '(no policy)';

/** Column of a group field in a file: -1 priority, -2 policy; a missing column is refused, naming `who` asks for it. */
export function fieldColumn(field: string, columns: Columns, who: string): number {
  const f = field.trim().toLowerCase();
  if (f === 'priority') return -1;
  if (f === 'policy') return -2;
  const col = columns.resolve(field);
  if (col === undefined) throw new InputError(`${who}: ${columns.file} has no such column (headers: ${columns.header.map((h) => `"${h.trim()}"`).join(', ')})`);
  return col;
}

/** A ticket's value of a group field (see fieldColumn), or "(none)". */
export function fieldValue(t: Ticket, col: number, policy: string | undefined): string {
  if (col === -1) return t.priority || NONE_KEY;
  if (col === -2) return policy ?? NO_POLICY;
  return t.columns.text(t.cells, col) || NONE_KEY;
}

/** An objective's test of a ticket: in its range, of its priority and policy, meeting its where: conditions. */
export class ObjectiveFilter {
  private readonly conds: ConditionSet;

  constructor(
    private readonly o: KpiObjective,
    columns: Columns,
    label: string,
  ) {
    // the same conditions as a policy's when: (engine/conditions.ts), on group fields: priority is the canonical one, policy the matched one
    this.conds = new ConditionSet(o.where, (c) => {
      const col = fieldColumn(c.label, columns, `${label} where: ${c.label}`);
      return {
        raw: (t, policy) => (col === -1 ? t.priority : col === -2 ? policy ?? '' : t.cells[col] ?? ''),
        clean: (t, raw) => (col < 0 ? raw : t.columns.isNull(raw) ? '' : raw.trim()),
      };
    });
  }

  /** Whether it holds for every ticket (no range, priority, policy or condition). */
  get always(): boolean {
    const o = this.o;
    return o.from === undefined && o.to === undefined && o.priority === undefined && o.policy === undefined && this.conds.empty;
  }

  holds(t: Ticket, policy: string | undefined): boolean {
    const o = this.o;
    if (o.from !== undefined && t.created < o.from) return false;
    if (o.to !== undefined && t.created >= o.to) return false;
    if (o.priority !== undefined && o.priority !== (t.priority || NONE_KEY)) return false;
    if (o.policy !== undefined && o.policy !== (policy ?? NO_POLICY)) return false;
    return this.conds.empty || this.conds.holds(t, policy);
  }
}
