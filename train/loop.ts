// The training loop: a checked, prepared run (data, loss, model, optimiser built once), seeded mini-batch order, per-epoch loss and recall, final test metrics.
import { type Rng, type Tensor, checkOptions, describeValue, noGrad, rng as makeRng, tensor, zeros } from '../engine/index.js';
import { type Gamma, classWeights, crossEntropy } from '../losses/index.js';
import { MLP, type Activation, type Optimizer } from '../models/index.js';
import { classCounts, splitDataset, standardize, type Dataset, type Split, type Standardization } from './data.js';
import { argmaxRows, classificationReport, expectedCalibrationError, type ClassificationReport } from './metrics.js';
import { DATASETS, LOSSES, type LossFn, type LossSpec, OPTIMIZERS, lookup } from './registry.js';

/** A scale, one weight per class, or weights computed from the training split's class counts. */
export type AlphaSpec = number | readonly number[] | 'inverse' | 'effective';

/** Everything a training run depends on. train() takes any part of it over defaultConfig. */
export interface TrainConfig {
  /** A built-in dataset's name (see DATASETS) or a Dataset (fromRows, readCsv), split here and standardised. */
  data: string | Dataset;
  /** Samples of a built-in dataset over both splits. */
  n: number;
  /** Relative class sizes of a built-in dataset, one per class. */
  ratios: readonly number[];
  /** The share of each class that goes to the test split. */
  testFraction: number;
  /** A loss name (see LOSSES). */
  loss: string;
  /** Focusing parameter of the focal losses: a number, or 'flsd53' (focalLoss only). */
  gamma: Gamma;
  /** null: no class weighting. */
  alpha: AlphaSpec | null;
  hidden: readonly number[];
  activation: Activation;
  /** An optimizer name (see OPTIMIZERS). */
  optimizer: string;
  /** Learning rate; when a partial config leaves it out, the optimizer's default (0.005 for adam, 0.1 for sgd). */
  lr: number;
  epochs: number;
  batch: number;
  seed: number;
}

/**
 * The defaults of every field: the README's demo (blobs 85 : 12 : 3, 5000 samples, MLP 32-32 ReLU,
 * Adam lr 0.005, 30 epochs, batch 128, focal γ = 2). The CLI and the playground start from these too.
 */
export const defaultConfig: Readonly<TrainConfig> = Object.freeze({
  data: 'blobs',
  n: 5000,
  ratios: Object.freeze([0.85, 0.12, 0.03]),
  testFraction: 0.3,
  loss: 'focal',
  gamma: 2,
  alpha: null,
  hidden: Object.freeze([32, 32]),
  activation: 'relu',
  optimizer: 'adam',
  lr: OPTIMIZERS.adam.defaultLr,
  epochs: 30,
  batch: 128,
  seed: 0,
});

const CONFIG_KEYS = Object.keys(defaultConfig) as (keyof TrainConfig)[];

/** One epoch's numbers. */
export interface EpochRecord {
  epoch: number;
  /** The training objective over the whole training split, after the epoch's last step. */
  trainLoss: number;
  /** The same objective on the test split. */
  testLoss: number;
  /** Recall of each class on the test split. */
  recall: number[];
}

/** The final test metrics of a run. */
export interface RunMetrics extends ClassificationReport {
  /** The training objective on the test split (the last epoch's testLoss). */
  loss: number;
  /** Plain cross-entropy (negative log-likelihood) on the test split, comparable across losses. */
  nll: number;
  /** Expected calibration error (15 bins) on the test split. */
  ece: number;
}

/** What train() returns. */
export interface TrainResult {
  /** The full, checked configuration the run used. */
  config: TrainConfig;
  model: MLP;
  /** The data the model saw (a user's data standardised with the training split's statistics). */
  split: Split;
  /** The training split's per-feature mean and std (null for the built-in datasets, used as they are). */
  standardization: Standardization | null;
  /** Class counts of the training split (what 'inverse' and 'effective' α are computed from). */
  trainCounts: number[];
  /** The α the loss used, resolved to numbers (null when unweighted). */
  alpha: number | number[] | null;
  /** The untrained model's numbers (epoch 0), so that plots show where the loss falls from. */
  initial: EpochRecord;
  history: EpochRecord[];
  final: RunMetrics;
  /** The test split's softmax probabilities at the end, [n, K] row-major (for reliability diagrams). */
  testProbs: Float64Array;
}

