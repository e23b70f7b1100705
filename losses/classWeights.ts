// Per-class weights (a focal α or a cross-entropy weight) from class counts, normalised to sum to C.
import { checkOptions, describeValue } from '../engine/index.js';

/** Options of {@link classWeights}. */
export interface ClassWeightsOptions {
  /** 'effective': the effective number of samples (Cui et al. 2019); 'inverse': 1/n_c */
  method?: 'inverse' | 'effective';
  /** β ∈ [0, 1) of the effective number; β = 0 gives equal weights, β → 1 inverse frequency */
  beta?: number;
}

/**
 * Per-class weights from class counts: w_c ∝ 1/n_c ('inverse') or ∝ 1/E_{n_c} = (1 − β)/(1 − β^{n_c})
 * ('effective', Cui et al. 2019), scaled so Σ_c w_c = C (a balanced data set gets all ones). A class
 * with count 0 is an Error: its weight would be infinite, and a class never seen cannot be balanced.
 * @example focalLoss(logits, target, { alpha: classWeights([850, 120, 30]) })
 */
export function classWeights(counts: readonly number[] | Int32Array | Float64Array, options: ClassWeightsOptions | null = {}): number[] {
  const name = 'classWeights';
  const { method = 'effective', beta = 0.999 } = checkOptions<ClassWeightsOptions>(name, options, ['method', 'beta']);
  if (method !== 'inverse' && method !== 'effective') {
    throw new Error(`${name}: unknown method ${describeValue(method)} (expected 'inverse' or 'effective')`);
  }
  if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) throw new Error(`${name}: beta must be in [0, 1), got ${describeValue(beta)}`);
  if (!(Array.isArray(counts) || counts instanceof Int32Array || counts instanceof Float64Array) || counts.length === 0) {
    throw new Error(`${name}: counts must be a non-empty array of one count per class`);
  }
  const raw = Array.from(counts as ArrayLike<number>, (n, c) => {
    if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
      throw new Error(`${name}: count ${describeValue(n)} of class ${c} must be a finite number ≥ 0`);
    }
    if (n === 0) throw new Error(`${name}: class ${c} has count 0 (its weight would be infinite; drop the class or count it)`);
    // NOTE: counts may be fractional (weighted counts), but below 1e-300 the weight 1/n overflows.
    if (n < 1e-300) throw new Error(`${name}: count ${n} of class ${c} is too small (its weight 1/n would overflow)`);
    // 1 − β^n as −expm1(n·log β): exact also when β^n is near 1 (β near 1, small n).
    return method === 'inverse' ? 1 / n : (1 - beta) / -Math.expm1(n * Math.log(beta));
  });
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w * raw.length) / total);
}
