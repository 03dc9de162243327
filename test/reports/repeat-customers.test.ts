import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runFixture } from '../engine/run.js';
import { cli } from '../cli/run.js';

const DIR = 'reports/repeat-customers';
const ARGS = ['check', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets.csv`, '--as-of', '2026-04-01', '-q'];
const tmp = mkdtempSync(join(tmpdir(), 'sla-repeats-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const HOSTILE = "=cmd|' /C calc'!A0";

// repeat_within 7d (SPEC §7: same customer and category within 7 days of their previous ticket), UTC:
// A 物流: R1 03-02 09:00, R2 03-05 (3 days: repeat), R3 03-20 (15 days: not), R4 03-24 08:00 (4 days: repeat) → 4 tickets, 2 repeats
// A 价格: R5 alone → not listed · C 物流: R11 alone → not listed
// hostile key 物流: R6 03-02 12:00, R7 03-04 (2 days: repeat) → 2, 1
// B 价格: R8 was 03-10, but row 15 (same id, the later row wins) makes it 03-09; R9 03-11 (2 days), R10 03-12 (1 day) → 3, 2;
//   first R8 at 03-09 (the replacing row)
// D 物流: D1 03-15 is replaced by row 16 (D1 at 03-17), so D2 03-16 is the first and D1 03-17 (1 day later) a repeat → 2, 1.
//   The first ticket's place was taken back out: only its minute is known again (from the sorted keys), its id is left empty
const ROWS = [
  ['A', '物流', 4, 2, 'R1', '2026-03-02T09:00:00+00:00', 'R4', '2026-03-24T08:00:00+00:00'],
  ['B', '价格', 3, 2, 'R8', '2026-03-09T09:00:00+00:00', 'R10', '2026-03-12T09:00:00+00:00'],
  [HOSTILE, '物流', 2, 1, 'R6', '2026-03-02T12:00:00+00:00', 'R7', '2026-03-04T12:00:00+00:00'],
  ['D', '物流', 2, 1, '', '2026-03-16T09:00:00+00:00', 'D1', '2026-03-17T09:00:00+00:00'],
];
const HEADER = 'customer,category,tickets,repeats,first_ticket_id,first_created_at,last_ticket_id,last_created_at';
const line = (r: (string | number)[], key: (c: string) => string) => [key(String(r[0])), ...r.slice(1)].join(',');

describe('-o repeats.csv: customers with repeat complaints', () => {
  test('the engine lists them from its own repeat detection, most repeats first', async () => {
    const { result } = await runFixture(DIR, '2026-04-01T00:00', { listRepeats: true });
    // the same detection as the categories' repeat counts: 物流 2 + 1 + 1 = 4, 价格 2
    expect(Object.fromEntries(result.categories.map((c) => [c.name, c.repeat]))).toEqual({ 物流: 4, 价格: 2 });
    expect(result.repeatCustomers!.map((r) => [r.customer, r.category, r.tickets, r.repeats, r.firstId ?? ''])).toEqual(ROWS.map((r) => r.slice(0, 5)));
  });

  test('raw keys as in the export, escaped against formula injection as the per-ticket CSV is', async () => {
    const out = join(tmp, 'repeats.csv');
    const r = await cli([...ARGS, '-o', out]);
    expect(r.exitCode).toBe(0);
    // the hostile key gets a leading apostrophe, so a spreadsheet shows it as text
    expect(readFileSync(out, 'utf8')).toBe([HEADER, ...ROWS.map((x) => line(x, (c) => (c === HOSTILE ? `'${c}` : c)))].join('\n') + '\n');
  });

  test('--customer-key hash: HMAC-SHA-256 under SLA_AUDIT_HASH_KEY, 16 hex digits, the same from run to run', async () => {
    const out = join(tmp, 'team.repeats.csv');
    const env = { SLA_AUDIT_HASH_KEY: 'a secret of our own' };
    const r = await cli([...ARGS, '-o', out, '--customer-key', 'hash'], { env });
    expect([r.exitCode, r.stderr.includes('SLA_AUDIT_HASH_KEY')]).toEqual([0, false]);
    // computed independently here with node's HMAC
    const hmac = (c: string) => createHmac('sha256', 'a secret of our own').update(c).digest('hex').slice(0, 16);
    const text = readFileSync(out, 'utf8');
    expect(text).toBe([HEADER, ...ROWS.map((x) => line(x, hmac))].join('\n') + '\n');
    expect(text).not.toContain('calc');
    await cli([...ARGS, '-o', out, '--customer-key', 'hash'], { env });
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  test('--customer-key hash without a key: a key made for the run, and a note saying so', async () => {
    const out = join(tmp, 'once-repeats.csv');
    const r = await cli([...ARGS, '-o', out, '--customer-key', 'hash'], { env: { SLA_AUDIT_HASH_KEY: '' } });
    expect(r.stderr).toContain('sla-audit: note: --customer-key hash: SLA_AUDIT_HASH_KEY is not set, so the customers are hashed with a key made for this run only');
    const first = readFileSync(out, 'utf8');
    await cli([...ARGS, '-o', out, '--customer-key', 'hash'], { env: { SLA_AUDIT_HASH_KEY: '' } });
    // another run, another key: other hashes for the same customers
    expect(readFileSync(out, 'utf8').split('\n')[1].split(',')[0]).not.toBe(first.split('\n')[1].split(',')[0]);
    expect(first.split('\n')[1]).toMatch(/^[0-9a-f]{16},物流,4,2,R1,/);
  });

  test('--customer-key short: at most 3 characters and never more than half, then …', async () => {
    const out = join(tmp, 'short_repeats.csv');
    await cli([...ARGS, '-o', out, '--customer-key', 'short']);
    // "A" (1 character) keeps none; the 18-character hostile key keeps "=cm", still escaped
    expect(readFileSync(out, 'utf8').split('\n').slice(1, 5).map((l) => l.split(',')[0])).toEqual(['…', '…', "'=cm…", '…']);
  });

  test('usage: --customer-key without -o repeats.csv; no customer column: an empty list and a warning', async () => {
    const r = await cli([...ARGS, '--customer-key', 'hash']);
    expect([r.exitCode, r.stderr]).toEqual([2, 'sla-audit: --customer-key shapes the customers of the repeat list and of the workbook, and this run writes neither (add -o repeats.csv or -o report.xlsx)\n']);
    const out = join(tmp, 'none-repeats.csv');
    const none = await cli(['check', '-c', 'fixtures/kpis/custom-kpis/sla.yaml', 'fixtures/kpis/custom-kpis/tickets.csv', '--as-of', '2026-06-01', '-q', '-o', out]);
    expect(none.stderr).toContain(`sla-audit: warning: -o ${out}: repeat complaints are unknown (no customer column in the tickets`);
    expect(readFileSync(out, 'utf8')).toBe(HEADER + '\n');
  });
});
