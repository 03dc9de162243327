import { describe, expect, test } from 'vitest';
import { cli as cliRun } from '../cli/run.js';
import { runFixture } from '../engine/run.js';

// Rows as a spreadsheet numbers them (header = row 1). B6's subject holds a line break, so from
// row 9 on the file line is one more than the row number.
test('every bad row is named with row and column; the run goes on; nothing is dropped silently', async () => {
  const { result, tickets } = await runFixture('input/bad-rows', '2026-05-15T00:00');
  const lines = result.problems.map((p) => `row ${p.row}${p.line && p.line !== p.row ? ` (line ${p.line})` : ''}${p.column ? ` [${p.column}]` : ''}: ${p.message}`);
  expect(lines).toEqual([
    'row 2 [Ticket]: duplicate ticket id "B1": row 7 has the same id and replaces this row',
    'row 3 [Created]: "yesterday" is not a date (expected e.g. 2026-03-01 09:30, 2026-03-01T09:30:00+08:00, 01/03/2026 09:30, or set tickets.timestamp_format)',
    'row 4 [Created]: "2026-02-30 10:00": February 2026 has no day 30',
    'row 5 [Resolved]: 2026-05-01 09:00 is before the ticket was created (2026-05-01 10:00)',
    'row 6 [Priority]: unknown priority "Critical" (known: P1, P2); add it as an alias under priorities in fixtures/input/bad-rows/sla.yaml, e.g. P1: [..., "Critical"]',
    'row 9 (line 10): has 4 fields, the header has 7; check for an unquoted delimiter or a line break inside a field',
    'row 10 (line 11): has 8 fields, the header has 7; check for an unquoted delimiter or a line break inside a field',
    'row 11 (line 12) [Ticket]: is empty; every ticket needs an id',
    'row 12 (line 13): empty row',
    'row 13 (line 14) [Created]: is empty; every ticket needs a creation time',
    'row 17 (line 18): a quote opened in this row (line 18) is never closed, so the rest of the file could not be split into rows; fix the quoting and export again',
  ]);
  // 16 data rows: B1 (row 7, replacing row 2), B6, B10 and B12 are evaluated; B11, created after
  // --as-of, is outside the audit; 11 rows are problems. B10's reply (June) is after --as-of, so at
  // 15 May it is still unanswered: both its metrics are overdue.
  expect(result.totals).toEqual({ rows: 16, tickets: 5, evaluated: 4, problems: 11, outside_range: 1 });
  expect([...tickets.keys()].sort()).toEqual(['B1', 'B10', 'B12', 'B6']);
  expect(tickets.get('B10')!.map((r) => r.status)).toEqual(['overdue', 'overdue']);
  // the later B1 row wins: its reply at 11:30 is 2h30m after creation
  expect(result.metrics.first_response.breached).toBe(1);
  // personal data (emails, subjects) never appears in a message
  for (const p of result.problems) expect(p.message).not.toMatch(/@|Printer|Refund|Two lines/);
});

test('a replaced duplicate outside --since is counted once', async () => {
  const { result } = await runFixture('input/bad-rows', '2026-05-15T00:00', { since: Date.parse('2026-05-01T09:30:00Z') });
  // B1 (created 09:00) is now outside --since, B11 (created after --as-of) too; B6, B10, B12 stay in
  expect(result.totals).toEqual({ rows: 16, tickets: 5, evaluated: 3, problems: 11, outside_range: 2 });
});

describe('a tab inside a quoted cell', () => {
  test('is shown as \\t in the problem message, never raw on stderr', async () => {
    // the demo's header, one row whose Priority cell is "a<TAB>b": not a priority the demo knows
    const csv = 'Ticket ID,Created,First Reply,Resolved,Priority,Status,Channel,Category,Group,Assignee,Requester ID,Subject,Customer Tier,CSAT\n'
      + 'X1,2026-10-01 13:43,2026-10-01 17:22,2026-10-03 02:26,"a\tb",Solved,Chat,c,g,a,C1,s,Standard,5\n'
      + 'X2,2026-10-01 13:43,2026-10-01 17:22,2026-10-03 02:26,Normal,Solved,Chat,c,g,a,C1,s,Standard,5\n';
    const r = await cliRun(['check', '-c', 'fixtures/demo/sla.yaml', '-', '--as-of', '2026-11-01T00:00', '-q'], { input: csv });
    const line = r.stderr.split('\n').find((l) => l.includes('unknown priority'));
    expect(line).toContain('row 2, column "Priority": unknown priority "a\\tb"');
    expect(r.stderr).not.toContain('\t');
  });
});
