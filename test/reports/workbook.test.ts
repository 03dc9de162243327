import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { execa } from 'execa';
import { BIN, ROOT, cli } from '../cli/run.js';

// fixtures/reports/workbook: Shanghai, Mon-Fri 09:00-12:00 and 13:00-18:00 ("office"); chats go to the
// 24x7 VIP policy, which has no target for P2; a scorecard by team. 2026-03-02 is a Monday; --as-of 2026-03-05 00:00.
//
// W1 (the second row with that id; the first is replaced): created Mon 09:30, replied 10:00 (0.5h of
//    a 2h target, due 11:30), resolved 17:30: 09:30-12:00 2.5h + 13:00-17:30 4.5h = 7h of 8h; its due time
//    is 8h on: 2.5h + 5h by Mon 18:00, the last 0.5h Tue 09:00-09:30.
// W2: created Mon 16:00. First response: 2h run out at Mon's 18:00 close (due then); replied Tue 10:00
//    = 2h + 1h = 3h, 1h over. Resolution: Mon 2h, then 6h of Tuesday (09:00-12:00, 13:00-16:00): due Tue
//    16:00; resolved Wed 12:00 = 2h + 8h + 3h = 13h, 5h over.
// W3: a chat at P2: VIP has no P2 target, both not applicable.
// W4: a chat at P1, 24x7: replied after 10 minutes (0.17h of 0.5h, due 09:30); open: Tue 09:00 to
//    Thu 00:00 = 39h of 4h, due Tue 13:00, 35h over.
// W5: created Wed 10:00, open: 10:00-12:00 and 13:00-18:00 = 7h. First response (2h) was due 12:00,
//    5h over; resolution (8h) is due Thu 10:00 and at 7h is past 75% of it: at risk.
const DIR = 'fixtures/reports/workbook';
const ARGS = ['check', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--as-of', '2026-03-05T00:00', '--group-by', 'team'];

const WIDE_HEADER = 'ticket_id,created_at,priority,policy,team,agent,channel,category,first_response_status,first_response_target_hours,first_response_elapsed_hours,first_response_over_by_hours,first_response_due_at,first_response_completed_at,resolution_status,resolution_target_hours,resolution_elapsed_hours,resolution_over_by_hours,resolution_due_at,resolution_completed_at';
const WIDE_ROWS = [
  'W1,2026-03-02 09:30,P2,Standard,一线客服售后服务组,张伟,Email,物流问题,met,2.00,0.50,0.00,2026-03-02 11:30,2026-03-02 10:00,met,8.00,7.00,0.00,2026-03-03 09:30,2026-03-02 17:30',
  // cells starting with = + - @ get a leading apostrophe, as in the stable CSV
  'W2,2026-03-02 16:00,P1,Standard,二线技术支持,"\'=HYPERLINK(""http://example.com"",""x"")",Email,\'@SUM(1),breached,2.00,3.00,1.00,2026-03-02 18:00,2026-03-03 10:00,breached,8.00,13.00,5.00,2026-03-03 16:00,2026-03-04 12:00',
  'W3,2026-03-03 08:00,P2,VIP,Tech Support,\'+86 21 5555,Chat,其他,not_applicable,,,,,,not_applicable,,,,,',
  'W4,2026-03-03 09:00,P1,VIP,Tech Support,\'-2+3,Chat,Refund,met,0.50,0.17,0.00,2026-03-03 09:30,2026-03-03 09:10,overdue,4.00,39.00,35.00,2026-03-03 13:00,',
  // the escape character in the agent's name is shown, never written raw
  'W5,2026-03-04 10:00,P2,Standard,一线客服售后服务组,Li\\x1bLei,微信,物流问题,overdue,2.00,7.00,5.00,2026-03-04 12:00,,at_risk,8.00,7.00,0.00,2026-03-05 10:00,',
];

describe('-f csv --wide: one row per ticket for Excel', () => {
  test('a byte-order mark, local times, hours with two decimals, formulas neutralised, the replaced row gone', async () => {
    const r = await cli([...ARGS, '-f', 'csv', '--wide']);
    expect(r.exitCode).toBe(1); // resolution 1 of 3 met: the 90% objective fails
    expect(r.stdout).toBe(`\uFEFF${WIDE_HEADER}\n${WIDE_ROWS.join('\n')}\n`);
  });

  test('-o writes the same file; the stable per-ticket-and-metric CSV is unchanged without --wide', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-wide-'));
    const r = await cli([...ARGS, '-q', '-o', join(dir, 'wide.csv'), '--wide']);
    expect(r.exitCode).toBe(1);
    expect(readFileSync(join(dir, 'wide.csv'), 'utf8')).toBe(`\uFEFF${WIDE_HEADER}\n${WIDE_ROWS.join('\n')}\n`);
    const stable = await cli([...ARGS, '-f', 'csv']);
    expect(stable.stdout.split('\n').slice(0, 3)).toEqual([
      'ticket_id,policy,priority,metric,status,target_minutes,elapsed_minutes,due_at,completed_at',
      'W1,Standard,P2,first_response,met,120,30,2026-03-02T11:30:00+08:00,2026-03-02T10:00:00+08:00',
      'W1,Standard,P2,resolution,met,480,420,2026-03-03T09:30:00+08:00,2026-03-02T17:30:00+08:00',
    ]);
    expect(readdirSync(dir)).toEqual(['wide.csv']); // no temporary file stays
    rmSync(dir, { recursive: true });
  });

  test('--wide without a per-ticket CSV to shape is a usage error, before anything is read', async () => {
    const r = await cli([...ARGS, '-q', '-f', 'csv', '--wide']);
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([2, '', 'sla-audit: --wide shapes the per-ticket CSV, and this run writes none (add -f csv, or -o tickets.csv)\n']);
  });

  test.each([
    // the demo's 412 tickets already fill the spool beyond the limit, while they are evaluated
    ['wide.csv --wide', 'check -c fixtures/demo/sla.yaml fixtures/demo/tickets.csv --as-of 2026-11-01T00:00'],
    // five tickets spool in 1 KiB; their workbook (about 12 KiB) is cut off while it is zipped
    ['report.xlsx', `${ARGS.join(' ')}`],
  ])('-o %s that cannot be written (a file size limit of 4 KiB): one line, exit 2, no temporary file', async (target, args) => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-limit-'));
    // (the fixture's duplicate-id lines on stderr are filtered out; the exit code is node's)
    const run = `(trap '' XFSZ; ulimit -f 4; exec node ${BIN} ${args} -q -o ${dir}/${target}) 2>&1 >/dev/null | grep -v -e duplicate -e 'left out'`;
    const r = await execa('bash', ['-c', `set -o pipefail; ${run}`], { cwd: ROOT, reject: false });
    expect([r.exitCode, r.stdout]).toEqual([2, `sla-audit: cannot write ${dir}/${target.split(' ')[0]}: EFBIG (file too large)`]);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
  });
});

