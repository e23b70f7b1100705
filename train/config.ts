// A training run's configuration: its fields and defaults, and prepareRun, which checks a partial config and builds the split, loss, model and optimiser once.
import { type Rng, noGrad, rng as makeRng, zeros } from '../engine/index.js';
import { checkOptions } from '../engine/checks.js';
import { describeValue } from '../engine/format.js';
import { type ClassLogitsLossName, type Gamma, classWeights } from '../losses/index.js';
import { MLP, type Activation, type Optimizer } from '../models/index.js';
import { checkDataset, classCounts, type Dataset, type Standardization } from './data.js';
import { DATASETS, LOSSES, type LossFn, type LossSpec, OPTIMIZERS, describeOption, lookup } from './registry.js';
import { type TrainSplit, carveValidation, concatRows, selectRows, splitRows, splitStandardized } from './split.js';

/** A scale, one weight per class, or weights computed from the training split's class counts. */
export type AlphaSpec = number | readonly number[] | 'inverse' | 'effective';

/** Everything a training run depends on. train() takes any part of it over defaultConfig. */
export interface TrainConfig {
  /** A built-in dataset's name (see DATASETS) or a Dataset (fromRows, readCsv), split here and standardised. */
  data: string | Dataset;
  /** Samples of a built-in dataset over all parts. */
  n: number;
  /** Relative class sizes of a built-in dataset, one per class. */
  ratios: readonly number[];
  /** The share of each class that goes to the validation part (early stopping, model selection); 0: none. */
  valFraction: number;
  /** The share of each class that goes to the test part (ignored with folds). */
  testFraction: number;
  /** Stratified K-fold: the test part is fold `fold` of `folds` (null: a random test part of testFraction). */
  folds: number | null;
  /** Which fold is the test part, 0 … folds − 1 (with folds). */
  fold: number;
  /** A loss name, one of LOSSES (every loss of losses/ on class logits: 'ce', 'focal', 'focal-star'); a typo is a type error. */
  loss: ClassLogitsLossName;
  /** Focusing parameter of the focal losses: a number, or 'flsd53' (focalLoss only). */
  gamma: Gamma;
  /** null: no class weighting. */
  alpha: AlphaSpec | null;
  /** Hidden layer sizes; [] is a linear model (multinomial logistic regression). */
  hidden: readonly number[];
  activation: Activation;
  /** An optimizer name (see OPTIMIZERS). */
  optimizer: string;
  /** Learning rate; when a partial config leaves it out, the optimizer's default (0.005 for adam, 0.1 for sgd). */
  lr: number;
  /** Weight decay λ: decoupled (AdamW's θ ← θ·(1 − lr·λ)) for adam, added to the gradient for sgd. */
  weightDecay: number;
  /** The epoch budget (early stopping may end the run sooner); 'auto': at least MIN_AUTO_EPOCHS epochs and at least minSteps optimizer steps. */
  epochs: number | 'auto';
  /** With epochs 'auto', the least number of optimizer steps a run is given: a small table's epochs are only a step or two each. */
  minSteps: number;
  /**
   * Early stopping: epochs without a lower validation loss before the run stops (best weights restored);
   * 'auto': at least 10 epochs and at least PATIENCE_STEPS optimizer steps; null: never stop early.
   */
  patience: number | 'auto' | null;
  /**
   * After early stopping, train again from the same initial weights on train + validation for the epochs
   * early stopping kept (scikit-learn's GridSearchCV refit=True, a Keras user's second fit): the model and
   * the test metrics are the refit's, the validation metrics the early-stopped run's (what selection reads).
   */
  refit: boolean;
  batch: number;
  seed: number;
}

/**
 * The defaults of every field: blobs 85 : 12 : 3, 5000 samples, a 60 / 20 / 20 stratified split, MLP 32-32
 * ReLU, Adam lr 0.005, batch 128, at least 30 epochs and 3000 steps, early stopping after at least 10 epochs
 * and 300 steps without a better validation loss (docs/experiments.md says how these were measured). The CLI and the playground start from these too.
 */
export const defaultConfig: Readonly<TrainConfig> = Object.freeze({
  data: 'blobs',
  n: 5000,
  ratios: Object.freeze([0.85, 0.12, 0.03]),
  valFraction: 0.2,
  testFraction: 0.2,
  folds: null,
  fold: 0,
  loss: 'focal',
  gamma: 2,
  alpha: null,
  hidden: Object.freeze([32, 32]),
  activation: 'relu',
  optimizer: 'adam',
  lr: OPTIMIZERS.adam.defaultLr,
  weightDecay: 0,
  epochs: 'auto',
  minSteps: 3000,
  patience: 'auto',
  refit: false,
  batch: 128,
  seed: 0,
});

