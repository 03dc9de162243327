import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { cli, ROOT } from '../cli/run.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const have = existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);

// The KPI sheet of fixtures/scorecards/kpi-sheet (scores worked out in test/scorecards/kpi-sheet.test.ts):
// 一线 100, 外包 90.63, 二线 55.65 on the weighted card, with grade lines at 95, 90 and 80.
describe.skipIf(!have)('the scorecard in the HTML report, in headless Chromium', () => {
  let browser: Browser;
  let html: string;
  beforeAll(async () => {
    html = join(mkdtempSync(join(tmpdir(), 'sla-score-')), 'check.html');
    const r = await cli(['check', '-c', 'fixtures/scorecards/kpi-sheet/sla.yaml', 'fixtures/scorecards/kpi-sheet/tickets.csv', '--as-of', '2026-06-01', '-q', '-o', html]);
    expect(r.exitCode).toBe(1);
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => browser?.close());

  test('a table and a bar per scored group, the bars as long as the scores, with the grade lines', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`file://${html}`);
    const chart = page.locator('.scorecard').first();
    const bars = await chart.locator('.score-bar').evaluateAll((rs) => rs.map((r) => [r.getAttribute('data-group'), r.getBoundingClientRect().width]));
    expect(bars.map(([g]) => g)).toEqual(['一线', '外包', '二线']);
    const widths = bars.map(([, w]) => w as number);
    // widths are proportional to the composite: 90.63 / 100 and 55.65 / 100 of 一线's
    expect(widths[1] / widths[0]).toBeCloseTo(0.9063, 2);
    expect(widths[2] / widths[0]).toBeCloseTo(0.5565, 2);
    const lines = await chart.locator('.grade-line').evaluateAll((ls) => ls.map((l) => l.getBoundingClientRect().x));
    expect(lines).toHaveLength(3);
    // the 80 line sits to the right of 二线's bar end, left of 外包's
    const left = await chart.locator('.score-bar').first().evaluate((r) => r.getBoundingClientRect().x);
    expect(lines[2]).toBeGreaterThan(left + widths[2]);
    expect(lines[2]).toBeLessThan(left + widths[1]);
    expect(await page.locator('h2', { hasText: 'Scorecard team-quarterly by team (weighted)' }).count()).toBe(1);
    expect(await page.textContent('body')).toContain('外包: nps left out (no data), with its weight');
    await page.screenshot({ path: join(OUT, 'scorecard.png'), fullPage: true });
    await page.close();
  });
});
