// Softmax cross-entropy from logits, with PyTorch's semantics for weight, labelSmoothing and ignoreIndex.
import type { Tensor } from '../engine/index.js';
import { focalPerSample } from './focalTerms.js';
import {
  type Labels,
  type Reduction,
  type Target,
  checkWeightArray,
  checkReduction,
  checkRows,
  readLabels,
  reduce,
} from './targets.js';

export interface CrossEntropyOptions {
  /** one weight per class (PyTorch's `weight`) */
  weight?: readonly number[];
  labelSmoothing?: number;
  ignoreIndex?: number;
  reduction?: Reduction;
}

// −Σ_c w_c · y_c · log p_c per sample, with log p = logSoftmax(logits): the focal loss at γ = 0,
// through the very same ops, so that focalLoss(…, { gamma: 0 }) equals it bit for bit.
export function crossEntropy(logits: Tensor, target: Target, options: CrossEntropyOptions = {}): Tensor {
  const name = 'crossEntropy';
  const input = checkRows(name, 'logits', logits);
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  const labels = readLabels(name, input, target, options);
  const weight = options.weight === undefined ? null : checkWeightArray(name, 'weight', options.weight, labels.classes);
  const perSample = focalPerSample(input.logSoftmax(-1), labels, 0, weight);
  return reduce(perSample, reduction, meanDenominator(labels, weight));
}

// PyTorch's 'mean': with index targets, the summed weights of the kept targets Σ_n w_{t_n} (label
// smoothing included: ATen divides its smoothing term by the same sum); with label rows (class
// probabilities), N.
function meanDenominator(labels: Labels, weight: Float64Array | null): number {
  const { index, keep } = labels;
  if (index === null || weight === null) return labels.count;
  let total = 0;
  for (let i = 0; i < index.length; i++) if (keep === null || keep[i] === 1) total += weight[index[i]];
  return total;
}
