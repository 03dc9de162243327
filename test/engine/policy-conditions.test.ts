import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { audit, explain, parseConfig } from '../../src/index.js';
import { configJsonSchema } from '../../src/config/zod-schema.js';
import { compileSql } from '../../src/sql/index.js';
import { DIALECTS } from '../../src/sql/dialect.js';
import { parseInstant } from '../../src/time/instant.js';
import { cli } from '../cli/run.js';
import { configErrors } from '../helpers/index.js';
import { duckdbRunner, fixtureParity, pgliteRunner, type SqlRunner } from '../helpers/sql-parity.js';
import { FIXTURES, runFixture } from './run.js';

const DIR = 'engine/policy-conditions';
const AS_OF = '2026-06-10T00:00';

// Every ticket: created Mon 1 Jun 09:00 UTC, replied 09:05 (5m), resolved 14:00 (5h), 24x7.
// Targets: Refunds 10m/4h, Big orders 30m/8h, East or VIP 1h/1d, Small 15m/2h, Standard 4h/3d:
// every first response (5m) is met; resolution (5h) is breached under Refunds (4h) and Small (2h).
const EXPECTED: [string, string, string][] = [
  // Refunds: subject contains refund | 退款 (NFKC, any case) and channel is none of Phone | Fax
  ['C01', 'Refunds', 'full-width ＲＥＦＵＮＤ is refund after NFKC; Email is not Phone or Fax'],
  ['C02', 'Big orders', '申请退款 contains 退款 but the channel is Phone; Amount 1000.5 ≥ 1000'],
  ['C03', 'Refunds', 'an empty channel is none of Phone | Fax'],
  ['C04', 'East or VIP', '"1,000" is not a number (not Big orders); Region 华东区 matches ^华东'],
  ['C05', 'Big orders', 'Amount 1000 ≥ 1000 (the edge counts)'],
  ['C06', 'East or VIP', '999.99 < 1000; Tier vip is VIP (any case), the first entry of any:'],
  ['C07', 'Standard', 'Amount N/A is a null value: empty, so no comparison holds; 华北 does not match ^华东; Gold is not VIP'],
  ['C08', 'Small', '50: > 0 and < 100, both entries of all:'],
  ['C09', 'Standard', '-5 is a number but not > 0'],
  ['C10', 'Standard', '100 is not < 100; 东华东 has 华东 but not at the start'],
  ['C11', 'Standard', 'refunded contains refund, but phone is Phone (any case)'],
  ['C12', 'Standard', 'Ｒｅｆｕｎｄ contains refund, but Fax; "1e3" is not a number'],
  ['C13', 'Refunds', '客户要求退款处理 contains 退款 (a CJK substring)'],
  ['C14', 'Big orders', '" 2000 " is trimmed to 2000'],
];

