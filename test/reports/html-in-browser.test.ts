import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { cli, ROOT } from '../cli/run.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const have = existsSync(CHROMIUM);
if (!have && process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);

describe.skipIf(!have)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let demoHtml: string;
  let injectedHtml: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-html-'));
    demoHtml = join(dir, 'demo.html');
    injectedHtml = join(dir, 'injected.html');
    const a = await cli(['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '-q', '-o', demoHtml, '--period', 'week']);
    const b = await cli(['check', '-c', 'fixtures/reports/categories/sla.yaml', 'fixtures/reports/categories/tickets.csv', '--as-of', '2026-03-10T00:00', '-q', '-o', injectedHtml, '--group-by', 'channel,主题']);
    expect([a.exitCode, b.exitCode]).toEqual([1, 0]);
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => browser?.close());

  test.each([
    ['desktop', 1100],
    ['phone', 390],
  ])('charts are drawn and nothing overflows the page (%s)', async (name, width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${demoHtml}`);
    // trend: five ISO weeks in October 2026, three series
    const lines = await page.$$eval('#trend polyline.trend-line', (ls) => ls.map((l) => (l.getAttribute('points') ?? '').trim().split(/\s+/).length));
    expect(lines).toEqual([5, 5, 5]);
    // Pareto: one bar per category (6 in the demo), tallest first, and the cumulative line
    const bars = await page.$$eval('#pareto rect.pareto-bar', (rs) => rs.map((r) => r.getBoundingClientRect().height));
    expect(bars).toHaveLength(6);
    expect([...bars].sort((x, y) => y - x)).toEqual(bars);
    expect(bars[bars.length - 1]).toBeGreaterThan(0);
    expect(await page.$$eval('#pareto polyline.pareto-line', (ls) => ls.length)).toBe(1);
    // nothing wider than the viewport: wide tables scroll inside their own box
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]); // no network
    await page.screenshot({ path: join(OUT, `report-${name}.png`), fullPage: true });
    await page.close();
  });

  test('ticket text with <script> comes out as text', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`file://${injectedHtml}`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$eval('script', (s) => s.length)).toBe(0);
    expect(await page.textContent('body')).toContain('<script>window.__pwned=1</script> 配送慢');
    await page.screenshot({ path: join(OUT, 'report-injected.png'), fullPage: true });
    await page.close();
    expect(readFileSync(injectedHtml, 'utf8')).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt; 配送慢');
  });
});
