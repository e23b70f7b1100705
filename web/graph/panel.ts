// The playground's Graph panel: one sample's loss graph, stepped backward node by node, the logits'
// gradient beside its closed form, and the paper's Figure 1 following γ.
import { figure1Svg } from './figure1.js';
import { graphSvg, type NodeLines } from './draw.js';
import { LOSSES, type TrainedSample, escapeXml } from '../../train/index.js';
import { layoutGraph } from './layout.js';
import { RULES } from './rules.js';
import {
  PANEL_LOSSES,
  type SampleGraph,
  agree,
  formatNumber,
  formatValues,
  maxDifference,
  nodeTitle,
  type TrainedLoss,
  parseSetup,
  sampleGraph,
  scopeText,
  trainedSampleFields,
} from './model.js';

// The anchor case of docs/focal-loss.md, section 4: z = [1, 2, 0.5], t = 0, γ = 2, α = 0.25.
const DEFAULTS = { loss: 'focal', gamma: '2', alpha: '0.25', logits: '1, 2, 0.5', target: '0' };

const MARKUP = `
<form class="graph-controls" autocomplete="off" novalidate>
  <label>Loss <select name="loss">${PANEL_LOSSES.map((l) => `<option value="${escapeXml(l.name)}" title="${escapeXml(l.description)}">${escapeXml(l.name)}</option>`).join('')}</select></label>
  <label>γ <input name="gamma" type="range" min="0" max="5" step="0.1"> <output name="gammaText"></output></label>
  <label>α <input name="alpha" type="text" size="10" placeholder="none" title="empty: none; one number: a scale; one per class: weights"></label>
  <label>Logits <input name="logits" type="text" size="16" title="one sample's logits, separated by commas"></label>
  <label>Target class <input name="target" type="number" min="0" step="1"></label>
  <label>or a test sample from the trained model <select name="sample"></select></label>
</form>
<div class="graph-buttons">
  <button type="button" data-action="step">Step backward</button>
  <button type="button" data-action="run">Run to the end</button>
  <button type="button" data-action="reset">Reset</button>
  <span class="graph-keys">keys: <kbd>s</kbd> step, <kbd>e</kbd> end, <kbd>r</kbd> reset</span>
</div>
<p class="graph-status" role="status" aria-live="polite"></p>
<div class="graph-view"></div>
<div class="graph-side">
  <section class="graph-check" aria-label="The gradient at the logits">
    <h3>∂loss/∂logits: the engine and the closed form</h3>
    <table class="logits-grad"></table>
    <p class="graph-verdict"></p>
  </section>
  <section class="graph-figure" aria-label="Figure 1 of Lin et al. 2017">
    <h3>Figure 1 of Lin et al. 2017, live</h3>
    <div class="figure1-view"></div>
  </section>
</div>
<details class="graph-steps-list">
  <summary>Every node in backward order</summary>
  <table class="graph-steps"></table>
</details>`;

/** The page's handle on the Graph panel. */
export interface GraphPanel {
  /**
   * Offers these test rows of a trained model in the panel's sample menu, in place of an earlier run's;
   * a row picked there is shown under the run's own loss, γ and α.
   */
  showTrainedSamples(samples: readonly TrainedSample[], run: TrainedLoss): void;
}

// The test rows of the last trained run and the loss it used.
interface TrainedRun {
  samples: readonly TrainedSample[];
  run: TrainedLoss | null;
}

/**
 * Fills `container` with the panel. When the container is a `<details>`, the panel is built the
 * first time it opens, so that a page that never opens it pays nothing.
 */
export function initGraphPanel(container: HTMLElement): GraphPanel {
  let trained: TrainedRun = { samples: [], run: null };
  // Set once the panel is built; until then the samples wait here.
  let fillMenu: ((trained: TrainedRun) => void) | null = null;
  const build = (): void => {
    fillMenu = buildPanel(container);
    fillMenu(trained);
  };
  if (container instanceof HTMLDetailsElement && !container.open) {
    const onToggle = (): void => {
      if (!container.open) return;
      container.removeEventListener('toggle', onToggle);
      build();
    };
    container.addEventListener('toggle', onToggle);
  } else {
    build();
  }
  return {
    showTrainedSamples(samples, run) {
      trained = { samples, run };
      fillMenu?.(trained);
    },
  };
}

