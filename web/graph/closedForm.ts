// The gradient of each playground loss with respect to one sample's logits, written out from
// docs/focal-loss.md in plain arithmetic, so that the panel can set the engine's answer beside it.
import { type ClassLogitsLossName, FOCAL_STAR_BETA } from '../../losses/index.js';

/** softmax(z), with the maximum subtracted first so that large logits stay finite. */
export function softmax(z: readonly number[]): number[] {
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

const sigmoid = (u: number): number => (u >= 0 ? 1 / (1 + Math.exp(-u)) : Math.exp(u) / (1 + Math.exp(u)));

/** α_t: the weight of the target class (1 when there is none, the number itself when it is a scale). */
function alphaOf(alpha: number | readonly number[] | null, t: number): number {
  return alpha === null ? 1 : typeof alpha === 'number' ? alpha : alpha[t];
}

/** ∂loss/∂z for one sample: logits z, target class t, and the loss's γ and α as the trainer gives them. */
type ClosedForm = (z: readonly number[], t: number, gamma: number, alpha: number | readonly number[] | null) => number[];

const delta = (j: number, t: number): number => (j === t ? 1 : 0);

/**
 * The closed form of every loss the trainer and the panel offer (a loss of losses/ with class-logit input
 * and no entry here is a type error), as the trainer's registry builds each loss (train/registry.ts):
 * - 'ce': p_j − δ_tj, times a scalar α; a per-class α is crossEntropy's weight, whose weighted mean over
 *   one sample divides it out again (docs/focal-loss.md, section 10, PyTorch's 'mean');
 * - 'focal': α_t [γ (1 − p_t)^(γ−1) p_t log p_t − (1 − p_t)^γ] (δ_tj − p_j) (section 4);
 * - 'focal-star': one-vs-all, y_j = ±1: α_t · y_j (σ(γ y_j z_j + β) − 1) (section 6).
 */
const CLOSED_FORMS: Record<ClassLogitsLossName, ClosedForm> = {
  ce: (z, t, _gamma, alpha) => {
    const scale = typeof alpha === 'number' ? alpha : 1;
    return softmax(z).map((pj, j) => scale * (pj - delta(j, t)));
  },
  focal: (z, t, gamma, alpha) => {
    const p = softmax(z);
    const pt = p[t];
    // γ (1 − p_t)^(γ−1) p_t log p_t → 0 as p_t → 1 (section 8); written so, it never computes 0·∞.
    const first = gamma === 0 || pt === 1 ? 0 : gamma * (1 - pt) ** (gamma - 1) * pt * Math.log(pt);
    const bracket = first - (1 - pt) ** gamma;
    return p.map((pj, j) => alphaOf(alpha, t) * bracket * (delta(j, t) - pj));
  },
  'focal-star': (z, t, gamma, alpha) =>
    z.map((zj, j) => {
      const y = 2 * delta(j, t) - 1;
      // σ(u) − 1 = −σ(−u), without the cancellation near σ(u) = 1.
      return alphaOf(alpha, t) * y * -sigmoid(-(gamma * y * zj + FOCAL_STAR_BETA));
    }),
};

/** ∂loss/∂z for one sample of the loss named `loss` (see CLOSED_FORMS), or null for a name that has none. */
export function closedFormGradient(
  loss: string,
  z: readonly number[],
  t: number,
  gamma: number,
  alpha: number | readonly number[] | null,
): number[] | null {
  return Object.hasOwn(CLOSED_FORMS, loss) ? CLOSED_FORMS[loss as ClassLogitsLossName](z, t, gamma, alpha) : null;
}

/** The paper's Figure 1 curve: FL(p_t) = −(1 − p_t)^γ log p_t (γ = 0 is cross-entropy). */
export function focalValue(pt: number, gamma: number): number {
  return -((1 - pt) ** gamma) * Math.log(pt);
}

/** ∂FL/∂z_t of the softmax focal loss as a function of p_t alone: (1 − p_t)^γ (γ p_t log p_t + p_t − 1) (sections 4 and 5). */
export function focalTrueLogitGradient(pt: number, gamma: number): number {
  return (1 - pt) ** gamma * (gamma * pt * Math.log(pt) + pt - 1);
}