describe('policy conditions: not, contains, matches, gt/gte/lt/lte, any:, all:', () => {
  test.each(EXPECTED)('%s → %s (%s)', async (id, policy) => {
    const { policies } = await fixture();
    expect(policies.get(id)).toBe(policy);
  });

  test('statuses, and the objectives whose where: uses operators', async () => {
    const { tickets, result } = await fixture();
    const resolution = EXPECTED.map(([id]) => `${id} ${tickets.get(id)![1].status}`);
    // 5h against 4h (Refunds: C01, C03, C13) and 2h (Small: C08): breached; the rest met
    const breached = new Set(['C01', 'C03', 'C13', 'C08']);
    expect(resolution).toEqual(EXPECTED.map(([id]) => `${id} ${breached.has(id) ? 'breached' : 'met'}`));
    expect(EXPECTED.every(([id]) => tickets.get(id)![0].status === 'met')).toBe(true);
    // Amount ≥ 1000: C02, C05, C14 (all Big orders, 5h ≤ 8h): 3 of 3 met
    expect(result.objectives[0]).toMatchObject({ where: 'Amount ≥ 1000', actual: 1, tickets: 3, passed: true });
    // channel not Phone: all but C02 (Phone) and C11 (phone): 12 tickets, every reply in 5m
    expect(result.objectives[1]).toMatchObject({ where: 'channel not Phone', actual: 1, tickets: 12, passed: true });
  });

  test('explain says which condition failed, never the cell\'s own text', async () => {
    const config = parseConfigAt('sla.yaml');
    const tried = async (id: string) => (await explain({ config, id, inputs: [join(FIXTURES, DIR, 'tickets.csv')], asOf: parseInstant('--as-of', AS_OF, config.zone) })).tried;
    expect(await tried('C07')).toEqual([
      { policy: 'Refunds', matched: false, reason: 'subject does not contain refund | 退款' },
      { policy: 'Big orders', matched: false, reason: 'Amount is empty, needs a number ≥ 1000' },
      { policy: 'East or VIP', matched: false, reason: 'no entry of any: holds (Tier is another value, needs VIP; Region does not match ^华东)' },
      { policy: 'Small', matched: false, reason: 'Amount is empty, needs a number > 0' },
      { policy: 'Standard', matched: true },
    ]);
    // the value it is, of the config's words: "phone" in the cell is the config's Phone
    expect((await tried('C11'))[0].reason).toBe('channel is Phone, needs none of Phone | Fax');
    expect((await tried('C12'))[1].reason).toBe('Amount is not a number (plain digits such as 1000 or 1000.5), needs ≥ 1000');
    expect((await tried('C09'))[3].reason).toBe('Amount is at most 0, needs > 0');
    expect((await tried('C10'))[3].reason).toBe('Amount is at least 100, needs < 100');
    expect((await tried('C06'))[1].reason).toBe('Amount is below 1000, needs ≥ 1000');
    // no reason quotes a cell: not 华北, Gold, N/A, Order, 东华东, -5, 1e3
    const all = (await Promise.all(EXPECTED.map(([id]) => tried(id)))).flat().map((s) => s.reason ?? '').join('\n');
    for (const cell of ['华北', 'Gold', 'N/A', 'Order', '东华东', '-5', '1e3', '999.99', 'refunded', 'Ｒｅｆｕｎｄ']) expect(all).not.toContain(cell);
  });
});

describe('conditions on priority read its canonical name (or the cell when it has none)', () => {
  // P1 is Urgent or 紧急; P2 High; the cell "Mystery" has no canonical priority
  const yaml = `priorities:
  P1: [Urgent, 紧急]
  P2: [High]
  Other: [Mystery]
policies:
  - name: Not P1
    when: { priority: { not: P1 } }
    targets: { first_response: 1h }
  - name: P-named
    when: { priority: { matches: "^P[0-9]$" } }
    targets: { first_response: 2h }
  - name: Rest
    targets: { first_response: 3h }
`;
  const csv = 'id,created_at,first_response_at,priority\nA,2026-06-01 09:00,2026-06-01 09:30,Urgent\nB,2026-06-01 09:00,2026-06-01 09:30,紧急\nC,2026-06-01 09:00,2026-06-01 09:30,High\nD,2026-06-01 09:00,2026-06-01 09:30,p1\n';
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sla-prio-'));
    writeFileSync(join(dir, 'sla.yaml'), yaml);
    writeFileSync(join(dir, 'tickets.csv'), csv);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('not P1 leaves out every alias of P1; matches reads P1, not the cell', async () => {
    const config = parseConfig(yaml, 'sla.yaml', dir);
    const got = new Map<string, string | undefined>();
    await audit({ config, inputs: [join(dir, 'tickets.csv')], asOf: Date.UTC(2026, 5, 2), onTicket: (e) => got.set(e.ticket.id, e.policy?.name) });
    // A Urgent, B 紧急, D p1: all P1 → not "Not P1"; their canonical P1 matches ^P[0-9]$ (the cells do not)
    // C High is P2 → "Not P1"
    expect(Object.fromEntries(got)).toEqual({ A: 'P-named', B: 'P-named', C: 'Not P1', D: 'P-named' });
    const tried = (await explain({ config, id: 'B', inputs: [join(dir, 'tickets.csv')], asOf: Date.UTC(2026, 5, 2) })).tried;
    expect(tried[0]).toEqual({ policy: 'Not P1', matched: false, reason: 'priority is "P1", needs none of P1' });
  });

  test('DuckDB gives the same policies; PostgreSQL refuses matches by name', async () => {
    const db = await duckdbRunner();
    try {
      const { engine, sql } = await fixtureParity(db, dir, '2026-06-02T00:00');
      expect(sql.rows).toEqual(engine.rows);
      expect(sql.rows.filter((r) => r.metric === 'first_response').map((r) => r.policy)).toEqual(['P-named', 'P-named', 'Not P1', 'P-named']);
    } finally {
      await db.close();
    }
    const pg = await pgliteRunner();
    try {
      await expect(fixtureParity(pg, dir, '2026-06-02T00:00')).rejects.toThrow('sql: policy "P-named" when: priority matches ^P[0-9]$ is not compiled for postgres: matches is an RE2 regular expression');
    } finally {
      await pg.close();
    }
  });
});