// Builds the panel; returns the function that fills its menu of trained samples.
function buildPanel(container: HTMLElement): (trained: TrainedRun) => void {
  const body = document.createElement('div');
  body.className = 'graph-body';
  body.innerHTML = MARKUP;
  container.append(body);
  const find = <T extends Element>(selector: string): T => body.querySelector(selector) as T;
  const form = find<HTMLFormElement>('.graph-controls');
  const control = (name: string): HTMLInputElement | HTMLSelectElement => form.elements.namedItem(name) as HTMLInputElement;
  for (const [name, value] of Object.entries(DEFAULTS)) control(name).value = value;
  const gammaText = form.elements.namedItem('gammaText') as HTMLOutputElement;
  const status = find<HTMLParagraphElement>('.graph-status');
  const view = find<HTMLDivElement>('.graph-view');
  const gradTable = find<HTMLTableElement>('.logits-grad');
  const verdict = find<HTMLParagraphElement>('.graph-verdict');
  const figure = find<HTMLDivElement>('.figure1-view');
  const stepsTable = find<HTMLTableElement>('.graph-steps');
  const button = (action: string): HTMLButtonElement => find<HTMLButtonElement>(`[data-action="${action}"]`);
  const sampleMenu = control('sample') as HTMLSelectElement;
  let trained: TrainedRun = { samples: [], run: null };

  let sample: SampleGraph | null = null;
  // How many steps of the backward pass are shown (0: none yet, steps.length: done).
  let shown = 0;

  const gradText = (k: number): string => `grad ${formatValues(sample!.steps[k].grad.data)}`;
  const stepOf = (id: number): number => sample!.stepIds.indexOf(id);

  function rebuild(): void {
    const fields = Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, control(name).value])) as typeof DEFAULTS;
    const gamma = Number(fields.gamma);
    gammaText.value = formatNumber(gamma);
    // A loss that reads no γ greys the slider out; Figure 1 still follows it.
    control('gamma').disabled = !(LOSSES[fields.loss]?.options.includes('gamma') ?? true);
    try {
      sample = sampleGraph(parseSetup(fields));
    } catch (error) {
      sample = null;
      view.replaceChildren();
      gradTable.replaceChildren();
      stepsTable.replaceChildren();
      verdict.textContent = '';
      status.dataset.state = 'error';
      status.textContent = error instanceof Error ? error.message : String(error);
      figure.innerHTML = figure1Svg(gamma, NaN);
      setButtons();
      return;
    }
    shown = 0;
    const current = sample;
    const lines = (id: number): NodeLines => {
      const node = current.graph.nodes[id];
      const k = stepOf(id);
      return {
        title: `${nodeTitle(current, id)} [${node.shape.join(',')}]`,
        value: `value ${formatValues(node.tensor.data)}`,
        grad: k < 0 ? 'constant' : 'grad ?',
      };
    };
    // Room for the longest line each box will ever hold, gradient included, so nothing moves while stepping.
    const layout = layoutGraph(current.graph, (id) => {
      const text = lines(id);
      const k = stepOf(id);
      return [text.title, text.value, k < 0 ? text.grad : gradText(k)];
    });
    view.innerHTML = graphSvg(current, layout, lines);
    figure.innerHTML = figure1Svg(gamma, current.pt);
    renderStepsTable();
    render();
  }

  function renderStepsTable(): void {
    const s = sample!;
    stepsTable.innerHTML =
      '<thead><tr><th>step</th><th>node</th><th>scope</th><th>shape</th><th>value</th><th>gradient</th></tr></thead>';
    const rows = s.steps.map((step, k) => {
      const id = s.stepIds[k];
      const tr = document.createElement('tr');
      const cells = [String(k + 1), nodeTitle(s, id), scopeText(s, id), `[${step.tensor.shape.join(', ')}]`, formatValues(step.tensor.data), ''];
      for (const text of cells) tr.appendChild(document.createElement('td')).textContent = text;
      return tr;
    });
    stepsTable.createTBody().append(...rows);
  }

  function render(): void {
    const s = sample;
    if (s === null) return;
    const total = s.steps.length;
    view.querySelectorAll<SVGGElement>('g.node').forEach((g) => {
      const id = Number(g.dataset.id);
      const k = stepOf(id);
      g.classList.toggle('done', k >= 0 && k < shown - 1);
      g.classList.toggle('current', k >= 0 && k === shown - 1);
      if (k >= 0) g.querySelector('text.grad')!.textContent = k < shown ? gradText(k) : 'grad ?';
    });
    stepsTable.querySelectorAll('tbody tr').forEach((tr, k) => {
      tr.lastElementChild!.textContent = k < shown ? formatValues(s.steps[k].grad.data, 6) : '';
      if (k === shown - 1) tr.setAttribute('aria-current', 'step');
      else tr.removeAttribute('aria-current');
    });
    status.dataset.state = shown === total ? 'done' : shown === 0 ? 'ready' : 'stepping';
    if (shown === 0) {
      status.textContent = `Loss ${formatNumber(s.loss, 6)} at p_t = ${formatNumber(s.pt, 6)}. ${total} nodes need a gradient: press Step backward.`;
    } else {
      const id = s.stepIds[shown - 1];
      const scope = scopeText(s, id);
      const rule = RULES[s.graph.nodes[id].op];
      status.textContent =
        `Step ${shown} of ${total}: ${nodeTitle(s, id)}${scope === '' ? '' : ` in ${scope}`}, ` +
        `gradient ${formatValues(s.steps[shown - 1].grad.data)}` +
        (shown === total ? '. Done: the gradient has reached the logits.' : rule === undefined ? '' : `. Its rule: ${rule}`);
    }
    renderGradient(s, shown === total);
    setButtons();
  }

  function renderGradient(s: SampleGraph, reached: boolean): void {
    gradTable.innerHTML = '<thead><tr><th>class</th><th>engine (backward)</th><th>closed form</th></tr></thead>';
    const body = gradTable.createTBody();
    s.engineGradient.forEach((value, j) => {
      const exact = s.closedForm?.[j];
      const tr = body.insertRow();
      tr.insertCell().textContent = j === s.setup.target ? `${j} (target)` : String(j);
      const engine = tr.insertCell();
      engine.className = 'engine';
      engine.textContent = reached ? formatNumber(value, 10) : '…';
      if (reached) engine.dataset.value = String(value);
      const closed = tr.insertCell();
      closed.className = 'closed';
      closed.textContent = exact === undefined ? '—' : formatNumber(exact, 10);
      if (exact !== undefined) closed.dataset.value = String(exact);
    });
    const exact = s.closedForm;
    const ok = exact !== null && agree(s.engineGradient, exact);
    verdict.dataset.state = !reached ? 'waiting' : exact === null ? 'none' : ok ? 'agree' : 'differ';
    verdict.textContent = !reached
      ? 'Step backward until the gradient reaches the logits.'
      : exact === null
        ? 'docs/focal-loss.md gives no closed form for this loss.'
        : `${ok ? '✓ They agree' : '✗ They differ'}: largest difference ${maxDifference(s.engineGradient, exact).toExponential(1)}.`;
  }

  function setButtons(): void {
    const done = sample === null || shown === sample.steps.length;
    button('step').disabled = done;
    button('run').disabled = done;
    button('reset').disabled = sample === null || shown === 0;
  }

  function act(action: string): void {
    if (sample === null) return;
    if (action === 'step' && shown < sample.steps.length) shown++;
    else if (action === 'run') shown = sample.steps.length;
    else if (action === 'reset') shown = 0;
    else return;
    render();
  }

  body.querySelectorAll<HTMLButtonElement>('[data-action]').forEach((b) => b.addEventListener('click', () => act(b.dataset.action!)));
  // Single-key shortcuts inside the panel, except while typing in a field.
  body.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.ctrlKey || event.metaKey || event.altKey || target.matches('input[type=text], input[type=number], select')) return;
    const action = { s: 'step', e: 'run', r: 'reset' }[event.key];
    if (action === undefined) return;
    event.preventDefault();
    act(action);
  });
  form.addEventListener('input', (event) => {
    const picked = trained.samples[Number(sampleMenu.value)];
    if (event.target === sampleMenu && picked !== undefined && trained.run !== null) {
      // The row under the run's own loss, γ and α, in full: the panel's graph is the run's loss on it to the last bit.
      const fields = trainedSampleFields(trained.run, picked);
      // The slider moves in tenths; a γ off that grid (0.25) would snap to its neighbour.
      const gamma = control('gamma');
      (gamma as HTMLInputElement).step = Number.isInteger(Number(fields.gamma) * 10) ? '0.1' : 'any';
      for (const [name, value] of Object.entries(fields)) control(name).value = value;
    } else if (event.target === control('logits') || event.target === control('target')) {
      sampleMenu.value = '';
    }
    rebuild();
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  rebuild();

  return (next) => {
    trained = next;
    const { samples } = next;
    const none = document.createElement('option');
    none.value = '';
    none.textContent = samples.length === 0 ? 'none yet: train a model first' : 'choose one';
    const options = samples.map((s, i) => {
      const option = document.createElement('option');
      option.value = String(i);
      option.dataset.target = String(s.target);
      // The built-in datasets name their classes "class k": no need to say the index twice.
      option.textContent = `test row ${s.row}: ${s.className}${s.className === `class ${s.target}` ? '' : ` (class ${s.target})`}`;
      return option;
    });
    sampleMenu.replaceChildren(none, ...options);
    sampleMenu.disabled = samples.length === 0;
  };
}
