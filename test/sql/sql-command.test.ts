/**
 * `sla-audit sql`: the script for each dialect, and every feature it does not compile refused
 * with one line and exit 2 (never a script that would give other numbers than the engine).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { cli } from '../cli/run.js';

const DEMO = ['-c', 'fixtures/demo/sla.yaml', '--from', '2026-10-01', '--to', '2026-11-01', '--as-of', '2026-11-01'];

describe('sla-audit sql', () => {
  test.each(['duckdb', 'postgres', 'spark', 'bigquery', 'snowflake'])('%s: a script with the header naming what is not compiled', async (dialect) => {
    const r = await cli(['sql', '--dialect', dialect, ...DEMO]);
    expect(r.exitCode).toBe(0);
    // the demo's categories fold text through aliases and keywords (NFKC): PostgreSQL and BigQuery compile them, the others say why not
    const folds = dialect === 'postgres' || dialect === 'bigquery';
    const why = 'complaint categories (sla_day_categories, sla_categories, sla_category_times): categories.aliases and categories.rules match NFKC-normalised, lower-cased text, '
      + `which ${dialect} cannot do; compile for postgres or bigquery, or run sla-audit check on the export`;
    expect(r.stderr).toBe(folds ? '' : `sla-audit: note: not compiled: ${why}\n`);
    expect(r.stdout.split('\n')[0]).toBe(`-- sla-audit: fixtures/demo/sla.yaml compiled for ${dialect}`);
    expect(r.stdout).toContain("-- Not compiled: scorecard scores (their groups' KPIs are in sla_acc, and sla_acc_custom for custom KPIs):\n");
    if (!folds) expect(r.stdout).toContain(`-- Not compiled: ${why}\n`);
    expect(r.stdout).toContain('--   sla_worst_breaches: rank, id, metric, status, policy, priority, target_ms, elapsed_ms, due_ms, completed_ms, row_no\n');
    for (const t of ['sla_days', 'sla_channels', 'sla_hours', 'sla_worst_breaches', 'sla_escalation', 'sla_totals', ...(folds ? ['sla_categories', 'sla_day_categories', 'sla_category_times'] : [])]) {
      expect(r.stdout).toMatch(new RegExp(`TABLE [\`"]${t}[\`"]( USING parquet)? AS`));
    }
    for (const t of ['sla_ticket_metrics', 'sla_summary', 'sla_objectives', 'sla_problems', 'sla_acc', 'sla_acc_status', 'sla_acc_times', 'sla_kpis']) expect(r.stdout).toMatch(new RegExp(`(TABLE|VIEW) [\`"]${t}[\`"]( USING parquet)? AS`));
  });

  test('-o writes the script to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-sql-'));
    const r = await cli(['sql', '--dialect', 'postgres', ...DEMO, '-o', join(dir, 'sla.sql')]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(readFileSync(join(dir, 'sla.sql'), 'utf8')).toMatch(/^-- sla-audit: fixtures\/demo\/sla.yaml compiled for postgres\n/);
  });

  test.each([
    ['no --from/--to', ['sql', '--dialect', 'duckdb', '-c', 'fixtures/demo/sla.yaml'],
      'sla-audit: sql needs --from and --to: the creation dates the calendar spine must cover, e.g. --from 2026-01-01 --to 2027-01-01\n'],
    ['an unknown dialect', ['sql', '--dialect', 'oracle', ...DEMO],
      "error: option '--dialect <name>' argument 'oracle' is invalid. Allowed choices are duckdb, postgres, spark, bigquery, snowflake.\n"],
    ['the event-log layout', ['sql', '--dialect', 'duckdb', '-c', 'fixtures/presets/servicenow/sla.yaml', '--from', '2016-01-01', '--to', '2016-07-01'],
      'sla-audit: sql: tickets.layout: events (an audit log, many rows per ticket) is not compiled; load one row per ticket and its status changes as --history\n'],
    ['month names in timestamp_format', ['sql', '--dialect', 'duckdb', '-c', 'fixtures/presets/jira/sla.yaml', '--from', '2026-01-01', '--to', '2026-04-01'],
      'sla-audit: sql: tickets.timestamp_format "dd/MMM/yy hh:mm a" uses month names (MMM), which the SQL does not read; export numeric months, or use --engine streaming; or load the times as TIMESTAMPTZ and compile with --typed\n'],
    ['first-reply minutes with a history', ['sql', '--dialect', 'duckdb', '-c', 'fixtures/presets/zendesk/sla.yaml', '--history', 'changes', '--from', '2026-01-01', '--to', '2026-04-01'],
      "sla-audit: sql: first_response_minutes (a vendor's first-reply minutes) together with a status history is not compiled: the reply's instant would have to walk around pauses; compile without --history, or run sla-audit check --events\n"],
    ['next reply and periodic update targets', ['sql', '--dialect', 'duckdb', '-c', 'fixtures/engine/messages/sla.yaml', '--from', '2026-05-01', '--to', '2026-06-01'],
      'sla-audit: sql: next_reply and periodic_update are not compiled: measured from a --messages conversation, which the script does not read; run sla-audit check --messages for them\n'],
    ['a spine table named like the script\'s own (it would be dropped)', ['sql', '--dialect', 'postgres', ...DEMO, '--spine-table', 'sla_spine'],
      'sla-audit: sql: --spine-table "sla_spine": the script\'s own tables are named sla_…; load this one under another name (e.g. spine)\n'],
  ])('refuses %s in one line, exit 2', async (_what, args, stderr) => {
    const r = await cli(args);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(stderr);
    expect(r.exitCode).toBe(2);
  });

  test('objectives on the catalogue\'s KPIs compile; a scorecard objective is refused, or left out on request with a note', async () => {
    const kpis = await cli(['sql', '--dialect', 'postgres', '-c', 'fixtures/scorecards/kpi-catalogue/sla.yaml', '--from', '2026-01-01', '--to', '2026-10-01']);
    expect([kpis.exitCode, kpis.stderr]).toEqual([0, '']);
    const args = ['sql', '--dialect', 'duckdb', '-c', 'fixtures/scorecards/kpi-sheet/sla.yaml', '--from', '2026-01-01', '--to', '2026-10-01'];
    const r = await cli(args);
    expect([r.exitCode, r.stderr]).toEqual([2, "sla-audit: sql: objective 1 (scorecard team-quarterly) is not compiled: the SQL gives each scorecard group's KPIs (sla_acc, scope scorecard) but not the score, which sla-audit check computes; --compliance-objectives-only leaves it out\n"]);
    const ok = await cli([...args, '--compliance-objectives-only']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/\n-- Left out on request: 1 objective on KPIs other than compliance or on scorecards \(--compliance-objectives-only\)\.\n/);
  });

  test('PostgreSQL: an alias with a non-ASCII letter that has a case is refused (lower() follows the database locale)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-sql-'));
    const yaml = readFileSync('fixtures/demo/sla.yaml', 'utf8').replace('P1: [Urgent, 紧急]', 'P1: [Urgent, 紧急, Élevé]');
    writeFileSync(join(dir, 'sla.yaml'), yaml);
    const args = ['sql', '-c', join(dir, 'sla.yaml'), '--from', '2026-10-01', '--to', '2026-11-01'];
    const pg = await cli([...args, '--dialect', 'postgres']);
    expect(pg.stderr).toBe('sla-audit: sql: the value "élevé" has a non-ASCII letter with a case, which PostgreSQL lower-cases by its locale, not as the engine does; compile for duckdb, or run sla-audit check on the export\n');
    expect(pg.exitCode).toBe(2);
    expect((await cli([...args, '--dialect', 'duckdb'])).exitCode).toBe(0);
  });
});
