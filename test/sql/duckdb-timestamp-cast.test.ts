/**
 * DuckDB reads the usual ISO shapes of timestamp_format auto (yyyy-MM-dd HH:mm[:ss], T or space,
 * with or without an offset) through its own timestamp cast instead of the fields by position.
 * Differential: on hand-picked edge texts (24:00, February 29, a lowercase t, years 1899 and 2200,
 * seconds 60, offsets out of range) and on random texts of those shapes with random digits, the
 * cast's reading equals the fields' reading (the same compiled expression without the cast, run on
 * DuckDB), and wherever the SQL reads a text inside the range its zone's offsets are laid out for,
 * its instant is the engine's reference parser's.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DIALECT } from '../../src/sql/dialect.js';
import { timestampSql } from '../../src/sql/timestamps.js';
import { makeReferenceParser } from '../../src/time/timestamp.js';
import { Zone } from '../../src/time/zone.js';
import { duckdbRunner, type SqlRunner } from '../helpers/sql-parity.js';

const FROM = Date.UTC(2024, 0, 1);
const TO = Date.UTC(2027, 0, 1);

const EDGES = [
  '2025-01-01 00:34', '2025-01-01T00:34', '2025-01-01t00:34', '2025-01-01 00:34:59', '2025-01-01T23:59:59',
  '2024-02-29 12:00', '2025-02-29 12:00', '2025-04-31 10:00', '2025-13-01 00:00', '2025-00-10 00:00', '2025-01-00 00:00',
  '2025-01-01 24:00', '2025-01-01 24:00:00', '2025-12-31 24:00', '2199-12-31 24:00', '2025-01-01 24:30', '2025-01-01 24:00:01', '2025-01-01 25:00',
  '2025-01-01 00:60', '2025-01-01 00:00:60', '1899-12-31 23:59', '1900-01-01 00:00', '2199-12-31 23:59:59', '2200-01-01 00:00', '0000-01-01 00:00',
  '2025-01-01 08:00:00+08', '2025-01-01 08:00:00+0800', '2025-01-01 08:00:00+08:00', '2025-01-01 08:00:00-05:30', '2025-01-01 08:00:00Z',
  '2025-01-01 08:00:00+19', '2025-01-01 08:00:00+08:60', '2025-01-01t08:00:00Z', '2025-02-30 08:00:00Z', '2025-01-01 24:00:00+08',
  '2025-3-9 7:05', '2025-01-01', '2025-01-01 00:34:59.5', '2025-01-01  00:34',
];

const pad = (n: number) => String(n).padStart(2, '0');
const two = fc.integer({ min: 0, max: 99 }).map(pad);
/** mostly a value in range, sometimes any two digits */
const field = (min: number, max: number) => fc.oneof({ weight: 4, arbitrary: fc.integer({ min, max }).map(pad) }, { weight: 1, arbitrary: two });
const year = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('2024', '2025', '2026') }, { weight: 1, arbitrary: fc.constantFrom('1899', '1900', '2199', '2200') });
const offset = fc.constantFrom('', 'Z', '+08', '-0530', '+05:45', '+19', '+08:75');
const usual = fc.tuple(year, field(1, 12), field(1, 31), fc.constantFrom(' ', 'T', 't'), field(0, 24), field(0, 59), fc.option(field(0, 59), { nil: undefined }), offset)
  .map(([y, mo, d, sep, h, mi, s, off]) => `${y}-${mo}-${d}${sep}${h}:${mi}${s === undefined ? '' : `:${s}`}${s === undefined ? '' : off}`);

describe('DuckDB: the timestamp cast reads the usual shapes as the fields do', () => {
  let db: SqlRunner;
  beforeAll(async () => {
    db = await duckdbRunner();
  });
  afterAll(async () => {
    await db?.close();
  });

  for (const zoneName of ['Asia/Shanghai', 'America/New_York', 'UTC']) {
    test(`${zoneName}: edge texts and random ones`, async () => {
      const zone = Zone.of(zoneName);
      const texts = [...EDGES, ...fc.sample(usual, { numRuns: 400, seed: 22 })];
      const cast = timestampSql(DIALECT.duckdb, 't.x', 'auto', zone, FROM, TO);
      const fields = timestampSql({ ...DIALECT.duckdb, isoWallMs: undefined }, 't.x', 'auto', zone, FROM, TO);
      expect(cast).toContain('TRY_CAST');
      expect(fields).not.toContain('TRY_CAST');
      const values = texts.map((x) => `('${x}')`).join(', ');
      const rows = await db.run(`SELECT t.x, ${cast} AS by_cast, ${fields} AS by_fields FROM (VALUES ${values}) AS t(x)`);
      expect(rows).toHaveLength(texts.length);
      const reference = makeReferenceParser('auto', zone);
      if (typeof reference === 'string') throw new Error(reference);
      let read = 0;
      for (const r of rows) {
        const x = String(r.x);
        const byCast = r.by_cast === null ? null : Number(r.by_cast);
        const byFields = r.by_fields === null ? null : Number(r.by_fields);
        expect({ x, byCast }).toEqual({ x, byCast: byFields });
        if (byCast === null) continue;
        read++;
        // the zone's offsets are laid out for the spine's range (as the CLI asks): compared there
        if (byCast >= FROM && byCast < TO) expect({ x, byCast }).toEqual({ x, byCast: reference(x) });
      }
      // the usual texts the engine reads are read (not all left to the problems)
      for (const x of ['2025-01-01 00:34', '2025-01-01T00:34', '2025-01-01t00:34', '2025-01-01 24:00', '2199-12-31 24:00', '2025-01-01 08:00:00+08:00']) {
        expect({ x, read: rows.find((r) => r.x === x)?.by_cast !== null }).toEqual({ x, read: true });
      }
      expect(read).toBeGreaterThan(texts.length / 4);
    });
  }
});