const CONFIG_KEYS = Object.keys(defaultConfig) as (keyof TrainConfig)[];
// The fields where null is a value of its own rather than "no value".
const NULL_MEANS_SOMETHING: ReadonlySet<keyof TrainConfig> = new Set(['alpha', 'folds', 'patience']);

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
    /** The train, validation and test data (a user's Dataset split and standardised; a built-in one as generated). */
    readonly split: TrainSplit,
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
 * Checks a partial config and builds everything a run needs, once: an unknown key, a name not in a
 * registry, or a value the library rejects is an Error starting with "train:" that names the field.
 * The datasets, losses, MLP and optimisers check their own options; this adds only what is the trainer's.
 */
export function prepareRun(partial: Partial<TrainConfig> = {}): PreparedRun {
  const given = checkOptions<TrainConfig>('train', partial, CONFIG_KEYS);
  // null is no value: it must not become the default silently (γ = 2 recorded as "γ=null"). Where null means
  // something (alpha: unweighted, folds: none, patience: never stop), it is kept.
  for (const key of CONFIG_KEYS) {
    if (!NULL_MEANS_SOMETHING.has(key) && given[key] === null) throw new Error(`train: ${key} got null; leave it out for the default (${describeOption(defaultConfig[key])})`);
  }
  const lrDefault = OPTIMIZERS[String(given.optimizer ?? defaultConfig.optimizer)]?.defaultLr ?? defaultConfig.lr;
  const dataDefaults = typeof given.data === 'string' && Object.hasOwn(DATASETS, given.data) ? DATASETS[given.data].defaults : undefined;
  const config: TrainConfig = { ...defaultConfig, lr: lrDefault, ...dataDefaults, ...stripUndefined(given) };
  const lossSpec = lookup(LOSSES, 'loss', config.loss);
  for (const option of ['gamma', 'alpha'] as const) {
    if (given[option] !== undefined && !lossSpec.options.includes(option)) {
      throw new Error(`train: ${option} does not apply to loss '${lossSpec.name}' (it reads ${lossSpec.options.join(', ') || 'no options'})`);
    }
  }
  lookup(OPTIMIZERS, 'optimizer', config.optimizer);
  if (config.epochs !== 'auto' && (!Number.isSafeInteger(config.epochs) || config.epochs <= 0)) {
    throw new Error(`train: epochs must be a positive integer or 'auto', got ${describeValue(config.epochs)}`);
  }
  if (!Number.isSafeInteger(config.batch) || config.batch <= 0) throw new Error(`train: batch must be a positive integer, got ${describeValue(config.batch)}`);
  if (!Number.isSafeInteger(config.minSteps) || config.minSteps < 0) throw new Error(`train: minSteps must be an integer ≥ 0, got ${describeValue(config.minSteps)}`);
  if (config.patience !== null && config.patience !== 'auto' && (!Number.isSafeInteger(config.patience) || config.patience <= 0)) {
    throw new Error(`train: patience must be a positive integer (epochs), 'auto' or null (no early stopping), got ${describeValue(config.patience)}`);
  }
  if (config.patience !== null && given.patience !== undefined && config.valFraction === 0) {
    throw new Error('train: patience needs a validation part to watch (valFraction > 0), or set patience to null');
  }
  if (typeof config.refit !== 'boolean') throw new Error(`train: refit must be true or false, got ${describeValue(config.refit)}`);
  if (config.refit && (config.valFraction === 0 || config.patience === null)) {
    throw new Error('train: refit trains again for the epochs early stopping kept: it needs a validation part (valFraction > 0) and patience');
  }
  if (!Number.isFinite(config.weightDecay) || config.weightDecay < 0) throw new Error(`train: weightDecay must be a finite number ≥ 0, got ${describeValue(config.weightDecay)}`);
  if (!Number.isSafeInteger(config.seed)) throw new Error(`train: seed must be an integer, got ${describeValue(config.seed)}`);
  if (!Array.isArray(config.hidden)) throw new Error(`train: hidden must be an array of layer sizes ([] for a linear model), got ${describeValue(config.hidden)}`);

  const seeds = deriveSeeds(config.seed);
  const { split, standardization } = field('data', config.data, () => makeSplit(config, given, seeds.data, false));
  return build(config, split, standardization, seeds);
}

/**
 * The second fit of config.refit: the same config and split, trained on train + validation (a user's table
 * standardised again with their statistics) for `epochs` epochs without early stopping, from the same
 * initial weights and batch-order seed; α from the merged counts. The test part is the same rows.
 */
