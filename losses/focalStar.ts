// FL*, the focal loss variant of Lin et al. 2017, appendix A: the logit is reshaped instead of the loss.
import { type Tensor, checkOptions, describeValue, formatShape, oneHot, withScope } from '../engine/index.js';
import { type Alpha, type Target, checkClassWeights, checkTensor, readBinaryTargets, readLabels, termWeights } from './inputs.js';
import { lossRecord } from './record.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';

/** The shift β of FL* when none is given: 1, as in the paper's appendix A. */
export const FOCAL_STAR_BETA = 1;

/** Options of {@link focalLossStar}. */
export interface FocalLossStarOptions {
  /** γ > 0 */
  gamma?: number;
  /** the shift β (default {@link FOCAL_STAR_BETA}) */
  beta?: number;
  /** binary [N] logits: α ∈ [0, 1] for positives, 1 − α for negatives; multi-class: a number or one
   *  weight per class, each sample weighted by its class's (as focalLoss' α); default: none */
  alpha?: Alpha;
  /** for class-index targets of [N, C] logits (an Error with binary [N] logits) */
  ignoreIndex?: number;
  reduction?: Reduction;
}

const KEYS = ['gamma', 'beta', 'alpha', 'ignoreIndex', 'reduction'] as const;

/**
 * FL* = −log σ(γ·x_t + β) / γ = softplus(−(γ·x_t + β)) / γ, with x_t = y*·x and y* = 2y − 1 = ±1
 * (Lin et al. 2017, appendix A), times α_t when `alpha` is given. Two shapes of input:
 * binary logits [N] with targets 0 or 1 (one loss per element); multi-class logits [N, C] with class
 * indices (or [N, C] rows of 0 and 1), taken one-vs-all: a sample's loss is the sum over its C
 * classes, so 'mean' divides by the number of (kept) samples.
 * @example focalLossStar(logits, [0, 2, 1], { gamma: 2, beta: 1, alpha: [0.25, 1, 1] })
 */
export function focalLossStar(logits: Tensor, target: Target, options: FocalLossStarOptions | null = {}): Tensor {
  const name = 'focalLossStar';
  return withScope(name, () => {
    const opts = checkOptions<FocalLossStarOptions>(name, options, KEYS);
    const x = checkTensor(name, 'logits', logits);
    const { gamma = 2, beta = FOCAL_STAR_BETA } = opts;
    if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma <= 0) {
      throw new Error(`${name}: gamma must be a finite number > 0 (FL* divides by it), got ${describeValue(gamma)}`);
    }
    if (typeof beta !== 'number' || !Number.isFinite(beta)) throw new Error(`${name}: beta must be a finite number, got ${describeValue(beta)}`);
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const flStar = (y: Tensor): Tensor => x.mul(y.mul(2).sub(1)).mul(-gamma).sub(beta).softplus().div(gamma);
    if (x.ndim === 1) {
      if (opts.ignoreIndex !== undefined) {
        throw new Error(`${name}: ignoreIndex applies to class indices of [N, C] logits; binary [N] logits take targets 0 or 1, got ignoreIndex ${describeValue(opts.ignoreIndex)}`);
      }
      const y = readBinaryTargets(name, x, target, true);
      const loss = flStar(y);
      if (opts.alpha === undefined) return reduce(loss, reduction, x.size);
      const alpha = opts.alpha;
      if (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1)) {
        throw new Error(`${name}: alpha for binary logits must be a number in [0, 1], got ${describeValue(alpha)}`);
      }
      return reduce(loss.mul(y.mul(2 * alpha - 1).add(1 - alpha)), reduction, x.size); // α·y + (1 − α)(1 − y)
    }
    if (x.ndim !== 2) {
      throw new Error(`${name}: logits must be [N] (binary) or [N, C] (one-vs-all over C classes), got shape ${formatShape(x.shape)}`);
    }
    const labels = readLabels(name, x, target, { ignoreIndex: opts.ignoreIndex });
    const rows = labels.rows === null ? oneHot(labels.index!, labels.classes) : readBinaryTargets(name, x, labels.rows, true);
    const alpha = opts.alpha === undefined ? null : checkClassWeights(name, 'alpha', opts.alpha, labels.classes);
    const perSample = flStar(rows).sum(-1);
    // Each sample's weight: α of its class (Σ_c y_c α_c for rows of 0 and 1), 0 where ignored.
    const weights = labels.rows === null ? termWeights(labels, alpha) : alpha === null ? null : termWeights(labels, alpha)!.sum(-1);
    return reduce(weights === null ? perSample : perSample.mul(weights), reduction, labels.count);
  });
}

/** focalLossStar's record (losses/record.ts). */
export const focalLossStarRecord = lossRecord({
  name: 'focal-star',
  fn: focalLossStar,
  keys: KEYS,
  input: 'logits',
  semantics: 'lin2017.fl_star',
  description: 'FL* = −log σ(γ·x_t + β)/γ, the paper’s appendix A (γ > 0; β = 1 unless given)',
  label: 'focal*',
});