describe('a hostile regular expression', () => {
  test('(a+)+$ runs on RE2, linear by construction: 50,000 a\'s and a ! do not match (and do not hang)', async () => {
    const config = parseConfig(`policies:
  - name: Hostile
    when: { subject: { matches: "(a+)+$" } }
    targets: { first_response: 1h }
`);
    const c = config.policies[0].when[0];
    if (c.kind !== 'field' || c.test.op !== 'matches') throw new Error('not a matches condition');
    // the engine is RE2 (re2js: no backtracking), not JavaScript's RegExp
    expect(c.test.re.constructor.name).toBe('RE2JS');
    expect(c.test.re).not.toBeInstanceOf(RegExp);
    expect(c.test.re.test(`${'a'.repeat(50_000)}!`)).toBe(false);
    expect(c.test.re.test('aaa')).toBe(true);
  });

  test('what RE2 cannot run is refused at config time, with the fix', () => {
    const at = (pattern: string) => configErrors(`policies:\n  - name: A\n    when: { subject: { matches: ${JSON.stringify(pattern)} } }\n    targets: { first_response: 1h }\n`);
    expect(at('(a)\\1')).toEqual(['sla.yaml:3:33 policies[0].when.subject.matches: "(a)\\1" is not a regular expression RE2 accepts (invalid escape sequence: `\\1`); RE2 has no look-around (?=…) or back-references \\1: rewrite without them']);
    expect(at('[x')[0]).toContain('is not a regular expression RE2 accepts (missing closing ]');
    expect(at('[\\s\\S]{1000}[\\s\\S]{1000}x')[0]).toMatch(/compiles to \d+ steps .*at most 2000 are allowed/);
    // an empty pattern is found in every cell, as empty contains: text is: the policy would take every ticket
    expect(at('')).toEqual(['sla.yaml:3:33 policies[0].when.subject.matches: is an empty pattern, which every cell matches; give the pattern to look for']);
  });
});

