// The arithmetic the softmax losses share: 1 − p, the modulating factor (1 − p)^γ, and the
// per-sample −Σ_c w_c · y_c · (1 − p_c)^γ · log p_c (crossEntropy is the γ = 0 case).
import { type Tensor, tensor } from '../engine/index.js';
import { type Gamma, type Labels, rowConstant } from './targets.js';

// NOTE: the base 1 − p is clamped from below by FLOOR before the power. At 1 − p = 0 with γ < 1,
// pow's backward is γ·0^(γ−1) = ∞, and the upstream log p = 0 turns it into 0·∞ = NaN. Clamped,
// pow sees FLOOR, where its backward is finite (FLOOR^(γ−1) ≤ 1e150 for γ ≥ 0, and the second
// derivative's FLOOR^(γ−2) ≤ 1e300, so gradgrad stays finite too), and the clamp's own gradient
// is 0 below the floor: the chain gives an exact 0, the true gradient. The value changes only
// where 1 − p < 1e-150, and there by less than 1e-150 (|log p| ≈ 1 − p is that small too).
export const FLOOR = 1e-150;

// 1 − p from log p.
// NOTE: plainly 1 − exp(log p). Near p = 1 this cancels, but log p itself comes from logSoftmax as
// (z − max) − log(1 + tiny), accurate only to ~1e-16 absolute, and the loss −(1 − p)^γ log p
// inherits that error whatever the 1 − p: −expm1(log p) (composable as −2t/(1 − t), t = tanh(log p / 2))
// or the sum of the other classes' probabilities would buy nothing without a log1p in the engine.
function oneMinusExp(logp: Tensor): Tensor {
  return logp.exp().neg().add(1);
}

// (1 − p)^γ, safe at p = 1 for every γ ≥ 0.
export function modulatingFactor(oneMinusP: Tensor, gamma: Gamma): Tensor {
  const base = oneMinusP.clamp(FLOOR);
  if (gamma !== 'flsd53') return base.pow(gamma);
  // FLSD-53: γ = 5 where p < 0.2, else 3, read off the forward values and held constant (γ is not
  // differentiated). pow takes a single exponent, so both powers are taken and a mask picks one.
  const hard = new Float64Array(oneMinusP.size);
  for (let i = 0; i < hard.length; i++) hard[i] = 1 - oneMinusP.data[i] < 0.2 ? 1 : 0;
  const mask = tensor(hard, { shape: oneMinusP.shape });
  return base.pow(5).mul(mask).add(base.pow(3).mul(mask.neg().add(1)));
}

// −(1 − p)^γ · log p elementwise, from log p (and 1 − p when the caller has a better one).
// γ = 0 leaves the factor (= 1) out: no work, and exactly crossEntropy's ops, bit for bit.
function focalTerms(logp: Tensor, gamma: Gamma, oneMinusP: Tensor | null): Tensor {
  const ce = logp.neg();
  return gamma === 0 ? ce : ce.mul(modulatingFactor(oneMinusP ?? oneMinusExp(logp), gamma));
}

// Per-sample −Σ_c w_c · y_c · (1 − p_c)^γ · log p_c, shape [N]. `logp` is [N, C] (from logSoftmax,
// or the log of clipped probabilities); `oneMinusP` is 1 − p of the same shape, or null to derive it
// from logp. `weights` is a per-class array, a number scaling everything, or null. Ignored rows give 0.
export function focalPerSample(
  logp: Tensor,
  labels: Labels,
  gamma: Gamma,
  weights: number | Float64Array | null,
  oneMinusP: Tensor | null = null,
): Tensor {
  if (labels.rows !== null) {
    // Label rows: every class contributes its own term, with its own factor (1 − p_c)^γ, as in Keras.
    // The log is taken first and the label multiplies it: y·log p, never log(y·p).
    let terms = focalTerms(logp, gamma, oneMinusP).mul(labels.rows);
    if (weights !== null) terms = terms.mul(typeof weights === 'number' ? weights : tensor(weights));
    return terms.sum(-1);
  }
  // Index targets: −w_t (1 − p_t)^γ log p_t, one picked log-probability per row.
  const { index, keep } = labels;
  const loss = focalTerms(logp.pick(index), gamma, oneMinusP === null || gamma === 0 ? null : oneMinusP.pick(index));
  if (weights === null && keep === null) return loss;
  if (typeof weights === 'number' && keep === null) return loss.mul(weights);
  const rowWeight = new Float64Array(index.length);
  for (let i = 0; i < index.length; i++) {
    const w = weights === null ? 1 : typeof weights === 'number' ? weights : weights[index[i]];
    rowWeight[i] = keep === null ? w : w * keep[i];
  }
  return loss.mul(rowConstant(rowWeight));
}
