/**
 * fixtures/xlsx/tickets.xlsx (README's xlsx example, written by fixtures/xlsx/make-xlsx.mjs) holds the
 * demo's tickets as date cells and numbers: check reads it to the same report as the demo CSV.
 */
import { expect, test } from 'vitest';
import { cli } from '../cli/run.js';

test("the committed workbook gives the demo's report", async () => {
  const run = (file: string, f: string) => cli(['check', '-c', 'fixtures/demo/sla.yaml', file, '--as-of', '2026-11-01T00:00', '-f', f]);
  const [csv, xlsx, table] = await Promise.all([run('fixtures/demo/tickets.csv', 'json'), run('fixtures/xlsx/tickets.xlsx', 'json'), run('fixtures/xlsx/tickets.xlsx', 'table')]);
  const same = (s: string) => s.replace(/"generatedAt": "[^"]*"/, '').replace('fixtures/xlsx/tickets.xlsx', 'fixtures/demo/tickets.csv');
  expect(same(xlsx.stdout)).toBe(same(csv.stdout));
  expect(JSON.parse(xlsx.stdout).totals).toEqual({ rows: 412, tickets: 412, evaluated: 412, problems: 0, outside_range: 0 });
  expect([xlsx.exitCode, table.exitCode]).toEqual([1, 1]);
  expect(table.stdout).toContain('412 tickets evaluated from fixtures/xlsx/tickets.xlsx');
});
