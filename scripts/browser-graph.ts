// The browser test's Graph panel checks: the anchor case stepped from the keyboard, offline, and a trained model's sample.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { grad, tensor } from '../engine/index.js';
import { focalLoss } from '../losses/index.js';
import { EXPECTED_CLASSES, TINY, check, expect, trainAndWait, watchedPage } from './browser-checks.js';
import { DEFAULT_OUTDIR } from './playground.js';

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

export async function graphPanel(browser: Browser, url: string): Promise<void> {
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

export async function trainedSamplePanel(browser: Browser, url: string): Promise<void> {
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
