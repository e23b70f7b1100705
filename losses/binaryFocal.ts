// The sigmoid (binary) focal loss: torchvision's semantics, with kornia's weights and ignoreIndex and Keras' label smoothing.
import { type Tensor, checkOptions, describeValue, tensor, withScope } from '../engine/index.js';
import { modulatingFactor } from './focalTerms.js';
import { checkGamma, checkTensor, readBinaryLabels } from './inputs.js';
import { lossRecord } from './record.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';
import { type SampleWeight, broadcastWeight, readSampleWeight, weighTerms, withoutIgnored } from './weights.js';

/** Options of {@link binaryFocalLoss}: torchvision.ops.sigmoid_focal_loss's, with kornia's and Keras' additions. */
export interface BinaryFocalLossOptions {
  /** γ ≥ 0 */
  gamma?: number;
  /** α ∈ [0, 1] weights positives (1 − α negatives); a negative α turns the weighting off */
  alpha?: number;
  /** p_c, the weight of the positive term (kornia's pos_weight): a Tensor that broadcasts to the input, or a number[] over its last axis */
  posWeight?: Tensor | readonly number[];
  /** a weight per element (kornia's weight): a Tensor that broadcasts to the input, or a number[] over its last axis */
  weight?: Tensor | readonly number[];
  /** y ← y·(1 − ls) + ls/2, as Keras smooths binary labels */
  labelSmoothing?: number;
  /** elements whose target is this value are left out, as kornia's ignore_index (value and gradient 0) */
  ignoreIndex?: number;
  /** a weight per sample (first axis) or per element, as Keras' sample_weight */
  sampleWeight?: SampleWeight;
  reduction?: Reduction;
}

const KEYS = ['gamma', 'alpha', 'posWeight', 'weight', 'labelSmoothing', 'ignoreIndex', 'sampleWeight', 'reduction'] as const;

// −[y log p + (1 − y) log(1 − p)] = y·softplus(−x) + (1 − y)·softplus(x), p = σ(x).
// NOTE: not softplus(x) − x·y (the same for every y): at y = 1 and x = 40 that is 40 + 4e-18 − 40,
// which rounds to 0. Both terms here are ≥ 0, so nothing cancels and every digit is kept.
export function bceWithLogits(x: Tensor, y: Tensor, notY: Tensor): Tensor {
  return y.mul(x.neg().softplus()).add(notY.mul(x.softplus()));
}

/**
 * torchvision.ops.sigmoid_focal_loss: p = σ(x), ce = BCE-with-logits, p_t = p·y + (1 − p)(1 − y),
 * loss = α_t · ce · (1 − p_t)^γ with α_t = α·y + (1 − α)(1 − y) (none when α < 0). Logits of any
 * shape, targets of the same shape in [0, 1]. 'mean' is over all (kept) elements, as in torchvision:
 * every element (an anchor, one label of a multi-label sample) is a sample of its own.
 * posWeight multiplies the positive term y·softplus(−x) and weight the whole term, as kornia's do.
 * @example binaryFocalLoss(tensor([2, -1]), [1, 0], { gamma: 2, alpha: 0.25 })
 */
export function binaryFocalLoss(logits: Tensor, target: Tensor | readonly number[], options: BinaryFocalLossOptions | null = {}): Tensor {
  const name = 'binaryFocalLoss';
  return withScope(name, () => {
    const opts = checkOptions<BinaryFocalLossOptions>(name, options, KEYS);
    const input = checkTensor(name, 'logits', logits);
    const gamma = checkGamma(name, opts.gamma ?? 2);
    const alpha = opts.alpha ?? 0.25;
    if (typeof alpha !== 'number' || !(alpha <= 1)) {
      throw new Error(`${name}: alpha must be a number ≤ 1 (in [0, 1], or negative for no weighting), got ${describeValue(alpha)}`);
    }
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const { y, keep, count } = readBinaryLabels(name, input, target, opts);
    const sampleWeight = readSampleWeight(name, opts.sampleWeight, input.shape);
    const x = withoutIgnored(input, keep, 0);
    const notY = y.neg().add(1);
    const positive = opts.posWeight === undefined ? y : y.mul(broadcastWeight(name, 'posWeight', opts.posWeight, x));
    let loss = bceWithLogits(x, positive, notY); //                                     ce, p_c on the positive term
    if (gamma !== 0) loss = loss.mul(modulatingFactor(binaryScores(x, y, notY), gamma)); // · (1 − p_t)^γ
    if (alpha >= 0) loss = loss.mul(y.mul(alpha).add(notY.mul(1 - alpha))); //            · α_t
    if (opts.weight !== undefined) loss = loss.mul(broadcastWeight(name, 'weight', opts.weight, x));
    if (keep !== null) loss = loss.mul(tensor(keep, { shape: [...x.shape] }));
    return reduce(weighTerms(loss, sampleWeight), reduction, count);
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

// 1 − p_t = p·(1 − y) + (1 − p)·y, with 1 − p = σ(−x): no cancellation when p_t is near 1. With
// targets of exactly 0 or 1 it is σ(−x_t), x_t = x·(2y − 1), so log(1 − p_t) = log σ(−x_t) exactly.
function binaryScores(x: Tensor, y: Tensor, notY: Tensor) {
  const hard = y.data.every((v) => v === 0 || v === 1);
  return {
    oneMinusP: () => x.sigmoid().mul(notY).add(x.neg().sigmoid().mul(y)),
    logOneMinusP: hard ? () => x.mul(notY.sub(y)).logSigmoid() : null,
  };
}