describe('bad conditions: one line each, all in one run', () => {
  test('unknown operator, two operators, non-numeric gt, empty any:, empty texts, nesting too deep', () => {
    expect(configErrors(`policies:
  - name: A
    when:
      channel: { contain: refund }
      amount: { gt: 1, lt: 5 }
      total: { gte: "1,000" }
      tier: { not: [] }
      any: []
      subject: { contains: "" }
      status: [ { not: x } ]
    targets: { first_response: 1h }
  - name: B
    when:
      all:
        - any:
            - all:
                - any:
                    - all:
                        - { x: 1 }
    targets: { first_response: 1h }
objectives:
  - metric: resolution
    min: 90%
    where: { priority: { gt: abc } }
`)).toEqual([
      'sla.yaml:4:18 policies[0].when.channel.contain: unknown operator "contain" (did you mean "contains"?) (operators: not, contains, matches, gt, gte, lt, lte; a plain value or list means "one of")',
      'sla.yaml:5:15 policies[0].when.amount: gives gt and lt; a field takes one operator; for a range combine two: all: [ { amount: { gt: 1 } }, { amount: { lt: 5 } } ]',
      'sla.yaml:6:21 policies[0].when.total.gte: found "1,000", expected a number; write 1000 (a YAML number: no quotes, no thousands separators)',
      'sla.yaml:7:20 policies[0].when.tier.not: is an empty list, which matches no ticket; give at least one value',
      'sla.yaml:8:12 policies[0].when.any: is an empty list, which no ticket would meet; give at least one mapping of conditions, e.g. any: [ { tier: VIP }, { region: { matches: "^East" } } ], or remove it',
      'sla.yaml:9:28 policies[0].when.subject.contains: is empty text, which every cell contains; give the text to look for',
      'sla.yaml:10:17 policies[0].when.status[0]: found a mapping, expected a value (text or a number); an operator such as { not: ... } goes on the field itself, not in a list',
      'sla.yaml:19:25 policies[1].when.all[0].any[0].all[0].any[0].all: nests all:/any: 5 levels deep; at most 4 are allowed: split the conditions over policies (the first that matches applies)',
      'sla.yaml:24:30 objectives[0].where.priority.gt: found "abc", expected a number; write a number such as 1000 or 99.5',
    ]);
  });

  test('the JSON Schema spells out the forms', () => {
    const schema = configJsonSchema() as { $defs: Record<string, { anyOf?: { required?: string[] }[]; properties?: object }> };
    expect(Object.keys(schema.$defs.conditions.properties!)).toEqual(['all', 'any']);
    expect(schema.$defs.condition.anyOf!.map((x) => x.required?.[0] ?? 'values')).toEqual(['values', 'not', 'contains', 'matches', 'gt', 'gte', 'lt', 'lte']);
    expect(JSON.stringify(schema)).toContain('"when":{"description":"canonical field or raw CSV header -> a value, a list (any of), or one operator; all: / any: combine (the first policy whose conditions all hold applies)","$ref":"#/$defs/conditions"}');
  });
});

