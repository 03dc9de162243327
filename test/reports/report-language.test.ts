// Report language and title (report: { lang, title }, --lang): the labels of reports for people come
// from the catalogue in the chosen language; stable outputs (JSON, CSV) are byte-identical in every
// language; CJK text lines up in the terminal.
//
// The fixture runs 24x7 in Asia/Shanghai, so every figure is a wall-clock difference:
//   first response (targets: 加急服务 P1 30m, 标准服务 1h): T1 10m met, T2 60m of 30m breached (200%),
//     T3 30m met, T4 20m met, T5 17h20m = 1040m of 60m breached (1733%: "×17.3 of target", past 999%),
//     T6 5m met → 4 met of 6 = 66.7% (objective ≥ 60%: met)
//   resolution (4h / 8h): T1 2h met, T2 3h met, T3 10h of 8h breached, T4 3h met, T5 18h of 8h breached,
//     T6 open 3h at --as-of 12:00 of 8h running → 3 of 5 = 60%; P1 (T1, T2) 2 of 2 = 100% (≥ 99%: met)
//   overall 7 of 11 = 63.6% (≥ 90%: failed) → objectives 2 met, 1 failed, of 3; exit 1
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../cli/run.js';
import { configErrors } from '../helpers/index.js';
import { displayWidth } from '../../src/report/width.js';
import { LANGS, isLang } from '../../src/report/i18n/index.js';
import { configJsonSchema } from '../../src/config/zod-schema.js';

const DIR = 'fixtures/reports/report-language';
const RUN = ['-c', `${DIR}/sla.yaml`, `${DIR}/tickets.csv`, '--as-of', '2026-05-09T12:00'];
const DEMO = ['-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00'];
const tmp = mkdtempSync(join(tmpdir(), 'sla-report-language-'));

/** The lines of every box table in a terminal report: each table's lines must be equally wide on screen. */
function boxTables(text: string): string[][] {
  const tables: string[][] = [];
  let cur: string[] | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('┌')) tables.push((cur = []));
    if (cur) cur.push(line);
    if (line.startsWith('└')) cur = undefined;
  }
  return tables;
}

/** Every column separator of a table at the same display column on every line. */
function expectAligned(text: string): void {
  const tables = boxTables(text);
  expect(tables.length).toBeGreaterThan(0);
  for (const t of tables) {
    const columns = (line: string) => {
      const at: number[] = [];
      let w = 0;
      for (const ch of line) {
        if ('┌┬┐│├┼┤└┴┘'.includes(ch)) at.push(w);
        w += displayWidth(ch);
      }
      return at;
    };
    const first = columns(t[0]);
    for (const line of t) expect(columns(line), line).toEqual(first);
  }
}

