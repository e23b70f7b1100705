// Reductions added to sum/mean/max/logsumexp: min, and the index-valued argmax and argmin.
import { Tensor, reduction } from '../tensor.js';
import * as opKernels from './kernels.js';

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
  return new Tensor(opKernels.argExtreme(a.data, view, op === 'argmax'), shape);
}

