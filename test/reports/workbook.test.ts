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
// the Tickets sheet: the same columns under labels for people
const SHEET_HEADER = 'ticket,created,priority,policy,team,agent,channel,category,first response status,first response target,first response elapsed,first response over by,first response due,first response completed,resolution status,resolution target,resolution elapsed,resolution over by,resolution due,resolution completed';
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

/** The cells of one sheet of a flat ODS file: per row, [value type, value (date-value, time-value or value), text]. */
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
      const cell = { type: attr('office:value-type'), value: attr('office:date-value') || attr('office:time-value') || attr('office:value'), text };
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
    // the same values as the --wide CSV under labels for people, business time as h:mm (the CSV's
    // hours: 2.00 is 2:00, 0.17 is 0:10); text that looks like a formula is text (no apostrophe is
    // needed: the cell is typed)
    const sheet = (row: string) => row.replace(/(?<=,)(\d+)\.(\d\d)(?=,)/g, (_, h: string, f: string) => `${h}:${String(Math.round(Number(`0.${f}`) * 60)).padStart(2, '0')}`);
    expect(sheet('met,0.17,0.50,39.00,')).toBe('met,0:10,0:30,39:00,');
    expect(shown.Tickets).toBe([
      SHEET_HEADER,
      sheet(WIDE_ROWS[0]),
      sheet('W2,2026-03-02 16:00,P1,Standard,二线技术支持,"=HYPERLINK(""http://example.com"",""x"")",Email,@SUM(1),breached,2.00,3.00,1.00,2026-03-02 18:00,2026-03-03 10:00,breached,8.00,13.00,5.00,2026-03-03 16:00,2026-03-04 12:00'),
      'W3,2026-03-03 08:00,P2,VIP,Tech Support,+86 21 5555,Chat,其他,not_applicable,,,,,,not_applicable,,,,,',
      sheet('W4,2026-03-03 09:00,P1,VIP,Tech Support,-2+3,Chat,Refund,met,0.50,0.17,0.00,2026-03-03 09:30,2026-03-03 09:10,overdue,4.00,39.00,35.00,2026-03-03 13:00,'),
      sheet(WIDE_ROWS[4]),
      '',
    ].join('\n'));
  });

  test('Tickets: times are date cells in the config zone, durations time cells of exact minutes, text is text', () => {
    const rows = odsCells(fods, 'Tickets');
    const w2 = rows[2];
    expect(w2[1]).toEqual({ type: 'date', value: '2026-03-02T16:00:00', text: '2026-03-02 16:00' });
    expect(w2[12]).toEqual({ type: 'date', value: '2026-03-02T18:00:00', text: '2026-03-02 18:00' });
    expect(w2[19]).toEqual({ type: 'date', value: '2026-03-04T12:00:00', text: '2026-03-04 12:00' });
    // W2's resolution: 8h target, 13h elapsed, 5h over (see the top)
    expect([w2[15], w2[16], w2[17]]).toEqual([{ type: 'time', value: 'PT08H00M00S', text: '8:00' }, { type: 'time', value: 'PT13H00M00S', text: '13:00' }, { type: 'time', value: 'PT05H00M00S', text: '5:00' }]);
    // W4: 10 minutes, and 39 hours open past a 4h target (35h over): [h] counts past a day
    expect(rows[4][10]).toEqual({ type: 'time', value: 'PT00H10M00S', text: '0:10' });
    expect(rows[4][17]).toEqual({ type: 'time', value: 'PT35H00M00S', text: '35:00' });
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
      // (each value typed by its KPI: a time h:mm, with seconds when not whole minutes; a count whole)
      'KPIs (business time as h:mm; empty: no data),,,,,,,,',
      'KPI,value,,,,,,,',
      // 73.33 minutes are 1:13:19.8, shown to the second
      'first_response.mean,1:13:20,,,,,,,',
      'first_response.median,0:30,,,,,,,',
      'first_response.p90,3:00,,,,,,,',
      'resolution.mean,10:00,,,,,,,',
      'resolution.median,10:00,,,,,,,',
      'resolution.p90,13:00,,,,,,,',
      'satisfaction.mean,,,,,,,,',
      'satisfaction.good_share,,,,,,,,',
      'nps,,,,,,,,',
      'fcr,,,,,,,,',
      'repeat_rate,,,,,,,,',
      'reopen_rate,,,,,,,,',
      'tickets,5,,,,,,,',
      'backlog,3,,,,,,,',
      'overdue,2,,,,,,,',
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
    // a time is a time cell: the KPI's 73.33 minutes (KPIs keep a hundredth of a minute) are 1h 13m 19.8s
    const mean = odsCells(fods, 'Summary')[19];
    expect([mean[0].text, mean[1].type, mean[1].value]).toEqual(['first_response.mean', 'time', 'PT01H13M19.8S']);
    const tickets = odsCells(fods, 'Summary')[31];
    expect([tickets[0].text, tickets[1].type, tickets[1].value]).toEqual(['tickets', 'float', '5']);
  });

  test('a sheet per scorecard: indicators typed by their KPI with their points, score, grade, rank, why a group is not scored', () => {
    // by team, min_tickets 2; first_response.compliance (60) scores actual ÷ 100%, resolution.median (40)
    // is linear from 16h (0) to 8h (100). Tech Support (W3 n/a, W4 met): 100% → 100; no resolution
    // completed, so left out with its weight: 100, A. 一线 (W1 met, W5 overdue): 50% → 50; median of W1's
    // 7h → 100 (within target): (60·50 + 40·100) ÷ 100 = 70, B. 二线 has only W2: not scored.
    expect(shown['Scorecard teams']).toBe([
      // each indicator: its actual value, then the points it earned (empty: no data, or not scored)
      'period,team,tickets,first_response.compliance (60),first_response.compliance points,resolution.median (40),resolution.median points,score,grade,rank,note',
      'all,Tech Support,2,100.0%,100.0,,,100.0,A,1,resolution.median left out (no data)',
      'all,一线客服售后服务组,2,50.0%,50.0,7:00,100.0,70.0,B,2,',
      'all,二线技术支持,1,0.0%,,13:00,,,,,"not scored, only 1 ticket (min_tickets 2)"',
      '',
    ].join('\n'));
    const row = odsCells(fods, 'Scorecard teams')[2];
    expect(row.slice(3, 10).map((c) => [c.type, c.value])).toEqual([['percentage', '0.5'], ['float', '50'], ['time', 'PT07H00M00S'], ['float', '100'], ['float', '70'], ['string', ''], ['float', '2']]);
  });

  test('Categories and the breakdown by team', () => {
    // 物流问题: W1, W5 (2 of 5 = 40%); resolved only W1, 7h. @SUM(1): W2, breached, 13h. Refund (W4) and
    // 其他 (W3) are open. Ties in natural order.
    expect(shown.Categories).toBe([
      'category,tickets,share,cumulative share,tickets breached,breach rate,median resolution,p90 resolution,satisfaction,repeat',
      '物流问题,2,40.0%,40.0%,0,0.0%,7:00,7:00,,0',
      '@SUM(1),1,20.0%,60.0%,1,100.0%,13:00,13:00,,0',
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
    expect(ranges).toEqual(['Tickets.A1:Tickets.T6', 'Categories.A1:Categories.J5', "'By team'.A1:'By team'.G4", "'Scorecard teams'.A1:'Scorecard teams'.K4"]);
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
    expect(tickets.getCell('J2').numFmt).toBe('[h]:mm');
    expect(wb.getWorksheet('Scorecard teams')!.getCell('H2').numFmt).toBe('0.0');
    expect(wb.getWorksheet('Categories')!.getCell('C2').numFmt).toBe('0.0%');
  });
});