/** Callbacks of train() and trainSteps(). */
export interface TrainHooks {
  onEpoch?: (record: EpochRecord) => void;
}

/**
 * A run checked and built, ready to train: the config filled in from defaultConfig, the data split
 * (and standardised), the loss, the model and the optimiser. Made by prepareRun; trains once.
 */
export class PreparedRun {
  /** @internal */
  used = false;
  constructor(
    /** The full config: the given fields over defaultConfig. */
    readonly config: TrainConfig,
    /** The train and test data (a user's Dataset split and standardised; a built-in one as generated). */
    readonly split: Split,
    /** The mean and scale a user's features were standardised with (null for a built-in dataset). */
    readonly standardization: Standardization | null,
    /** The number of training samples of each class. */
    readonly trainCounts: number[],
    /** α resolved to numbers (null when the loss is unweighted). */
    readonly alpha: number | number[] | null,
    /** The objective, mean-reduced over a batch. */
    readonly lossFn: LossFn,
    /** The untrained model. */
    readonly model: MLP,
    /** The optimizer over the model's parameters. */
    readonly optimizer: Optimizer,
    /** The seed of the mini-batch order. */
    readonly shuffleSeed: number,
  ) {}
}

/**
 * Trains an MLP on `config` (any part of TrainConfig over defaultConfig) and returns the model, its
 * history and its final test metrics. Every field is checked before the first step.
 * @example const result = train({ data: readCsv(text, { label: 'kind' }), loss: 'focal', alpha: 'effective', epochs: 10 });
 */
export function train(config: Partial<TrainConfig> | PreparedRun = {}, hooks: TrainHooks = {}): TrainResult {
  return runToEnd(trainSteps(config, hooks));
}

/**
 * train() as a generator that pauses after each epoch (once onEpoch has seen it), so that a caller
 * can return to the event loop between epochs: scripts/train.ts does, to handle Ctrl-C mid-run.
 * The config is checked at the call, before the first step.
 */
export function trainSteps(config: Partial<TrainConfig> | PreparedRun = {}, hooks: TrainHooks = {}): Generator<void, TrainResult, void> {
  const run = config instanceof PreparedRun ? config : prepareRun(config);
  if (run.used) throw new Error('train: this PreparedRun has already been trained (prepare a new one)');
  run.used = true;
  return training(run, hooks);
}

function* training(run: PreparedRun, hooks: TrainHooks): Generator<void, TrainResult, void> {
  const { split, model, optimizer, lossFn } = run;
  const { epochs, batch } = run.config;
  const { train: trainSet, test: testSet } = split;
  // NOTE: the batch order has its own random stream, apart from the data's and the weights', so that
  // runs that differ only in the loss visit the same batches in the same order.
  const shuffle = makeRng(run.shuffleSeed);
  const order = Int32Array.from({ length: trainSet.n }, (_, i) => i);

  const measure = (epoch: number): { record: EpochRecord; test: Evaluation } => {
    const trainEval = evaluate(model, trainSet, lossFn);
    const test = evaluate(model, testSet, lossFn);
    const recall = test.report.perClass.map((m) => m.recall);
    return { record: { epoch, trainLoss: trainEval.loss, testLoss: test.loss, recall }, test };
  };
  const initial = measure(0).record;
  const history: EpochRecord[] = [];
  let last: Evaluation | null = null;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    shuffle.shuffle(order);
    // The last batch may be smaller: every training row is visited once per epoch, whatever the batch size.
    for (let start = 0; start < trainSet.n; start += batch) {
      const rows = order.subarray(start, Math.min(start + batch, trainSet.n));
      const { x, y } = batchOf(trainSet, rows);
      const logits = model.forward(x);
      // NOTE: checked here, before the loss (which would reject non-finite logits too), so that the
      // message says what went wrong in training terms.
      const bad = logits.data.find((v) => !Number.isFinite(v));
      const loss = bad === undefined ? lossFn(logits, y) : null;
      if (loss === null || !Number.isFinite(loss.item())) {
        const detail = loss === null ? `a logit became ${bad}` : `the loss became ${loss.item()}`;
        throw new Error(
          `train: the ${run.config.loss} loss diverged (${detail}) at epoch ${epoch}, batch starting at row ${start} ` +
            `(lr ${run.config.lr} may be too high)`,
        );
      }
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    }
    const after = measure(epoch);
    last = after.test;
    history.push(after.record);
    hooks.onEpoch?.(after.record);
    yield;
  }
  // prepareRun guarantees epochs ≥ 1, so `last` is set.
  const final = finalMetrics(last as Evaluation, testSet);
  const { config: full, standardization, trainCounts, alpha } = run;
  return { config: full, model, split, standardization, trainCounts, alpha, initial, history, final, testProbs: (last as Evaluation).probs };
}

