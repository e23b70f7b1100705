// The training loop: a checked, prepared run (see config.ts), seeded mini-batch order, per-epoch losses and recall, early stopping on the validation loss, final test metrics.
import { type Tensor, noGrad, rng as makeRng, tensor } from '../engine/index.js';
import { checkOptions } from '../engine/checks.js';
import { describeValue } from '../engine/format.js';
import { crossEntropy } from '../losses/index.js';
import type { MLP } from '../models/index.js';
import type { Dataset, Standardization } from './data.js';
import { PreparedRun, type TrainConfig, prepareRefit, prepareRun } from './config.js';
import { EarlyStopping, type StopInfo } from './earlyStopping.js';
import { argmaxRows, classificationReport, expectedCalibrationError, type ClassificationReport } from './metrics.js';
import type { LossFn } from './registry.js';
import type { TrainSplit } from './split.js';

/** One epoch's numbers. */
export interface EpochRecord {
  epoch: number;
  /** The training objective over the whole training part, after the epoch's last step. */
  trainLoss: number;
  /** The same objective on the validation part (null without one): what early stopping watches. */
  valLoss: number | null;
  /** The same objective on the test part (recorded for the plots; nothing is chosen on it). */
  testLoss: number;
  /** Recall of each class on the test part. */
  recall: number[];
}

/** The final metrics of a run on one part of the data (test, or validation). */
export interface RunMetrics extends ClassificationReport {
  /** The training objective on this part, with the weights the run ended with. */
  loss: number;
  /** Plain cross-entropy (negative log-likelihood), comparable across losses. */
  nll: number;
  /** Expected calibration error (15 bins). */
  ece: number;
}

/** What train() returns. With config.refit, the model and everything about its data (split, standardization, trainCounts, alpha, final, testProbs) are the refit's; initial, history, stopped and valMetrics the early-stopped run's. */
export interface TrainResult {
  /** The full, checked configuration the run used. */
  config: TrainConfig;
  /** The trained model, holding the weights of the best validation loss when early stopping was on (with refit: the refit's weights). */
  model: MLP;
  /** The data the model saw: train, validation (null when valFraction is 0, and after a refit, whose training part holds it) and test, a user's data standardised with the training part's statistics. */
  split: TrainSplit;
  /** The training part's per-feature mean and std (null for the built-in datasets, used as they are). */
  standardization: Standardization | null;
  /** Class counts of the training part (what 'inverse' and 'effective' α are computed from). */
  trainCounts: number[];
  /** The α the loss used, resolved to numbers (null when unweighted). */
  alpha: number | number[] | null;
  /** The untrained model's numbers (epoch 0), so that plots show where the loss falls from. */
  initial: EpochRecord;
  /** One record per epoch trained. */
  history: EpochRecord[];
  /** Why and when the run stopped, and which epoch's weights it kept. */
  stopped: StopInfo;
  /** The metrics on the test part, with the kept weights. */
  final: RunMetrics;
  /** The same metrics on the validation part (null without one): what a comparison selects on. */
  valMetrics: RunMetrics | null;
  /** The test part's softmax probabilities at the end, [n, K] row-major (for reliability diagrams). */
  testProbs: Float64Array;
  /** With config.refit: the epochs of the second fit (early stopping's kept epoch, at least 1) and its training rows (train + validation); else null. */
  refit: Refit | null;
}

/** The second fit of config.refit. */
export interface Refit {
  epochs: number;
  rows: number;
}

/** Callbacks of train() and trainSteps(). */
export interface TrainHooks {
  onEpoch?: (record: EpochRecord) => void;
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
  checkHooks(hooks);
  const run = config instanceof PreparedRun ? config : prepareRun(config);
  if (run.used) throw new Error('train: this PreparedRun has already been trained (prepare a new one)');
  run.used = true;
  return training(run, hooks);
}

