import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { cli, ROOT } from '../cli/run.js';
import { audit, loadConfig, parseInstant, renderReport } from '../../src/index.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT = join(ROOT, 'test-output');
const have = existsSync(CHROMIUM);
// twelve categories with long and look-alike names (fixtures/reports/html-labels); four objectives, two
// of them on resolution ≥ 75%
const LABELS = 'fixtures/reports/html-labels';

/** Per table: each column's header alignment beside its cells' (first body row); not for a table shown as a card per row (narrow screens: no header row). */
async function alignments(page: Page): Promise<string[][]> {
  return page.$$eval('table', (ts) => ts.filter((t) => t.tHead && getComputedStyle(t.tHead).display !== 'none').map((t) => {
    const th = [...t.querySelectorAll('thead th')].map((c) => getComputedStyle(c).textAlign);
    const td = [...t.querySelectorAll('tbody tr:first-child td')].map((c) => getComputedStyle(c).textAlign);
    return th.map((a, i) => `${a}/${td[i]}`);
  }));
}
if (!have && process.env.CI) throw new Error(`CI needs Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);

describe.skipIf(!have)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let demoHtml: string;
  let injectedHtml: string;
  let labelsHtml: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sla-html-'));
    demoHtml = join(dir, 'demo.html');
    injectedHtml = join(dir, 'injected.html');
    labelsHtml = join(dir, 'labels.html');
    const a = await cli(['check', '-c', 'fixtures/demo/sla.yaml', 'fixtures/demo/tickets.csv', '--as-of', '2026-11-01T00:00', '-q', '-o', demoHtml, '--period', 'week']);
    const b = await cli(['check', '-c', 'fixtures/reports/categories/sla.yaml', 'fixtures/reports/categories/tickets.csv', '--as-of', '2026-03-10T00:00', '-q', '-o', injectedHtml, '--group-by', 'channel,主题']);
    const c = await cli(['check', '-c', `${LABELS}/sla.yaml`, `${LABELS}/tickets.csv`, '--as-of', '2026-11-10T00:00', '-q', '-o', labelsHtml, '--period', 'week']);
    expect([a.exitCode, b.exitCode, c.exitCode]).toEqual([1, 0, 1]);
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
    // every header is aligned with its column (the objective column's text included)
    for (const cols of await alignments(page)) for (const c of cols) expect(c.split('/')[0]).toBe(c.split('/')[1]);
    await page.screenshot({ path: join(OUT, `report-${name}.png`), fullPage: true });
    await page.close();
  });

  test.each([
    ['desktop', 1100],
    ['phone', 390],
  ])('every Pareto bar is named in full, legibly, without overlapping its neighbours (%s)', async (name, width) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`file://${labelsHtml}`);
    // the names as the categories table below the chart has them
    const names = await page.evaluate(() => [...(document.querySelector('#pareto')!.closest('.scroll')!.nextElementSibling!.querySelectorAll('tbody tr td:first-child'))].map((td) => td.textContent ?? ''));
    expect(names).toHaveLength(12);
    expect(names).toContain('Category 11');
    const labels = await page.$$eval('#pareto text.pareto-label', (ts) => ts.map((t) => {
      const lines = [...t.querySelectorAll('tspan')].map((s) => ({ text: s.textContent ?? '', box: s.getBoundingClientRect() }));
      return { title: t.querySelector('title')?.textContent ?? '', lines, box: t.getBoundingClientRect() };
    }));
    expect(await page.$$eval('#pareto rect.pareto-bar', (rs) => rs.length)).toBe(12);
    // one label per bar, in bar order, each carrying its full name as a tooltip
    expect(labels.map((l) => l.title)).toEqual(names);
    const squash = (s: string) => s.replace(/\s+/g, '');
    for (const l of labels) {
      // nothing cut: the visible lines are the whole name (broken at spaces, or inside a long word)
      expect(squash(l.lines.map((x) => x.text).join(''))).toBe(squash(l.title));
      expect(l.lines.length).toBeLessThanOrEqual(4);
      // legible: a line is at least 9 CSS pixels tall on the screen
      for (const x of l.lines) expect(x.box.height).toBeGreaterThanOrEqual(9);
    }
    // neighbours never touch: each label ends before the next begins
    for (let i = 1; i < labels.length; i++) expect(labels[i - 1].box.right).toBeLessThan(labels[i].box.left);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0); // the chart scrolls inside its own box on a phone
    await page.screenshot({ path: join(OUT, `report-labels-${name}.png`), fullPage: true });
    await page.close();
  });

  test('the trend chart draws a dashed line at each objective\'s minimum, named in the legend', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`file://${labelsHtml}`);
    // The lowest point is resolution in 2026-W45 (66.7%), so the axis starts at 60% (a round ten at
    // least 5 points below it): y(v) = 12 + (1 - (v - 0.6) / 0.4) × 188 in the 240-high drawing.
    // 95%: 12 + 0.125 × 188 = 35.5; 80%: 12 + 0.5 × 188 = 106; 75%: 12 + 0.625 × 188 = 129.5.
    // resolution ≥ 75% and resolution P1 ≥ 75% share one line.
    const lines = await page.$$eval('#trend line.target-line', (ls) => ls.map((l) => [l.getAttribute('data-metric'), l.getAttribute('data-min'), l.getAttribute('y1'), l.getAttribute('stroke-dasharray')]));
    expect(lines).toEqual([['overall', '0.95', '35.5', '6 4'], ['first_response', '0.8', '106.0', '6 4'], ['resolution', '0.75', '129.5', '6 4']]);
    expect(await page.$$eval('#trend text.target-tag', (ts) => ts.map((t) => t.textContent))).toEqual(['95%', '80%', '75%']);
    expect(await page.$$eval('.legend .target-legend', (ss) => ss.map((s) => s.textContent))).toEqual(['overall ≥ 95%', 'first_response ≥ 80%', 'resolution ≥ 75%, resolution P1 ≥ 75%']);
    // the line is drawn in the metric's colour, as its series
    const colours = await page.$$eval('#trend', ([svg]) => ['overall', 'first_response', 'resolution'].map((m) => [
      svg.querySelector(`polyline[data-series="${m}"]`)?.getAttribute('stroke'), svg.querySelector(`line.target-line[data-metric="${m}"]`)?.getAttribute('stroke')]));
    for (const [series, target] of colours) expect(target).toBe(series);
    await page.locator('#trend').screenshot({ path: join(OUT, 'report-trend-targets.png') });
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

describe('the HTML report\'s times', () => {
  test('every time on the page is local to the config zone, the footer\'s generation time too', async () => {
    const config = loadConfig('fixtures/demo/sla.yaml');
    const result = await audit({ config, inputs: ['fixtures/demo/tickets.csv'], asOf: parseInstant('--as-of', '2026-11-01T00:00', config.zone) });
    // generated at 2026-11-01 02:30 UTC = 10:30 in Shanghai (UTC+8)
    const html = renderReport(result, 'html', { generatedAt: Date.parse('2026-11-01T02:30:00Z') });
    expect(html).toContain('<p class="meta">Business time · generated by sla-audit at 2026-11-01 10:30 (Asia/Shanghai)</p>');
    expect(html).toContain('as of 2026-11-01 00:00 (Asia/Shanghai)');
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/); // no ISO (UTC) timestamp anywhere
  });
});