const SOFFICE = process.env.SOFFICE_PATH ?? '/usr/bin/soffice';
const haveOffice = existsSync(SOFFICE);
if (!haveOffice && process.env.CI) throw new Error(`CI needs LibreOffice at ${SOFFICE} (.ci/run installs Debian's libreoffice-calc-nogui)`);

/** The cells of one sheet of a flat ODS file: per row, [value type, value (date-value or value), text]. */
function odsCells(fods: string, sheet: string): { type: string; value: string; text: string }[][] {
  const start = fods.indexOf(`<table:table table:name="${sheet}"`);
  const body = fods.slice(start, fods.indexOf('</table:table>', start));
  const rows: { type: string; value: string; text: string }[][] = [];
  for (const row of body.matchAll(/<table:table-row[^>]*>([\s\S]*?)<\/table:table-row>/g)) {
    const cells: { type: string; value: string; text: string }[] = [];
    for (const c of row[1].matchAll(/<table:(?:covered-)?table-cell([^>]*?)(?:\/>|>([\s\S]*?)<\/table:(?:covered-)?table-cell>)/g)) {
      const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(c[1])?.[1] ?? '';
      const text = [...(c[2] ?? '').matchAll(/<text:p>([\s\S]*?)<\/text:p>/g)].map((p) => p[1].replace(/<[^>]+>/g, '')).join('\n')
        .replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      const cell = { type: attr('office:value-type'), value: attr('office:date-value') || attr('office:value'), text };
      if (attr('table:formula')) throw new Error(`a cell holds a formula: ${c[0]}`);
      for (let k = Number(attr('table:number-columns-repeated') || 1); k > 0 && cells.length < 40; k--) cells.push(cell);
    }
    rows.push(cells);
  }
  return rows;
}

