import { expect, test } from 'vitest';
import { linkSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audit, InputError } from '../../src/index.js';
import { at, cfg } from '../helpers/index.js';

// Read twice, every row of a file would be a duplicate id replacing itself.
const config = cfg(`timezone: UTC
tickets:
  columns: { id: id, created_at: created, first_response_at: replied }
policies:
  - name: All
    targets: { first_response: { default: 1h } }
`);
const dir = mkdtempSync(join(tmpdir(), 'sla-twice-'));
const a = join(dir, 'a.csv');
const b = join(dir, 'b.csv');
writeFileSync(a, 'id,created,replied\nX1,2026-05-01 09:00,2026-05-01 09:30\n');
writeFileSync(b, 'id,created,replied\nX2,2026-05-01 09:00,2026-05-01 09:30\n');
symlinkSync(a, join(dir, 'link.csv'));
linkSync(a, join(dir, 'hard.csv'));
const run = (inputs: string[], events?: string[]) => audit({ config, inputs, events, asOf: at('2026-05-02T00:00', 'UTC') });

test.each([
  ['by the same name', [a, b, a], `${a} is given twice; pass each file once`],
  ['through a symbolic link', [a, join(dir, 'link.csv')], `${join(dir, 'link.csv')} is given twice (it is the same file as ${a}); pass each file once`],
  ['through a hard link', [join(dir, 'hard.csv'), b, a], `${a} is given twice (it is the same file as ${join(dir, 'hard.csv')}); pass each file once`],
])('a file given twice %s is refused before anything is read', async (_name, inputs, message) => {
  await expect(run(inputs)).rejects.toThrow(new InputError(message));
});

test('--events files too; two different files are fine', async () => {
  await expect(run([b], [a, join(dir, 'link.csv')])).rejects.toThrow(new InputError(`--events ${join(dir, 'link.csv')} is given twice (it is the same file as ${a}); pass each file once`));
  const r = await run([a, b]);
  expect(r.totals).toMatchObject({ rows: 2, evaluated: 2, problems: 0 });
});
