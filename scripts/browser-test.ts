// npm run test:browser: builds and serves the playground, trains a tiny model in headless Chromium, checks the page, saves a screenshot.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { type Browser, chromium, type Page } from 'playwright-core';
import { grad, tensor } from '../engine/index.js';
import { focalLoss } from '../losses/index.js';
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
const CSV_SCREENSHOT = join(DEFAULT_OUTDIR, 'screenshot-csv.png');

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

// A new page whose console errors and uncaught page errors are collected in problems.
async function watchedPage(browser: Browser, viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return { page, problems };
}

async function trainAndWait(page: Page): Promise<string> {
  await page.click('#train');
  const status = page.locator('#status:not([data-state="training"])');
  await status.waitFor({ timeout: TRAIN_TIMEOUT_MS });
  return `${await status.getAttribute('data-state')}: ${await status.textContent()}`;
}

// The Graph panel, driven from the keyboard where a user would: open it, step backward to the end, and
// hold the gradient it displays at the logits to the library's grad() of the same loss.
const GRAPH_SCREENSHOT = join(DEFAULT_OUTDIR, 'graph-panel.png');

async function displayedGradient(page: Page): Promise<number[]> {
  return (await page.locator('.logits-grad td.engine').allTextContents()).map(Number);
}

function expectClose(shown: readonly number[], exact: readonly number[], what: string): void {
  // The panel prints 10 significant digits: half a unit in the last place is below 1e-9 of the value.
  const ok = shown.length === exact.length && shown.every((v, i) => Math.abs(v - exact[i]) <= 1e-9 * Math.abs(exact[i]) + 1e-15);
  expect(ok, `${what}: the panel shows [${shown.join(', ')}], the library's grad gives [${exact.join(', ')}]`);
}

