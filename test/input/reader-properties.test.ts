import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Readable } from 'node:stream';
import { audit } from '../../src/index.js';
import { UserError } from '../../src/errors.js';
import { makeParser, type Why } from '../../src/time/timestamp.js';
import { Zone } from '../../src/time/zone.js';
import { cfg } from '../helpers/index.js';

const config = cfg(`timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved, priority: priority }
priorities: { P1: [Urgent], P2: [High] }
policies:
  - name: All
    targets: { first_response: { default: 1h }, resolution: { default: 8h } }
categories:
  rules: [{ category: 物流, keywords: [快递] }]
`);
const asOf = Date.parse('2026-06-01T00:00:00Z');

/** Runs the whole reader and engine on bytes; only a UserError may come out, and every row is accounted for. */
async function survives(bytes: Uint8Array): Promise<void> {
  try {
    const r = await audit({ config, inputs: ['-'], stdin: Readable.from([Buffer.from(bytes)]), asOf });
    expect(r.totals.rows).toBe(r.totals.tickets + r.totals.problems);
    expect(r.totals.evaluated).toBeLessThanOrEqual(r.totals.tickets);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    expect(e.message).not.toMatch(/\n\s+at /);
  }
}

const HEADER = 'id,created,replied,resolved,priority\n';

describe('the reader never crashes', () => {
  test('random bytes, alone or after a valid header (500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 300 }), async (withHeader, noise) => {
        const bytes = withHeader ? Buffer.concat([Buffer.from(HEADER), noise]) : noise;
        await survives(bytes);
      }),
      { numRuns: 500, seed: 1 },
    );
  });

  const cell = fc.oneof(
    fc.constantFrom('', 'T1', 'T1', 'T2', '2026-05-01 09:00', '2026-05-01 10:30', '2026-02-30 10:00', '31/12/2026 10:00', 'Urgent', 'High', 'N/A', '快递', '"', '""', ',', '\n', '\r\n', '\uFEFF', ' ', '\t', '2026-13-01', '1772328600000'),
    fc.string({ maxLength: 12 }),
  );
  const row = fc.array(cell, { minLength: 0, maxLength: 7 });
  test('random CSV shapes: quotes, delimiters, line breaks, BOMs, ragged rows (500 cases)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 12 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), async (rows, eol, quoteAll) => {
        const text = HEADER + rows.map((r) => r.map((c) => (quoteAll ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join(eol);
        await survives(Buffer.from(text));
      }),
      { numRuns: 500, seed: 2 },
    );
  });
});

describe('timestamp parsing never throws', () => {
  const zone = Zone.of('America/New_York');
  const parsers = ['auto', 'dd-MM-yyyy HH:mm', 'MM/dd/yyyy hh:mm a', 'dd/MMM/yy h:mm a', 'epoch', 'epoch-ms'].map((f) => makeParser(f, zone, 'dmy'));
  test('random text gives an instant or NaN with a reason (2,000 cases)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.stringMatching(/^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?( ?[AP]M)?)?$/)), (text) => {
        for (const p of parsers) {
          if (typeof p === 'string') throw new Error(p);
          const ms = p(text);
          if (Number.isNaN(ms)) {
            const why: Why = {};
            p(text, why);
            expect(why.reason).toBeTruthy();
          } else expect(Number.isFinite(ms)).toBe(true);
        }
      }),
      { numRuns: 2000, seed: 3 },
    );
  });
});

describe('the timestamp fast path agrees with the general scanner', () => {
  test('random yyyy-MM-dd HH:mm[:ss][Z|±HH:MM] (1,000 cases)', () => {
    const zone = Zone.of('Asia/Shanghai');
    const auto = makeParser('auto', zone);
    if (typeof auto === 'string') throw new Error(auto);
    // the same text with a leading space skips the fast path and goes through the scanner
    fc.assert(
      fc.property(
        fc.integer({ min: 1890, max: 2210 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 60 }), fc.option(fc.integer({ min: 0, max: 60 })),
        fc.constantFrom('', 'Z', '+08:00', '-05:30', '+14:00', '+19:00'), fc.constantFrom(' ', 'T'),
        (y, mo, d, h, mi, s, off, sep) => {
          const p2 = (n: number) => String(n).padStart(2, '0');
          const text = `${y}-${p2(mo)}-${p2(d)}${sep}${p2(h)}:${p2(mi)}${s === null ? '' : `:${p2(s)}`}${off}`;
          const fast = auto(text);
          const slow = auto(` ${text}`);
          expect(Number.isNaN(fast) ? 'NaN' : fast).toEqual(Number.isNaN(slow) ? 'NaN' : slow);
        },
      ),
      { numRuns: 1000, seed: 7 },
    );
  });
});