describe.skipIf(!haveOffice)('-o report.xlsx, opened in LibreOffice Calc', () => {
  let dir: string;
  let xlsx: string;
  let shown: Record<string, string>;
  let fods: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sla-xlsx-'));
    xlsx = join(dir, 'report.xlsx');
    const r = await cli([...ARGS, '-q', '-o', xlsx]);
    expect([r.exitCode, readdirSync(dir)]).toEqual([1, ['report.xlsx']]);
    // a profile of its own, so that parallel runs do not share LibreOffice's
    const profile = `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`;
    // every sheet as CSV the way Calc shows it (token 9 "as shown"; token 12 -1: all sheets, one file each)
    execFileSync(SOFFICE, [profile, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', join(dir, 'csv'), xlsx], { stdio: 'ignore' });
    shown = Object.fromEntries(readdirSync(join(dir, 'csv')).map((f) => [f.replace(/^report-|\.csv$/g, ''), readFileSync(join(dir, 'csv', f), 'utf8')]));
    // and as flat ODS, to see each cell's type as Calc read it
    execFileSync(SOFFICE, [profile, '--headless', '--convert-to', 'fods', '--outdir', join(dir, 'fods'), xlsx], { stdio: 'ignore' });
    fods = readFileSync(join(dir, 'fods', 'report.fods'), 'utf8');
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('the sheets: Summary, Tickets, Categories, one per breakdown, one per scorecard', () => {
    expect([...fods.matchAll(/<table:table table:name="([^"]+)"/g)].map((m) => m[1])).toEqual(['Summary', 'Tickets', 'Categories', 'By team', 'Scorecard teams']);
  });

  test('Tickets: a row per ticket as Calc shows it (the replaced W1 row is not there)', () => {
    // the same values as the --wide CSV, formatted by the cells' number formats; text that looks like a
    // formula is text (no apostrophe is needed: the cell is typed)
    expect(shown.Tickets).toBe([
      WIDE_HEADER,
      WIDE_ROWS[0],
      'W2,2026-03-02 16:00,P1,Standard,二线技术支持,"=HYPERLINK(""http://example.com"",""x"")",Email,@SUM(1),breached,2.00,3.00,1.00,2026-03-02 18:00,2026-03-03 10:00,breached,8.00,13.00,5.00,2026-03-03 16:00,2026-03-04 12:00',
      'W3,2026-03-03 08:00,P2,VIP,Tech Support,+86 21 5555,Chat,其他,not_applicable,,,,,,not_applicable,,,,,',
      'W4,2026-03-03 09:00,P1,VIP,Tech Support,-2+3,Chat,Refund,met,0.50,0.17,0.00,2026-03-03 09:30,2026-03-03 09:10,overdue,4.00,39.00,35.00,2026-03-03 13:00,',
      WIDE_ROWS[4],
      '',
    ].join('\n'));
  });

  test('Tickets: times are date cells in the config zone, hours are numbers, text is text', () => {
    const rows = odsCells(fods, 'Tickets');
    const w2 = rows[2];
    expect(w2[1]).toEqual({ type: 'date', value: '2026-03-02T16:00:00', text: '2026-03-02 16:00' });
    expect(w2[12]).toEqual({ type: 'date', value: '2026-03-02T18:00:00', text: '2026-03-02 18:00' });
    expect(w2[19]).toEqual({ type: 'date', value: '2026-03-04T12:00:00', text: '2026-03-04 12:00' });
    expect([w2[15], w2[16], w2[17]]).toEqual([{ type: 'float', value: '8', text: '8.00' }, { type: 'float', value: '13', text: '13.00' }, { type: 'float', value: '5', text: '5.00' }]);
    // 10 minutes are 1/6 hour, kept exactly and shown with two decimals
    expect(rows[4][10]).toMatchObject({ type: 'float', text: '0.17' });
    expect(Number(rows[4][10].value)).toBeCloseTo(1 / 6, 12);
    expect(w2[5]).toEqual({ type: 'string', value: '', text: '=HYPERLINK("http://example.com","x")' });
    expect(w2[7]).toEqual({ type: 'string', value: '', text: '@SUM(1)' });
    expect(rows[4][5]).toEqual({ type: 'string', value: '', text: '-2+3' });
    // an open ticket's completion is an empty cell, not 0 or 1899-12-30
    expect(rows[4][19]).toMatchObject({ type: '', text: '' });
  });

  test('Summary: compliance, objectives with their result, totals', () => {
    // first response: met W1 W4, breached W2, overdue W5 (W3 n/a): 2/4 = 50%. Resolution: met W1,
    // breached W2, overdue W4 (W5 at risk, W3 n/a): 1/3 = 33.3%. Overall: 3/7 = 42.9%.
    // Rows: 6 read; W1's first row replaced (a problem); 5 tickets, all evaluated.
    expect(shown.Summary).toBe([
      'SLA audit,,,,,,,,',
      'objectives,"1 met, 1 failed (of 2)",,,,,,,',
      'as of,2026-03-05 00:00 (Asia/Shanghai),,,,,,,',
      `config,${DIR}/sla.yaml,,,,,,,`,
      `inputs,${DIR}/tickets.csv,,,,,,,`,
      ',,,,,,,,',
      'Compliance (tickets per metric; overall sums both),,,,,,,,',
      'metric,compliance,met,breached,overdue,at risk,running,not applicable,not measured',
      'first response,50.0%,2,1,1,0,0,1,0',
      'resolution,33.3%,1,1,1,1,0,1,0',
      'overall,42.9%,3,2,2,1,0,2,0',
      ',,,,,,,,',
      'Objectives,,,,,,,,',
      // objectives hold rates, times and scores alike: the actual value as the reports write it
      'objective,actual,tickets,result,,,,,',
      'resolution ≥ 90%,33.3%,3,failed,,,,,',
      'first_response ≥ 50%,50%,4,met,,,,,',
      ',,,,,,,,',
      // completed first responses: W1 30m, W2 3h (180m), W4 10m: mean 220/3 = 73.33m = 1.22h, median
      // 0.5h, p90 (nearest rank, the 3rd of 3) 3h. Completed resolutions: W1 7h, W2 13h: mean and median
      // 10h, p90 13h. No satisfaction, nps, contacts, customer or history columns: no data. Open at
      // --as-of: W3, W4, W5 (backlog 3); past a target: W4 and W5 (overdue 2).
      'KPIs (business time; empty: no data),,,,,,,,',
      'KPI,rate,hours,value,,,,,',
      'first_response.mean,,1.22,,,,,,',
      'first_response.median,,0.50,,,,,,',
      'first_response.p90,,3.00,,,,,,',
      'resolution.mean,,10.00,,,,,,',
      'resolution.median,,10.00,,,,,,',
      'resolution.p90,,13.00,,,,,,',
      'satisfaction.mean,,,,,,,,',
      'satisfaction.good_share,,,,,,,,',
      'nps,,,,,,,,',
      'fcr,,,,,,,,',
      'repeat_rate,,,,,,,,',
      'reopen_rate,,,,,,,,',
      'tickets,,,5,,,,,',
      'backlog,,,3,,,,,',
      'overdue,,,2,,,,,',
      ',,,,,,,,',
      'Totals,,,,,,,,',
      'rows,count,,,,,,,',
      'data rows read,6,,,,,,,',
      'left out with problems,1,,,,,,,',
      'tickets,5,,,,,,,',
      'evaluated,5,,,,,,,',
      'outside --since/--until or after --as-of,0,,,,,,,',
      '',
    ].join('\n'));
    const compliance = odsCells(fods, 'Summary')[8][1];
    expect(compliance.type).toBe('percentage');
    expect(Number(compliance.value)).toBe(0.5);
    // hours are numbers: the KPI's 73.33 minutes (KPIs keep a hundredth of a minute) ÷ 60
    const mean = odsCells(fods, 'Summary')[19];
    expect([mean[0].text, mean[2].type]).toEqual(['first_response.mean', 'float']);
    expect(Number(mean[2].value)).toBeCloseTo(73.33 / 60, 12);
  });

  test('a sheet per scorecard: indicators typed by their KPI, score, grade, rank, why a group is not scored', () => {
    // by team, min_tickets 2; first_response.compliance (60) scores actual ÷ 100%, resolution.median (40)
    // is linear from 16h (0) to 8h (100). Tech Support (W3 n/a, W4 met): 100% → 100; no resolution
    // completed, so left out with its weight: 100, A. 一线 (W1 met, W5 overdue): 50% → 50; median of W1's
    // 7h → 100 (within target): (60·50 + 40·100) ÷ 100 = 70, B. 二线 has only W2: not scored.
    expect(shown['Scorecard teams']).toBe([
      'period,team,tickets,first_response.compliance (60),resolution.median hours (40),score,grade,rank,note',
      'all,Tech Support,2,100.0%,,100,A,1,resolution.median left out (no data)',
      'all,一线客服售后服务组,2,50.0%,7.00,70,B,2,',
      'all,二线技术支持,1,0.0%,13.00,,,,"not scored, only 1 ticket (min_tickets 2)"',
      '',
    ].join('\n'));
    const row = odsCells(fods, 'Scorecard teams')[2];
    expect([row[3].type, row[4].type, row[5].type, row[7].type]).toEqual(['percentage', 'float', 'float', 'float']);
  });

  test('Categories and the breakdown by team', () => {
    // 物流问题: W1, W5 (2 of 5 = 40%); resolved only W1, 7h. @SUM(1): W2, breached, 13h. Refund (W4) and
    // 其他 (W3) are open. Ties in natural order.
    expect(shown.Categories).toBe([
      'category,tickets,share,cumulative share,tickets breached,breach rate,median resolution hours,p90 resolution hours,satisfaction,repeat',
      '物流问题,2,40.0%,40.0%,0,0.0%,7.00,7.00,,0',
      '@SUM(1),1,20.0%,60.0%,1,100.0%,13.00,13.00,,0',
      'Refund,1,20.0%,80.0%,0,0.0%,,,,0',
      '其他,1,20.0%,100.0%,0,0.0%,,,,0',
      '',
    ].join('\n'));
    // Tech Support: W3 (n/a), W4 (first response met, resolution overdue). 一线客服售后服务组: W1 (met, met),
    // W5 (first response overdue, resolution at risk): 1/2, 1/1, overall 2/3. 二线技术支持: W2, breached twice.
    expect(shown['By team']).toBe([
      'team,tickets,first response,resolution,overall,tickets breached,tickets overdue',
      'Tech Support,2,100.0%,0.0%,50.0%,0,1',
      '一线客服售后服务组,2,50.0%,100.0%,66.7%,0,1',
      '二线技术支持,1,0.0%,0.0%,0.0%,1,0',
      '',
    ].join('\n'));
  });

  test('an autofilter over each table that Calc picks up', () => {
    const ranges = [...fods.matchAll(/<table:database-range [^>]*table:target-range-address="([^"]+)"[^>]*table:display-filter-buttons="true"/g)].map((m) => m[1].replace(/&apos;/g, "'"));
    expect(ranges).toEqual(['Tickets.A1:Tickets.T6', 'Categories.A1:Categories.J5', "'By team'.A1:'By team'.G4", "'Scorecard teams'.A1:'Scorecard teams'.I4"]);
  });

  test('frozen header rows, column widths that fit CJK text, number formats', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    const tickets = wb.getWorksheet('Tickets')!;
    expect(tickets.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect((wb.getWorksheet('Summary')!.views ?? []).map((v) => v.state)).not.toContain('frozen');
    // team: 一线客服售后服务组 is 9 wide characters = 18 columns (counted as 9 it would be narrower than
    // "Tech Support"), plus 2 of margin
    expect(tickets.getColumn(5).width).toBe(20);
    // agent: =HYPERLINK("http://example.com","x") is 36 characters
    expect(tickets.getColumn(6).width).toBe(38);
    expect(tickets.getCell('B2').numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(tickets.getCell('J2').numFmt).toBe('0.00');
    expect(wb.getWorksheet('Categories')!.getCell('C2').numFmt).toBe('0.0%');
  });
});
