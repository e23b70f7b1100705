// The playground page: menus and defaults from train/'s registries and defaultConfig, a CSV opened or dropped and parsed in the page, every field checked before training, training in a worker, the curves live and the final plots and table.
import Papa from 'papaparse';
import {
  DATASETS,
  type Dataset,
  type EpochRecord,
  LOSSES,
  OPTIMIZERS,
  type CompareOptions,
  type Table,
  type TrainConfig,
  classColors,
  defaultConfig,
  describeLoss,
  lossCurvesSvg,
  prepareRun,
  readCsv,
  recallCurvesSvg,
} from '../train/index.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { readCompareOptions, showComparison } from './compare.js';
import { initGraphPanel } from './graph/panel.js';

const PLOT_SIZE = { width: 480, height: 300 };
// The value of the Dataset menu's entry for the opened CSV file.
const CSV = 'csv';

type State = 'idle' | 'training' | 'done' | 'stopped' | 'error';

/** A field the user must fix: its form name and what is wrong with it. */
class FieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const form = byId<HTMLFormElement>('config');
const trainButton = byId<HTMLButtonElement>('train');
const stopButton = byId<HTMLButtonElement>('stop');
const status = byId<HTMLParagraphElement>('status');
const lossPlot = byId<HTMLElement>('loss-plot');
const recallPlot = byId<HTMLElement>('recall-plot');
const finalSection = byId<HTMLElement>('final');
const compareButton = byId<HTMLButtonElement>('compare');
const comparisonSection = byId<HTMLElement>('comparison');
const graphPanel = initGraphPanel(byId('graph-panel'));

let worker: Worker | null = null;
let running: { config: Partial<TrainConfig>; epochs: number | 'auto'; classNames: string[] } | null = null;
let history: EpochRecord[] = [];
let startedAt = 0;
let frame = 0;
// The file's bytes, not its text: readCsv names a byte that is not UTF-8 (File.text() would turn it into U+FFFD, silently).
let csv: { name: string; bytes: Uint8Array } | null = null;

setUp();

function setUp(): void {
  // Menus from the registries: each entry's name, its description as the option's tooltip and in the hint below.
  const options = (select: string, entries: { value: string; description: string }[]): void => {
    const menu = control(select) as HTMLSelectElement;
    menu.replaceChildren(
      ...entries.map(({ value, description }) => Object.assign(new Option(value, value), { title: description })),
    );
  };
  options('data', [
    ...Object.values(DATASETS).map((d) => ({ value: d.name, description: d.description })),
    { value: CSV, description: 'a CSV file of yours: open or drop one below' },
  ]);
  (control('data') as HTMLSelectElement).options[Object.keys(DATASETS).length].disabled = true;
  options('loss', Object.values(LOSSES).map((l) => ({ value: l.name, description: l.description })));
  const d = defaultConfig;
  const values: Record<string, string> = {
    data: String(d.data),
    n: String(d.n),
    ratios: d.ratios.join(','),
    loss: d.loss,
    gamma: String(d.gamma),
    epochs: String(d.epochs),
    lr: String(OPTIMIZERS[d.optimizer].defaultLr),
    batch: String(d.batch),
    seed: String(d.seed),
  };
  for (const [name, value] of Object.entries(values)) control(name).value = value;
  byId('model').textContent = `MLP ${d.hidden.join('-')} ${d.activation}, ${OPTIMIZERS[d.optimizer].description} (the CLI's defaults).`;

  control('loss').addEventListener('change', syncFields);
  control('data').addEventListener('change', () => {
    // A built-in dataset brings its own samples and ratios (needles: 1 : 100), else the common defaults.
    const spec = DATASETS[field('data')];
    if (spec !== undefined) {
      control('n').value = String(spec.defaults?.n ?? d.n);
      control('ratios').value = (spec.defaults?.ratios ?? d.ratios).join(',');
    }
    syncFields();
  });
  control('file').addEventListener('change', () => {
    const file = (control('file') as HTMLInputElement).files?.[0];
    if (file !== undefined) void openFile(file);
  });
  const drop = byId('drop');
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) void openFile(file);
  });
  form.addEventListener('input', (event) => (event.target as HTMLElement).removeAttribute('aria-invalid'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  stopButton.addEventListener('click', () => finish('stopped', running === null ? 'Comparison stopped.' : `Stopped after epoch ${history.length}.`));
  compareButton.addEventListener('click', submitComparison);
  syncFields();
}

// Fields that mean nothing for the current choice are greyed out: γ for a loss that does not read
// it, samples and ratios for a CSV, the label column for a built-in dataset.
function syncFields(): void {
  const usesCsv = field('data') === CSV;
  for (const name of ['data', 'loss']) {
    const menu = control(name) as HTMLSelectElement;
    byId(`${name}-hint`).textContent = menu.selectedOptions[0]?.title ?? '';
  }
  control('gamma').disabled = !LOSSES[field('loss')].options.includes('gamma');
  control('n').disabled = usesCsv;
  control('ratios').disabled = usesCsv;
  control('label').disabled = !usesCsv;
}

// Reads the file in the page, lists its columns in the label menu (the last one picked) and selects it.
async function openFile(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  // For the menu of columns only: the bytes are read (and checked) by readCsv when training starts.
  const text = new TextDecoder().decode(bytes);
  const header = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { preview: 1, skipEmptyLines: 'greedy' }).data[0] ?? [];
  if (header.length < 2) {
    setState('error', `CSV file: ${file.name} needs a header row with at least two columns, got ${header.length}.`);
    return;
  }
  csv = { name: file.name, bytes };
  const menu = control('label') as HTMLSelectElement;
  menu.replaceChildren(...header.map((name) => new Option(name.trim(), name.trim())));
  menu.value = header[header.length - 1].trim();
  const dataMenu = control('data') as HTMLSelectElement;
  const entry = dataMenu.options[Object.keys(DATASETS).length];
  entry.disabled = false;
  entry.text = `csv: ${file.name}`;
  dataMenu.value = CSV;
  const rows = text.split(/\r?\n/).filter((line) => line.trim() !== '').length - 1;
  byId('file-info').textContent = `${file.name}: ${rows} rows, ${header.length} columns.`;
  syncFields();
  setState('idle', `Opened ${file.name}. Pick the label column, then Train.`);
}

