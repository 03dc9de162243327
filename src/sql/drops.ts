/**
 * The script's intermediate tables dropped as soon as their last reader has run: on DuckDB every
 * TEMP table is held uncompressed in memory (a million tickets' parsed rows alone are ~270 MB), on
 * PostgreSQL and the warehouses they are temporary storage, and with Spark's --schema they would
 * stay in the schema beside the kept results. A relation is read by a statement that names it, or
 * that names a view (computed again where it is read) that reads it; views themselves hold nothing
 * and are left.
 */
import type { Dialect } from './dialect.js';

/**
 * The definitions of `relations` (`definitions`, one statement each, in order) with a drop of each
 * table not in `kept` placed right after the last statement that reads it. `isTable` says which
 * relations the dialect materialises.
 */
export function withDrops(d: Dialect, relations: readonly (readonly [string, string])[], definitions: readonly string[], isTable: (name: string) => boolean, kept: ReadonlySet<string>): string[] {
  const reads = new Map<string, Set<string>>();
  const last = new Map<string, number>();
  relations.forEach(([name, query], i) => {
    const read = new Set<string>();
    for (const [earlier] of relations.slice(0, i)) {
      if (!new RegExp(`\\b${earlier}\\b`).test(query)) continue;
      read.add(earlier);
      // a view is computed here: what it reads is read here too
      if (!isTable(earlier)) for (const r of reads.get(earlier) ?? []) read.add(r);
    }
    reads.set(name, read);
    last.set(name, i);
    for (const r of read) last.set(r, i);
  });
  const after = new Map<number, string[]>();
  for (const [name] of relations) {
    if (kept.has(name) || !isTable(name)) continue;
    const i = last.get(name)!;
    after.set(i, [...(after.get(i) ?? []), d.drop(name)]);
  }
  return definitions.flatMap((statement, i) => [statement, ...(after.get(i) ?? [])]);
}
