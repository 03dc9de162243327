// The HTML report fits its page: at 1280 px no table is wider than its box (a wide config: a
// scorecard of ten indicators, six teams with long Chinese names, per-team objectives), at 400 px
// nothing overflows the page and the scorecard's bars keep their proportions, and printed to PDF
// (A4) every table fits the paper and the pages render (pdftoppm). Screenshots go to test-output/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cli, ROOT } from '../cli/run.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const have = existsSync(CHROMIUM);
const havePdftoppm = (() => {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!have && process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);
const WIDE = ['-c', 'fixtures/reports/html-wide/sla.yaml', 'fixtures/reports/html-wide/tickets.csv', '--as-of', '2026-10-01T00:00'];

/** Every table that is wider than its own box or its wrapper's, or reaches past the page's content: [heading, table width, room]. */
async function overflowing(page: Page): Promise<[string, number, number][]> {
  return page.$$eval('table', (ts) => ts.flatMap((t) => {
    const box = t.parentElement!;
    const main = document.querySelector('main')!.getBoundingClientRect();
    let h: Element | null = box;
    while (h && !/^H[123]$/.test(h.tagName)) h = h.previousElementSibling;
    const right = t.getBoundingClientRect().right;
    const bad = t.scrollWidth > t.clientWidth || box.scrollWidth > box.clientWidth || right > main.right + 0.5;
    return bad ? [[h?.textContent ?? '?', t.scrollWidth, box.clientWidth] as [string, number, number]] : [];
  }));
}

describe.skipIf(!have)('the HTML report fits the page, in headless Chromium', () => {
  let browser: Browser;
  const files: Record<string, string> = {};
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-layout-'));
    for (const name of ['wide', 'demo', 'scorecard']) files[name] = join(dir, `${name}.html`);
    const runs = await Promise.all([
      cli(['check', ...WIDE, '--group-by', 'team,agent,priority', '--period', 'week', '-q', '-o', files.wide]),
      cli(['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '--group-by', 'priority,policy,team,agent', '-q', '-o', files.demo]),
      cli(['scorecard', ...WIDE, '-o', files.scorecard]),
    ]);
    expect(runs.map((r) => r.exitCode)).toEqual([1, 1, 1]);
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => browser?.close());

  test.each(['wide', 'demo', 'scorecard'])('at 1280 px every table fits its box, every heading is on screen (%s)', async (name) => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`file://${files[name]}`);
    expect(await page.$$eval('table', (ts) => ts.length)).toBeGreaterThan(0);
    expect(await overflowing(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
    // the scorecard's last columns (score, grade, rank) are on screen, as every other heading
    const offscreen = await page.$$eval('th', (ths) => ths.filter((th) => th.getBoundingClientRect().right > innerWidth).map((th) => th.textContent));
    expect(offscreen).toEqual([]);
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    await page.screenshot({ path: join(OUT, `layout-${name}-1280.png`), fullPage: true });
    await page.close();
  });

  test.each(['wide', 'demo', 'scorecard'])('at 400 px nothing overflows the page; wide tables become one card per row (%s)', async (name) => {
    const page = await browser.newPage({ viewport: { width: 400, height: 900 } });
    await page.goto(`file://${files[name]}`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
    expect(await overflowing(page)).toEqual([]);
    // a stacked row still names each value: its heading is written before it
    const labelled = await page.$$eval('table.stack tbody td[data-label]', (tds) => tds.slice(0, 50).map((td) => getComputedStyle(td, '::before').content));
    expect(labelled.length).toBeGreaterThan(0);
    for (const c of labelled) expect(c).not.toBe('none');
    await page.screenshot({ path: join(OUT, `layout-${name}-400.png`), fullPage: true });
    await page.close();
  });

  test('at 400 px the scorecard bars are as long as the scores: 91.3 against 71.45 is visibly longer', async () => {
    const page = await browser.newPage({ viewport: { width: 400, height: 900 } });
    await page.goto(`file://${files.wide}`);
    // composites of the wide fixture's six teams, as the table beside the bars gives them
    const bars = await page.$$eval('.scorecard .score-bar', (bs) => bs.map((b) => ({ group: b.getAttribute('data-group'), width: b.getBoundingClientRect().width, standing: b.getAttribute('data-standing') })));
    const scores = await page.$$eval('.scorecard .bar-value', (vs) => vs.map((v) => Number(v.textContent)));
    expect(bars).toHaveLength(6);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // every bar in proportion to its score (a share of one track), so different scores differ in length
    for (let i = 1; i < bars.length; i++) expect(bars[i].width / bars[0].width).toBeCloseTo(scores[i] / scores[0], 2);
    expect(bars[0].width - bars[bars.length - 1].width).toBeGreaterThan(20);
    // min_score 72 with the default 2-point margin: 71.45 failed, the rest (78.61 and up) met
    expect(bars.map((b) => b.standing)).toEqual(['met', 'met', 'met', 'met', 'met', 'failed']);
    // the colours differ as the legend shows them
    const colours = await page.$$eval('.standing-legend .st', (ss) => ss.map((s) => getComputedStyle(s).backgroundColor));
    expect(new Set(colours).size).toBe(3);
    await page.close();
  });

  test.each(['wide', 'demo'])('printed on A4 every table fits the paper, nothing scrolls, and the PDF renders (%s)', async (name) => {
    // A4 less 10 mm margins each side: 190 mm = 718 CSS px
    const page = await browser.newPage({ viewport: { width: 718, height: 1000 } });
    await page.goto(`file://${files[name]}`);
    await page.emulateMedia({ media: 'print' });
    expect(await overflowing(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
    // no scroll box on paper (a scrollbar would be drawn)
    const scrollers = await page.$$eval('.tbl, .scroll', (bs) => bs.map((b) => getComputedStyle(b).overflowX).filter((o) => o !== 'visible'));
    expect(scrollers).toEqual([]);
    const pdf = join(OUT, `layout-${name}.pdf`);
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    await page.close();
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    if (havePdftoppm) {
      const prefix = join(OUT, `layout-${name}-pdf`);
      for (const f of readdirSync(OUT).filter((f) => f.startsWith(`layout-${name}-pdf`))) rmSync(join(OUT, f), { force: true });
      execFileSync('pdftoppm', ['-r', '60', '-png', pdf, prefix]);
      const pages = readdirSync(OUT).filter((f) => f.startsWith(`layout-${name}-pdf`) && f.endsWith('.png'));
      expect(pages.length).toBeGreaterThan(1);
      // a rendered page has something on it: far more bytes than a blank A4 at 60 dpi
      for (const p of pages) expect(statSync(join(OUT, p)).size).toBeGreaterThan(3000);
    }
  });
});