function control(name: string): HTMLInputElement | HTMLSelectElement {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
}

function field(name: string): string {
  return control(name).value;
}

function fieldLabel(name: string): string {
  return control(name).closest('label')?.firstChild?.textContent?.trim() ?? name;
}

// Syntax of a number field, with the field's label in the message; its meaning is train/'s to check.
function numberField(name: string, integer: boolean): number {
  const text = field(name).trim();
  const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new FieldError(name, `${fieldLabel(name)}: expected ${integer ? 'a whole number' : 'a number'}, got ${JSON.stringify(text)}`);
  }
  return value;
}

// The form as a partial config: only what the user chose; train/ fills in the rest from defaultConfig.
function readConfig(): Partial<TrainConfig> {
  const loss = field('loss');
  const config: Partial<TrainConfig> = {
    // The menu lists LOSSES' names; prepareRun refuses anything else.
    loss: loss as TrainConfig['loss'],
    epochs: field('epochs').trim() === 'auto' ? 'auto' : numberField('epochs', true),
    lr: numberField('lr', false),
    batch: numberField('batch', true),
    seed: numberField('seed', true),
  };
  if (LOSSES[loss].options.includes('gamma')) {
    config.gamma = field('gamma').trim() === 'flsd53' ? 'flsd53' : numberField('gamma', false);
  }
  if (field('alpha') !== 'none') config.alpha = field('alpha') as 'effective' | 'inverse';
  if (field('data') === CSV) {
    if (csv === null) throw new FieldError('file', 'CSV file: open or drop a file first');
    let data: Dataset;
    try {
      data = readCsv(csv.bytes, { label: field('label'), name: csv.name });
    } catch (error) {
      throw new FieldError('file', `CSV file: ${(error as Error).message}`);
    }
    config.data = data;
  } else {
    config.data = field('data');
    config.n = numberField('n', true);
    const parts = field('ratios').split(',');
    config.ratios = parts.map((part, k) => {
      const text = part.trim();
      const value = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(value)) throw new FieldError('ratios', `${fieldLabel('ratios')}: entry ${k + 1} is not a number: ${JSON.stringify(text)}`);
      return value;
    });
  }
  return config;
}

// Every field is checked before the worker starts: the syntax here, the meaning by train/'s prepareRun
// (whose message names the field: "train: epochs must be ...").
function submit(): void {
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  let config: Partial<TrainConfig>;
  let classNames: string[];
  try {
    config = readConfig();
    classNames = prepareRun(config).split.test.classNames;
  } catch (error) {
    const message = (error as Error).message;
    // The field to mark: the page's own, or the option the library names ("gamma must be ..."), or the trainer's field.
    const named = [...message.matchAll(/(\w+) must/g)].map((match) => match[1]).concat(/^train: (\w+)/.exec(message)?.[1] ?? []);
    const name = error instanceof FieldError ? error.field : named.find((n) => form.elements.namedItem(n) !== null);
    if (name !== undefined) control(name).setAttribute('aria-invalid', 'true');
    setState('error', message);
    return;
  }
  start(config, classNames);
}