/**
 * Checks a partial config and builds everything a run needs, once: an unknown key, a name not in a
 * registry, or a value the library rejects is an Error starting with "train:" that names the field.
 * The datasets, losses, MLP and optimisers check their own options; this adds only what is the trainer's.
 */
export function prepareRun(partial: Partial<TrainConfig> = {}): PreparedRun {
  const given = checkOptions<TrainConfig>('train', partial, CONFIG_KEYS);
  const lrDefault = OPTIMIZERS[String(given.optimizer ?? defaultConfig.optimizer)]?.defaultLr ?? defaultConfig.lr;
  const config: TrainConfig = { ...defaultConfig, lr: lrDefault, ...stripUndefined(given) };
  const lossSpec = lookup(LOSSES, 'loss', config.loss);
  for (const option of ['gamma', 'alpha'] as const) {
    if (given[option] !== undefined && !lossSpec.options.includes(option)) {
      throw new Error(`train: ${option} does not apply to loss '${lossSpec.name}' (it reads ${lossSpec.options.join(', ') || 'no options'})`);
    }
  }
  const optimizerSpec = lookup(OPTIMIZERS, 'optimizer', config.optimizer);
  for (const field of ['epochs', 'batch'] as const) {
    if (!Number.isSafeInteger(config[field]) || config[field] <= 0) {
      throw new Error(`train: ${field} must be a positive integer, got ${describeValue(config[field])}`);
    }
  }
  if (!Number.isSafeInteger(config.seed)) throw new Error(`train: seed must be an integer, got ${describeValue(config.seed)}`);
  if (!Array.isArray(config.hidden)) throw new Error(`train: hidden must be an array of layer sizes, got ${describeValue(config.hidden)}`);

  const seeds = deriveSeeds(config.seed);
  const { split, standardization } = field('data', config.data, () => makeSplit(config, given, seeds.data));
  const trainCounts = classCounts(split.train.y, split.train.numClasses);
  const alpha = field('alpha', config.alpha, () => resolveAlpha(config.alpha, trainCounts));
  const lossFn = field('loss', config.loss, () =>
    probedLoss(lossSpec, config.gamma, alpha, split.train.numClasses),
  );
  const model = field('hidden/activation', config.hidden, () =>
    new MLP([split.train.dim, ...config.hidden, split.train.numClasses], { activation: config.activation, rng: makeRng(seeds.init) }),
  );
  const optimizer = field('lr', config.lr, () => optimizerSpec.build(model.parameters(), config.lr));
  return new PreparedRun(config, split, standardization, trainCounts, alpha, lossFn, model, optimizer, seeds.shuffle);
}

/**
 * Three independent seeds from one: the data, the model's initial weights, the mini-batch order.
 * They do not depend on the loss, so the configurations of a comparison at one seed see the same
 * data, start from the same weights and visit the batches in the same order (paired runs).
 */
export function deriveSeeds(seed: number): { data: number; init: number; shuffle: number } {
  const root: Rng = makeRng(seed);
  const draw = (): number => root.int(0x80000000);
  return { data: draw(), init: draw(), shuffle: draw() };
}

/** α resolved to numbers: 'inverse' and 'effective' come from classWeights on the training counts. */
export function resolveAlpha(spec: AlphaSpec | null, trainCounts: readonly number[]): number | number[] | null {
  if (spec === null) return null;
  if (spec === 'inverse' || spec === 'effective') return classWeights(trainCounts, { method: spec });
  if (typeof spec === 'number') return spec;
  if (Array.isArray(spec)) return spec.slice();
  throw new Error(`resolveAlpha: alpha must be a number, one number per class, 'inverse' or 'effective', got ${describeValue(spec)}`);
}