describe('report language: the terminal in Simplified Chinese', () => {
  test('report.lang zh-CN: Chinese labels, the title on top, a share past 999% as a multiple', async () => {
    const r = await cli(['check', ...RUN]);
    expect(r.exitCode).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('华东客服中心 SLA 月报');
    expect(lines[2]).toBe(`sla-audit  已评估 6 张工单，来自 ${DIR}/tickets.csv  ·  截至 2026-05-09 12:00（Asia/Shanghai）`);
    expect(r.stdout).toContain('合规率（按指标统计工单；总体为各指标之和）');
    expect(r.stdout).toContain('│ 指标     │ 合规率 │ 达标 │ 超时 │ 逾期 │ 临近超时 │ 计时中 │ 不适用 │');
    expect(r.stdout).toContain('│ 首次响应 │  66.7% │    4 │    2 │    0 │        0 │      0 │      0 │');
    expect(r.stdout).toContain('│ 解决     │    60% │    3 │    2 │    0 │        0 │      1 │      0 │');
    expect(r.stdout).toContain('│ 总体     │  63.6% │    7 │    4 │    0 │        0 │      1 │      0 │');
    expect(r.stdout).toContain('超时最严重的工单（4 项中的 4 项，按占目标比例排序；工作时间）');
    // 1040m of 60m: 17.33 times, written rounded down to a tenth
    expect(r.stdout).toMatch(/│ T5 +│ 首次响应 │ 标准服务 │ +1h │ +17h 20m │ 目标的 17\.3 倍 │ +16h 20m │ 2026-05-08 10:00 │/);
    expect(r.stdout).toContain('按策略');
    expect(r.stdout).toContain('目标：达成 2，未达成 1（共 3 项）。');
    // no English label is left in the tables' headings
    for (const word of ['Compliance', 'Objectives', 'Worst breaches', 'tickets breached', 'first response']) expect(r.stdout).not.toContain(word);
  });

  test('CJK text lines up: every table column and the objectives column at one display width', async () => {
    const r = await cli(['check', ...RUN]);
    expectAligned(r.stdout);
    const objectives = r.stdout.split('\n').filter((l) => /^ {2}[✓✗–] /.test(l));
    expect(objectives).toEqual([
      '  ✓ 首次响应 ≥ 60%                   实际 66.7%，共 6 张工单',
      '  ✓ 解决 P1 ≥ 99%                    实际 100%，共 2 张工单',
      '  ✗ 总体 ≥ 90%                       实际 63.6%，共 11 张工单',
    ]);
    // the detail starts at one display column on every line (2 + mark + space + 32 + space)
    for (const l of objectives) expect(displayWidth(l.slice(0, l.indexOf('实际')))).toBe(37);
  });

  test('--lang en overrides the config: English labels, the title still on top', async () => {
    const r = await cli(['check', ...RUN, '--lang', 'en']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('华东客服中心 SLA 月报');
    expect(r.stdout).toContain('Compliance (tickets per metric; overall sums both)');
    expect(r.stdout).toContain('×17.3 of target');
    expect(r.stdout).toContain('Objectives: 2 met, 1 failed (of 3).');
    expect(r.stdout).not.toContain('合规率');
    expectAligned(r.stdout);
  });

  test('--lang zh-CN on a config without report: (the demo)', async () => {
    const r = await cli(['check', ...DEMO, '--lang', 'zh-CN']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('目标：达成 1，未达成 2（共 3 项）。');
    expect(r.stdout).toContain('│ 物流问题 │    186 │ 45.1% │    45.1% │       28 │  15.1% │         8h 53m │       83 │');
    expectAligned(r.stdout);
  });

  test('a --lang the catalogue has not is a usage error (exit 2)', async () => {
    const r = await cli(['check', ...DEMO, '--lang', 'fr']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('zh-CN');
  });
});

describe('report language: markdown, the step summary, scorecards and the queue', () => {
  test('markdown in zh-CN: the title as the first heading, Chinese headings and columns', async () => {
    const r = await cli(['check', ...RUN, '-f', 'markdown']);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['# 华东客服中心 SLA 月报', '', '## SLA 审计：❌ 目标达成 2，未达成 1（共 3 项）']);
    expect(r.stdout).toContain(`已评估 6 张工单，来自 \`${DIR}/tickets.csv\`，截至 2026-05-09 12:00（Asia/Shanghai）；读取 6 行，0 行因问题未计入。`);
    expect(r.stdout).toContain('| 指标 | 合规率 | 达标 | 超时 | 逾期 | 临近超时 | 计时中 | 不适用 |');
    expect(r.stdout).toContain('| 首次响应 | 66.7% | 4 | 2 | 0 | 0 | 0 | 0 |');
    expect(r.stdout).toContain('| ❌ | 总体 ≥ 90% | 63.6% | 11 |');
    expect(r.stdout).toContain('### 超时最严重的工单（按占目标比例排序）');
    expect(r.stdout).toContain('| T5 | 首次响应 | 超时 | 标准服务 | 1h | 17h 20m | 目标的 17.3 倍 | 16h 20m | 2026-05-08 10:00 |');
    expect(r.stdout).toContain('### 评分卡 团队考核，按团队（加权）');
    expect(r.stdout).not.toMatch(/Compliance|Worst breaches|tickets breached/);
  });

  test('the step summary (--summary) is the markdown in the report language, title first', async () => {
    const summary = join(tmp, 'summary.md');
    const r = await cli(['check', ...RUN, '-q', '--summary', summary]);
    expect(r.exitCode).toBe(1);
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('# 华东客服中心 SLA 月报\n\n## SLA 审计：❌ 目标达成 2，未达成 1（共 3 项）\n')).toBe(true);
  });

  test('scorecard in zh-CN: Chinese columns and notes, CJK aligned', async () => {
    // resolution compliance per team: 一线 T1 met, T3 and T5 breached (1 of 3, 33.3%); 二线支持 T2 and T4 met, T6 running (2 of 2, 100%)
    const r = await cli(['scorecard', ...RUN]);
    expect(r.stdout).toContain('评分卡 团队考核，按团队（加权）');
    expect(r.stdout).toMatch(/│ 团队 +│ 工单数 │ 解决合规率 \(1\) │ +得分 │ +等级 │ 排名 │/);
    expect(r.stdout).toMatch(/│ 二线支持 │ +3 │ +100% → 100 │ +100 │ +优秀 │ +1 │/);
    expect(r.stdout).toContain('等级：优秀 ≥ 90 · 合格 ≥ 60 · 其余：待改进');
    expectAligned(r.stdout);
    const md = await cli(['scorecard', ...RUN, '-f', 'markdown', '--lang', 'en']);
    expect(md.stdout).toContain('### Scorecard 团队考核 by team (weighted)');
    expect(md.stdout).toContain('| team | tickets | resolution.compliance (1) | score | grade | rank |');
  });

  test('queue in zh-CN: the open clock with Chinese columns', async () => {
    // T6 resolution: open 09:00-12:00 = 3h of 8h (37%), 5h left, due 17:00
    const r = await cli(['queue', ...RUN]);
    expect(r.stdout).toContain('截至 2026-05-09 12:00（Asia/Shanghai）的待办队列：未结计时 1 项，逾期 0 项，临近超时 0 项');
    expect(r.stdout).toMatch(/│ T6 +│ 解决 │ P2 +│ 标准服务 │ 二线支持 │ – +│ +3h │ +8h │ +37% │ +5h │ 2026-05-09 17:00 │ – +│/);
    expectAligned(r.stdout);
  });
});

describe('report language: explain', () => {
  test('explain in zh-CN: Chinese labels lined up by display width, the verdict in Chinese', async () => {
    // T5 first response: 2026-05-08 09:00 to 2026-05-09 02:20 = 17h20m of 1h, 16h20m over; per day 15h (to midnight) + 2h20m
    const r = await cli(['explain', 'T5', ...RUN]);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`工单 T5（${DIR}/tickets.csv 第 6 行）`);
    expect(r.stdout).toContain('\n首次响应: 超时 16h 20m\n');
    expect(r.stdout).toContain('\n  已用        17h 20m / 1h\n');
    expect(r.stdout).toContain('\n  策略        标准服务（按顺序第 2 个策略）\n');
    expect(r.stdout).toContain('\n  升级        已用目标的 1733%：overdue\n');
    expect(r.stdout).toContain('\n  每日计入的工作时间：\n');
    // every label line: the value starts at display column 14 (2 + 11 + 1)
    const labelled = lines.filter((l) => /^ {2}(创建|策略|日历|目标|开始计时|截止|完成|已用|升级|未匹配策略) /.test(l));
    expect(labelled.length).toBeGreaterThan(10);
    for (const l of labelled) expect(displayWidth(l.match(/^ {2}\S+ +/)![0]), l).toBe(14);
    const en = await cli(['explain', 'T5', ...RUN, '--lang', 'en']);
    expect(en.stdout).toContain('\nfirst response: breached by 16h 20m\n');
    expect(en.stdout).toContain('\n  elapsed     17h 20m of 1h\n');
  });
});

