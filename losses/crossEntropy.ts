// Softmax cross-entropy from logits, with PyTorch's semantics for weight, labelSmoothing and ignoreIndex.
import { type Tensor, checkOptions, withScope } from '../engine/index.js';
import { focalPerSample } from './focal.js';
import { scoresFromLogits } from './focalTerms.js';
import { type Labels, type Target, checkWeightArray, readLabels, readRows } from './inputs.js';
import { lossRecord } from './record.js';
import { type Reduction, checkReduction, reduce } from './reduction.js';

/** Options of {@link crossEntropy}, named as PyTorch's cross_entropy names them. */
export interface CrossEntropyOptions {
  /** one weight per class (PyTorch's `weight`) */
  weight?: readonly number[];
  labelSmoothing?: number;
  /** index targets equal to it are left out (per element for dense input) */
  ignoreIndex?: number;
  reduction?: Reduction;
}

const KEYS = ['weight', 'labelSmoothing', 'ignoreIndex', 'reduction'] as const;

/**
 * torch.nn.functional.cross_entropy from logits: −Σ_c w_c · y_c · log p_c per sample, on [N, C] or
 * dense [N, C, d1, ..., dk] logits (class axis 1). 'mean' with index targets divides by the summed
 * weights of the kept targets, as PyTorch does; it is focalLoss at γ = 0 through the same ops.
 * @example crossEntropy(logits, [0, 2, 1], { weight: [1, 2, 2], ignoreIndex: -100 })
 */
export function crossEntropy(logits: Tensor, target: Target, options: CrossEntropyOptions | null = {}): Tensor {
  const name = 'crossEntropy';
  return withScope(name, () => {
    const opts = checkOptions<CrossEntropyOptions>(name, options, KEYS);
    const { scores, target: t, mapShape } = readRows(name, 'logits', logits, target);
    const reduction = checkReduction(name, opts.reduction ?? 'mean');
    const labels = readLabels(name, scores, t, opts);
    const weight = opts.weight === undefined ? null : checkWeightArray(name, 'weight', opts.weight, labels.classes);
    const perSample = focalPerSample(scoresFromLogits(scores, labels), labels, 0, weight);
    return reduce(perSample, reduction, meanDenominator(labels, weight), mapShape);
  });
}

/** crossEntropy's record (losses/record.ts). */
export const crossEntropyRecord = lossRecord({
  name: 'ce',
  fn: crossEntropy,
  keys: KEYS,
  input: 'logits',
  semantics: 'torch.nn.functional.cross_entropy',
  description: 'cross-entropy (α: PyTorch’s per-class weight, or a scale)',
  label: 'cross-entropy',
});

// PyTorch's 'mean': with index targets, the summed weights of the kept targets Σ_n w_{t_n} (label
// smoothing included: ATen divides its smoothing term by the same sum); with label rows (class
// probabilities), N (the number of elements for dense input).
function meanDenominator(labels: Labels, weight: Float64Array | null): number {
  const { index, keep } = labels;
  if (index === null || weight === null) return labels.count;
  let total = 0;
  for (let i = 0; i < index.length; i++) if (keep === null || keep[i] === 1) total += weight[index[i]];
  return total;
}
