// The sigmoid (binary) focal loss with torchvision's semantics.
import { type Tensor, checkOptions, describeValue, withScope } from '../engine/index.js';
import { modulatingFactor } from './focalTerms.js';
import { checkTensor, readBinaryTargets } from './inputs.js';
import { lossRecord } from './record.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';

/** Options of {@link binaryFocalLoss}, torchvision.ops.sigmoid_focal_loss's. */
export interface BinaryFocalLossOptions {
  /** γ ≥ 0 */
  gamma?: number;
  /** α ∈ [0, 1] weights positives (1 − α negatives); a negative α turns the weighting off */
  alpha?: number;
  reduction?: Reduction;
}

const KEYS = ['gamma', 'alpha', 'reduction'] as const;

// −[y log p + (1 − y) log(1 − p)] = y·softplus(−x) + (1 − y)·softplus(x), p = σ(x).
// NOTE: not softplus(x) − x·y (the same for every y): at y = 1 and x = 40 that is 40 + 4e-18 − 40,
// which rounds to 0. Both terms here are ≥ 0, so nothing cancels and every digit is kept.
export function bceWithLogits(x: Tensor, y: Tensor, notY: Tensor): Tensor {
  return y.mul(x.neg().softplus()).add(notY.mul(x.softplus()));
}

/**
 * torchvision.ops.sigmoid_focal_loss: p = σ(x), ce = BCE-with-logits, p_t = p·y + (1 − p)(1 − y),
 * loss = α_t · ce · (1 − p_t)^γ with α_t = α·y + (1 − α)(1 − y) (none when α < 0). Logits of any
 * shape, targets of the same shape in [0, 1]. 'mean' is over all elements, as in torchvision:
 * every element (an anchor, one label of a multi-label sample) is a sample of its own.
 * @example binaryFocalLoss(tensor([2, -1]), [1, 0], { gamma: 2, alpha: 0.25 })
 */
export function binaryFocalLoss(logits: Tensor, target: Tensor | readonly number[], options: BinaryFocalLossOptions | null = {}): Tensor {
  const name = 'binaryFocalLoss';
  return withScope(name, () => {
    const opts = checkOptions<BinaryFocalLossOptions>(name, options, KEYS);
    const x = checkTensor(name, 'logits', logits);
    const gamma = opts.gamma ?? 2;
    if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) {
      throw new Error(`${name}: gamma must be a finite number ≥ 0, got ${describeValue(gamma)}`);
    }
    const alpha = opts.alpha ?? 0.25;
    if (typeof alpha !== 'number' || !(alpha <= 1)) {
      throw new Error(`${name}: alpha must be a number ≤ 1 (in [0, 1], or negative for no weighting), got ${describeValue(alpha)}`);
    }
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const y = readBinaryTargets(name, x, target, false);
    const notY = y.neg().add(1);
    let loss = bceWithLogits(x, y, notY);
    if (gamma !== 0) {
      // 1 − p_t = p·(1 − y) + (1 − p)·y, with 1 − p = σ(−x): no cancellation when p_t is near 1.
      const oneMinusPt = x.sigmoid().mul(notY).add(x.neg().sigmoid().mul(y));
      loss = loss.mul(modulatingFactor(oneMinusPt, gamma));
    }
    if (alpha >= 0) loss = loss.mul(y.mul(alpha).add(notY.mul(1 - alpha)));
    return reduce(loss, reduction, x.size);
  });
}

/** binaryFocalLoss's record (losses/record.ts). */
export const binaryFocalLossRecord = lossRecord({
  name: 'binary',
  fn: binaryFocalLoss,
  keys: KEYS,
  input: 'binary-logits',
  semantics: 'torchvision.ops.sigmoid_focal_loss',
  description: 'sigmoid focal loss α_t · BCE · (1 − p_t)^γ per element (torchvision’s sigmoid_focal_loss)',
  label: 'binary focal',
});
