// The functional form of backward: grad(f), JAX-style, and gradients() as torch.autograd.grad.
import { runBackward, topologicalOrder } from './backward.js';
import { checkFunction } from './checks.js';
import { describeValue, formatShape } from './format.js';
import { isGradEnabled, withGradMode } from './gradMode.js';
import { Tensor } from './tensor.js';

/**
 * The gradient of `output` with respect to each of `inputs` (zeros where it does not depend on one), leaving every `.grad` untouched: torch.autograd.grad.
 */
export function gradients(output: Tensor, inputs: readonly Tensor[], gOut?: Tensor, createGraph = false): Tensor[] {
  const zerosLike = (t: Tensor): Tensor => new Tensor(new Float64Array(t.size), t.shape);
  if (!output.requiresGrad) return inputs.map(zerosLike);
  const upstream = gOut ?? new Tensor(new Float64Array(output.size).fill(1), output.shape);
  if (gOut === undefined && output.size !== 1) {
    throw new Error(`gradients: gOut is required for a non-scalar output of shape ${formatShape(output.shape)}`);
  }
  const found = runBackward(output, upstream, createGraph, inputs);
  return found.map((g, i) => g ?? zerosLike(inputs[i]));
}

/**
 * The gradient function of a scalar-valued f with respect to its first argument, as JAX's grad:
 * `grad(f)(x, ...rest)` = ∂f/∂x, zeros where f does not depend on x. It nests, for higher derivatives.
 * @example
 * const d2 = grad((x: Tensor) => grad((y: Tensor) => y.pow(3).sum())(x).sum());
 * d2(tensor([2])).toArray(); // [12] = 6x
 */
// grad(f)(x, ...rest) = ∂f/∂x for a scalar-valued f. It nests: when f's value depends on a tensor
// that an outer computation differentiates (x itself, a rest argument or one captured by f), the
// result is recorded, so that an outer grad or backward can differentiate it again.
export function grad<Rest extends unknown[]>(
  f: (x: Tensor, ...rest: Rest) => Tensor,
): (x: Tensor, ...rest: Rest) => Tensor {
  checkFunction('grad', 'f', f);
  return (x: Tensor, ...rest: Rest): Tensor => {
    if (!(x instanceof Tensor)) throw new Error(`grad: the first argument must be a Tensor, got ${describeValue(x)}`);
    // A fresh node standing for x, so that only ∂f/∂x is collected and x's own graph stays intact.
    const input = isGradEnabled() && x.requiresGrad ? x.reshape(x.shape) : new Tensor(x.data, x.shape, true);
    const output = withGradMode(true, () => f(input, ...rest));
    if (!(output instanceof Tensor) || output.size !== 1) {
      const got = output instanceof Tensor ? `shape ${formatShape(output.shape)}` : describeValue(output);
      throw new Error(`grad: f must return a one-element Tensor, got ${got}`);
    }
    const outer = isGradEnabled() && reachesOtherLeaf(output, input);
    return withGradMode(outer, () => gradients(output, [input], undefined, outer)[0]);
  };
}

// Whether output depends on a leaf that requires grad other than input (through x's own graph,
// a rest argument or a captured tensor): only then must the gradient be recorded.
function reachesOtherLeaf(output: Tensor, input: Tensor): boolean {
  if (!output.requiresGrad) return false;
  return topologicalOrder(output).some((t) => t !== input && t.backwardRule === null);
}