async function graphPanel(browser: Browser, url: string): Promise<void> {
  const { page, problems } = await watchedPage(browser, { width: 1320, height: 1000 });
  await page.goto(url);
  let total = 0;

  await check('graph panel: opens from the keyboard with the anchor case of docs/focal-loss.md', async () => {
    await page.focus('#graph-panel > summary');
    await page.keyboard.press('Enter');
    await page.locator('.graph-status[data-state="ready"]').waitFor({ timeout: 10_000 });
    const nodes = await page.locator('svg.graph g.node').count();
    total = Number(/(\d+) nodes need a gradient/.exec((await page.textContent('.graph-status')) ?? '')?.[1]);
    expect(nodes > total && total > 5, `the graph has ${nodes} nodes, ${total} of them to step through`);
    expect((await page.textContent('.graph-status'))?.startsWith('Loss 0.216367 at p_t = 0.231224') === true, 'the status does not give FL = 0.216367');
  });

  await check(`graph panel: the s key steps backward, one highlighted node at a time; screenshot ${GRAPH_SCREENSHOT}`, async () => {
    await page.focus('[data-action="step"]');
    const half = Math.ceil(total / 2);
    for (let k = 0; k < half; k++) await page.keyboard.press('s');
    expect((await page.locator('svg.graph g.node.current').count()) === 1, 'not exactly one current node');
    const done = await page.locator('svg.graph g.node.done').count();
    expect(done === half - 1, `${done} nodes are done after ${half} steps, expected ${half - 1}`);
    expect(new RegExp(`^Step ${half} of ${total}: `).test((await page.textContent('.graph-status')) ?? ''), 'the status does not count the steps');
    expect((await page.getAttribute('.graph-verdict', 'data-state')) === 'waiting', 'the verdict did not wait for the logits');
    await page.locator('#graph-panel').screenshot({ path: GRAPH_SCREENSHOT });
    expect(existsSync(GRAPH_SCREENSHOT), 'no screenshot was written');
  });

  await check("graph panel: Run to the end shows the logits' gradient, equal to the library's grad and to the closed form", async () => {
    await page.click('[data-action="run"]');
    expect((await page.getAttribute('.graph-status', 'data-state')) === 'done', 'the status is not done');
    expect((await page.getAttribute('.graph-verdict', 'data-state')) === 'agree', `the verdict is ${await page.textContent('.graph-verdict')}`);
    const exact = grad((z) => focalLoss(z, [0], { gamma: 2, alpha: 0.25 }))(tensor([[1, 2, 0.5]]));
    expectClose(await displayedGradient(page), Array.from(exact.data), 'focal, γ 2, α 0.25');
    expect(await page.isDisabled('[data-action="step"]'), 'Step backward is still enabled at the end');
  });

  await check('graph panel: γ follows the slider (arrow keys) in the graph and in Figure 1', async () => {
    await page.fill('.graph-controls [name="logits"]', '-3, 0.1, 8');
    await page.fill('.graph-controls [name="target"]', '1');
    await page.fill('.graph-controls [name="alpha"]', '0.2, 1.5, 1.3');
    await page.focus('.graph-controls [name="gamma"]');
    for (let k = 0; k < 15; k++) await page.keyboard.press('ArrowLeft'); // 2 → 0.5 in steps of 0.1
    expect((await page.textContent('.graph-controls output')) === '0.5', `γ shows ${await page.textContent('.graph-controls output')}`);
    const current = await page.locator('svg.figure1 path.curve.current').evaluateAll((paths) => paths.map((p) => p.getAttribute('data-gamma')));
    expect(current.join() === '0.5,0.5', `Figure 1's current curves are for γ = ${current.join(', ')}`);
    await page.focus('[data-action="run"]');
    await page.keyboard.press('Enter');
    const exact = grad((z) => focalLoss(z, [1], { gamma: 0.5, alpha: [0.2, 1.5, 1.3] }))(tensor([[-3, 0.1, 8]]));
    expectClose(await displayedGradient(page), Array.from(exact.data), 'focal, γ 0.5, per-class α');
    expect((await page.getAttribute('.graph-verdict', 'data-state')) === 'agree', `the verdict is ${await page.textContent('.graph-verdict')}`);
  });

  await check("graph panel: a bad input shows the library's error", async () => {
    await page.fill('.graph-controls [name="target"]', '7');
    const text = (await page.textContent('.graph-status')) ?? '';
    expect((await page.getAttribute('.graph-status', 'data-state')) === 'error' && text.startsWith('focalLoss: '), `status: ${text}`);
  });

  await check('graph panel: no console errors or page errors', async () => {
    expect(problems.length === 0, problems.join('; '));
  });
  await page.close();

  await check('graph panel: works offline, from the built files (file://) with the network switched off', async () => {
    const context = await browser.newContext({ offline: true });
    try {
      const offline = await context.newPage();
      const fetched: string[] = [];
      offline.on('request', (request) => {
        if (!/^(file|data):/.test(request.url())) fetched.push(request.url());
      });
      await offline.goto(pathToFileURL(join(DEFAULT_OUTDIR, 'index.html')).href);
      await offline.click('#graph-panel > summary');
      await offline.click('[data-action="run"]');
      const verdict = await offline.getAttribute('.graph-verdict', 'data-state');
      expect(verdict === 'agree', `offline, the verdict is ${verdict}: ${await offline.textContent('.graph-status')}`);
      expect(fetched.length === 0, `the page asked the network for ${fetched.join(', ')}`);
    } finally {
      await context.close();
    }
  });
}

// The Graph panel on a sample of the trained model: train a tiny run, pick a test row of the rarest
// class from the panel's menu, step backward to the end, and hold the logits' gradient to grad().
const TRAINED_SCREENSHOT = join(DEFAULT_OUTDIR, 'graph-trained-sample.png');
const RARE_CLASS = EXPECTED_CLASSES - 1;
// Not the panel's own γ (2), so that a panel keeping its γ is caught.
const TRAINED_GAMMA = '1';

