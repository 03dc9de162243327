import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadConfig } from '../../src/config/load.js';
import { audit } from '../../src/index.js';
import { InputError } from '../../src/errors.js';
import { parseInstant } from '../../src/time/instant.js';
import { FIXTURES } from '../engine/run.js';

// Large files are parsed in a worker thread; the results must not depend on it.
async function both(configFile: string, csv: string, asOf: string, extra: Record<string, unknown> = {}) {
  const config = loadConfig(join(FIXTURES, configFile));
  const run = async (worker: 'always' | 'never') => {
    const ids: string[] = [];
    const r = await audit({ config, inputs: [join(FIXTURES, csv)], asOf: parseInstant('--as-of', asOf, config.zone), worker, onTicket: ({ ticket: t }) => ids.push(`${t.id}@${t.row}`), ...extra });
    return { r, ids };
  };
  return [await run('never'), await run('always')];
}

describe('parsing in a worker thread gives the same results', () => {
  test.each([
    ['demo/sla.yaml', 'demo/tickets.csv', '2026-11-01T00:00'],
    ['input/bad-rows/sla.yaml', 'input/bad-rows/tickets.csv', '2026-05-15T00:00'],
    ['input/encodings/late.yaml', 'input/encodings/late-gb18030.csv', '2026-04-01T00:00'],
    ['input/encodings/sla.yaml', 'input/encodings/utf16be.csv', '2026-04-01T00:00'],
    ['presets/servicenow/sla.yaml', 'presets/servicenow/incidents.csv', '2016-06-01T00:00'],
  ])('%s with %s', async (cfg, csv, asOf) => {
    const [a, b] = await both(cfg, csv, asOf);
    expect(b.r).toEqual(a.r);
    expect(b.ids).toEqual(a.ids);
  });

  test('whole-file errors come back as the same InputError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-wk-'));
    writeFileSync(join(dir, 'book.xlsx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]));
    writeFileSync(join(dir, 'nocol.csv'), 'Ticket ID,Opened\nT1,2026-10-08 10:00\n');
    const config = loadConfig(join(FIXTURES, 'demo/sla.yaml'));
    for (const [file, message] of [
      ['book.xlsx', /book\.xlsx: cannot be read as an xlsx workbook/],
      ['nocol.csv', /nocol\.csv: no column "Created" for created_at/],
    ] as const) {
      for (const worker of ['never', 'always'] as const) {
        const p = audit({ config, inputs: [join(dir, file)], asOf: Date.now(), worker });
        await expect(p).rejects.toThrow(InputError);
        await expect(p).rejects.toThrow(message);
      }
    }
  });
});
