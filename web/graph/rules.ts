// Each op's backward rule in one line, as the comment above the op in engine/ writes it, for the panel's status line.
import type { Op } from '../../engine/index.js';

/** The derivative each op's backward rule applies, keyed by op; ops missing here show none. */
export const RULES: Partial<Record<Op, string>> = {
  leaf: 'a leaf: the gradient stops here (in .grad after backward)',
  add: 'out = a + b  ⇒  ∂out/∂a = 1,  ∂out/∂b = 1',
  sub: 'out = a − b  ⇒  ∂out/∂a = 1,  ∂out/∂b = −1',
  mul: 'out = a · b  ⇒  ∂out/∂a = b,  ∂out/∂b = a',
  div: 'out = a / b  ⇒  ∂out/∂a = 1/b,  ∂out/∂b = −out/b',
  exp: 'out = eᵃ  ⇒  ∂out/∂a = out',
  log: 'out = ln a  ⇒  ∂out/∂a = 1/a',
  pow: 'out = aᵖ  ⇒  ∂out/∂a = p·aᵖ⁻¹',
  sqrt: 'out = √a  ⇒  ∂out/∂a = 1/(2·out)',
  abs: 'out = |a|  ⇒  ∂out/∂a = sign(a)',
  sigmoid: 'out = σ(a)  ⇒  ∂out/∂a = σ(a)·σ(−a)',
  relu: 'out = max(a, 0)  ⇒  ∂out/∂a = 1 where a > 0, else 0',
  tanh: 'out = tanh a  ⇒  ∂out/∂a = 1 − out²',
  clamp: 'out = clamp(a, min, max)  ⇒  ∂out/∂a = 1 inside [min, max], else 0',
  logSoftmax: 'out = a − log Σ exp(a)  ⇒  gIn = gOut − softmax(a) · Σ gOut',
  sum: 'out = Σ a  ⇒  ∂out/∂a = 1: gOut spreads back over the summed axis',
  max: 'out = max a  ⇒  ∂out/∂a = 1/k at each of the k maxima, else 0',
  logsumexp: 'out = log Σ exp(a)  ⇒  ∂out/∂a = softmax(a)',
  matmul: 'out = a·b  ⇒  ∂out/∂a = gOut·bᵀ,  ∂out/∂b = aᵀ·gOut',
  reshape: 'a view under another shape  ⇒  gIn = gOut reshaped back',
  transpose: 'out = aᵀ  ⇒  gIn = gOutᵀ',
  expand: 'a repeated along axes  ⇒  gIn = gOut summed back to a’s shape',
  pick: 'out[i] = a[i, t_i]  ⇒  gIn = gOut at each row’s t_i, 0 elsewhere',
  softplus: 'out = log(1 + eᵃ)  ⇒  ∂out/∂a = σ(a)',
  log1p: 'out = log(1 + a)  ⇒  ∂out/∂a = 1/(1 + a)',
  expm1: 'out = eᵃ − 1  ⇒  ∂out/∂a = out + 1',
  maximum: 'out = max(a, b)  ⇒  gOut goes to the larger input, in halves at a tie',
  where: 'out = cond ? a : b  ⇒  gOut goes to a where cond holds, to b elsewhere',
};