/** The class the model picks for each row of an [m, dim] row-major array (for decision-region plots). */
export function predictClasses(model: MLP, x: Float64Array): Int32Array {
  const dim = model.sizes[0];
  const classes = model.sizes[model.sizes.length - 1];
  const m = x.length / dim;
  const logits = noGrad(() => model.forward(tensor(x, { shape: [m, dim] })));
  return argmaxRows(logits.data, m, classes);
}

/** Runs a generator such as trainSteps to its end and returns its result. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

// Runs `build`; a library Error is passed on with the trainer's name and the field in front of it.
function field<T>(name: string, value: unknown, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith('train: ')) throw error;
    const shown = typeof value === 'object' && value !== null && !Array.isArray(value) ? '' : ` ${show(value)}`;
    throw new Error(`train: ${name}${shown}: ${message}`);
  }
}

function makeSplit(config: TrainConfig, given: Partial<TrainConfig>, seed: number): { split: Split; standardization: Standardization | null } {
  if (typeof config.data === 'string') {
    const spec = lookup(DATASETS, 'data', config.data);
    return { split: spec.build({ n: config.n, ratios: config.ratios, seed, testFraction: config.testFraction }), standardization: null };
  }
  const data = checkDataset(config.data);
  for (const key of ['n', 'ratios'] as const) {
    if (given[key] !== undefined) throw new Error(`train: ${key} applies to the built-in datasets only, not to a Dataset`);
  }
  const standardized = standardize(splitDataset(data, { testFraction: config.testFraction, seed }));
  return { split: standardized.split, standardization: standardized.stats };
}

function checkDataset(data: unknown): Dataset {
  const d = data as Partial<Dataset>;
  const ok =
    d instanceof Object &&
    d.x instanceof Float64Array &&
    d.y instanceof Int32Array &&
    Number.isSafeInteger(d.n) &&
    Number.isSafeInteger(d.dim) &&
    Number.isSafeInteger(d.numClasses) &&
    Array.isArray(d.classNames) &&
    d.x.length === (d.n as number) * (d.dim as number) &&
    d.y.length === d.n &&
    d.classNames.length === d.numClasses;
  if (!ok) throw new Error(`data must be a built-in name or a Dataset (from fromRows or readCsv), got ${describeValue(data)}`);
  return data as Dataset;
}

// The loss, called once on a one-row batch so that losses/ checks γ and α (their meaning is the
// library's to judge) before any training or output.
function probedLoss(spec: LossSpec, gamma: Gamma, alpha: number | number[] | null, numClasses: number): LossFn {
  const lossFn = spec.build({ gamma, alpha });
  noGrad(() => lossFn(zeros([1, numClasses]), Int32Array.of(0)));
  return lossFn;
}

function stripUndefined<T extends object>(options: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface Evaluation {
  loss: number;
  logits: Tensor;
  probs: Float64Array;
  predictions: Int32Array;
  report: ClassificationReport;
}

function evaluate(model: MLP, data: Dataset, lossFn: LossFn): Evaluation {
  return noGrad(() => {
    const logits = model.forward(tensor(data.x, { shape: [data.n, data.dim] }));
    const loss = lossFn(logits, data.y).item();
    const probs = logits.softmax(-1).data;
    const predictions = argmaxRows(logits.data, data.n, data.numClasses);
    return { loss, logits, probs, predictions, report: classificationReport(data.y, predictions, data.numClasses) };
  });
}

function finalMetrics(last: Evaluation, test: Dataset): RunMetrics {
  const nll = noGrad(() => crossEntropy(last.logits, test.y).item());
  const ece = expectedCalibrationError(last.probs, test.y, test.numClasses);
  return { ...last.report, loss: last.loss, nll, ece };
}

// The rows of data picked by `rows`, as a fresh [b, dim] tensor and their labels.
function batchOf(data: Dataset, rows: Int32Array): { x: Tensor; y: Int32Array } {
  const { dim } = data;
  const x = new Float64Array(rows.length * dim);
  const y = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k];
    for (let j = 0; j < dim; j++) x[k * dim + j] = data.x[row * dim + j];
    y[k] = data.y[row];
  }
  return { x: tensor(x, { shape: [rows.length, dim] }), y };
}

function show(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(String).join(', ')}]` : typeof value === 'string' ? `'${value}'` : describeValue(value);
}
