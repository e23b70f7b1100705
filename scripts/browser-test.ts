// npm run test:browser: builds and serves the playground, trains a tiny model in headless Chromium, checks the page, saves a screenshot.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Browser, chromium, type Page } from 'playwright-core';
import { EXPECTED_CLASSES, TINY, check, expect, results, trainAndWait, watchedPage } from './browser-checks.js';
import { graphPanel, trainedSamplePanel } from './browser-graph.js';
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
const CSV_SCREENSHOT = join(DEFAULT_OUTDIR, 'screenshot-csv.png');

// The page at 760 px, a narrow laptop window or a tablet: one column, nothing wider than the window, and
// the form scrolls away instead of staying pinned over the results.
const NARROW_SCREENSHOT = join(DEFAULT_OUTDIR, 'screenshot-760.png');

async function narrowLayout(browser: Browser, url: string): Promise<void> {
  const { page, problems } = await watchedPage(browser, { width: 760, height: 900 });
  await page.goto(url);
  await check(`at 760 px: no sideways scrolling, and the form never covers the metrics; screenshot ${NARROW_SCREENSHOT}`, async () => {
    await page.fill('[name=n]', TINY.n);
    await page.fill('[name=epochs]', TINY.epochs);
    const outcome = await trainAndWait(page);
    expect(outcome.startsWith('done:'), `training ended as ${outcome}`);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
    expect(widths.page <= widths.window, `the page is ${widths.page} px wide in a ${widths.window} px window`);
    for (const target of ['#confusion', '#metrics']) {
      await page.locator(target).scrollIntoViewIfNeeded();
      const covered = await page.evaluate((selector) => {
        const [a, b] = [document.querySelector('form')!.getBoundingClientRect(), document.querySelector(selector)!.getBoundingClientRect()];
        return a.bottom > b.top && a.top < b.bottom && a.right > b.left && a.left < b.right;
      }, target);
      expect(!covered, `the form lies over ${target}`);
    }
    await page.screenshot({ path: NARROW_SCREENSHOT, fullPage: true });
    expect(problems.length === 0, problems.join('; '));
  });
  await page.close();
}

