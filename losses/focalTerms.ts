// The numerics under the focal formula: log p_t and 1 − p_t without cancellation, and (1 − p)^γ safe at p = 1.
import { type Tensor, tensor, where, withScope } from '../engine/index.js';
import type { Gamma, Labels } from './inputs.js';

// NOTE: the base 1 − p is clamped from below by FLOOR before the power. At 1 − p = 0 with γ < 1,
// pow's backward is γ·0^(γ−1) = ∞, and the upstream log p = 0 turns it into 0·∞ = NaN. Clamped,
// pow sees FLOOR, where its backward is finite (FLOOR^(γ−1) ≤ 1e150 for γ ≥ 0, and the second
// derivative's FLOOR^(γ−2) ≤ 1e300, so gradgrad stays finite too), and the clamp's own gradient
// is 0 below the floor: the chain gives an exact 0, the true gradient. The value changes only
// where 1 − p < 1e-150, and there by less than 1e-150 (|log p| ≈ 1 − p is that small too).
export const FLOOR = 1e-150;

/** What the focal formula reads off a prediction: −log p and 1 − p, per row ([M], the target class's) or per class ([M, C]). */
export interface Scores {
  /** −log p, the cross-entropy term: kept as one tensor so that −softplus(u) is not negated twice */
  nll: Tensor;
  /** 1 − p, built only when γ > 0 asks for it */
  oneMinusP: () => Tensor;
}

// log p_t and 1 − p_t from logits, for index targets, through u = log Σ_{j≠t} e^{z_j − z_t}:
//   p_t = 1 / (1 + e^u)   ⇒   log p_t = −softplus(u),   1 − p_t = σ(u).
// NOTE: both are exact to a few ulps for every u, where the plain forms are not: logSoftmax gives
// log p_t as (z_t − max) − log Σ e^{z − max}, whose log of 1 + tiny rounds away everything below
// 1e-16, and 1 − exp(log p_t) cancels. Shifting by z_t before the sum keeps u exact when z_j and
// z_t are close (Sterbenz), so the loss of a confident, correct prediction keeps all its digits.
export function scoresFromLogits(logits: Tensor, labels: Labels): Scores {
  if (labels.index === null || labels.rows !== null) {
    // Label rows: every class is scored; log p from logSoftmax, 1 − p = −expm1(log p).
    const logp = logits.logSoftmax(-1);
    return { nll: logp.neg(), oneMinusP: () => logp.expm1().neg() };
  }
  const { index, classes } = labels;
  const rows = index.length;
  if (classes === 1) {
    // One class: p_t = 1, u = −∞; no logit changes the loss. The zeros stay on the graph (logits·0,
    // logits are finite), so backward runs and gives the true all-zero gradient, as in PyTorch.
    const zero = logits.reshape([rows]).mul(0);
    return { nll: zero, oneMinusP: () => zero };
  }
  // Each row's other classes, j ≠ t: gathering only them drops z_t from the sum, with no [M, C]
  // −∞ mask to build and add, and a third less to shift, sum and differentiate when C = 3.
  const others = new Float64Array(rows * (classes - 1));
  for (let i = 0, k = 0; i < rows; i++) for (let j = 0; j < classes; j++) if (j !== index[i]) others[k++] = j;
  const zOthers = logits.gather(1, tensor(others, { shape: [rows, classes - 1] })); // z_j, j ≠ t
  const u = zOthers.sub(logits.pick(index).reshape([rows, 1])).logsumexp(-1); //     log Σ_{j≠t} e^{z_j − z_t}
  return { nll: u.softplus(), oneMinusP: () => u.sigmoid() }; // −log p_t = softplus(u)
}

// −log p and 1 − p from (clipped) probabilities: per row for index targets, per class for label rows.
export function scoresFromProbs(p: Tensor, labels: Labels): Scores {
  if (labels.index === null || labels.rows !== null) return { nll: p.log().neg(), oneMinusP: () => p.neg().add(1) };
  const pt = p.pick(labels.index);
  return { nll: pt.log().neg(), oneMinusP: () => pt.neg().add(1) };
}

// (1 − p)^γ, safe at p = 1 for every γ ≥ 0.
export function modulatingFactor(oneMinusP: Tensor, gamma: Gamma): Tensor {
  return withScope('modulatingFactor', () => {
    const base = oneMinusP.clamp(FLOOR);
    if (gamma !== 'flsd53') return base.pow(gamma);
    // FLSD-53: γ = 5 where p < 0.2, else 3, read off the forward values and held constant (γ is not
    // differentiated). pow takes a single exponent, so both powers are taken and where picks one.
    const hard = Float64Array.from(oneMinusP.data, (q) => (1 - q < 0.2 ? 1 : 0));
    return where(tensor(hard, { shape: oneMinusP.shape }), base.pow(5), base.pow(3));
  });
}