async function trainedSamplePanel(browser: Browser, url: string): Promise<void> {
  const { page, problems } = await watchedPage(browser, { width: 1320, height: 1000 });
  await page.goto(url);
  const menu = '.graph-controls [name="sample"]';

  await check('graph panel: before any training, the trained-sample menu is disabled', async () => {
    await page.click('#graph-panel > summary');
    await page.locator('.graph-status[data-state="ready"]').waitFor({ timeout: 10_000 });
    expect(await page.isDisabled(menu), 'the menu is enabled with no trained model');
  });

  await check(`graph panel: after a tiny run (γ ${TRAINED_GAMMA}, α ${TINY.alpha}), the menu offers up to 20 test rows, class ${RARE_CLASS} (the rarest) among them`, async () => {
    await page.fill('[name=n]', TINY.n);
    await page.fill('[name=epochs]', TINY.epochs);
    await page.fill('[name=gamma]', TRAINED_GAMMA);
    await page.selectOption('[name=alpha]', TINY.alpha);
    const outcome = await trainAndWait(page);
    expect(outcome.startsWith('done:'), `training ended as ${outcome}`);
    expect(await page.isEnabled(menu), 'the menu is still disabled after training');
    const texts = (await page.locator(`${menu} option`).allTextContents()).slice(1);
    expect(texts.length > EXPECTED_CLASSES && texts.length <= 20, `the menu has ${texts.length} samples`);
    for (let k = 0; k < EXPECTED_CLASSES; k++) {
      expect(texts.some((t) => /^test row \d+: /.test(t) && t.endsWith(`: class ${k}`)), `no row of class ${k} in ${JSON.stringify(texts)}`);
    }
  });

  await check(`graph panel: a trained sample of class ${RARE_CLASS}, stepped to the end with the s key, gives grad()'s logits gradient; screenshot ${TRAINED_SCREENSHOT}`, async () => {
    const options = await page.locator(`${menu} option`).evaluateAll((list) => list.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent ?? '', target: (o as HTMLOptionElement).dataset.target })));
    const rare = options.find((o) => o.target === String(RARE_CLASS))!;
    // From the keyboard: focus the menu and move down to the rare row.
    await page.focus(menu);
    for (let k = 0; k < options.indexOf(rare); k++) await page.keyboard.press('ArrowDown');
    expect((await page.inputValue(menu)) === rare.value, `the menu shows ${await page.inputValue(menu)}, expected ${rare.value}`);
    expect((await page.inputValue('.graph-controls [name="target"]')) === String(RARE_CLASS), 'the target field is not the row\'s class');
    const logits = (await page.inputValue('.graph-controls [name="logits"]')).split(',').map(Number);
    expect(logits.length === EXPECTED_CLASSES && logits.every(Number.isFinite), `the logits field holds ${logits.join(', ')}`);
    // The run's own γ and α, not the panel's anchor case (γ 2, α 0.25): the summary shows the α it trained with.
    expect((await page.textContent('.graph-controls output')) === TRAINED_GAMMA, `γ shows ${await page.textContent('.graph-controls output')}`);
    const alpha = (await page.inputValue('.graph-controls [name="alpha"]')).split(',').map(Number);
    const summaryAlpha = /α ([\d., ]+)$/.exec((await page.textContent('#summary')) ?? '')?.[1] ?? '';
    expect(alpha.length === EXPECTED_CLASSES && alpha.map((a) => a.toFixed(3)).join(', ') === summaryAlpha, `the α field holds ${alpha.join(', ')}, the run's α is ${summaryAlpha}`);
    const total = Number(/(\d+) nodes need a gradient/.exec((await page.textContent('.graph-status')) ?? '')?.[1]);
    await page.focus('[data-action="step"]');
    for (let k = 0; k < total; k++) await page.keyboard.press('s');
    expect((await page.getAttribute('.graph-status', 'data-state')) === 'done', `the status is ${await page.textContent('.graph-status')}`);
    expect((await page.getAttribute('.graph-verdict', 'data-state')) === 'agree', `the verdict is ${await page.textContent('.graph-verdict')}`);
    const exact = grad((z) => focalLoss(z, [RARE_CLASS], { gamma: Number(TRAINED_GAMMA), alpha }))(tensor([logits]));
    expectClose(await displayedGradient(page), Array.from(exact.data), `trained ${rare.text}, focal, γ ${TRAINED_GAMMA}, α ${alpha.join(', ')}`);
    await page.locator('#graph-panel').screenshot({ path: TRAINED_SCREENSHOT });
  });

  await check('graph panel: typing logits again leaves the trained sample', async () => {
    await page.fill('.graph-controls [name="logits"]', '1, 2, 0.5');
    expect((await page.inputValue(menu)) === '', `the menu still shows ${await page.inputValue(menu)}`);
    expect((await page.getAttribute('.graph-status', 'data-state')) === 'ready', 'the panel did not start over');
  });

  await check('graph panel with a trained sample: no console errors or page errors', async () => {
    expect(problems.length === 0, problems.join('; '));
  });
  await page.close();
}

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
  const { page, problems } = await watchedPage(browser, { width: 1280, height: 900 });
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
