// The binary focal loss on probabilities, with Keras' semantics (BinaryFocalCrossentropy, from_logits=False).
import { type Tensor, checkOptions, describeValue, tensor, withScope } from '../engine/index.js';
import { modulatingFactor } from './focalTerms.js';
import { checkEpsilon, checkGamma, checkTensor, checkUnitInterval, readBinaryLabels } from './inputs.js';
import { lossRecord } from './record.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';
import { type SampleWeight, readSampleWeight, weighTerms, withoutIgnored } from './weights.js';

/** Options of {@link binaryFocalLossFromProbs}: Keras' BinaryFocalCrossentropy's, camel-cased. */
export interface BinaryFocalLossFromProbsOptions {
  /** γ ≥ 0 (Keras: 2) */
  gamma?: number;
  /** α ∈ [0, 1] for positives, 1 − α for negatives; default none (Keras: apply_class_balancing=False) */
  alpha?: number;
  /** y ← y·(1 − ls) + ls/2 (Keras' label_smoothing) */
  labelSmoothing?: number;
  /** the clip of the log: p is clipped to [ε, 1 − ε] there (Keras: backend.epsilon() = 1e-7) */
  epsilon?: number;
  /** elements whose target is this value are left out (value and gradient 0) */
  ignoreIndex?: number;
  /** a weight per sample (first axis) or per element, as Keras' sample_weight */
  sampleWeight?: SampleWeight;
  reduction?: Reduction;
}

const KEYS = ['gamma', 'alpha', 'labelSmoothing', 'epsilon', 'ignoreIndex', 'sampleWeight', 'reduction'] as const;

/**
 * Keras' BinaryFocalCrossentropy on probabilities (keras/src/losses/losses.py, binary_focal_crossentropy):
 * y smoothed toward ½, bce = −[y log p̂ + (1 − y) log(1 − p̂)] with p̂ = p clipped to [ε, 1 − ε], and
 * (1 − p_t)^γ · bce with p_t = y·p + (1 − y)(1 − p) from the unclipped p, as Keras computes it; times
 * α_t = α·y + (1 − α)(1 − y) when `alpha` is given. Per element; 'mean' over all (kept) elements, which
 * is Keras' mean over the last axis then over the batch when every row has the same length.
 * Where the clip cuts, the log's gradient is 0, as in Keras: prefer binaryFocalLoss on logits.
 * @example binaryFocalLossFromProbs(tensor([[0.9, 0.8], [0.7, 0.2]]), tensor([[1, 0], [1, 0]]), { sampleWeight: [1.2, 3.4] })
 */
export function binaryFocalLossFromProbs(
  probs: Tensor,
  target: Tensor | readonly number[],
  options: BinaryFocalLossFromProbsOptions | null = {},
): Tensor {
  const name = 'binaryFocalLossFromProbs';
  return withScope(name, () => {
    const opts = checkOptions<BinaryFocalLossFromProbsOptions>(name, options, KEYS);
    const input = checkTensor(name, 'probs', probs);
    checkUnitInterval(name, 'probability', input);
    const gamma = checkGamma(name, opts.gamma ?? 2);
    const { alpha } = opts;
    if (alpha !== undefined && (typeof alpha !== 'number' || !(alpha >= 0 && alpha <= 1))) {
      throw new Error(`${name}: alpha must be a number in [0, 1] (leave it out for no class balancing), got ${describeValue(alpha)}`);
    }
    const epsilon = checkEpsilon(name, opts.epsilon ?? 1e-7);
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const { y, keep, count } = readBinaryLabels(name, input, target, opts);
    const sampleWeight = readSampleWeight(name, opts.sampleWeight, input.shape);
    const p = withoutIgnored(input, keep, 0.5);
    const notY = y.neg().add(1);
    const clipped = p.clamp(epsilon, 1 - epsilon);
    let loss = y.mul(clipped.log()).add(notY.mul(clipped.neg().log1p())).neg(); //     bce on the clipped p
    if (gamma !== 0) {
      const oneMinusPt = () => p.mul(notY).add(p.neg().add(1).mul(y)); //              1 − p_t, unclipped
      loss = loss.mul(modulatingFactor({ oneMinusP: oneMinusPt, logOneMinusP: null }, gamma));
    }
    if (alpha !== undefined) loss = loss.mul(y.mul(alpha).add(notY.mul(1 - alpha)));
    if (keep !== null) loss = loss.mul(tensor(keep, { shape: [...input.shape] }));
    return reduce(weighTerms(loss, sampleWeight), reduction, count);
  });
}

/** binaryFocalLossFromProbs's record (losses/record.ts). */
export const binaryFocalLossFromProbsRecord = lossRecord({
  name: 'binary-probs',
  fn: binaryFocalLossFromProbs,
  keys: KEYS,
  input: 'binary-probs',
  semantics: 'keras.binary_focal_crossentropy',
  description: 'sigmoid focal loss on probabilities, log clipped to [ε, 1 − ε] (Keras’ BinaryFocalCrossentropy)',
  label: 'binary focal (probs)',
});