describe('the SQL: each operator where the dialect matches exactly, refused by name elsewhere', () => {
  const compile = (dialect: (typeof DIALECTS)[number], file = 'sla.yaml') => {
    const config = parseConfigAt(file);
    const columns = { column: (k: string) => ({ id: 'ID', created_at: 'Created', first_response_at: 'Replied', resolved_at: 'Resolved', priority: 'Priority', channel: 'Channel', subject: 'Subject' } as Record<string, string>)[k] ?? k };
    try {
      return compileSql({ config, dialect, table: 't', columns, range: { from: Date.UTC(2026, 4, 1), to: Date.UTC(2026, 6, 1) }, asOf: Date.UTC(2026, 5, 10), objectives: config.objectives }).sql;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const NO_NFKC = (d: string) => `policy "Refunds" when: subject contains refund | 退款 is not compiled for ${d}: contains reads text NFKC-normalised (full-width ＲＥＦＵＮＤ contains refund), which ${d} cannot do; run sla-audit check on the export, or compile for postgres or bigquery`;
  const NOT_RE2 = (d: string) => `policy "East or VIP" when: Region matches ^华东 is not compiled for ${d}: matches is an RE2 regular expression, and ${d}'s regular expressions differ; run sla-audit check on the export, or compile for duckdb or bigquery`;
  test.each([
    ['duckdb', `sql: ${NO_NFKC('duckdb')}`],
    ['postgres', `sql: ${NOT_RE2('postgres')}`],
    ['spark', `sql: ${NO_NFKC('spark')} (and 1 more: ${NOT_RE2('spark')})`],
    ['snowflake', `sql: ${NO_NFKC('snowflake')} (and 1 more: ${NOT_RE2('snowflake')})`],
  ] as const)('%s refuses', (dialect, message) => {
    expect(compile(dialect)).toBe(message);
  });

  test('BigQuery (RE2 and NORMALIZE) compiles both', () => {
    const sql = compile('bigquery');
    expect(sql).toContain("STRPOS(LOWER(NORMALIZE(COALESCE(");
    expect(sql).toContain("REGEXP_CONTAINS(COALESCE(");
  });

  for (const [name, make, file] of [['DuckDB', duckdbRunner, 'duckdb.yaml'], ['PostgreSQL (PGlite)', pgliteRunner, 'postgres.yaml']] as const) {
    describe(`${name}: the same policy, status and objectives per ticket as the engine (${file})`, () => {
      let db: SqlRunner;
      beforeAll(async () => {
        db = await make();
      });
      afterAll(async () => {
        await db?.close();
      });
      test('sla_ticket_metrics and sla_objectives', async () => {
        const { engine, sql } = await fixtureParity(db, `fixtures/${DIR}`, AS_OF, { config: file });
        expect(sql.rows).toEqual(engine.rows);
        expect(sql.text).toEqual(engine.csv);
        expect(new Set(engine.rows.map((r) => r.policy)).size).toBe(5);
        expect(sql.objectives.map((o) => [Number(o.actual), Number(o.tickets), o.passed])).toEqual(engine.result.objectives.map((o) => [o.actual, o.tickets, o.passed ? 'passed' : 'failed']));
      });
    });
  }

  test('check --engine duckdb: the same reports; with contains on full-width text, the streaming engine reads the run and says why', async () => {
    const args = (file: string) => ['check', '-c', `fixtures/${DIR}/${file}`, `fixtures/${DIR}/tickets.csv`, '--as-of', AS_OF, '-f', 'csv'];
    const [s, d] = [await cli(args('duckdb.yaml')), await cli([...args('duckdb.yaml'), '--engine', 'duckdb'])];
    expect(d.stderr).toBe(s.stderr);
    expect([d.exitCode, d.stdout]).toEqual([s.exitCode, s.stdout]);
    const handed = await cli([...args('sla.yaml'), '--engine', 'duckdb']);
    // DuckDB has no NFKC: its LOWER alone is exact only when no cell contains reads changes under NFKC; ＲＥＦＵＮＤ does
    expect(handed.stderr.split('\n')[0]).toBe('sla-audit: note: --engine duckdb: column "Subject" has text whose NFKC form differs (full-width or compatibility characters), which DuckDB cannot normalise for contains; the streaming engine reads this run (the same numbers)');
    expect(handed.stdout).toBe((await cli(args('sla.yaml'))).stdout);
  });

  test('check --engine duckdb runs contains in DuckDB when no cell it reads changes under NFKC', async () => {
    // tickets-plain.csv: tickets.csv without C01 (ＲＥＦＵＮＤ) and C12 (Ｒｅｆｕｎｄ); 退款 and ASCII are their own NFKC forms
    const args = ['check', '-c', `fixtures/${DIR}/sla.yaml`, `fixtures/${DIR}/tickets-plain.csv`, '--as-of', AS_OF, '-f', 'csv'];
    const [s, d] = [await cli(args), await cli([...args, '--engine', 'duckdb'])];
    expect(d.stderr).toBe(s.stderr);
    expect(d.stderr).not.toContain('note:');
    expect([d.exitCode, d.stdout]).toEqual([s.exitCode, s.stdout]);
    // C03 and C13 by their subjects (退款), C11's refunded is on the phone
    expect(s.stdout.split('\n').filter((l) => l.includes(',Refunds,')).map((l) => l.split(',')[0])).toEqual(['C03', 'C03', 'C13', 'C13']);
  });
});

let ran: ReturnType<typeof runFixture> | undefined;
/** the fixture through the API, once for the tests that read it */
function fixture() {
  return (ran ??= runFixture(DIR, AS_OF));
}

function parseConfigAt(file: string) {
  return parseConfig(readFixture(file), 'sla.yaml', join(FIXTURES, DIR));
}

function readFixture(file: string): string {
  return readFileSync(join(FIXTURES, DIR, file), 'utf8');
}
