/**
 * The five dialects' scripts differ only where the dialect layer (src/sql/dialect.ts) says they do:
 * with every piece the layer writes marked and taken out, what is left (the compiler's own SQL) is
 * the same text for every dialect. Spark, BigQuery and Snowflake parse in their own dialect in
 * test/spark (sqlglot), and Spark runs there too.
 */
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/index.js';
import { compileWith } from '../../src/sql/compile.js';
import { DIALECT, DIALECTS, type Dialect } from '../../src/sql/dialect.js';

const OPEN = '\u0001', CLOSE = '\u0002';

/**
 * What one dialect can do that the others cannot, changing the script's shape where it is used
 * (DuckDB: its timestamp cast for the usual shapes, views read in one pass, a star less some
 * columns): left out here, and
 * held to the same numbers by tests of their own (duckdb-timestamp-cast, the fixtures' parity).
 */
const CAPABILITIES = new Set(['isoWallMs', 'views', 'starExcept', 'groupingSets']);

/** The dialect with everything it writes between markers (without its capabilities). */
function marked(d: Dialect): Dialect {
  const m = (s: string) => `${OPEN}${s}${CLOSE}`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    if (CAPABILITIES.has(k)) continue;
    if (k === 'name') out[k] = v;
    else if (typeof v === 'string') out[k] = m(v);
    else if (k === 'define') {
      out[k] = (name: string, q: string, keep: boolean, stats: boolean) => {
        const [head, tail] = d.define(name, '\u0003', keep, stats).split('\u0003');
        return `${m(head)}${q}${m(tail)}`;
      };
    } else out[k] = (...args: unknown[]) => m((v as (...a: unknown[]) => string)(...args));
  }
  return out as unknown as Dialect;
}

/** The text with every marked piece (innermost first) taken out. */
function unmarked(s: string): string {
  let prev;
  do {
    prev = s;
    s = s.replace(new RegExp(`${OPEN}[^${OPEN}${CLOSE}]*${CLOSE}`, 'g'), '\u0004');
  } while (s !== prev);
  return s;
}

describe('the scripts differ only in what the dialect layer writes', () => {
  test.each([
    ['fixtures/demo/sla.yaml', undefined],
    ['fixtures/events/pauses-from-history/sla.yaml', { table: 'h', id: 'Ticket', time: 'Changed', status: 'New Status' }],
    ['fixtures/presets/zendesk/sla.yaml', undefined],
  ])('%s', (file, history) => {
    const config = loadConfig(file);
    const mapped = config.tickets.columns as Record<string, string[] | undefined>;
    const texts = DIALECTS.map((name) => {
      const d = marked(DIALECT[name]);
      const sql = compileWith({
        config, dialect: name, table: 't', columns: { column: (k) => mapped[k]?.[0] ?? (k.includes(' ') ? k : undefined) }, rowColumn: '_row', history,
        // every dialect compiles the category relations (the cells taken as checked for NFKC), so that the scripts hold the same relations
        nfkcChecked: true, asOf: Date.UTC(2026, 9, 31, 16), range: { from: Date.UTC(2026, 8, 1), to: Date.UTC(2026, 11, 1) }, objectives: config.objectives.filter((o) => o.kind === 'kpi' && o.kpi.endsWith('.compliance')),
      }, d).sql;
      return { name, sql, rest: unmarked(sql.replace(/^-- .*\n/gm, '')) };
    });
    for (const t of texts.slice(1)) expect(t.rest, t.name).toBe(texts[0].rest);
    // and the dialects do write different things: BigQuery has no VALUES and quotes with backticks
    expect(texts.find((t) => t.name === 'bigquery')!.sql).toContain('UNNEST([');
    expect(texts.find((t) => t.name === 'duckdb')!.sql).toContain('(VALUES');
  });
});
