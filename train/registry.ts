// One registry per kind — losses, optimizers, datasets: name, description, the options each reads and how to build it.
// The CLI's flags and help, the config checks, the report's labels and the playground's menus are derived from these.
import type { Tensor } from '../engine/index.js';
import { describeValue } from '../engine/format.js';
import { type ClassLogitsLossName, type Gamma, LOSS_RECORDS, type LossRecord } from '../losses/index.js';
import { Adam, AdamW, type Optimizer, SGD } from '../models/index.js';
import { imbalancedBlobs, spirals, type Split } from './data.js';
import { NEEDLES_DEFAULTS, needles } from './needles.js';

/** A mean-reduced objective over a batch: logits [b, K] and class indices [b]. */
export type LossFn = (logits: Tensor, target: Int32Array) => Tensor;

/** The config options a loss may read (each is checked by the loss itself, in losses/). */
export type LossOption = 'gamma' | 'alpha';

/** One entry of LOSSES: a loss record of losses/, as the trainer builds it. */
export interface LossSpec {
  /** The name used in configs, flags and menus (for a loss of losses/, its record's). */
  name: string;
  /** One line for --help and the playground. */
  description: string;
  /** The config options this loss reads; setting another is an Error. */
  options: readonly LossOption[];
  /** A short label for tables, legends and titles, e.g. "focal γ=2". */
  label(gamma: Gamma): string;
  /** The objective; `alpha` is already resolved to numbers (null: unweighted). */
  build(options: { gamma: Gamma; alpha: number | number[] | null }): LossFn;
}

/** One entry of OPTIMIZERS. */
export interface OptimizerSpec {
  name: string;
  description: string;
  /** The learning rate used when the config gives none. */
  defaultLr: number;
  /** The optimizer over `params`; weightDecay is the trainer's (decoupled for adam, L2 for sgd). */
  build(params: Tensor[], options: { lr: number; weightDecay: number }): Optimizer;
}

/** One entry of DATASETS: a built-in synthetic dataset, split stratified. */
export interface DatasetSpec {
  name: string;
  description: string;
  /** The n and ratios a config that leaves them out gets for this dataset (else defaultConfig's), as an optimizer has its lr. */
  defaults?: { n: number; ratios: readonly number[] };
  build(options: { n: number; ratios: readonly number[]; seed: number; testFraction: number }): Split;
}

// Heavy-ball momentum for the sgd entry.
const SGD_MOMENTUM = 0.9;

/**
 * The losses the trainer knows, by name: every loss of losses/ whose input is class logits with class-index
 * targets (LOSS_RECORDS), in its order. Adding a loss to losses/ adds it here.
 */
export const LOSSES: Readonly<Record<string, LossSpec>> = Object.fromEntries(
  LOSS_RECORDS.filter((r): r is Extract<(typeof LOSS_RECORDS)[number], { input: 'logits' }> => r.input === 'logits').map((r) => [r.name, trainerLoss(r)]),
);

// A record as the trainer builds it: the config's γ and α become the loss's options.
function trainerLoss(record: LossRecord<ClassLogitsLossName>): LossSpec {
  const takes = (key: string): boolean => record.keys.includes(key);
  const options = (['gamma', 'alpha'] as const).filter((o) => takes(o) || (o === 'alpha' && takes('weight')));
  return {
    name: record.name,
    description: record.description,
    options,
    label: (gamma) => (takes('gamma') ? `${record.label} γ=${gamma}` : record.label),
    build: ({ gamma, alpha }) => {
      const given: Record<string, unknown> = takes('gamma') ? { gamma } : {};
      // α is the loss's own `alpha`; a loss without one (crossEntropy) takes a per-class α as its `weight`
      // (PyTorch's weighted mean), and a number only scales it.
      if (alpha !== null && takes('alpha')) given.alpha = alpha;
      else if (Array.isArray(alpha)) given.weight = alpha;
      else if (typeof alpha === 'number') return (logits, target) => record.fn(logits, target, given).mul(alpha);
      return (logits, target) => record.fn(logits, target, given);
    },
  };
}

/** The optimizers the trainer knows, by name. */
export const OPTIMIZERS: Readonly<Record<string, OptimizerSpec>> = {
  adam: {
    name: 'adam',
    description: 'Adam, torch.optim defaults (β 0.9, 0.999); weight decay decoupled (AdamW)',
    defaultLr: 0.005,
    // NOTE: AdamW with λ = 0 would be Adam to the bit (θ·(1 − lr·0) = θ); Adam is built then, so that its messages say Adam.
    build: (params, { lr, weightDecay }) => (weightDecay > 0 ? new AdamW(params, { lr, weightDecay }) : new Adam(params, { lr })),
  },
  sgd: {
    name: 'sgd',
    description: `SGD with momentum ${SGD_MOMENTUM}`,
    defaultLr: 0.1,
    build: (params, { lr, weightDecay }) => new SGD(params, { lr, momentum: SGD_MOMENTUM, weightDecay }),
  },
};

/** The built-in datasets, by name (a user's data comes in as a Dataset: fromRows, readCsv). */
export const DATASETS: Readonly<Record<string, DatasetSpec>> = {
  blobs: {
    name: 'blobs',
    description: 'overlapping Gaussian blobs in 2-D, one per ratio',
    build: (options) => imbalancedBlobs(options),
  },
  spirals: {
    name: 'spirals',
    description: 'interleaved spiral arms in 2-D, one per ratio',
    build: (options) => spirals(options),
  },
  needles: {
    name: 'needles',
    description: 'focal loss’s regime: rare tight clusters (1 : 100) in a mass of easy background points, some hard ones around each cluster',
    defaults: { n: NEEDLES_DEFAULTS.n, ratios: NEEDLES_DEFAULTS.ratios },
    build: (options) => needles(options),
  },
};

/** The entry of `name` in `registry`, or an Error naming the field and listing the names there are. */
export function lookup<T>(registry: Readonly<Record<string, T>>, field: string, name: unknown): T {
  if (typeof name === 'string' && Object.hasOwn(registry, name)) return registry[name];
  const names = Object.keys(registry).map((k) => `'${k}'`).join(', ');
  throw new Error(`train: ${field} must be one of ${names}, got ${describeOption(name)}`);
}

/** A value as the trainer's messages print it: a name in single quotes, as its lists of names are ('ce', 'focal'); anything else as describeValue prints it. */
export function describeOption(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : describeValue(value);
}
