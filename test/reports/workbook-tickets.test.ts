// The workbook's Tickets sheet with the mapped satisfaction, the customer (as written or keyed by
// --customer-key) and the repeat flag; points per scorecard indicator; and the workbook in Chinese
// with a title. Read back by LibreOffice Calc.
//
// fixtures/reports/workbook-tickets: UTC, 24x7, first response 10m and resolution 8h; repeat_within 2d;
// ratings 满意 5, 一般 3, 不满意 1 (a number is taken as it is). --as-of 2026-05-10.
//   K1 Mon 05-04 09:00 王芳 退款 一组 满意 (5): replied 09:10:17 — 10m 17s of 10m, breached by 17 s;
//      resolved 12:00 (3h, met)
//   K2 Tue 05-05 09:00 王芳 退款 一组 不满意 (1): replied in 5m; resolved 20:00 (11h of 8h, 3h over).
//      王芳's previous 退款 ticket (K1) was one day before: a repeat
//   K3 Fri 05-08 09:00 王芳 退款 二组 4: replied in 30m (20m over); resolved in 1h. K2 was three days
//      before: not a repeat
//   K4 Fri 05-08 09:00 李雷 物流 二组 (no rating): 1m, 2h. Not a repeat (李雷's first, read first)
//   K5 Fri 05-08 09:00 李雷 物流 二组 一般 (3): 2m, 3h. The same minute as K4, read after it: a repeat
//      (so the engine counts it: 2 repeats of 6 tickets, repeat_rate 1/3)
//   K6 Fri 05-08 10:00 no customer 物流 一组 (no rating): 3m, 1h. No customer: no repeat flag
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import { cli } from '../cli/run.js';
import { FIXTURES } from '../engine/run.js';
import { loadConfig } from '../../src/config/load.js';
import { audit } from '../../src/index.js';
import { parseInstant } from '../../src/time/instant.js';
import { TicketSpool } from '../../src/output/ticket-spool.js';
import { writeWorkbook } from '../../src/output/workbook.js';
import { workbookSheets } from '../../src/report/xlsx.js';

const DIR = 'fixtures/reports/workbook-tickets';
const ARGS = ['check', '-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--as-of', '2026-05-10T00:00', '-q'];
const SOFFICE = process.env.SOFFICE_PATH ?? '/usr/bin/soffice';
const haveOffice = existsSync(SOFFICE);

