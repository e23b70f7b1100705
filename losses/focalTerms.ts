// The numerics under the focal formula: log p_t and 1 − p_t without cancellation, and (1 − p)^γ safe at p = 1.
import { type Tensor, tensor, where, withScope } from '../engine/index.js';
import type { Gamma, Labels } from './inputs.js';

// NOTE: (1 − p)^γ takes one of three forms, so that neither the value nor any derivative meets 0·∞:
// - γ ≥ 2: pow, exact to an ulp; its first two derivatives γ(1 − p)^(γ−1) and γ(γ−1)(1 − p)^(γ−2)
//   are bounded on [0, 1], so nothing needs guarding at p = 1;
// - γ < 2 with log(1 − p) known exactly (index targets: log σ(u); binary hard targets: log σ(−x_t)):
//   exp(γ·log(1 − p)), whose every derivative is finite, with no floor: the loss keeps ≤ 1e-13
//   relative accuracy wherever it is a normal double (|γ·log(1 − p)| < 472 there: < 8e-14 lost);
// - γ < 2 otherwise (label rows, soft binary targets): pow of 1 − p clamped from below at FLOOR, where
//   pow's backward γ·FLOOR^(γ−1) ≤ 1e150 and its second derivative ≤ 1e300 stay finite, and the clamp's
//   own gradient is 0 below the floor. The value changes only where 1 − p < 1e-150 (docs/focal-loss.md §8).
export const FLOOR = 1e-150;

/** What the focal formula reads off a prediction: −log p and 1 − p, per row ([M], the target class's) or per class ([M, C]). */
export interface Scores {
  /** −log p, the cross-entropy term: kept as one tensor so that −softplus(u) is not negated twice */
  nll: Tensor;
  /** 1 − p, built only when γ > 0 asks for it */
  oneMinusP: () => Tensor;
  /** log(1 − p) to a few ulps, where the input gives it (index targets); null elsewhere */
  logOneMinusP: (() => Tensor) | null;
}

// log p_t and 1 − p_t from logits, for index targets, through the log-odds against the target under
// softmax, u = log((1 − p_t) / p_t) = log Σ_{j≠t} e^{z_j − z_t} (logOddsAgainst):
//   p_t = 1 / (1 + e^u)   ⇒   log p_t = −softplus(u),   1 − p_t = σ(u).
// NOTE: both are exact to a few ulps for every u, where the plain forms are not: logSoftmax gives
// log p_t as (z_t − max) − log Σ e^{z − max}, whose log of 1 + tiny rounds away everything below
// 1e-16, and 1 − exp(log p_t) cancels. Shifting by z_t before the sum keeps u exact when z_j and
// z_t are close (Sterbenz), so the loss of a confident, correct prediction keeps all its digits:
// the softmax focal loss is the binary one on −u, as binaryFocalLoss is on x_t.
export function scoresFromLogits(logits: Tensor, labels: Labels): Scores {
  if (labels.index === null || labels.rows !== null) {
    // Label rows: every class is scored; log p from logSoftmax, 1 − p = −expm1(log p).
    const logp = logits.logSoftmax(-1);
    return { nll: logp.neg(), oneMinusP: () => logp.expm1().neg(), logOneMinusP: null };
  }
  const { index, classes } = labels;
  if (classes === 1) {
    // One class: p_t = 1, u = −∞; no logit changes the loss. The zeros stay on the graph (logits·0,
    // logits are finite), so backward runs and gives the true all-zero gradient, as in PyTorch.
    const zero = logits.reshape([index.length]).mul(0);
    return { nll: zero, oneMinusP: () => zero, logOneMinusP: null };
  }
  const u = logits.logOddsAgainst(index);
  // −log p_t = softplus(u), 1 − p_t = σ(u), log(1 − p_t) = log σ(u)
  return { nll: u.softplus(), oneMinusP: () => u.sigmoid(), logOneMinusP: () => u.logSigmoid() };
}

// −log p and 1 − p from (clipped) probabilities: per row for index targets, per class for label rows.
export function scoresFromProbs(p: Tensor, labels: Labels): Scores {
  if (labels.index === null || labels.rows !== null) return { nll: p.log().neg(), oneMinusP: () => p.neg().add(1), logOneMinusP: null };
  const pt = p.pick(labels.index);
  return { nll: pt.log().neg(), oneMinusP: () => pt.neg().add(1), logOneMinusP: null };
}

// (1 − p)^γ, safe at p = 1 for every γ ≥ 0 (the NOTE above).
export function modulatingFactor({ oneMinusP, logOneMinusP }: Pick<Scores, 'oneMinusP' | 'logOneMinusP'>, gamma: Gamma): Tensor {
  return withScope('modulatingFactor', () => {
    if (gamma !== 'flsd53') {
      if (gamma >= 2) return oneMinusP().pow(gamma);
      if (logOneMinusP !== null) return logOneMinusP().mul(gamma).exp();
      return oneMinusP().clamp(FLOOR).pow(gamma);
    }
    // FLSD-53: γ = 5 where p < 0.2, else 3, read off the forward values and held constant (γ is not
    // differentiated). pow takes a single exponent, so both powers are taken and where picks one.
    const base = oneMinusP();
    const hard = Float64Array.from(base.data, (q) => (1 - q < 0.2 ? 1 : 0));
    return where(tensor(hard, { shape: base.shape }), base.pow(5), base.pow(3));
  });
}
