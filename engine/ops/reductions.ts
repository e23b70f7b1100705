// Reductions along one axis (or over all elements), each with its forward, its backward rule and the
// derivative: sum and mean, max and min, the index-valued argmax and argmin, logsumexp, logSoftmax, softmax
// and the log-odds against a target class.
import * as kernels from '../kernels/reductions.js';
import { oneHot } from '../kernels/indexing.js';
import { checkBoolean } from '../checks.js';
import { formatShape } from '../format.js';
import { isGradEnabled } from '../gradMode.js';
import { withScope } from '../scope.js';
import { type AxisView, type Shape, axisView, normalizeAxis } from '../shape.js';
import { type Indices, Tensor, constant, node } from '../tensor.js';
import { classIndices } from './indexing.js';

// What every reduction needs: the [outer, size, inner] view of the axis (the whole tensor as one line
// without an axis), the output's shape with the reduced axis kept as size 1, and the output's shape.
// The max of nothing has no value (PyTorch raises too); a sum of nothing is 0 and a logsumexp of
// nothing is log 0 = −∞, as in PyTorch.
function reduction(a: Tensor, axis: number | undefined, keepdims: boolean, op: string): { view: AxisView; kept: Shape; shape: Shape } {
  const ax = axis === undefined ? null : normalizeAxis(axis, a.ndim, op);
  checkBoolean(op, 'keepdims', keepdims);
  const view = ax === null ? { outer: 1, size: a.size, inner: 1 } : axisView(a.shape, ax);
  if (view.size === 0 && op !== 'sum' && op !== 'logsumexp') {
    throw new Error(`${op}: cannot reduce an empty ${ax === null ? 'tensor' : `axis ${ax}`} of shape ${formatShape(a.shape)}`);
  }
  const kept = a.shape.map((size, i) => (ax === null || i === ax ? 1 : size));
  const shape = keepdims ? kept : ax === null ? [] : a.shape.filter((_, i) => i !== ax);
  return { view, kept, shape };
}

// *** sum and mean ***

// out = Σ a over the axis (all elements when axis is undefined)  ⇒  ∂out/∂a = 1: gOut spreads back over the axis
export function sum(a: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  const { view, kept, shape } = reduction(a, axis, keepdims, 'sum');
  return node('sum', shape, kernels.sumAxis(a.data, view), [a], (gOut) => [gOut.reshape(kept).expand(a.shape)]);
}

// mean, composed: sum / count. The mean of nothing is 0/0 = NaN, as in PyTorch and NumPy (a sum of
// nothing is 0; max of nothing is an Error; logsumexp of nothing is log 0 = −∞): docs/autodiff.md.
export function mean(a: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  const count = axis === undefined ? a.size : a.shape[normalizeAxis(axis, a.ndim, 'mean')];
  checkBoolean('mean', 'keepdims', keepdims);
  return withScope('mean', () => a.sum(axis, keepdims).div(count));
}

// *** max and min, argmax and argmin ***

// out = max a over the axis  ⇒  ∂out/∂a = 1/k at each of the k elements equal to the max, else 0
// (ties split the gradient equally, as JAX and torch.amax do; a NaN in a line makes its max NaN)
export function max(a: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  const { view, kept, shape } = reduction(a, axis, keepdims, 'max');
  const data = kernels.maxAxis(a.data, view);
  return node('max', shape, data, [a], (gOut) => [
    gOut.reshape(kept).mul(constant(kernels.maxTieWeights(a.data, data, view), a.shape)),
  ]);
}

// min, composed: −max(−a), so that ties share the gradient exactly as in max.
export function min(a: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  // The arguments are checked here, so that a bad axis or an empty tensor is an Error naming min, not max.
  reduction(a, axis, keepdims, 'min');
  return a.neg().max(axis, keepdims).neg();
}

// The index of the first largest (smallest) element; no gradient: an index is piecewise constant.
// Without an axis it is the flat index into a's row-major data, as torch.argmax(x) gives.
export function argExtreme(a: Tensor, axis: number | undefined, keepdims: boolean, op: 'argmax' | 'argmin'): Tensor {
  const { view, shape } = reduction(a, axis, keepdims, op);
  return new Tensor(kernels.argExtreme(a.data, view, op === 'argmax'), shape);
}

