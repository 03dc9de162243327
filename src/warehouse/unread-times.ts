/**
 * The times the compiled SQL leaves unread (its `not a timestamp the SQL reads as the engine does`
 * problem) read again with the engine's own parser for the config's timestamp_format. Where the
 * engine reads one, `check` on the same rows would audit that ticket: the run is refused rather
 * than reported with other numbers. Texts neither reads stay problems, as `check` has them.
 */
import { InputError } from '../errors.js';
import { makeParser, needsDateOrder } from '../time/timestamp.js';
import type { Zone } from '../time/zone.js';

/**
 * Whether the engine reads a text as a timestamp in this format. `auto` decides day-first or
 * month-first (01/02/2026) from a file's first rows, which a table has no notion of: such a text
 * counts as read when either order reads it (check would read it, or refuse the file as ambiguous).
 */
export function engineReads(format: string, zone: Zone): (text: string) => boolean {
  const f = format.trim();
  const plain = makeParser(f, zone);
  if (typeof plain === 'string') return () => false; // a format the SQL refuses too: nothing is compiled
  if (f !== '' && f !== 'auto') return (t) => Number.isFinite(plain(t));
  const dmy = makeParser(f, zone, 'dmy') as Exclude<typeof plain, string>;
  const mdy = makeParser(f, zone, 'mdy') as Exclude<typeof plain, string>;
  return (t) => (needsDateOrder(t) ? Number.isFinite(dmy(t)) || Number.isFinite(mdy(t)) : Number.isFinite(plain(t)));
}

/** The engine-read cells found so far: per column, how many and the first row. */
export class UnreadTimes {
  private readonly found = new Map<string, { n: number; first: number }>();
  private readonly reads: (text: string) => boolean;

  constructor(format: string, zone: Zone) {
    this.reads = engineReads(format, zone);
  }

  /** One row's cell the SQL did not read (null: it read it, or the cell is empty). */
  add(column: string, row: number, text: string | null): void {
    if (text === null || !this.reads(text)) return;
    const f = this.found.get(column);
    if (f) {
      f.n++;
      f.first = Math.min(f.first, row);
    } else this.found.set(column, { n: 1, first: row });
  }

  /** The refusal (one line, no cell text) when the engine reads any of them; undefined when it reads none. */
  refusal(where: string, format: string): InputError | undefined {
    const all = [...this.found].sort((a, b) => a[1].first - b[1].first);
    if (!all.length) return undefined;
    const [[column, { n, first }], ...rest] = all;
    const more = rest.reduce((a, [, x]) => a + x.n, 0);
    const f = format.trim();
    const auto = f === '' || f === 'auto';
    const what = auto ? "timestamp_format auto reads them in check, the SQL's auto reads ISO 8601 only" : `check reads them with timestamp_format "${f}", the SQL does not`;
    const fix = auto ? 'set tickets.timestamp_format to the pattern of these times (e.g. "yyyy/MM/dd HH:mm"), which the SQL compiles, or run sla-audit check on an export of the table' : 'run sla-audit check on an export of the table';
    return new InputError(`${where}, column "${column}": ${n} time${n === 1 ? '' : 's'} (the first in row ${first})${more ? ` and ${more} in other columns` : ''} the SQL does not read as the engine does (${what}): refused rather than audited with other numbers; ${fix}`);
  }
}