// Which field of the Compare fieldset an Error is about, by how its message starts.
const COMPARE_FIELDS: [RegExp, string][] = [
  [/^Seeds|^compare: the number of seeds/, 'seeds'],
  [/^Folds|^compare: the number of folds|folds\b/, 'folds'],
  [/^Grid|^grid|^compare: grid/, 'grid'],
];

// The comparison: the same fields as a run, and the grid and splits of the Compare fieldset, checked before the worker starts.
function submitComparison(): void {
  form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
  let options: CompareOptions;
  try {
    options = readCompareOptions(readConfig(), field('grid'), field('seeds'), field('folds'));
  } catch (error) {
    const message = (error as Error).message;
    const name = error instanceof FieldError ? error.field : COMPARE_FIELDS.find(([pattern]) => pattern.test(message))?.[1];
    if (name !== undefined) control(name).setAttribute('aria-invalid', 'true');
    setState('error', message);
    return;
  }
  worker?.terminate();
  running = null;
  comparisonSection.hidden = true;
  finalSection.hidden = true;
  startedAt = performance.now();
  setState('training', 'Comparing…');
  worker = new Worker('worker.js');
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onMessage(event.data));
  worker.addEventListener('error', (event) => finish('error', `The worker failed: ${event.message}`));
  worker.postMessage({ type: 'compare', options } satisfies ToWorker);
}

function start(config: Partial<TrainConfig>, classNames: string[]): void {
  worker?.terminate();
  running = { config, epochs: config.epochs ?? defaultConfig.epochs, classNames };
  history = [];
  startedAt = performance.now();
  lossPlot.replaceChildren();
  recallPlot.replaceChildren();
  finalSection.hidden = true;
  setState('training', 'Starting…');

  worker = new Worker('worker.js');
  worker.addEventListener('message', (event: MessageEvent<FromWorker>) => onMessage(event.data));
  worker.addEventListener('error', (event) => finish('error', `The worker failed: ${event.message}`));
  worker.postMessage({ type: 'train', config } satisfies ToWorker);
}

function onMessage(message: FromWorker): void {
  switch (message.type) {
    case 'epoch':
      history.push(message.record);
      setState('training', `Training… epoch ${message.record.epoch} / ${running!.epochs}`);
      // Epochs can arrive faster than the screen refreshes: draw at most once a frame.
      frame ||= requestAnimationFrame(drawCurves);
      return;
    case 'done': {
      cancelAnimationFrame(frame);
      drawCurves();
      const caption = message.regionsCaption === null ? '' : `<figcaption>${escapeHtml(message.regionsCaption)}</figcaption>`;
      byId('regions').innerHTML = message.regionsSvg + caption;
      byId('reliability').innerHTML = message.reliabilitySvg;
      byId('confusion').innerHTML = message.confusionSvg;
      renderTable(byId<HTMLTableElement>('metrics'), message.table, message.final.perClass.length);
      const { final } = message;
      const { alpha } = message.loss;
      const alphaText = alpha === null ? 'none' : [alpha].flat().map((a) => a.toFixed(3)).join(', ');
      byId('summary').textContent =
        `macro-F1 ${final.macroF1.toFixed(3)} · balanced accuracy ${final.balancedAccuracy.toFixed(3)} · ` +
        `ECE ${final.ece.toFixed(3)} · test NLL ${final.nll.toFixed(4)} · α ${alphaText}`;
      finalSection.hidden = false;
      graphPanel.showTrainedSamples(message.samples, message.loss);
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      finish('done', `Done: ${history.length} epochs in ${seconds} s.`);
      return;
    }
    case 'progress':
      setState('training', `Comparing… run ${message.done} / ${message.total} finished (${message.variant})`);
      return;
    case 'compared': {
      showComparison(comparisonSection, message);
      const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
      finish('done', `Comparison done in ${seconds} s.`);
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
  compareButton.disabled = busy;
  stopButton.disabled = !busy;
}

function drawCurves(): void {
  frame = 0;
  if (running === null || history.length === 0) return;
  const title = describeLoss({ loss: String(running.config.loss), gamma: running.config.gamma ?? defaultConfig.gamma, alpha: running.config.alpha ?? null });
  lossPlot.innerHTML = lossCurvesSvg(history, `Loss: ${title}`, PLOT_SIZE);
  recallPlot.innerHTML = recallCurvesSvg(history, running.classNames, 'Test recall per class', PLOT_SIZE);
}

function escapeHtml(text: string): string {
  const span = document.createElement('span');
  span.textContent = text;
  return span.innerHTML;
}

// Built with textContent, so nothing in a cell is parsed as HTML. The first `classes` rows are the
// classes, in order: each gets its colour from the plots' palette.
function renderTable(element: HTMLTableElement, table: Table, classes: number): void {
  const colours = classColors(classes);
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
  element.createTBody().append(...table.rows.map((cells, i) => row('td', cells, i < classes ? colours[i] : undefined)));
}