/** Every sheet as Calc shows it (CSV per sheet), by sheet name. */
function shownByOffice(xlsx: string, dir: string): Record<string, string> {
  const profile = `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`;
  execFileSync(SOFFICE, [profile, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1', '--outdir', join(dir, 'csv'), xlsx], { stdio: 'ignore' });
  const base = xlsx.replace(/^.*\//, '').replace(/\.xlsx$/, '');
  return Object.fromEntries(readdirSync(join(dir, 'csv')).map((f) => [f.slice(base.length + 1).replace(/\.csv$/, ''), readFileSync(join(dir, 'csv', f), 'utf8')]));
}

const tmp = mkdtempSync(join(tmpdir(), 'sla-wbt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!haveOffice)('Tickets: satisfaction, customer and repeat; scorecard points (English)', () => {
  let shown: Record<string, string>;
  beforeAll(async () => {
    const r = await cli([...ARGS, '-o', join(tmp, 'en.xlsx')]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    shown = shownByOffice(join(tmp, 'en.xlsx'), join(tmp, 'en'));
  });

  test('the mapped rating, the customer as written, 1 for a repeat; durations to the second where a breach is under a minute', () => {
    expect(shown.Tickets.split('\n')).toEqual([
      'ticket,created,priority,policy,team,agent,channel,category,satisfaction,customer,repeat,first response status,first response target,first response elapsed,first response over by,first response due,first response completed,resolution status,resolution target,resolution elapsed,resolution over by,resolution due,resolution completed',
      // K1: 10m 17s of 10m: the seconds are shown, so elapsed and over by do not read 0:10 and 0:00
      'K1,2026-05-04 09:00,,标准,一组,,,退款,5.00,王芳,0,breached,0:10,0:10:17,0:00:17,2026-05-04 09:10,2026-05-04 09:10,met,8:00,3:00,0:00,2026-05-04 17:00,2026-05-04 12:00',
      'K2,2026-05-05 09:00,,标准,一组,,,退款,1.00,王芳,1,met,0:10,0:05,0:00,2026-05-05 09:10,2026-05-05 09:05,breached,8:00,11:00,3:00,2026-05-05 17:00,2026-05-05 20:00',
      'K3,2026-05-08 09:00,,标准,二组,,,退款,4.00,王芳,0,breached,0:10,0:30,0:20,2026-05-08 09:10,2026-05-08 09:30,met,8:00,1:00,0:00,2026-05-08 17:00,2026-05-08 10:00',
      'K4,2026-05-08 09:00,,标准,二组,,,物流,,李雷,0,met,0:10,0:01,0:00,2026-05-08 09:10,2026-05-08 09:01,met,8:00,2:00,0:00,2026-05-08 17:00,2026-05-08 11:00',
      'K5,2026-05-08 09:00,,标准,二组,,,物流,3.00,李雷,1,met,0:10,0:02,0:00,2026-05-08 09:10,2026-05-08 09:02,met,8:00,3:00,0:00,2026-05-08 17:00,2026-05-08 12:00',
      'K6,2026-05-08 10:00,,标准,一组,,,物流,,,,met,0:10,0:03,0:00,2026-05-08 10:10,2026-05-08 10:03,met,8:00,1:00,0:00,2026-05-08 18:00,2026-05-08 11:00',
      '',
    ]);
  });

  test('points per indicator, hand-worked', () => {
    // 二组 (K3 K4 K5): resolution 3 of 3 met, 100% of a 100% target → 100 points; satisfaction mean of 4
    // and 3 = 3.5, linear from 1 (0 points) to 5 (100): 2.5 ÷ 4 = 62.5 points; score (70·100 + 30·62.5) ÷
    // 100 = 88.75, shown 88.8, 优 (≥ 80). 一组 (K1 K2 K6): resolution 2 of 3 (K2 breached) = 66.7% → 66.7
    // points; satisfaction (5 + 1) ÷ 2 = 3 → 50 points; (70·66.67 + 30·50) ÷ 100 = 61.67, 良 (≥ 60).
    expect(shown['Scorecard 团队'].split('\n')).toEqual([
      'period,team,tickets,resolution.compliance (70),resolution.compliance points,satisfaction.mean (30),satisfaction.mean points,score,grade,rank,note',
      'all,二组,3,100.0%,100.0,3.50,62.5,88.8,优,1,',
      'all,一组,3,66.7%,66.7,3.00,50.0,61.7,良,2,',
      '',
    ]);
  });
});

describe('--customer-key keys the workbook customers as it keys -o repeats.csv', () => {
  test.each([
    ['hash', (c: string) => createHmac('sha256', 'our-secret').update(c, 'utf8').digest('hex').slice(0, 16)],
    // short: at most 3 characters and never more than half: 王芳 (2) keeps 1
    ['short', (c: string) => `${[...c].slice(0, Math.min(3, Math.floor([...c].length / 2))).join('')}…`],
  ])('%s', async (how, key) => {
    const file = join(tmp, `${how}.xlsx`);
    const r = await cli([...ARGS, '-o', file, '--customer-key', how], { env: { SLA_AUDIT_HASH_KEY: 'our-secret' } });
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const rows = (wb.getWorksheet('Tickets')!.getSheetValues() as unknown[][]).slice(1).map((row) => row.slice(1));
    expect(rows.map((row) => [row[0], row[9], row[10]])).toEqual([
      ['ticket', 'customer', 'repeat'],
      ['K1', key('王芳'), 0], ['K2', key('王芳'), 1], ['K3', key('王芳'), 0], ['K4', key('李雷'), 0], ['K5', key('李雷'), 1], ['K6', undefined, undefined],
    ]);
  });

  test('without a customer column there is none, and no repeat flag', async () => {
    // the workbook fixture maps no customer and no satisfaction: its Tickets sheet goes from category to the metrics
    const file = join(tmp, 'none.xlsx');
    const r = await cli(['check', '-c', 'fixtures/reports/workbook/sla.yaml', 'fixtures/reports/workbook/tickets.csv', '--as-of', '2026-03-05T00:00', '-q', '-o', file]);
    expect(r.exitCode).toBe(1);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect((wb.getWorksheet('Tickets')!.getRow(1).values as string[]).slice(8, 10)).toEqual(['category', 'first response status']);
  });
});

describe.skipIf(!haveOffice)('the workbook in Chinese, with a title', () => {
  let shown: Record<string, string>;
  let file: string;
  beforeAll(async () => {
    // through the API (what report.lang and --lang choose)
    const config = loadConfig(join(FIXTURES, 'reports/workbook-tickets/sla.yaml'));
    file = join(tmp, 'zh.xlsx');
    const spool = new TicketSpool(file, 'zh.xlsx', true);
    const result = await audit({ config, inputs: [join(FIXTURES, 'reports/workbook-tickets/tickets.csv')], asOf: parseInstant('--as-of', '2026-05-10T00:00', config.zone), observers: [spool], period: 'week', groupBy: ['team'] });
    spool.finish();
    const ctx = { zone: config.zone, color: false, lang: 'zh-CN' as const, title: '五月客服服务水平报告' };
    const tickets = { rows: spool.rows(), widths: spool.widths, has: spool.has, customer: (c: string) => c, repeats: { reread: () => spool.rows(), withinMs: config.categories.repeatWithinMs } };
    try {
      await writeWorkbook(file, 'zh.xlsx', workbookSheets(result, ctx, tickets), new Date(0), undefined, ctx.title);
    } finally {
      spool.discard();
    }
    shown = shownByOffice(file, join(tmp, 'zh'));
  });

  test('sheet names, headers and statuses in Chinese; KPI names, values and the team names as they are', () => {
    expect(Object.keys(shown).sort()).toEqual(['工单', '按团队', '摘要', '考核表 团队', '趋势', '类别'].sort());
    // a canonical field is named for people; the groups are the cells as written
    expect(shown['按团队'].split('\n')[0]).toBe('团队,工单数,首次响应,解决,总体,超时工单,逾期工单');
    const tickets = shown['工单'].split('\n');
    expect(tickets[0]).toBe('工单号,创建时间,优先级,策略,团队,客服,渠道,类别,满意度,客户,重复投诉,首次响应状态,首次响应时限,首次响应时长,首次响应超出时长,首次响应截止时间,首次响应完成时间,解决状态,解决时限,解决时长,解决超出时长,解决截止时间,解决完成时间');
    expect(tickets[1]).toBe('K1,2026-05-04 09:00,,标准,一组,,,退款,5.00,王芳,0,超时,0:10,0:10:17,0:00:17,2026-05-04 09:10,2026-05-04 09:10,达标,8:00,3:00,0:00,2026-05-04 17:00,2026-05-04 12:00');
    expect(shown['考核表 团队'].split('\n')[0]).toBe('周期,团队,工单数,resolution.compliance（权重 70）,resolution.compliance 得分,satisfaction.mean（权重 30）,satisfaction.mean 得分,综合得分,等级,排名,备注');
    expect(shown['考核表 团队'].split('\n')[1]).toBe('全部,二组,3,100.0%,100.0,3.50,62.5,88.8,优,1,');
  });

  test('the title opens the Summary and is the document title; the trend per week', async () => {
    const summary = shown['摘要'].split('\n');
    expect(summary.slice(0, 2)).toEqual(['五月客服服务水平报告,,,,,,,,', '考核目标,未设置,,,,,,,']);
    expect(summary).toContain('指标,合规率,达标,超时,逾期,临近超时,计时中,不适用,未测量');
    // Mon 4 to Fri 8 May are one week: one row, the figures of the whole run (see the top: first response
    // 4 of 6 met, resolution 5 of 6, overall 9 of 12; satisfaction mean 3.25, good share 2 of 4; 2 repeats)
    // First responses 10m17s, 5, 30, 1, 2, 3 minutes: mean 51.28 ÷ 6 = 8.55 minutes (KPIs keep a hundredth)
    // = 8m 33s; median (3 + 5) ÷ 2 = 4m; p90 the 6th of 6, 30m. Resolutions 3, 11, 1, 2, 3, 1 hours: mean
    // 3.5h, median (2 + 3) ÷ 2 = 2.5h, p90 11h. Nothing open at --as-of.
    expect(shown['趋势'].split('\n')).toEqual([
      '周期,工单数,总体合规率,首次响应合规率,解决合规率,first_response.mean,first_response.median,first_response.p90,resolution.mean,resolution.median,resolution.p90,satisfaction.mean,satisfaction.good_share,nps,fcr,repeat_rate,reopen_rate,backlog,overdue',
      '2026-W19,6,75.0%,66.7%,83.3%,0:08:33,0:04,0:30,3:30,2:30,11:00,3.25,50.0%,,,33.3%,,0,0',
      '',
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.title).toBe('五月客服服务水平报告');
  });
});

describe('check --lang zh-CN and report.title reach the workbook', () => {
  test('sheet names and headers in Chinese, the title on the Summary and in the document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-wb-lang-'));
    const yaml = readFileSync(`${DIR}/sla.yaml`, 'utf8') + 'report: { title: 五月客服月报 }\n';
    writeFileSync(join(dir, 'sla.yaml'), yaml);
    const file = join(dir, 'zh.xlsx');
    const r = await cli(['check', '-c', join(dir, 'sla.yaml'), `${DIR}/tickets.csv`, '--as-of', '2026-05-10T00:00', '-q', '--lang', 'zh-CN', '-o', file]);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['摘要', '工单', '类别', '按优先级', '按策略', '考核表 团队']);
    expect(wb.title).toBe('五月客服月报');
    expect(wb.getWorksheet('摘要')!.getCell('A1').value).toBe('五月客服月报');
    expect((wb.getWorksheet('工单')!.getRow(1).values as string[]).slice(1, 4)).toEqual(['工单号', '创建时间', '优先级']);
    rmSync(dir, { recursive: true });
  });
});

describe('the repeat flags are the tickets the engine counts', () => {
  test('fixtures/reports/repeat-customers (replaced rows included): the flagged tickets, and their sum per category', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-wb-repeats-'));
    const r = await cli(['check', '-c', 'fixtures/reports/repeat-customers/sla.yaml', 'fixtures/reports/repeat-customers/tickets.csv', '--as-of', '2026-04-01', '-q', '-o', join(dir, 'r.xlsx'), '-o', join(dir, 'r.json')]);
    expect(r.exitCode).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'r.xlsx'));
    const rows = (wb.getWorksheet('Tickets')!.getSheetValues() as unknown[][]).slice(1).map((row) => row.slice(1));
    const header = rows[0] as string[];
    const [id, category, repeat] = ['ticket', 'category', 'repeat'].map((h) => header.indexOf(h));
    // see test/reports/repeat-customers.test.ts: A 物流 R2 (3 days after R1) and R4 (4 days after R3);
    // the hostile key's R7; B 价格 R9 and R10 (R8 moved to 03-09 by its later row); D 物流 D1 (its later row, 03-17, a day after D2)
    expect(rows.slice(1).filter((row) => row[repeat] === 1).map((row) => row[id]).sort()).toEqual(['D1', 'R10', 'R2', 'R4', 'R7', 'R9']);
    const perCategory: Record<string, number> = {};
    for (const row of rows.slice(1)) perCategory[row[category] as string] = (perCategory[row[category] as string] ?? 0) + (row[repeat] as number);
    const json = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { categories: { name: string; repeat: number }[] };
    expect(perCategory).toEqual(Object.fromEntries(json.categories.map((c) => [c.name, c.repeat])));
    rmSync(dir, { recursive: true });
  });
});
