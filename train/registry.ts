// One registry per kind — losses, optimizers, datasets: name, description, the options each reads and how to build it.
// The CLI's flags and help, the config checks, the report's labels and the playground's menus are derived from these.
import type { Tensor } from '../engine/index.js';
import { type Gamma, crossEntropy, focalLoss, focalLossStar } from '../losses/index.js';
import { Adam, AdamW, type Optimizer, SGD } from '../models/index.js';
import { imbalancedBlobs, spirals, type Split } from './data.js';

/** A mean-reduced objective over a batch: logits [b, K] and class indices [b]. */
export type LossFn = (logits: Tensor, target: Int32Array) => Tensor;

/** The config options a loss may read (each is checked by the loss itself, in losses/). */
export type LossOption = 'gamma' | 'alpha';

/** One entry of LOSSES. */
export interface LossSpec {
  /** The name used in configs, flags and menus. */
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
  build(options: { n: number; ratios: readonly number[]; seed: number; testFraction: number }): Split;
}

// The β of FL* (the paper's appendix A shifts the logit by β before the sigmoid).
const FOCAL_STAR_BETA = 1;
// Heavy-ball momentum for the sgd entry.
const SGD_MOMENTUM = 0.9;

/** The losses the trainer knows, by name. Adding a loss is one entry here. */
export const LOSSES: Readonly<Record<string, LossSpec>> = {
  ce: {
    name: 'ce',
    description: 'cross-entropy (α: PyTorch’s per-class weight, or a scale)',
    options: ['alpha'],
    label: () => 'cross-entropy',
    build: ({ alpha }) => {
      // A per-class α becomes crossEntropy's weight (PyTorch's weighted mean); a scalar α only scales.
      if (Array.isArray(alpha)) return (logits, target) => crossEntropy(logits, target, { weight: alpha });
      if (typeof alpha === 'number') return (logits, target) => crossEntropy(logits, target).mul(alpha);
      return (logits, target) => crossEntropy(logits, target);
    },
  },
  focal: {
    name: 'focal',
    description: 'softmax focal loss −α_t (1 − p_t)^γ log p_t (Lin et al. 2017); γ may be flsd53',
    options: ['gamma', 'alpha'],
    label: (gamma) => `focal γ=${gamma}`,
    build: ({ gamma, alpha }) =>
      alpha === null ? (logits, target) => focalLoss(logits, target, { gamma }) : (logits, target) => focalLoss(logits, target, { gamma, alpha }),
  },
  'focal-star': {
    name: 'focal-star',
    description: 'FL* = −log σ(γ·x_t + 1)/γ, the paper’s appendix A (γ > 0)',
    options: ['gamma', 'alpha'],
    label: (gamma) => `focal* γ=${gamma}`,
    // focalLossStar weights each sample by its class's α, then takes the mean over samples, as focalLoss does.
    build: ({ gamma, alpha }) => {
      const g = gamma as number;
      return alpha === null
        ? (logits, target) => focalLossStar(logits, target, { gamma: g, beta: FOCAL_STAR_BETA })
        : (logits, target) => focalLossStar(logits, target, { gamma: g, beta: FOCAL_STAR_BETA, alpha });
    },
  },
};

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
};

/** The entry of `name` in `registry`, or an Error naming the field and listing the names there are. */
export function lookup<T>(registry: Readonly<Record<string, T>>, field: string, name: unknown): T {
  if (typeof name === 'string' && Object.hasOwn(registry, name)) return registry[name];
  const names = Object.keys(registry).map((k) => `'${k}'`).join(', ');
  throw new Error(`train: ${field} must be one of ${names}, got ${typeof name === 'string' ? `'${name}'` : String(name)}`);
}
