// The training loop: seeded data, model init and mini-batch order; per-epoch train/test loss and per-class recall; final test metrics.
import { type Rng, type Tensor, noGrad, rng as makeRng, tensor } from '../engine/index.js';
import { classWeights, crossEntropy, focalLoss, focalLossStar } from '../losses/index.js';
import { Adam, MLP, type Activation, type Optimizer, SGD } from '../models/index.js';
import { classCounts, imbalancedBlobs, spirals, type Dataset, type Split } from './data.js';
import { argmaxRows, classificationReport, expectedCalibrationError, type ClassificationReport } from './metrics.js';

export type LossName = 'ce' | 'focal' | 'focal-star';
export type DataName = 'blobs' | 'spirals';
export type OptimizerName = 'adam' | 'sgd';
/** A scale, one weight per class, or weights computed from the training set's class counts. */
export type AlphaSpec = number | readonly number[] | 'inverse' | 'effective';

export interface TrainConfig {
  data: DataName;
  /** Samples over both splits (30% go to the test split). */
  n: number;
  ratios: readonly number[];
  loss: LossName;
  gamma: number;
  /** null: no class weighting. */
  alpha: AlphaSpec | null;
  hidden: readonly number[];
  activation: Activation;
  optimizer: OptimizerName;
  lr: number;
  epochs: number;
  batch: number;
  seed: number;
}

export interface EpochRecord {
  epoch: number;
  /** The training objective over the whole training split, after the epoch's last step. */
  trainLoss: number;
  /** The same objective on the test split. */
  testLoss: number;
  /** Recall of each class on the test split. */
  recall: number[];
}

export interface RunMetrics extends ClassificationReport {
  /** The training objective on the test split (the last epoch's testLoss). */
  loss: number;
  /** Plain cross-entropy (negative log-likelihood) on the test split, comparable across losses. */
  nll: number;
  /** Expected calibration error (15 bins) on the test split. */
  ece: number;
}

export interface TrainResult {
  config: TrainConfig;
  model: MLP;
  split: Split;
  /** Class counts of the training split (what 'inverse' and 'effective' α are computed from). */
  trainCounts: number[];
  /** The α the loss used, resolved to numbers (null when unweighted). */
  alpha: number | number[] | null;
  /** The untrained model's numbers (epoch 0), so that plots show where the loss falls from. */
  initial: EpochRecord;
  history: EpochRecord[];
  final: RunMetrics;
}

export interface TrainHooks {
  onEpoch?: (record: EpochRecord) => void;
}

export type LossFn = (logits: Tensor, target: Int32Array) => Tensor;

// The β of FL* (the paper's appendix A shifts the logit by β before the sigmoid).
const FOCAL_STAR_BETA = 1;
// Heavy-ball momentum for --optimizer sgd.
const SGD_MOMENTUM = 0.9;

export function train(config: TrainConfig, hooks: TrainHooks = {}): TrainResult {
  return runToEnd(trainSteps(config, hooks));
}

