import { expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explain, explainText, loadConfig, parseInstant } from '../../src/index.js';
import { Zone } from '../../src/time/zone.js';
import { reportsOf } from '../helpers/index.js';
import { FIXTURES } from '../engine/run.js';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?(Z|[+-]\d{2}:\d{2})$/;
const CFG = `timezone: Asia/Shanghai
tickets:
  columns: { id: id, created_at: created, first_response_at: replied, resolved_at: resolved }
policies:
  - name: All
    targets: { first_response: { default: 1h }, resolution: { default: 8h } }
`;

function files(csv: string) {
  const dir = mkdtempSync(join(tmpdir(), 'sla-rfc-'));
  writeFileSync(join(dir, 'sla.yaml'), CFG);
  writeFileSync(join(dir, 't.csv'), csv);
  return { config: join(dir, 'sla.yaml'), tickets: join(dir, 't.csv') };
}
const timesIn = (csv: string) => csv.trim().split('\n').slice(1).flatMap((l) => l.split(',').slice(7)).filter((v) => v !== '');

test('Shanghai in 1900 ran on local mean time (+08:05:43): its instants are written in UTC, so every time is RFC 3339', async () => {
  const f = files('id,created,replied,resolved\nOLD,1900-01-01 00:00,1900-01-01 00:30,\n');
  const { csv, json } = await reportsOf(f.config, [f.tickets], '2026-01-01T00:00');
  // 00:00 local mean time is 15:54:17 UTC; the response came 30 minutes later, within 1h; the
  // resolution (8h) is still open. Its elapsed time on 24x7 is the real time between
  // 1899-12-31T15:54:17Z and --as-of 2025-12-31T16:00:00Z: whole days and 5m43s, 66,270,245.72
  // minutes (the day Shanghai left local mean time set its clocks back 5m43s, like a fall-back day,
  // and both passes of the repeated minutes count)
  const [response, resolution] = csv.trim().split('\n').slice(1);
  expect(response).toBe('OLD,All,,first_response,met,60,30,1899-12-31T16:54:17Z,1899-12-31T16:24:17Z');
  expect((Date.parse('2025-12-31T16:00:00Z') - Date.parse('1899-12-31T15:54:17Z')) / 60_000).toBeCloseTo(66270245.72, 2);
  expect(resolution).toBe('OLD,All,,resolution,overdue,480,66270245.72,1899-12-31T23:54:17Z,');
  for (const t of timesIn(csv)) expect(t).toMatch(RFC3339);
  expect(json.asOf).toBe('2026-01-01T00:00:00+08:00');
  expect(json.breaches.map((b: { due_at: string }) => b.due_at)).toEqual(['1899-12-31T23:54:17Z']);
  for (const b of json.breaches) expect(b.due_at).toMatch(RFC3339);
  // for people, the wall clock as it was
  expect(Zone.of('Asia/Shanghai').formatShort(Date.parse('1899-12-31T15:54:17Z'))).toBe('1900-01-01 00:00');
});

test('milliseconds are kept when there are any, and only then', async () => {
  const f = files('id,created,replied,resolved\nMS,2026-05-01T10:00:00.250+08:00,2026-05-01T10:30:30.5+08:00,2026-05-01 12:00\n');
  const { csv } = await reportsOf(f.config, [f.tickets], '2026-06-01T00:00');
  expect(csv.trim().split('\n').slice(1)).toEqual([
    'MS,All,,first_response,met,60,30.5,2026-05-01T11:00:00.250+08:00,2026-05-01T10:30:30.500+08:00',
    'MS,All,,resolution,met,480,120,2026-05-01T18:00:00.250+08:00,2026-05-01T12:00:00+08:00',
  ]);
  for (const t of timesIn(csv)) expect(t).toMatch(RFC3339);
});

test('a ticket paused at --as-of has no due time: an empty cell in CSV, null in JSON, "not yet" in text', async () => {
  const DIR = join(FIXTURES, 'events/pauses-from-history');
  const events = [join(DIR, 'history.csv')];
  const { csv } = await reportsOf(join(DIR, 'sla.yaml'), [join(DIR, 'tickets.csv')], '2026-06-08T12:00', { events });
  expect(csv.split('\n').filter((l) => l.startsWith('E3,'))).toEqual([
    'E3,Desk,,first_response,running,120,60,,',
    'E3,Desk,,resolution,running,480,60,,',
  ]);
  for (const t of timesIn(csv)) expect(t).toMatch(RFC3339);
  const config = loadConfig(join(DIR, 'sla.yaml'));
  const story = await explain({ config, inputs: [join(DIR, 'tickets.csv')], events, asOf: parseInstant('--as-of', '2026-06-08T12:00', config.zone), id: 'E3' });
  expect(story.metrics[1].due_at).toBeNull();
  expect(explainText(story)).toContain('  due         not yet (paused)\n');
  expect(() => Zone.of('UTC').format(Infinity)).toThrow(RangeError);
});
