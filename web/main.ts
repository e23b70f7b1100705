// The playground page: reads the form into a TrainConfig, trains in a worker, and draws the live curves and the final report.
import {
  type EpochRecord,
  type Table,
  type TrainConfig,
  describeLoss,
  lossCurvesSvg,
  PALETTE,
  recallCurvesSvg,
} from '../train/index.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { initGraphPanel } from './graph/panel.js';

// The model and optimiser are fixed here; the form holds what the playground is about.
const FIXED = { hidden: [32, 32], activation: 'relu', optimizer: 'adam', batch: 64 } as const;
const PLOT_SIZE = { width: 480, height: 300 };

type State = 'idle' | 'training' | 'done' | 'stopped' | 'error';

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const form = byId<HTMLFormElement>('config');
const trainButton = byId<HTMLButtonElement>('train');
const stopButton = byId<HTMLButtonElement>('stop');
const status = byId<HTMLParagraphElement>('status');
const lossPlot = byId<HTMLElement>('loss-plot');
const recallPlot = byId<HTMLElement>('recall-plot');
const finalSection = byId<HTMLElement>('final');
initGraphPanel(byId('graph-panel'));

let worker: Worker | null = null;
let config: TrainConfig | null = null;
let history: EpochRecord[] = [];
let startedAt = 0;
let frame = 0;

// γ means nothing to plain cross-entropy: grey it out.
const syncGamma = (): void => {
  control('gamma').disabled = field('loss') === 'ce';
};
control('loss').addEventListener('change', syncGamma);
syncGamma();

form.addEventListener('submit', (event) => {
  event.preventDefault();
  start(readConfig());
});
stopButton.addEventListener('click', () => finish('stopped', `Stopped after epoch ${history.length}.`));

function control(name: string): HTMLInputElement | HTMLSelectElement {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
}

function field(name: string): string {
  return control(name).value;
}

// Empty or unparsable fields become NaN; train/ checks the whole config and names the bad field.
function numberField(name: string): number {
  const text = field(name).trim();
  return text === '' ? NaN : Number(text);
}

function readConfig(): TrainConfig {
  const loss = field('loss') as TrainConfig['loss'];
  const alpha = field('alpha');
  return {
    data: field('data') as TrainConfig['data'],
    n: numberField('n'),
    ratios: [numberField('ratio0'), numberField('ratio1'), numberField('ratio2')],
    loss,
    gamma: loss === 'ce' ? 0 : numberField('gamma'),
    alpha: alpha === 'none' ? null : (alpha as 'effective' | 'inverse'),
    lr: numberField('lr'),
    epochs: numberField('epochs'),
    seed: numberField('seed'),
    ...FIXED,
  };
}

function start(next: TrainConfig): void {
  worker?.terminate();
  config = next;
  history = [];
  startedAt = performance.now();
  lossPlot.replaceChildren();
  recallPlot.replaceChildren();
  finalSection.hidden = true;
  setState('training', 'Starting…');

  worker = new Worker('worker.js');
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onMessage(event.data));
  worker.addEventListener('error', (event) => finish('error', `The worker failed: ${event.message}`));
  worker.postMessage({ type: 'train', config: next } satisfies ToWorker);
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'epoch':
      history.push(message.record);
      setState('training', `Training… epoch ${message.record.epoch} / ${config!.epochs}`);
      // Epochs can arrive faster than the screen refreshes: draw at most once a frame.
      frame ||= requestAnimationFrame(drawCurves);
      return;
    case 'done': {
      cancelAnimationFrame(frame);
      drawCurves();
      byId('regions').innerHTML = message.regionsSvg;
      renderTable(byId<HTMLTableElement>('metrics'), message.table, message.final.perClass.length);
      const { final, alpha } = message;
      const alphaText = alpha === null ? 'none' : [alpha].flat().map((a) => a.toFixed(3)).join(', ');
      byId('summary').textContent =
        `macro-F1 ${final.macroF1.toFixed(3)} · balanced accuracy ${final.balancedAccuracy.toFixed(3)} · ` +
        `ECE ${final.ece.toFixed(3)} · test NLL ${final.nll.toFixed(4)} · α ${alphaText}`;
      finalSection.hidden = false;
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      finish('done', `Done: ${history.length} epochs in ${seconds} s.`);
      return;
    }
    case 'error':
      finish('error', message.message);
  }
}

function finish(state: State, text: string): void {
  worker?.terminate();
  worker = null;
  setState(state, text);
}

function setState(state: State, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
  const busy = state === 'training';
  form.querySelectorAll('fieldset').forEach((set) => (set.disabled = busy));
  trainButton.disabled = busy;
  stopButton.disabled = !busy;
}

function drawCurves(): void {
  frame = 0;
  if (config === null || history.length === 0) return;
  lossPlot.innerHTML = lossCurvesSvg(history, `Loss: ${describeLoss(config)}`, PLOT_SIZE);
  const classNames = history[0].recall.map((_, c) => `class ${c}`);
  recallPlot.innerHTML = recallCurvesSvg(history, classNames, 'Test recall per class', PLOT_SIZE);
}

// Built with textContent, so nothing in a cell is parsed as HTML. The first `classes` rows are the
// classes, in order: each gets its colour from the plots' palette.
function renderTable(element: HTMLTableElement, table: Table, classes: number): void {
  const row = (tag: 'th' | 'td', cells: readonly string[], colour?: string): HTMLTableRowElement => {
    const tr = document.createElement('tr');
    cells.forEach((text, col) => {
      const cell = tr.appendChild(document.createElement(tag));
      cell.textContent = text;
      if (col === 0 && colour !== undefined) {
        cell.className = 'swatch';
        cell.style.setProperty('--swatch', colour);
      }
    });
    return tr;
  };
  element.replaceChildren();
  element.createTHead().append(row('th', table.headers));
  element.createTBody().append(...table.rows.map((cells, i) => row('td', cells, i < classes ? PALETTE[i] : undefined)));
}