// Hooks are checked like options: null, an unknown name (onEpochs) or a hook that is not a function is
// an Error before any training, never ignored or a TypeError mid-run.
function checkHooks(hooks: unknown): void {
  if (hooks === null) throw new Error('train: hooks must be an object such as { onEpoch }, got null');
  const { onEpoch } = checkOptions<TrainHooks>('train: hooks', hooks, ['onEpoch']);
  if (onEpoch !== undefined && typeof onEpoch !== 'function') throw new Error(`train: hooks.onEpoch must be a function, got ${describeValue(onEpoch)}`);
}

function* training(run: PreparedRun, hooks: TrainHooks): Generator<void, TrainResult, void> {
  const { split, model, optimizer, lossFn } = run;
  const { batch, patience } = run.config;
  const { train: trainSet, val: valSet, test: testSet } = split;
  // NOTE: the batch order has its own random stream, apart from the data's and the weights', so that
  // runs that differ only in the loss visit the same batches in the same order.
  const shuffle = makeRng(run.shuffleSeed);
  const order = Int32Array.from({ length: trainSet.n }, (_, i) => i);
  const budget = epochBudget(run.config, trainSet.n);
  const stopping = valSet !== null && patience !== null ? new EarlyStopping(model.parameters(), patienceEpochs(run.config, trainSet.n)) : null;

  // The epoch's last step can break the model too (a table under one batch has only that one): said in
  // training terms here, not by the loss complaining about its logits.
  const diverged = (epoch: number) => (): never => {
    throw new Error(`train: the ${run.config.loss} loss diverged (a logit became non-finite) after epoch ${epoch} (lr ${run.config.lr} may be too high)`);
  };
  // NOTE: an epoch needs the three losses and the test recall, nothing more: the softmax and the reports of
  // evaluate() are left to the final metrics (they were 7 % of `npm run train`).
  const measure = (epoch: number): EpochRecord => {
    const trainLoss = lossOn(model, trainSet, lossFn, diverged(epoch)).loss;
    const valLoss = valSet === null ? null : lossOn(model, valSet, lossFn, diverged(epoch)).loss;
    const test = lossOn(model, testSet, lossFn, diverged(epoch));
    const predictions = argmaxRows(test.logits.data, testSet.n, testSet.numClasses);
    const { perClass } = classificationReport(testSet.y, predictions, testSet.numClasses);
    return { epoch, trainLoss, valLoss, testLoss: test.loss, recall: perClass.map((m) => m.recall) };
  };
  const initial = measure(0);
  if (initial.valLoss !== null) stopping?.update(0, initial.valLoss);
  const history: EpochRecord[] = [];
  let reason: StopInfo['reason'] = 'budget';
  for (let epoch = 1; epoch <= budget; epoch++) {
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
    const record = measure(epoch);
    history.push(record);
    hooks.onEpoch?.(record);
    yield;
    if (stopping !== null && record.valLoss !== null && stopping.update(epoch, record.valLoss)) {
      reason = 'patience';
      break;
    }
  }
  const last = history.length;
  const best = stopping?.restore() ?? { epoch: last, valLoss: null };
  const stopped: StopInfo = { reason, epoch: last, bestEpoch: best.epoch, bestValLoss: best.valLoss, budget };
  const test = evaluate(model, testSet, lossFn, diverged(last));
  const final = finalMetrics(test, testSet);
  const valMetrics = valSet === null ? null : finalMetrics(evaluate(model, valSet, lossFn, diverged(last)), valSet);
  const { config: full, standardization, trainCounts, alpha } = run;
  const result: TrainResult = { config: full, model, split, standardization, trainCounts, alpha, initial, history, stopped, final, valMetrics, testProbs: test.probs, refit: null };
  if (!full.refit) return result;
  // The second fit, on train + validation for the epochs early stopping kept; selection still reads valMetrics.
  const epochs = Math.max(1, best.epoch);
  const again = prepareRefit(run, epochs);
  const second = yield* training(again, {});
  const { model: fitted, split: merged, standardization: mergedStats, trainCounts: mergedCounts, alpha: mergedAlpha, final: refitFinal, testProbs } = second;
  const refit = { epochs, rows: merged.train.n };
  return { ...result, model: fitted, split: merged, standardization: mergedStats, trainCounts: mergedCounts, alpha: mergedAlpha, final: refitFinal, testProbs, refit };
}

