// Binary cross-entropy from logits and the mean squared error, with PyTorch's semantics.
import { Tensor, checkOptions, formatShape, tensor, withScope } from '../engine/index.js';
import { bceWithLogits } from './binaryFocal.js';
import { checkTensor, readBinaryTargets } from './inputs.js';
import { lossRecord } from './record.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';

/** Options of {@link binaryCrossEntropy}, as torch.nn.functional.binary_cross_entropy_with_logits names them. */
export interface BinaryCrossEntropyOptions {
  /** a rescaling weight per element: a Tensor that broadcasts to the input, or a number[] over the last axis */
  weight?: Tensor | readonly number[];
  /** the weight p_c of positive examples, one per entry of the last axis (a number[] or a Tensor) */
  posWeight?: Tensor | readonly number[];
  reduction?: Reduction;
}

const BCE_KEYS = ['weight', 'posWeight', 'reduction'] as const;

/**
 * torch.nn.functional.binary_cross_entropy_with_logits: per element
 * ℓ = −w · [p_c · y · log σ(x) + (1 − y) · log(1 − σ(x))], stable for logits up to ±1e4 and beyond;
 * 'mean' is over all elements, as in PyTorch. Targets in [0, 1], of the logits' shape.
 * @example binaryCrossEntropy(tensor([[2, -1]]), tensor([[1, 0]]), { posWeight: [3, 1] })
 */
export function binaryCrossEntropy(logits: Tensor, target: Tensor | readonly number[], options: BinaryCrossEntropyOptions | null = {}): Tensor {
  const name = 'binaryCrossEntropy';
  return withScope(name, () => {
    const opts = checkOptions<BinaryCrossEntropyOptions>(name, options, BCE_KEYS);
    const x = checkTensor(name, 'logits', logits);
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const y = readBinaryTargets(name, x, target, false);
    const notY = y.neg().add(1);
    // p_c·y·softplus(−x) + (1 − y)·softplus(x): PyTorch's log_weight form, without its cancellation.
    const positive = opts.posWeight === undefined ? y : y.mul(lastAxisWeights(name, 'posWeight', opts.posWeight, x));
    let loss = bceWithLogits(x, positive, notY);
    if (opts.weight !== undefined) loss = loss.mul(broadcastWeight(name, opts.weight, x));
    return reduce(loss, reduction, x.size);
  });
}

/** binaryCrossEntropy's record (losses/record.ts). */
export const binaryCrossEntropyRecord = lossRecord({
  name: 'bce',
  fn: binaryCrossEntropy,
  keys: BCE_KEYS,
  input: 'binary-logits',
  semantics: 'torch.nn.functional.binary_cross_entropy_with_logits',
  description: 'binary cross-entropy from logits, per element (PyTorch’s binary_cross_entropy_with_logits)',
  label: 'binary cross-entropy',
});

/** Options of {@link mseLoss}. */
export interface MseLossOptions {
  reduction?: Reduction;
}

const MSE_KEYS = ['reduction'] as const;

/**
 * torch.nn.functional.mse_loss: (input − target)² per element; 'mean' over all elements. The
 * shapes must be equal (PyTorch broadcasts with a warning; here a mismatch is an Error).
 * @example mseLoss(prediction, tensor([1.5, 2]))
 */
export function mseLoss(input: Tensor, target: Tensor, options: MseLossOptions | null = {}): Tensor {
  const name = 'mseLoss';
  return withScope(name, () => {
    const opts = checkOptions<MseLossOptions>(name, options, MSE_KEYS);
    const x = checkTensor(name, 'input', input);
    const y = checkTensor(name, 'target', target);
    if (x.ndim !== y.ndim || x.shape.some((s, i) => s !== y.shape[i])) {
      throw new Error(`${name}: target has shape ${formatShape(y.shape)} but input has shape ${formatShape(x.shape)} (expected the same shape)`);
    }
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const diff = x.sub(y);
    return reduce(diff.mul(diff), reduction, x.size);
  });
}

/** mseLoss's record (losses/record.ts). */
export const mseLossRecord = lossRecord({
  name: 'mse',
  fn: mseLoss,
  keys: MSE_KEYS,
  input: 'regression',
  semantics: 'torch.nn.functional.mse_loss',
  description: 'mean squared error (PyTorch’s mse_loss)',
  label: 'mean squared error',
});

// One finite weight ≥ 0 per entry of the input's last axis.
function lastAxisWeights(name: string, what: string, value: unknown, x: Tensor): Tensor {
  const last = x.ndim === 0 ? 1 : x.shape[x.ndim - 1];
  const w = value instanceof Tensor ? value : Array.isArray(value) ? tensor(Float64Array.from(value as readonly number[])) : null;
  if (w === null || w.ndim !== 1 || w.size !== last) {
    throw new Error(`${name}: ${what} must be a number[] or a 1-D Tensor of ${last} weights (one per entry of the last axis), got ${w === null ? typeof value : `shape ${formatShape(w.shape)}`}`);
  }
  checkWeights(name, what, w);
  return w;
}

// A weight Tensor that broadcasts to the input (or a number[] over its last axis).
function broadcastWeight(name: string, value: unknown, x: Tensor): Tensor {
  if (!(value instanceof Tensor)) return lastAxisWeights(name, 'weight', value, x);
  const broadcasts = value.ndim <= x.ndim && value.shape.every((s, i) => s === 1 || s === x.shape[x.ndim - value.ndim + i]);
  if (!broadcasts) {
    throw new Error(`${name}: weight of shape ${formatShape(value.shape)} does not broadcast to the logits' shape ${formatShape(x.shape)}`);
  }
  checkWeights(name, 'weight', value);
  return value;
}

function checkWeights(name: string, what: string, w: Tensor): void {
  const bad = w.data.findIndex((v) => !(Number.isFinite(v) && v >= 0));
  if (bad >= 0) throw new Error(`${name}: ${what}[${bad}] must be a finite number ≥ 0, got ${w.data[bad]}`);
}
