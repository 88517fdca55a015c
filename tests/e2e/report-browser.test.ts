import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { audit, ROOT } from './run.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.join(ROOT, 'tests', '.output');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium && process.env.CI) {
  throw new Error(`CI must run the browser test, but ${CHROMIUM} is missing: .ci/run installs it with apt-get`);
}
if (!hasChromium) {
  console.warn(`Skipping the browser test of the HTML report: ${CHROMIUM} is missing. Install it with: sudo apt-get install -y chromium`);
}

describe.skipIf(!hasChromium)('the HTML report in a real browser (Debian chromium via playwright-core)', () => {
  it('renders with no console errors, the expected bars, and prints on A4; screenshot saved', async () => {
    const { chromium } = await import('playwright-core');
    const tmp = mkdtempSync(path.join(tmpdir(), 'audit-browser-'));
    const file = path.join(tmp, 'report.html');
    const run = await audit(['report', 'fixtures/monthly-2014.csv', '--out', file, '--targets', 'inadequate<=25%,good>=40%', '--by', 'team', '--title', 'Synthetic Force: public protection', '--as-of', '2014-07-01']);
    expect(run.code).toBe(0);

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) requests.push(request.url());
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

      expect(problems).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.title()).toBe('Synthetic Force: public protection: June 2014');
      expect(await page.locator('#area-chart g.bar').count()).toBe(5);
      expect(await page.locator('#area-chart rect.segment').count()).toBeGreaterThanOrEqual(5);
      expect(await page.locator('#trend-chart rect.trend-bar').count()).toBe(6);
      expect(await page.locator('#trend-chart line.target').count()).toBe(1);
      // Charts have accessible names and descriptions.
      expect(await page.locator('#area-chart').getAttribute('role')).toBe('img');
      expect((await page.locator('#area-chart desc').textContent())?.length).toBeGreaterThan(20);
      // The charts fit the page: nothing overflows horizontally.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);

      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await browser.close();
    }
  });
});