describe('report language: explain --scorecard', () => {
  test('a group\'s score step by step in zh-CN, in en as before', async () => {
    // 二线支持: resolution T2 and T4 met, T6 running: 2 of 2 = 100%, the target: 100 points, rank 1 of 2
    const args = ['explain', '--scorecard', '团队考核', '--group', '二线支持', `${DIR}/tickets.csv`, '-c', `${DIR}/sla.yaml`, '--as-of', '2026-05-09T12:00'];
    const zh = await cli(args);
    expect(zh.exitCode).toBe(0);
    expect(zh.stdout.split('\n')[0]).toBe('评分卡 团队考核 · 团队 二线支持（加权），3 张工单');
    expect(zh.stdout).toContain('\n解决合规率，权重 1：100%\n');
    expect(zh.stdout).toContain('\n排名        1 / 2\n');
    const en = await cli([...args, '--lang', 'en']);
    expect(en.stdout.split('\n')[0]).toBe('Scorecard 团队考核 · team 二线支持 (weighted), 3 tickets');
    expect(en.stdout).toContain('\nresolution.compliance, weight 1: 100%\n');
    expect(en.stdout).toContain('\nrank        1 of 2\n');
  });
});

describe('report language: the calendar command', () => {
  test('calendar --lang zh-CN: Chinese headings and columns, aligned; the CSV the same in both languages', async () => {
    // support-hours: Mon-Fri 09:00-12:00 and 13:00-18:00 (8h), Sat 10:00-16:00 (6h): 46h a week;
    // days off 2026-01-01 and 2026-10-01..07 (8 days), listed in fixtures/demo/sla.yaml
    const args = ['calendar', 'support-hours', '-c', 'fixtures/demo/sla.yaml', '--year', '2026'];
    const r = await cli([...args, '--lang', 'zh-CN']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('每周工作时间');
    expect(r.stdout).toMatch(/│ 每周 +│ +│ +46h │/);
    expect(r.stdout).toContain('休息日（8 天）');
    expectAligned(r.stdout);
    const csv = await Promise.all(['en', 'zh-CN'].map(async (lang) => (await cli([...args, '-f', 'csv', '--lang', lang])).stdout));
    expect(csv[1]).toBe(csv[0]);
    expect((await cli(args)).stdout).toContain('Weekly hours');
  });
});

describe('stable outputs never change with the language', () => {
  const run = async (args: string[], lang: string, files: string[]) => {
    const dir = mkdtempSync(join(tmp, `${lang}-`));
    const r = await cli([...args, '-q', '--lang', lang, ...files.flatMap((f) => ['-o', join(dir, f)])]);
    expect(r.exitCode, r.stderr).toBeLessThan(2);
    return files.map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      return f.endsWith('.json') ? text.replace(/"generatedAt": "[^"]+"/, '"generatedAt": "…"') : text;
    });
  };

  test.each([
    ['the demo', ['check', ...DEMO], ['report.json', 'tickets.csv']],
    ['the demo, per-ticket CSV --wide', ['check', ...DEMO, '--wide'], ['wide.csv']],
    ['a fixture with scorecards, custom KPIs and a period', ['check', ...RUN, '--period', 'week'], ['report.json', 'tickets.csv']],
    ['the scorecard command', ['scorecard', ...RUN], ['scores.json', 'scores.csv']],
    ['the queue command', ['queue', ...RUN], ['queue.json', 'queue.csv']],
  ])('%s: JSON (but generatedAt) and CSV byte-identical in en and zh-CN', async (_what, args, files) => {
    const [en, zh] = [await run(args, 'en', files), await run(args, 'zh-CN', files)];
    expect(zh).toEqual(en);
    for (const text of en) expect(text.length).toBeGreaterThan(50);
  });

  test('the exit code is the same in both languages', async () => {
    const codes = await Promise.all(LANGS.map(async (lang) => (await cli(['check', ...RUN, '-q', '--lang', lang])).exitCode));
    expect(codes).toEqual([1, 1]);
  });
});