// train() as a generator that pauses after each epoch (once onEpoch has seen it), so that a caller
// can return to the event loop between epochs: scripts/train.ts does, to handle Ctrl-C mid-run.
export function* trainSteps(config: TrainConfig, hooks: TrainHooks = {}): Generator<void, TrainResult, void> {
  const split = checkConfig(config);
  const seeds = deriveSeeds(config.seed);
  const { train: trainSet, test: testSet } = split;
  const trainCounts = classCounts(trainSet.y, trainSet.numClasses);
  const alpha = resolveAlpha(config.alpha, trainCounts);
  const lossFn = makeLoss(config.loss, config.gamma, alpha);

  const model = new MLP([trainSet.dim, ...config.hidden, trainSet.numClasses], {
    activation: config.activation,
    rng: makeRng(seeds.init),
  });
  const optimizer = makeOptimizer(config.optimizer, model, config.lr);
  const shuffle = makeRng(seeds.shuffle);
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
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    shuffle.shuffle(order);
    for (let start = 0; start < trainSet.n; start += config.batch) {
      const rows = order.subarray(start, Math.min(start + config.batch, trainSet.n));
      const { x, y } = batchOf(trainSet, rows);
      const logits = model.forward(x);
      // NOTE: checked here, before the loss (which would reject non-finite logits too), so that the
      // message says what went wrong in training terms.
      const bad = logits.data.find((v) => !Number.isFinite(v));
      const loss = bad === undefined ? lossFn(logits, y) : null;
      if (loss === null || !Number.isFinite(loss.item())) {
        const detail = loss === null ? `a logit became ${bad}` : `the loss became ${loss.item()}`;
        throw new Error(
          `train: the ${config.loss} loss diverged (${detail}) at epoch ${epoch}, batch starting at row ${start} ` +
            `(lr ${config.lr} may be too high)`,
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
  // checkConfig guarantees epochs ≥ 1, so `last` is set.
  const final = finalMetrics(last as Evaluation, testSet);
  return { config, model, split, trainCounts, alpha, initial, history, final };
}

// What metrics.json holds: the run's configuration, its final test metrics and its history.
// Nothing in it depends on the clock, so two runs with one seed give equal files.
export function metricsJson(result: TrainResult): Record<string, unknown> {
  const { final } = result;
  return {
    config: result.config,
    trainCounts: result.trainCounts,
    alpha: result.alpha,
    loss: final.loss,
    nll: final.nll,
    accuracy: final.accuracy,
    macroF1: final.macroF1,
    balancedAccuracy: final.balancedAccuracy,
    ece: final.ece,
    perClass: final.perClass,
    confusion: final.confusion,
    initial: result.initial,
    history: result.history,
  };
}

// The class the model picks for each row of an [m, dim] row-major array (for decision-region plots).
export function predictClasses(model: MLP, x: Float64Array): Int32Array {
  const dim = model.sizes[0];
  const classes = model.sizes[model.sizes.length - 1];
  const m = x.length / dim;
  const logits = noGrad(() => model.forward(tensor(x, { shape: [m, dim] })));
  return argmaxRows(logits.data, m, classes);
}

// Runs a generator such as trainSteps to its end and returns its result.
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

// Throws an Error naming the first field that is out of range; otherwise builds and returns the run's
// data (train() trains on it), so that an n too small for the ratios is caught before any training.
export function checkConfig(config: TrainConfig): Split {
  const fail = (field: string, expected: string, got: unknown): never => {
    throw new Error(`train: ${field} must be ${expected}, got ${show(got)}`);
  };
  if (config.data !== 'blobs' && config.data !== 'spirals') fail('data', "'blobs' or 'spirals'", config.data);
  if (!isPositiveInteger(config.n)) fail('n', 'a positive integer', config.n);
  if (!Array.isArray(config.ratios) || config.ratios.length !== 3 || !config.ratios.every(isPositiveNumber)) {
    fail('ratios', 'three positive numbers', config.ratios);
  }
  if (!['ce', 'focal', 'focal-star'].includes(config.loss)) fail('loss', "'ce', 'focal' or 'focal-star'", config.loss);
  if (!(Number.isFinite(config.gamma) && config.gamma >= 0)) fail('gamma', 'a finite number >= 0', config.gamma);
  if (config.loss === 'focal-star' && config.gamma === 0) fail('gamma', 'a number > 0 for focal-star (FL* divides by γ)', config.gamma);
  checkAlpha(config.alpha, fail);
  if (!Array.isArray(config.hidden) || config.hidden.length === 0 || !config.hidden.every(isPositiveInteger)) {
    fail('hidden', 'a non-empty list of positive integers', config.hidden);
  }
  if (config.activation !== 'relu' && config.activation !== 'tanh') fail('activation', "'relu' or 'tanh'", config.activation);
  if (config.optimizer !== 'adam' && config.optimizer !== 'sgd') fail('optimizer', "'adam' or 'sgd'", config.optimizer);
  if (!isPositiveNumber(config.lr)) fail('lr', 'a positive number', config.lr);
  if (!isPositiveInteger(config.epochs)) fail('epochs', 'a positive integer', config.epochs);
  if (!isPositiveInteger(config.batch)) fail('batch', 'a positive integer', config.batch);
  if (!Number.isSafeInteger(config.seed)) fail('seed', 'an integer', config.seed);
  return makeData(config, deriveSeeds(config.seed).data);
}

// Three independent seeds from one: the data, the model's initial weights, the mini-batch order.
// NOTE: they do not depend on the loss, so the configurations of a comparison at one seed see the
// same data, start from the same weights and visit the batches in the same order (paired runs).
export function deriveSeeds(seed: number): { data: number; init: number; shuffle: number } {
  const root: Rng = makeRng(seed);
  const draw = (): number => root.int(0x80000000);
  return { data: draw(), init: draw(), shuffle: draw() };
}

export function makeData(config: Pick<TrainConfig, 'data' | 'n' | 'ratios'>, seed: number): Split {
  const options = { n: config.n, ratios: config.ratios, seed };
  return config.data === 'blobs' ? imbalancedBlobs(options) : spirals(options);
}

export function resolveAlpha(spec: AlphaSpec | null, trainCounts: readonly number[]): number | number[] | null {
  if (spec === null) return null;
  if (spec === 'inverse' || spec === 'effective') return classWeights(trainCounts, { method: spec });
  return typeof spec === 'number' ? spec : spec.slice();
}

// The objective for a loss name, mean-reduced over the batch.
export function makeLoss(loss: LossName, gamma: number, alpha: number | number[] | null): LossFn {
  switch (loss) {
    case 'ce':
      // A per-class α becomes crossEntropy's weight (PyTorch's weighted mean); a scalar α only scales.
      if (Array.isArray(alpha)) return (logits, target) => crossEntropy(logits, target, { weight: alpha });
      if (typeof alpha === 'number') return (logits, target) => crossEntropy(logits, target).mul(alpha);
      return (logits, target) => crossEntropy(logits, target);
    case 'focal':
      return alpha === null
        ? (logits, target) => focalLoss(logits, target, { gamma })
        : (logits, target) => focalLoss(logits, target, { gamma, alpha });
    case 'focal-star':
      // focalLossStar weights each sample by its class's α, then takes the mean over samples, as focalLoss does.
      return alpha === null
        ? (logits, target) => focalLossStar(logits, target, { gamma, beta: FOCAL_STAR_BETA })
        : (logits, target) => focalLossStar(logits, target, { gamma, beta: FOCAL_STAR_BETA, alpha });
  }
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

function makeOptimizer(name: OptimizerName, model: MLP, lr: number): Optimizer {
  return name === 'adam' ? new Adam(model.parameters(), { lr }) : new SGD(model.parameters(), { lr, momentum: SGD_MOMENTUM });
}

function checkAlpha(alpha: AlphaSpec | null, fail: (field: string, expected: string, got: unknown) => never): void {
  if (alpha === null || alpha === 'inverse' || alpha === 'effective') return;
  if (typeof alpha === 'number' ? isPositiveNumber(alpha) : Array.isArray(alpha) && alpha.length === 3 && alpha.every(isPositiveNumber)) {
    return;
  }
  fail('alpha', "a positive number, three positive numbers, 'inverse' or 'effective'", alpha);
}

function isPositiveInteger(v: unknown): boolean {
  return Number.isSafeInteger(v) && (v as number) > 0;
}

function isPositiveNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

function show(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(String).join(', ')}]` : typeof value === 'string' ? `'${value}'` : String(value);
}