/** A time cell's ISO duration (PT13H00M00S, PT01H13M19.8S) in minutes. */
function isoMinutes(d: string): number {
  const m = /^PT(\d+)H(\d+)M([\d.]+)S$/.exec(d);
  if (!m) throw new Error(`not a time value: ${d}`);
  return Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) / 60;
}

/** Converts a workbook with LibreOffice (a profile of its own, so parallel runs do not share one): the CSV of every sheet as shown, and the flat ODS. */
function throughOffice(xlsx: string, dir: string): { shown: Record<string, string>; fods: string } {
  const profile = `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`;
  execFileSync(SOFFICE, [profile, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', join(dir, 'csv'), xlsx], { stdio: 'ignore' });
  const base = xlsx.replace(/^.*\//, '').replace(/\.xlsx$/, '');
  const shown = Object.fromEntries(readdirSync(join(dir, 'csv')).map((f) => [f.slice(base.length + 1).replace(/\.csv$/, ''), readFileSync(join(dir, 'csv', f), 'utf8')]));
  execFileSync(SOFFICE, [profile, '--headless', '--convert-to', 'fods', '--outdir', join(dir, 'fods'), xlsx], { stdio: 'ignore' });
  return { shown, fods: readFileSync(join(dir, 'fods', `${base}.fods`), 'utf8') };
}

describe.skipIf(!haveOffice)('-o report.xlsx --period day: the Trend sheet, read back by LibreOffice', () => {
  let dir: string;
  let json: { periods: { period: string; overall: { compliance: number | null }; metrics: Record<string, { compliance: number | null }>; kpis: Record<string, number | null> }[] };
  let office: { shown: Record<string, string>; fods: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sla-trend-'));
    // one run writes both, so the workbook and the JSON come from the same audit
    const r = await cli([...ARGS, '--period', 'day', '-q', '-o', join(dir, 'report.xlsx'), '-o', join(dir, 'report.json')]);
    expect(r.exitCode).toBe(1);
    json = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    office = throughOffice(join(dir, 'report.xlsx'), dir);
  });
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  test('Trend comes after Summary; without --period there is none (see above)', () => {
    expect([...office.fods.matchAll(/<table:table table:name="([^"]+)"/g)].map((m) => m[1])).toEqual(['Summary', 'Trend', 'Tickets', 'Categories', 'By team', 'Scorecard teams']);
  });

  test('a row per period, as Calc shows it (hand-worked)', () => {
    // Mon 2 March: W1 (both met: 0:30 and 7:00) and W2 (both breached: 3:00 and 13:00): 2 of 4, 50%;
    // first response mean and median of 30 and 180 minutes = 105 = 1:45, p90 (nearest rank) 3:00;
    // resolution 7h and 13h: mean and median 10:00, p90 13:00. Tue 3 March: W3 (not applicable),
    // W4 (first response met in 10 minutes, resolution overdue): 1 of 2; both still open (backlog 2),
    // W4 past its target (overdue 1).
    // Wed 4 March: W5 (first response overdue, resolution at risk): 0 of 1, 0%; backlog 1, overdue 1.
    const lines = office.shown.Trend.split('\n');
    expect(lines[0]).toBe('period,tickets,overall compliance,first response compliance,resolution compliance,first_response.mean,first_response.median,first_response.p90,resolution.mean,resolution.median,resolution.p90,satisfaction.mean,satisfaction.good_share,nps,fcr,repeat_rate,reopen_rate,backlog,overdue');
    expect(lines.slice(1)).toEqual([
      '2026-03-02,2,50.0%,50.0%,50.0%,1:45,1:45,3:00,10:00,10:00,13:00,,,,,,,0,0',
      '2026-03-03,2,50.0%,100.0%,0.0%,0:10,0:10,0:10,,,,,,,,,,2,1',
      '2026-03-04,1,0.0%,0.0%,,,,,,,,,,,,,,1,1',
      '',
    ]);
  });

  test("every cell is the JSON report's value for its period, typed by its KPI", () => {
    const rows = odsCells(office.fods, 'Trend').filter((r) => r.some((c) => c.text));
    const header = rows[0].map((c) => c.text);
    expect(rows.length - 1).toBe(json.periods.length);
    json.periods.forEach((p, i) => {
      const row = rows[i + 1];
      const value = (name: string) => row[header.indexOf(name)];
      expect(value('period').text).toBe(p.period);
      expect(value('tickets')).toMatchObject({ type: 'float', value: String(p.kpis.tickets) });
      const rate = (c: { type: string; value: string }, v: number | null) => expect(v === null ? c.type : [c.type, Number(c.value)]).toEqual(v === null ? '' : ['percentage', v]);
      rate(value('overall compliance'), p.overall.compliance);
      rate(value('first response compliance'), p.metrics.first_response.compliance);
      rate(value('resolution compliance'), p.metrics.resolution.compliance);
      for (const k of header.slice(5)) {
        const c = value(k);
        const v = p.kpis[k];
        if (v === null) expect(c.type, k).toBe('');
        else if (k.endsWith('.mean') || k.endsWith('.median') || k.endsWith('.p90')) expect([c.type, isoMinutes(c.value)], k).toEqual(['time', v]);
        else expect([c.type, Number(c.value)], k).toEqual([k.endsWith('_rate') || k.endsWith('_share') || k === 'fcr' ? 'percentage' : 'float', v]);
      }
    });
  });
});