describe('report: in the config', () => {
  const BASE = `policies:
  - name: Std
    targets: { first_response: 1h }
`;

  test('a language the catalogue has not: one line with file, line, path, value and the allowed values', () => {
    expect(configErrors(`${BASE}report:\n  lang: zh\n`)).toEqual(['sla.yaml:5:9 report.lang: found "zh" (allowed: en, zh-CN)']);
  });

  test('an empty title, a misspelt key', () => {
    expect(configErrors(`${BASE}report:\n  title: "  "\n  langs: en\n`)).toEqual([
      'sla.yaml:5:10 report.title: an empty title; leave report.title out for the default heading, or write one such as "客服 SLA 月报"',
      'sla.yaml:6:3 report.langs: unknown key "langs" (did you mean "lang"?) (allowed: lang, title, at_risk_margin)',
    ]);
  });

  test('a title with a control or text-direction character is refused, the value shown escaped', () => {
    // ESC, BEL and U+202E (right-to-left override) would colour, ring or reverse the terminal's first line
    expect(configErrors(`${BASE}report:\n  title: "a\\u001b[31mRED\\u0007 \\u202e x"\n`)).toEqual([
      'sla.yaml:5:10 report.title: "a\\x1b[31mRED\\x07 \\u202e x" holds a control or text-direction character, which would reach terminals and reports; write the title without it',
    ]);
  });

  test('--lang with a wrong value: our usage error, exit 2, control characters escaped', async () => {
    for (const cmd of [['check', ...DEMO], ['calendar', '-c', 'fixtures/demo/sla.yaml', 'business_hours']]) {
      const r = await cli([...cmd, '--lang', 'zh\u001b[31m']);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe('sla-audit: --lang "zh\\x1b[31m" is not a language of the reports (use en or zh-CN)\n');
    }
  });

  test('the CLI prints the problem and exits 2', async () => {
    const yaml = join(tmp, 'bad-lang.yaml');
    writeFileSync(yaml, `${BASE}report: { lang: english }\n`);
    const r = await cli(['check', '-c', yaml, 'fixtures/demo/tickets.csv']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('report.lang: found "english" (allowed: en, zh-CN)');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('the schema offers the catalogue\'s languages', () => {
    const s = configJsonSchema() as { properties: { report: { properties: { lang: { enum: string[] } } } } };
    expect(s.properties.report.properties.lang.enum).toEqual([...LANGS]);
    expect(LANGS.every(isLang)).toBe(true);
    expect(['zh', 'zh-cn', 'EN', ''].some(isLang)).toBe(false);
  });
});