export function prepareRefit(run: PreparedRun, epochs: number): PreparedRun {
  const config: TrainConfig = { ...run.config, epochs, patience: null, refit: false };
  const seeds = deriveSeeds(config.seed);
  const { split, standardization } = makeSplit(config, {}, seeds.data, true);
  return build(config, split, standardization, seeds);
}

// Everything after the split: counts, α, the loss, the model and the optimiser, each failure named by its field.
function build(config: TrainConfig, split: TrainSplit, standardization: Standardization | null, seeds: ReturnType<typeof deriveSeeds>): PreparedRun {
  const lossSpec = lookup(LOSSES, 'loss', config.loss);
  const optimizerSpec = lookup(OPTIMIZERS, 'optimizer', config.optimizer);
  const trainCounts = classCounts(split.train.y, split.train.numClasses);
  const alpha = field('alpha', config.alpha, () => resolveAlpha(config.alpha, trainCounts));
  checkAlpha(alpha, split.train.numClasses);
  const lossFn = field('loss', config.loss, () => probedLoss(lossSpec, config.gamma, alpha, split.train.numClasses));
  const model = field('hidden/activation', config.hidden, () =>
    new MLP([split.train.dim, ...config.hidden, split.train.numClasses], { activation: config.activation, rng: makeRng(seeds.init) }),
  );
  const optimizer = field('lr', config.lr, () => optimizerSpec.build(model.parameters(), { lr: config.lr, weightDecay: config.weightDecay }));
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

// Runs `build`; a library Error is passed on with the trainer's name and the field in front of it.
function field<T>(name: string, value: unknown, build: () => T): T {
  try {
    return build();
  } catch (error) {
    const message = (error as Error).message;
    if (message.startsWith('train: ')) throw error;
    const shown = typeof value === 'object' && value !== null && !Array.isArray(value) ? '' : ` ${describeOption(value)}`;
    throw new Error(`train: ${name}${shown}: ${message}`);
  }
}

// A built-in dataset is generated already split train/test (its seed draws the points), a user's is split
// here and standardised with the training part's statistics; either way validation comes out of the rest.
// With `merge` (a refit) the validation rows join the training part, and a user's table is standardised with
// the statistics of both, as a scikit-learn pipeline refitted on them would be.
function makeSplit(config: TrainConfig, given: Partial<TrainConfig>, seed: number, merge: boolean): { split: TrainSplit; standardization: Standardization | null } {
  const { valFraction, testFraction, folds, fold } = config;
  const merged = (split: TrainSplit): TrainSplit => (merge && split.val !== null ? { train: concatRows(split.train, split.val), val: null, test: split.test } : split);
  if (typeof config.data === 'string') {
    const spec = lookup(DATASETS, 'data', config.data);
    const generated = spec.build({ n: config.n, ratios: config.ratios, seed, testFraction });
    if (folds === null) return { split: merged(carveValidation(generated, valFraction, testFraction, seed)), standardization: null };
    // K-fold over a built-in dataset: the generated points made whole again, then dealt into folds.
    const whole = concatRows(generated.train, generated.test);
    const rows = splitRows(whole.y, whole.numClasses, { valFraction, testFraction, seed, folds, fold }, whole.classNames);
    const val = rows.val.length > 0 ? selectRows(whole, rows.val) : null;
    return { split: merged({ train: selectRows(whole, rows.train), val, test: selectRows(whole, rows.test) }), standardization: null };
  }
  const data = checkDataset('train', config.data);
  for (const key of ['n', 'ratios'] as const) {
    if (given[key] !== undefined) throw new Error(`train: ${key} applies to the built-in datasets only, not to a Dataset`);
  }
  const standardized = splitStandardized(data, { valFraction, testFraction, seed, folds, fold }, merge);
  return { split: standardized.split, standardization: standardized.stats };
}

// α as the user wrote it, checked before the loss turns it into something else (crossEntropy's weight).
function checkAlpha(alpha: number | number[] | null, numClasses: number): void {
  const values = alpha === null ? [] : typeof alpha === 'number' ? [alpha] : alpha;
  if (Array.isArray(alpha) && alpha.length !== numClasses) throw new Error(`train: alpha must hold one weight per class (${numClasses}), got ${describeValue(alpha)}`);
  const bad = values.findIndex((a) => !(typeof a === 'number' && Number.isFinite(a) && a >= 0));
  if (bad !== -1) throw new Error(`train: alpha${Array.isArray(alpha) ? `[${bad}]` : ''} must be a finite number ≥ 0, got ${describeValue(values[bad])}`);
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

