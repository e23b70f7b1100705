// The losses the `focalgrad loss` and `focalgrad vectors` commands know: one entry per --kind, and the
// 17-significant-digit JSON both print.
import { type Tensor, tensor } from '../engine/index.js';
import {
  type BinaryCrossEntropyOptions,
  type BinaryFocalLossOptions,
  type CrossEntropyOptions,
  type FocalLossFromProbsOptions,
  type FocalLossOptions,
  type FocalLossStarOptions,
  type MseLossOptions,
  type Target,
  binaryCrossEntropy,
  binaryFocalLoss,
  crossEntropy,
  focalLoss,
  focalLossFromProbs,
  focalLossStar,
  mseLoss,
} from '../losses/index.js';

export type Kind = 'ce' | 'focal' | 'probs' | 'binary' | 'star' | 'bce' | 'mse';
export type LossOptions = Record<string, unknown>;

export interface KindEntry {
  /** the library function it calls */
  fn: string;
  /** what the input holds */
  input: 'logits' | 'probabilities' | 'predictions';
  /** whether the target is elementwise (a Tensor of the input's shape) rather than class indices or label rows */
  elementwise: boolean;
  /** the option names it takes (the library's), in the order --help lists them */
  options: readonly string[];
  run(input: Tensor, target: Target, options: LossOptions): Tensor;
}

export const KINDS: Record<Kind, KindEntry> = {
  ce: {
    fn: 'crossEntropy',
    input: 'logits',
    elementwise: false,
    options: ['weight', 'labelSmoothing', 'ignoreIndex', 'reduction'],
    run: (x, y, o) => crossEntropy(x, y, o as CrossEntropyOptions),
  },
  focal: {
    fn: 'focalLoss',
    input: 'logits',
    elementwise: false,
    options: ['gamma', 'alpha', 'labelSmoothing', 'ignoreIndex', 'reduction'],
    run: (x, y, o) => focalLoss(x, y, o as FocalLossOptions),
  },
  probs: {
    fn: 'focalLossFromProbs',
    input: 'probabilities',
    elementwise: false,
    options: ['gamma', 'alpha', 'epsilon', 'labelSmoothing', 'ignoreIndex', 'reduction'],
    run: (x, y, o) => focalLossFromProbs(x, y, o as FocalLossFromProbsOptions),
  },
  binary: {
    fn: 'binaryFocalLoss',
    input: 'logits',
    elementwise: true,
    options: ['gamma', 'alpha', 'reduction'],
    run: (x, y, o) => binaryFocalLoss(x, y as Tensor | readonly number[], o as BinaryFocalLossOptions),
  },
  star: {
    fn: 'focalLossStar',
    input: 'logits',
    elementwise: false,
    options: ['gamma', 'beta', 'alpha', 'ignoreIndex', 'reduction'],
    run: (x, y, o) => focalLossStar(x, y, o as FocalLossStarOptions),
  },
  bce: {
    fn: 'binaryCrossEntropy',
    input: 'logits',
    elementwise: true,
    options: ['weight', 'posWeight', 'reduction'],
    run: (x, y, o) => binaryCrossEntropy(x, y as Tensor | readonly number[], o as BinaryCrossEntropyOptions),
  },
  mse: {
    fn: 'mseLoss',
    input: 'predictions',
    elementwise: true,
    options: ['reduction'],
    run: (x, y, o) => mseLoss(x, y as Tensor, o as MseLossOptions),
  },
};

export interface LossResult {
  /** the loss (an array for reduction 'none') */
  loss: number | unknown[];
  /** ∂(sum of the loss)/∂input, in the input's shape */
  grad: unknown;
}

// The loss and the gradient of its sum (its own value unless reduction is 'none') with respect to the input.
export function evaluate(kind: Kind, input: unknown, target: Target, options: LossOptions): LossResult {
  const x = tensor(input as number[], { requiresGrad: true });
  const out = KINDS[kind].run(x, target, options);
  out.sum().backward();
  const grad = (x.grad as Tensor).toArray();
  return { loss: out.ndim === 0 ? out.item() : (out.toArray() as unknown[]), grad };
}

// A number printed with 17 significant digits (enough for any double to read back to the same bits);
// nested arrays of them as JSON arrays.
export function full17(value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`full17: ${value} cannot be written as a JSON number`);
    return Object.is(value, -0) ? '-0.0000000000000000' : value.toPrecision(17);
  }
  if (Array.isArray(value)) return `[${value.map(full17).join(', ')}]`;
  throw new Error(`full17: expected a number or an array of numbers, got ${typeof value}`);
}
