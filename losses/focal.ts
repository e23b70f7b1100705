// The softmax focal loss (Lin et al. 2017): from logits, and from probabilities with Keras' semantics.
import { type Tensor, checkOptions, describeValue, withScope } from '../engine/index.js';
import { type Scores, modulatingFactor, scoresFromLogits, scoresFromProbs } from './focalTerms.js';
import {
  type Alpha,
  type Gamma,
  type Labels,
  type Target,
  checkClassWeights,
  checkUnitInterval,
  readLabels,
  readRows,
  termWeights,
} from './inputs.js';
import { lossRecord } from './record.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';

// The focal loss of each row, −α_t (1 − p_t)^γ log p_t: with index targets one term per row (α_t
// the target's α, 0 for an ignored row); with label rows one term per class, weighted y_c·α_c and
// summed. crossEntropy is γ = 0 with its weight as α, through these very ops.
export function focalPerSample({ nll, oneMinusP }: Scores, labels: Labels, gamma: Gamma, alpha: number | Float64Array | null): Tensor {
  const ce = nll; //                                                        −log p_t
  const focal = gamma === 0 ? ce : ce.mul(modulatingFactor(oneMinusP(), gamma)); // · (1 − p_t)^γ
  const weights = termWeights(labels, alpha); //                               · α_t (and y, keep)
  const loss = weights === null ? focal : focal.mul(weights);
  return labels.rows === null ? loss : loss.sum(-1);
}

/** Options of {@link focalLoss}. */
export interface FocalLossOptions {
  /** γ ≥ 0, or 'flsd53': γ = 5 where p_t < 0.2, else 3 (Mukhoti et al. 2020); with label rows
   *  each class's term takes its γ from its own p_c */
  gamma?: Gamma;
  /** a number (a pure scale of the loss) or one weight per class; default: none */
  alpha?: Alpha;
  /** y ← y·(1 − ls) + ls/C, as PyTorch and Keras smooth */
  labelSmoothing?: number;
  /** index targets equal to it are left out (per element for dense input), as in PyTorch */
  ignoreIndex?: number;
  reduction?: Reduction;
}

const FOCAL_KEYS = ['gamma', 'alpha', 'labelSmoothing', 'ignoreIndex', 'reduction'] as const;

/**
 * Softmax focal loss from logits, −Σ_c α_c · y_c · (1 − p_c)^γ · log p_c per sample (Lin et al. 2017),
 * on [N, C] or dense [N, C, d1, ..., dk] logits (class axis 1, as PyTorch). With index targets it is
 * −α_t (1 − p_t)^γ log p_t, exact to a few ulps however close p_t is to 1. 'mean' divides by the
 * kept samples (elements): α is part of each sample's loss and is never normalised by Σα.
 * @example focalLoss(logits, [0, 2, 1], { gamma: 2, alpha: [0.25, 1, 1] })
 */
export function focalLoss(logits: Tensor, target: Target, options: FocalLossOptions | null = {}): Tensor {
  const name = 'focalLoss';
  return withScope(name, () => {
    const opts = checkOptions<FocalLossOptions>(name, options, FOCAL_KEYS);
    const { scores, target: t, mapShape } = readRows(name, 'logits', logits, target);
    const gamma = checkGammaOrSchedule(name, opts.gamma ?? 2);
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const labels = readLabels(name, scores, t, opts);
    const alpha = opts.alpha === undefined ? null : checkClassWeights(name, 'alpha', opts.alpha, labels.classes);
    return reduce(focalPerSample(scoresFromLogits(scores, labels), labels, gamma, alpha), reduction, labels.count, mapShape);
  });
}

/** focalLoss's record (losses/record.ts). */
export const focalLossRecord = lossRecord({
  name: 'focal',
  fn: focalLoss,
  keys: FOCAL_KEYS,
  input: 'logits',
  semantics: 'lin2017.softmax_focal',
  description: 'softmax focal loss −α_t (1 − p_t)^γ log p_t (Lin et al. 2017); γ may be flsd53',
  label: 'focal',
});

