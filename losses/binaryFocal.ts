// The sigmoid (binary) focal loss with torchvision's semantics, and the softplus both sigmoid losses use.
import { describeValue } from '../engine/checks.js';
import { type Tensor, tensor } from '../engine/index.js';
import { modulatingFactor } from './focalTerms.js';
import { type Reduction, checkGamma, checkReduction, checkTensor, readBinaryTargets, reduce } from './targets.js';

const PAIR = tensor([1, 0]);

// softplus(x) = log(1 + eˣ), as logsumexp over the pair [x, 0]: stable at ±1e4 (it is
// max(x, 0) + log(1 + e^−|x|) inside), and smooth, its gradient σ(x) everywhere.
// NOTE: not relu(x) + log(1 + exp(−abs(x))): composed that way, the gradient at x = 0 comes out as
// relu'(0) + 0 = 0 instead of σ(0) = ½, and logits of exactly 0 (a zero-initialised layer) are common.
export function softplus(x: Tensor): Tensor {
  return x.reshape([...x.shape, 1]).mul(PAIR).logsumexp(-1);
}

export interface BinaryFocalLossOptions {
  /** γ ≥ 0 */
  gamma?: number;
  /** α ∈ [0, 1] weights positives (1 − α negatives); a negative α turns the weighting off */
  alpha?: number;
  reduction?: Reduction;
}

// torchvision.ops.sigmoid_focal_loss: p = σ(x), ce = BCE-with-logits, p_t = p·y + (1 − p)(1 − y),
// loss = α_t · ce · (1 − p_t)^γ with α_t = α·y + (1 − α)(1 − y) (none when α < 0). Logits of any
// shape, targets of the same shape in [0, 1]. 'mean' is over all elements, as in torchvision:
// every element (an anchor, one label of a multi-label sample) is a sample of its own.
export function binaryFocalLoss(logits: Tensor, target: Tensor | readonly number[], options: BinaryFocalLossOptions = {}): Tensor {
  const name = 'binaryFocalLoss';
  const x = checkTensor(name, 'logits', logits);
  const gamma = checkGamma(name, options.gamma ?? 2);
  const alpha = options.alpha ?? 0.25;
  if (typeof alpha !== 'number' || !(alpha <= 1)) {
    throw new Error(`${name}: alpha must be a number ≤ 1 (in [0, 1], or negative for no weighting), got ${describeValue(alpha)}`);
  }
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  const y = readBinaryTargets(name, x, target, false);
  const notY = y.neg().add(1);
  const ce = softplus(x).sub(x.mul(y)); // −[y log p + (1 − y) log(1 − p)]
  let loss = ce;
  if (gamma !== 0) {
    // 1 − p_t = p·(1 − y) + (1 − p)·y, with 1 − p = σ(−x): no cancellation when p_t is near 1.
    const oneMinusPt = x.sigmoid().mul(notY).add(x.neg().sigmoid().mul(y));
    loss = ce.mul(modulatingFactor(oneMinusPt, gamma));
  }
  if (alpha >= 0) loss = loss.mul(y.mul(alpha).add(notY.mul(1 - alpha)));
  return reduce(loss, reduction, x.size);
}
