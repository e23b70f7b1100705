// The reduction every loss ends with: 'none', 'sum' or 'mean' over a denominator the loss chooses.
import { type Tensor, describeValue, withScope } from '../engine/index.js';

/** How a loss combines its per-sample (or per-element) values: their mean, their sum, or none. */
export type Reduction = 'mean' | 'sum' | 'none';

export function checkReduction(name: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${name}: unknown reduction ${describeValue(reduction)} (expected 'mean', 'sum' or 'none')`);
  }
  return reduction;
}

// 'none': the per-sample losses (in `shape` when given: a dense loss's map); 'sum': their sum;
// 'mean': the sum over `denominator`.
// NOTE: a zero denominator (every sample ignored, or every weight 0) gives 0 rather than PyTorch's
// NaN: every term is then 0 as well, and the graph stays connected with an all-zero gradient.
export function reduce(perSample: Tensor, reduction: Reduction, denominator: number, shape?: readonly number[]): Tensor {
  if (reduction === 'none') return shape === undefined ? perSample : perSample.reshape(shape);
  return withScope(reduction, () => {
    const total = perSample.sum();
    return reduction === 'sum' || denominator === 0 ? total : total.div(denominator);
  });
}