/** Options of {@link focalLossFromProbs}. */
export interface FocalLossFromProbsOptions {
  /** γ ≥ 0, or 'flsd53' as in focalLoss */
  gamma?: Gamma;
  /** a number or one weight per class (Keras: 0.25) */
  alpha?: Alpha;
  /** the clip: probabilities are clipped to [ε, 1 − ε] (Keras: backend.epsilon() = 1e-7) */
  epsilon?: number;
  labelSmoothing?: number;
  ignoreIndex?: number;
  reduction?: Reduction;
}

const FROM_PROBS_KEYS = ['gamma', 'alpha', 'epsilon', 'labelSmoothing', 'ignoreIndex', 'reduction'] as const;

/**
 * Keras' CategoricalFocalCrossentropy on probabilities (from_logits=False, keras/src/losses/losses.py):
 * smooth y, divide each row by its sum, clip to [ε, 1 − ε], then −Σ_c α · y_c · (1 − p_c)^γ · log p_c.
 * Takes [N, C] or dense [N, C, d1, ..., dk] probabilities (class axis 1). The clip only guards log 0:
 * values outside [0, 1] beyond rounding are an Error. Where the clip cuts, the gradient is 0 (a
 * confidently wrong p_t < ε learns nothing): prefer focalLoss.
 * @example focalLossFromProbs(tensor([[0.7, 0.2, 0.1]]), [0])
 */
export function focalLossFromProbs(probs: Tensor, target: Target, options: FocalLossFromProbsOptions | null = {}): Tensor {
  const name = 'focalLossFromProbs';
  return withScope(name, () => {
    const opts = checkOptions<FocalLossFromProbsOptions>(name, options, FROM_PROBS_KEYS);
    const { scores, target: t, mapShape } = readRows(name, 'probs', probs, target);
    const gamma = checkGammaOrSchedule(name, opts.gamma ?? 2);
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const epsilon = opts.epsilon ?? 1e-7;
    if (typeof epsilon !== 'number' || !(epsilon > 0 && epsilon < 0.5)) {
      throw new Error(`${name}: epsilon must be a number in (0, 0.5), got ${describeValue(epsilon)}`);
    }
    const labels = readLabels(name, scores, t, opts);
    const alpha = checkClassWeights(name, 'alpha', opts.alpha ?? 0.25, labels.classes);
    checkUnitInterval(name, 'probability', scores);
    const sums = scores.sum(-1, true);
    const empty = sums.data.findIndex((s) => !(s > 0));
    if (empty >= 0) throw new Error(`${name}: probabilities of row ${empty} sum to 0 (expected a distribution over the classes)`);
    const p = scores.div(sums).clamp(epsilon, 1 - epsilon);
    return reduce(focalPerSample(scoresFromProbs(p, labels), labels, gamma, alpha), reduction, labels.count, mapShape);
  });
}

/** focalLossFromProbs's record (losses/record.ts). */
export const focalLossFromProbsRecord = lossRecord({
  name: 'probs',
  fn: focalLossFromProbs,
  keys: FROM_PROBS_KEYS,
  input: 'probs',
  semantics: 'keras.categorical_focal_crossentropy',
  description: 'softmax focal loss on probabilities, clipped to [ε, 1 − ε] (Keras’ CategoricalFocalCrossentropy)',
  label: 'focal (probs)',
});

// γ of the softmax focal losses, read where they read it (the checks of the other options are in inputs.ts).
function checkGammaOrSchedule(name: string, gamma: unknown): Gamma {
  if (gamma === 'flsd53') return gamma;
  if (typeof gamma !== 'number' || !Number.isFinite(gamma) || gamma < 0) {
    throw new Error(`${name}: gamma must be a finite number ≥ 0 or 'flsd53', got ${describeValue(gamma)}`);
  }
  return gamma;
}
