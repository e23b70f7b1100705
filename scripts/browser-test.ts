// npm run test:browser: builds and serves the playground, trains a tiny model in headless Chromium, checks the page, saves a screenshot.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Browser, chromium, type Page } from 'playwright-core';
import { buildPlayground, DEFAULT_OUTDIR, servePlayground } from './playground.js';

// Debian's Chromium; playwright-core never downloads a browser of its own.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT = join(DEFAULT_OUTDIR, 'screenshot.png');
// A run small enough to finish in a second or two, with every class still in the test split.
const TINY = { n: '600', epochs: '4', loss: 'focal', alpha: 'effective' };
const TRAIN_TIMEOUT_MS = 60_000;
const EXPECTED_CLASSES = 3;

const results: { name: string; error?: string }[] = [];

async function check(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
    results.push({ name });
    console.log(`  ✓ ${name}`);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    results.push({ name, error: message });
    console.log(`  ✗ ${name}\n      ${message}`);
  }
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

async function trainAndWait(page: Page): Promise<string> {
  await page.click('#train');
  const status = page.locator('#status:not([data-state="training"])');
  await status.waitFor({ timeout: TRAIN_TIMEOUT_MS });
  return `${await status.getAttribute('data-state')}: ${await status.textContent()}`;
}

async function run(browser: Browser, url: string): Promise<void> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));

  await check('the page loads with its form and an enabled Train button', async () => {
    const response = await page.goto(url);
    expect(response?.status() === 200, `GET ${url} answered ${response?.status()}`);
    expect((await page.title()) === 'focalgrad playground', `unexpected title "${await page.title()}"`);
    expect(await page.isEnabled('#train'), 'the Train button is disabled');
    expect((await page.getAttribute('#status', 'data-state')) === 'idle', 'the status is not "idle"');
  });

  await check(`a tiny run (n ${TINY.n}, ${TINY.epochs} epochs, ${TINY.loss}, α ${TINY.alpha}) reaches "done"`, async () => {
    await page.fill('[name=n]', TINY.n);
    await page.fill('[name=epochs]', TINY.epochs);
    await page.selectOption('[name=loss]', TINY.loss);
    await page.selectOption('[name=alpha]', TINY.alpha);
    const outcome = await trainAndWait(page);
    expect(outcome.startsWith('done:'), `training ended as ${outcome}`);
  });

  await check('the loss and recall curves show one point per epoch', async () => {
    for (const id of ['loss-plot', 'recall-plot']) {
      const paths = await page.locator(`#${id} svg g.series path`).count();
      expect(paths > 0, `#${id} has no curves`);
    }
    const d = (await page.getAttribute('#loss-plot svg g.series path', 'd')) ?? '';
    const points = (d.match(/[ML]/g) ?? []).length;
    expect(points === Number(TINY.epochs), `the train loss curve has ${points} points, expected ${TINY.epochs}`);
  });

  await check('the decision regions are drawn over the test points', async () => {
    expect(await page.isVisible('#regions svg'), 'no visible SVG in #regions');
    const regions = await page.locator('#regions svg g.regions path').count();
    const points = await page.locator('#regions svg g.points circle').count();
    expect(regions > 0 && points > 0, `the regions SVG has ${regions} region paths and ${points} points`);
  });

  await check(`the metrics table has a row per class (${EXPECTED_CLASSES}) and the summary rows`, async () => {
    expect(await page.isVisible('#metrics'), 'the metrics table is not visible');
    const headers = await page.locator('#metrics thead th').allTextContents();
    expect(headers.join(',') === 'class,precision,recall,f1,support', `headers are ${headers.join(',')}`);
    const firstCells = await page.locator('#metrics tbody tr td:first-child').allTextContents();
    const classRows = firstCells.filter((text) => /^class \d$/.test(text)).length;
    expect(classRows === EXPECTED_CLASSES, `found ${classRows} class rows in ${JSON.stringify(firstCells)}`);
    expect(/macro-F1 \d\.\d{3}/.test((await page.textContent('#summary')) ?? ''), 'the summary line has no macro-F1');
  });

  await check(`screenshot saved to ${SCREENSHOT}`, async () => {
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT), 'no file was written');
  });

  await check('a bad setting (γ = −1) shows the library\'s error message', async () => {
    await page.fill('[name=gamma]', '-1');
    const outcome = await trainAndWait(page);
    expect(/^error: .*gamma must be a finite number >= 0, got -1/.test(outcome ?? ''), `status is ${outcome}`);
  });

  await check('no console errors, page errors or failed requests', async () => {
    expect(problems.length === 0, problems.join('; '));
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  if (!existsSync(CHROMIUM)) {
    console.error(`browser: ${CHROMIUM} not found; install it with: apt-get install -y chromium`);
    return 1;
  }
  await buildPlayground();
  const { server, url } = await servePlayground();
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    console.log(`browser: ${browser.version()} at ${url}`);
    await run(browser, url);
  } catch (error) {
    results.push({ name: 'the browser session', error: error instanceof Error ? error.message : String(error) });
    console.log(`  ✗ the browser session failed: ${error instanceof Error ? error.message : error}`);
  } finally {
    await browser?.close();
    server.close();
  }
  const failed = results.filter((r) => r.error !== undefined).length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`browser: ${results.length - failed} passed, ${failed} failed (${seconds} s)`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