// *** logsumexp, logSoftmax, softmax ***

// out = log Σ exp(a) over the axis  ⇒  ∂out/∂a = exp(a − out) = softmax(a)
// NOTE: the backward takes softmax(a) as exp(logSoftmax(a)) rather than exp(a − out): out is rounded
// (1e4 + ln 2 is not a double), and a − out would carry that rounding into every gradient. The forward
// pass computes it from its own max and sum for a plain backward; a createGraph backward builds it from
// ops, so that it can be differentiated again. Both have the same bits.
export function logsumexp(a: Tensor, axis: number | undefined, keepdims: boolean): Tensor {
  const { view, kept, shape } = reduction(a, axis, keepdims, 'logsumexp');
  const { out, soft } = kernels.logsumexpSoftmax(a.data, view, a.requiresGrad && isGradEnabled());
  return node('logsumexp', shape, out, [a], (gOut) => {
    const softmax =
      !isGradEnabled() && soft !== null
        ? constant(soft, a.shape)
        : axis === undefined
          ? a.reshape([-1]).softmax(0).reshape(a.shape)
          : a.softmax(axis);
    return [gOut.reshape(kept).mul(softmax)];
  });
}

// out = a − log Σ exp(a)  ⇒  gIn = gOut − softmax(a) · Σ gOut
// NOTE: fused (not log(softmax)) so that the max is subtracted once and log p stays exact at logits ±1e4.
export function logSoftmax(a: Tensor, axis: number): Tensor {
  const ax = normalizeAxis(axis, a.ndim, 'logSoftmax');
  return node('logSoftmax', a.shape, kernels.logSoftmaxAxis(a.data, axisView(a.shape, ax)), [a], (gOut, out) => [
    gOut.sub(out.exp().mul(gOut.sum(ax, true))),
  ]);
}

// softmax, composed: exp(logSoftmax(a)), which inherits its stability.
export function softmax(a: Tensor, axis: number): Tensor {
  return withScope('softmax', () => a.logSoftmax(normalizeAxis(axis, a.ndim, 'softmax')).exp());
}

// out[i] = log((1 − p_t) / p_t) = log Σ_{j≠t} e^{z_j − z_t}, p = softmax(z) of row i of an [N, C] tensor, t = indices[i]
// ⇒  ∂out/∂z_t = −1,  ∂out/∂z_j = s_j for j ≠ t, s the softmax over the row's other classes
// NOTE: fused, for the numerics of p_t → 1 (docs/focal-loss.md): p_t = 1 / (1 + e^out), so −log p_t =
// softplus(out) and 1 − p_t = σ(out) keep every digit where logSoftmax(z).pick(t) rounds log(1 + tiny)
// away. The shift by z_t keeps z_j − z_t exact for close logits (Sterbenz); the rest is logsumexp's
// max-out, in one pass over the row. The plain backward takes s from the forward pass; a createGraph
// backward builds it from ops (t masked to −∞), with the same bits.
export function logOddsAgainst(a: Tensor, indices: Indices): Tensor {
  if (a.ndim !== 2 || a.shape[1] < 2) {
    throw new Error(`logOddsAgainst: expected an [N, C] tensor with C ≥ 2 classes, got shape ${formatShape(a.shape)}`);
  }
  const [n, classes] = a.shape;
  const index = classIndices('logOddsAgainst', indices, classes, { rows: n });
  const { out, soft } = kernels.logOddsAgainstRows(a.data, index, classes, a.requiresGrad && isGradEnabled());
  return node('logOddsAgainst', [n], out, [a], (gOut) => {
    if (!isGradEnabled() && soft !== null) return [constant(kernels.logOddsAgainstBackward(gOut.data, soft, index, classes), a.shape)];
    const hot = oneHot(index, classes);
    const mask = constant(hot.map((h) => (h === 1 ? -Infinity : 0)), a.shape);
    const d = a.sub(a.pick(index).reshape([n, 1])).add(mask); //  z_j − z_t, −∞ at t
    const e = d.sub(d.detach().max(-1, true)).exp(); //             the max a constant: s does not depend on it
    const s = e.div(e.sum(-1, true));
    return [gOut.reshape([n, 1]).mul(s.sub(constant(hot, a.shape)))];
  });
}