async function run(browser: Browser, url: string): Promise<void> {
  const { page, problems } = await watchedPage(browser, { width: 1400, height: 900 });
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`));

  await check('the page loads with its form and an enabled Train button', async () => {
    const response = await page.goto(url);
    expect(response?.status() === 200, `GET ${url} answered ${response?.status()}`);
    expect((await page.title()) === 'focalgrad playground', `unexpected title "${await page.title()}"`);
    expect(await page.isEnabled('#train'), 'the Train button is disabled');
    expect((await page.getAttribute('#status', 'data-state')) === 'idle', 'the status is not "idle"');
  });

  await check('a built-in dataset brings its own samples and ratios into the form (needles: 20200, 100,1)', async () => {
    await page.selectOption('[name=data]', 'needles');
    const needles = [await page.inputValue('[name=n]'), await page.inputValue('[name=ratios]')];
    await page.selectOption('[name=data]', 'blobs');
    const blobs = [await page.inputValue('[name=n]'), await page.inputValue('[name=ratios]')];
    expect(needles.join(' ') === '20200 100,1' && blobs.join(' ') === '5000 0.85,0.12,0.03', `needles ${needles.join(' ')}, blobs ${blobs.join(' ')}`);
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

  await check('a bad setting (γ = −1) shows the library\'s error message, before any training', async () => {
    await page.fill('[name=gamma]', '-1');
    await page.click('#train');
    const outcome = `${await page.getAttribute('#status', 'data-state')}: ${await page.textContent('#status')}`;
    expect(/^error: train: loss 'focal': focalLoss: gamma must be a finite number ≥ 0 or 'flsd53', got -1/.test(outcome), `status is ${outcome}`);
    expect((await page.getAttribute('[name=gamma]', 'aria-invalid')) === 'true', 'the γ field is not marked invalid');
    await page.fill('[name=gamma]', '2');
  });

  await check('an empty Epochs field is an error naming the field', async () => {
    await page.fill('[name=epochs]', '');
    await page.click('#train');
    const text = (await page.textContent('#status')) ?? '';
    expect(text === 'Epochs: expected a whole number, got ""', `status is ${text}`);
    await page.fill('[name=epochs]', TINY.epochs);
  });

  await csvChecks(page);

  await check('no console errors, page errors or failed requests', async () => {
    expect(problems.length === 0, problems.join('; '));
  });
}

// A four-class CSV with string labels, made here: four blobs in 3-D, 40 : 30 : 20 : 10 rows.
function fourClassCsv(): string {
  const names = ['whale', 'ant', 'zebra', 'moth'];
  const counts = [80, 60, 40, 20];
  const lines = ['a,b,kind,c'];
  let seed = 1;
  // A small LCG: the test needs varied numbers, not good randomness.
  const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  names.forEach((name, k) => {
    for (let i = 0; i < counts[k]; i++) lines.push([k + next(), -k + next(), name, k * 0.5 + next()].map(String).join(','));
  });
  return `${lines.join('\n')}\n`;
}

// The playground with the user's own data: open a CSV, pick the label column, train, read the four class names back.
async function csvChecks(page: Page): Promise<void> {
  await check('a 4-class CSV with string labels opens: its columns fill the label menu', async () => {
    await page.setInputFiles('[name=file]', { name: 'animals.csv', mimeType: 'text/csv', buffer: Buffer.from(fourClassCsv()) });
    await page.waitForFunction(() => (document.querySelector('[name=label]') as HTMLSelectElement).options.length === 4);
    const columns = await page.locator('[name=label] option').allTextContents();
    expect(columns.join(',') === 'a,b,kind,c', `label menu holds ${columns.join(',')}`);
    expect((await page.inputValue('[name=data]')) === 'csv', 'the CSV is not the selected dataset');
    expect(await page.isDisabled('[name=n]'), 'Samples is still enabled for a CSV');
  });

  await check('with the wrong label column, the string column is a feature: an error naming row, column and value', async () => {
    await page.selectOption('[name=label]', 'c');
    await page.click('#train');
    const text = (await page.textContent('#status')) ?? '';
    expect(/^CSV file: readCsv: row 2, column "kind": expected a number, got "whale"/.test(text), `status is ${text}`);
  });

  await check('the CSV trains with label "kind": the table, plots and legend name all four classes', async () => {
    await page.selectOption('[name=label]', 'kind');
    await page.fill('[name=epochs]', '5');
    const outcome = await trainAndWait(page);
    expect(outcome.startsWith('done:'), `training ended as ${outcome}`);
    const firstCells = await page.locator('#metrics tbody tr td:first-child').allTextContents();
    expect(firstCells.slice(0, 4).join(',') === 'ant,moth,whale,zebra', `class rows are ${JSON.stringify(firstCells)}`);
    const legend = await page.locator('#recall-plot g.legend text').allTextContents();
    expect(legend.join(',') === 'ant,moth,whale,zebra', `recall legend is ${legend.join(',')}`);
    const confusion = await page.locator('#confusion svg g.cells rect').count();
    expect(confusion === 16, `the confusion heatmap has ${confusion} cells, expected 4 × 4`);
    expect(await page.isVisible('#reliability svg'), 'no reliability diagram');
    const caption = (await page.textContent('#regions figcaption')) ?? '';
    expect(caption.includes('principal components'), `regions caption is "${caption}"`);
  });

  await check('every text of every plot is at least 11 px as the page shows it', async () => {
    const smallest = await page.evaluate(() => {
      let min = { size: Infinity, text: '' };
      for (const text of Array.from(document.querySelectorAll('figure svg text'))) {
        // The outermost <svg> is the one the page scales; its width attribute is the drawing's own size.
        let root = text.closest('svg') as SVGSVGElement;
        while (root.ownerSVGElement !== null) root = root.ownerSVGElement;
        const shown = root.getBoundingClientRect().width / Number(root.getAttribute('width'));
        const size = parseFloat(getComputedStyle(text).fontSize) * shown;
        if (size < min.size) min = { size, text: text.textContent ?? '' };
      }
      return min;
    });
    expect(smallest.size >= 11, `"${smallest.text}" is shown at ${smallest.size.toFixed(1)} px`);
    await page.screenshot({ path: CSV_SCREENSHOT, fullPage: true });
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
    await graphPanel(browser, url);
    await trainedSamplePanel(browser, url);
    await narrowLayout(browser, url);
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