/** The fewest epochs of epochs 'auto'. */
export const MIN_AUTO_EPOCHS = 30;
/** The fewest epochs of patience 'auto'. */
export const MIN_AUTO_PATIENCE = 10;
/** With patience 'auto', the optimizer steps without a better validation loss before the run stops. */
export const PATIENCE_STEPS = 300;

/**
 * Epochs of patience: config.patience, or for 'auto' MIN_AUTO_PATIENCE epochs raised to PATIENCE_STEPS
 * steps (on a table of one step an epoch, ten epochs are ten steps: too few to tell a plateau from noise).
 */
export function patienceEpochs(config: Pick<TrainConfig, 'patience' | 'batch'>, trainRows: number): number {
  if (config.patience === null) return Infinity;
  if (config.patience !== 'auto') return config.patience;
  return Math.max(MIN_AUTO_PATIENCE, Math.ceil(PATIENCE_STEPS / Math.ceil(trainRows / config.batch)));
}

/**
 * The number of epochs a run may take: config.epochs, or for 'auto' MIN_AUTO_EPOCHS raised so that the
 * run makes at least config.minSteps optimizer steps (a table of 200 rows at batch 128 makes two steps an epoch).
 */
export function epochBudget(config: Pick<TrainConfig, 'epochs' | 'minSteps' | 'batch'>, trainRows: number): number {
  if (config.epochs !== 'auto') return config.epochs;
  const stepsPerEpoch = Math.ceil(trainRows / config.batch);
  return Math.max(MIN_AUTO_EPOCHS, Math.ceil(config.minSteps / stepsPerEpoch));
}

/** Rows per forward pass of predictClasses. */
const PREDICT_ROWS = 512;

/** The class the model picks for each row of an [m, dim] row-major array (for decision-region plots). */
// NOTE: the rows go through the model PREDICT_ROWS at a time: a 120 × 120 grid in one batch makes
// activations of 3.7 MB each, and fresh memory of that size costs more to map and zero than the products
// cost (measured: 45–90 ms a plot in one batch right after training, 5–7 ms in chunks). Each row's
// class is the same either way: a row's logits do not depend on the rows beside it.
export function predictClasses(model: MLP, x: Float64Array): Int32Array {
  const dim = model.sizes[0];
  const classes = model.sizes[model.sizes.length - 1];
  const m = x.length / dim;
  const predicted = new Int32Array(m);
  for (let start = 0; start < m; start += PREDICT_ROWS) {
    const rows = Math.min(PREDICT_ROWS, m - start);
    const chunk = x.subarray(start * dim, (start + rows) * dim);
    const logits = noGrad(() => model.forward(tensor(chunk, { shape: [rows, dim] })));
    predicted.set(argmaxRows(logits.data, rows, classes), start);
  }
  return predicted;
}

/** Runs a generator such as trainSteps to its end and returns its result. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

interface Evaluation {
  loss: number;
  logits: Tensor;
  probs: Float64Array;
  predictions: Int32Array;
  report: ClassificationReport;
}

// The objective on a whole part of the data, and the logits it was computed from (no gradient).
function lossOn(model: MLP, data: Dataset, lossFn: LossFn, diverged: () => never): { loss: number; logits: Tensor } {
  return noGrad(() => {
    const logits = model.forward(tensor(data.x, { shape: [data.n, data.dim] }));
    if (!logits.data.every(Number.isFinite)) diverged();
    return { loss: lossFn(logits, data.y).item(), logits };
  });
}

function evaluate(model: MLP, data: Dataset, lossFn: LossFn, diverged: () => never): Evaluation {
  const { loss, logits } = lossOn(model, data, lossFn, diverged);
  return noGrad(() => {
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
