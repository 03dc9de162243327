import { expect, test } from 'vitest';
import { runFixture } from './run.js';
import { csvLines, renderReport } from '../../src/index.js';

// No first-reply column is mapped, so first response is not measured: no statuses, nothing in
// compliance, "not measured" in every report. 24x7 UTC, measured at 2026-05-01 18:00.
// Resolution: N1 1h ≤ 4h met; N2 6h > 4h breached; N3 (P2, 8h) open 9h: overdue.
test('a metric whose column is not mapped is not measured, not invented from resolution', async () => {
  const { result, tickets, config } = await runFixture('engine/not-measured', '2026-05-01T18:00');
  expect([...tickets.values()].map((r) => r[0].status)).toEqual(['not_measured', 'not_measured', 'not_measured']);
  expect([...tickets.values()].map((r) => r[1].status)).toEqual(['met', 'breached', 'overdue']);
  expect(result.metrics.first_response).toEqual({ met: 0, breached: 0, overdue: 0, running: 0, at_risk: 0, not_applicable: 0, not_measured: 3, compliance: null });
  // overall is resolution alone: 1 met of 3
  expect(result.overall).toMatchObject({ met: 1, breached: 1, overdue: 1, not_measured: 3, compliance: 1 / 3 });
  const table = renderReport(result, 'table');
  expect(table).toMatch(/│ first response │\s+not measured │\s+0 │/);
  expect(renderReport(result, 'markdown')).toContain('| first_response | not measured | 0 | 0 | 0 | 0 | 0 | 0 |');
  expect(renderReport(result, 'html')).toContain('first response<b>not measured</b>');
  expect(JSON.parse(renderReport(result, 'json')).metrics.first_response.not_measured).toBe(3);
  // the per-ticket CSV says so, with no target, elapsed or times
  let csv = '';
  await runFixture('engine/not-measured', '2026-05-01T18:00', { onTicket: (ev) => (csv += csvLines(ev, config.zone)) });
  expect(csv.split('\n')[0]).toBe('N1,All,P1,first_response,not_measured,,,,');
});
