// The softmax focal loss (Lin et al. 2017): from logits, and from probabilities with Keras' semantics.
import { describeValue } from '../engine/checks.js';
import type { Tensor } from '../engine/index.js';
import { focalPerSample } from './focalTerms.js';
import {
  type Alpha,
  type Gamma,
  type Reduction,
  type Target,
  checkClassWeights,
  checkGammaOrSchedule,
  checkReduction,
  checkRows,
  checkUnitInterval,
  readLabels,
  reduce,
} from './targets.js';

export interface FocalLossOptions {
  /** γ ≥ 0, or 'flsd53': γ = 5 where p_t < 0.2, else 3 (Mukhoti et al. 2020); with label rows
   *  each class's term takes its γ from its own p_c */
  gamma?: Gamma;
  /** a number (a pure scale of the loss) or one weight per class; default: none */
  alpha?: Alpha;
  labelSmoothing?: number;
  ignoreIndex?: number;
  reduction?: Reduction;
}

// −Σ_c α_c · y_c · (1 − p_c)^γ · log p_c per sample, log p = logSoftmax(logits): exact and finite at
// logits of ±1e4, no ε. With index targets it is −α_t (1 − p_t)^γ log p_t. Label smoothing comes
// first, then the focal factor (Keras). 'mean' divides by the number of kept samples: α is part of
// each sample's loss and is never normalised by Σα (unlike crossEntropy's weight, as in PyTorch).
export function focalLoss(logits: Tensor, target: Target, options: FocalLossOptions = {}): Tensor {
  const name = 'focalLoss';
  const input = checkRows(name, 'logits', logits);
  const gamma = checkGammaOrSchedule(name, options.gamma ?? 2);
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  const labels = readLabels(name, input, target, options);
  const alpha = options.alpha === undefined ? null : checkClassWeights(name, 'alpha', options.alpha, labels.classes);
  return reduce(focalPerSample(input.logSoftmax(-1), labels, gamma, alpha), reduction, labels.count);
}

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

// Keras' CategoricalFocalCrossentropy on probabilities (from_logits=False), as in keras/src/losses/
// losses.py: smooth y, divide each row of probabilities by its sum, clip to [ε, 1 − ε], then
// −Σ_c α · y_c · (1 − p_c)^γ · log p_c; Keras' 'sum_over_batch_size' is the mean over samples.
// The clip only guards log 0: values outside [0, 1] beyond rounding are an Error, not clipped.
// Where the clip cuts, the gradient is 0 (a confidently wrong p_t < ε learns nothing): prefer focalLoss.
export function focalLossFromProbs(probs: Tensor, target: Target, options: FocalLossFromProbsOptions = {}): Tensor {
  const name = 'focalLossFromProbs';
  const input = checkRows(name, 'probs', probs);
  const gamma = checkGammaOrSchedule(name, options.gamma ?? 2);
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  const epsilon = options.epsilon ?? 1e-7;
  if (typeof epsilon !== 'number' || !(epsilon > 0 && epsilon < 0.5)) {
    throw new Error(`${name}: epsilon must be a number in (0, 0.5), got ${describeValue(epsilon)}`);
  }
  const labels = readLabels(name, input, target, options);
  const alpha = checkClassWeights(name, 'alpha', options.alpha ?? 0.25, labels.classes);
  checkUnitInterval(name, 'probability', input);
  const sums = input.sum(-1, true);
  const empty = sums.data.findIndex((s) => !(s > 0));
  if (empty >= 0) throw new Error(`${name}: probabilities of row ${empty} sum to 0 (expected a distribution over the classes)`);
  const p = input.div(sums).clamp(epsilon, 1 - epsilon);
  return reduce(focalPerSample(p.log(), labels, gamma, alpha, p.neg().add(1)), reduction, labels.count);
}
