// FL*, the focal loss variant of Lin et al. 2017, appendix A: the logit is reshaped instead of the loss.
import { describeValue } from '../engine/checks.js';
import { type Tensor, oneHot } from '../engine/index.js';
import { formatShape } from '../engine/shape.js';
import { softplus } from './binaryFocal.js';
import { type Reduction, type Target, checkReduction, checkTensor, readBinaryTargets, readLabels, reduce, rowConstant } from './targets.js';

export interface FocalLossStarOptions {
  /** γ > 0 */
  gamma?: number;
  /** the shift β */
  beta?: number;
  /** for class-index targets */
  ignoreIndex?: number;
  reduction?: Reduction;
}

// FL* = −log σ(γ·x_t + β) / γ = softplus(−(γ·x_t + β)) / γ, with x_t = y*·x and y* = 2y − 1 = ±1.
// Two shapes of input:
// - binary: logits [N], targets 0 or 1 of shape [N]; one loss per element;
// - multi-class: logits [N, C] with class indices (or [N, C] rows of 0 and 1), taken one-vs-all:
//   class c is a binary problem with y = 1 for the sample's class, and a sample's loss is the sum
//   over its C classes, as the softmax losses sum over classes. So 'mean' divides by the number of
//   (kept) samples, not by N·C as binaryFocalLoss (torchvision) does for its elements.
export function focalLossStar(logits: Tensor, target: Target, options: FocalLossStarOptions = {}): Tensor {
  const name = 'focalLossStar';
  const x = checkTensor(name, 'logits', logits);
  const { gamma = 2, beta = 1 } = options;
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma <= 0) {
    throw new Error(`${name}: gamma must be a finite number > 0 (FL* divides by it), got ${describeValue(gamma)}`);
  }
  if (typeof beta !== 'number' || !Number.isFinite(beta)) throw new Error(`${name}: beta must be a finite number, got ${describeValue(beta)}`);
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  const flStar = (y: Tensor): Tensor => softplus(x.mul(y.mul(2).sub(1)).mul(-gamma).sub(beta)).div(gamma);
  if (x.ndim === 1) return reduce(flStar(readBinaryTargets(name, x, target, true)), reduction, x.size);
  if (x.ndim !== 2) {
    throw new Error(`${name}: logits must be [N] (binary) or [N, C] (one-vs-all over C classes), got shape ${formatShape(x.shape)}`);
  }
  const labels = readLabels(name, x, target, { ignoreIndex: options.ignoreIndex });
  const rows = labels.rows === null ? oneHot(labels.index, labels.classes) : readBinaryTargets(name, x, labels.rows, true);
  const perSample = flStar(rows).sum(-1);
  return reduce(labels.keep === null ? perSample : perSample.mul(rowConstant(labels.keep)), reduction, labels.count);
}
