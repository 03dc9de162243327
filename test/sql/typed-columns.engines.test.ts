/**
 * `sql --typed`: times already held as timestamptz are read as they are, and give the same rows as
 * the same export held as text (which the fixture parity tests hold to the engine's): the demo's
 * 412 tickets, their naive Shanghai times typed as a warehouse holds them, on PostgreSQL (PGlite
 * and a real server where its binaries are here).
 */
import { describe, expect, test } from 'vitest';
import { loadConfig, parseInstant } from '../../src/index.js';
import { compileSql } from '../../src/sql/index.js';
import { spineRangeFor } from '../../src/sql/range.js';
import { CANONICAL_FIELDS } from '../../src/config/schema.js';
import { loadTable } from '../helpers/sql-parity.js';
import { sqlEngines } from '../helpers/sql-engines.js';

const config = loadConfig('fixtures/demo/sla.yaml');
const asOf = parseInstant('--as-of', '2026-11-01T00:00', config.zone);
const range = spineRangeFor(config, parseInstant('--from', '2026-10-01', config.zone), asOf);
const TIMES = ['Created', 'First Reply', 'Resolved'];

for (const e of sqlEngines().filter((x) => x.name.startsWith('PostgreSQL'))) {
  describe.skipIf(e.skip !== undefined)(`${e.name}: --typed${e.skip ? ` (skipped: ${e.skip})` : ''}`, () => {
    test('timestamptz columns give the rows their text gives', async () => {
      const db = await e.make();
      try {
        const header = await loadTable(db, 'tickets', 'fixtures/demo/tickets.csv');
        const q = (c: string) => `"${c}"`;
        await db.run(`DROP TABLE IF EXISTS typed; CREATE TABLE typed AS SELECT ${header.map((h) => (TIMES.includes(h) ? `(NULLIF(${q(h)}, '') || ' Asia/Shanghai')::timestamptz AS ${q(h)}` : q(h))).join(', ')} FROM tickets`);
        // as the sql command maps them: a canonical field by its first header, any other name as itself
        const canonical = new Set<string>(CANONICAL_FIELDS);
        const columns = { column: (k: string) => (canonical.has(k) ? (config.tickets.columns as Record<string, string[] | undefined>)[k]?.[0] : k) };
        const rows = async (table: string, typed: boolean) => {
          const c = compileSql({ config, dialect: 'postgres', table, columns, asOf, range, typed, objectives: config.objectives });
          await db.run(c.statements.join('\n'));
          // row_no aside: without --row-column it is the order of a table scan
          const all = await db.run('SELECT * FROM sla_ticket_metrics ORDER BY ticket_id, metric');
          // and each value as text: a time computed from text is NUMERIC there, from a timestamptz BIGINT
          return { rows: all.map(({ row_no: _, ...r }) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)]))), problems: await db.run('SELECT * FROM sla_problems') };
        };
        const text = await rows('tickets', false);
        const typed = await rows('typed', true);
        expect(text.rows).toHaveLength(412 * 2);
        expect(typed.problems).toEqual([]);
        expect(typed.rows).toEqual(text.rows);
      } finally {
        await db.close();
      }
    });
  });
}
