// gradcheck and gradgradcheck: the analytic gradient against central differences, in float64.
import { gradients } from './autograd.js';
import { randn } from './create.js';
import { rng } from './rng.js';
import { formatShape, sameShape } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Options of `gradcheck` and `gradgradcheck`: the step and tolerances (PyTorch's gradcheck defaults), and the seed of the random upstream gradient.
 */
export interface GradcheckOptions {
  /** the step of the central difference (PyTorch's default) */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** the upstream gradient; default: seeded standard normal of the output's shape */
  gOut?: Tensor;
  seed?: number;
}

/** Where `gradcheck` found its worst disagreement: the input, the element, and both values. */
export interface GradcheckWorst {
  /** position of the input in the inputs array */
  input: number;
  /** multi-index of the element within that input */
  index: number[];
  analytic: number;
  numeric: number;
}

/**
 * What `gradcheck` found: whether every element passed, the worst absolute and relative errors and where they occurred.
 */
export interface GradcheckResult {
  /** every element satisfies |analytic − numeric| ≤ atol + rtol·|numeric| */
  ok: boolean;
  maxAbsError: number;
  /** the largest |analytic − numeric| / max(|analytic|, |numeric|) */
  maxRelError: number;
  /** the element furthest beyond its tolerance (or closest to it when all pass) */
  worst: GradcheckWorst | null;
  message: string;
}

type Differentiable = (...inputs: Tensor[]) => Tensor;

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = flat % shape[axis];
    flat = Math.floor(flat / shape[axis]);
  }
  return index;
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i] * b[i];
  return total;
}

/**
 * Checks the analytic gradient of f against central differences in float64, one input element at a
 * time, under a random upstream gradient (torch.autograd.gradcheck's test:
 * |analytic − numeric| ≤ atol + rtol·|numeric|). Returns the verdict and the worst error, with where it was.
 * @example
 * const result = gradcheck((x) => x.tanh().sum(), [randn([3], rng(0), { requiresGrad: true })]);
 * result.ok; // true
 */
// Checks the vector–Jacobian product gOutᵀ·J of f at inputs, one input element at a time:
// numeric = (gOut · f(x + eps·e) − gOut · f(x − eps·e)) / (2·eps).
export function gradcheck(f: Differentiable, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  if (!Array.isArray(inputs)) throw new Error(`gradcheck: inputs must be an array of Tensors, got ${typeof inputs}`);
  inputs.forEach((t: unknown, i) => {
    if (!(t instanceof Tensor)) throw new Error(`gradcheck: input ${i} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  });
  const leaves = inputs.map((t) => new Tensor(t.data.slice(), t.shape, true));
  const evaluate = (): Tensor => {
    const out = f(...leaves);
    if (!(out instanceof Tensor)) throw new Error(`gradcheck: f must return a Tensor, got ${typeof out}`);
    return out;
  };
  const out = evaluate();
  const gOut = options.gOut ?? randn(out.shape, rng(options.seed ?? 0));
  if (!sameShape(gOut.shape, out.shape)) {
    throw new Error(`gradcheck: gOut has shape ${formatShape(gOut.shape)} but f returns ${formatShape(out.shape)}`);
  }
  const analytic = gradients(out, leaves, gOut);

  let maxAbsError = 0;
  let maxRelError = 0;
  let worst: GradcheckWorst | null = null;
  let worstRatio = -1;
  leaves.forEach((leaf, input) => {
    for (let j = 0; j < leaf.size; j++) {
      const saved = leaf.data[j];
      leaf.data[j] = saved + eps;
      const plus = dot(gOut.data, evaluate().data);
      leaf.data[j] = saved - eps;
      const minus = dot(gOut.data, evaluate().data);
      leaf.data[j] = saved;
      const numeric = (plus - minus) / (2 * eps);
      const a = analytic[input].data[j];
      const error = Math.abs(a - numeric);
      const scale = Math.max(Math.abs(a), Math.abs(numeric));
      // NaN anywhere counts as the worst possible disagreement.
      const ratio = Number.isNaN(error) ? Infinity : error / (atol + rtol * Math.abs(numeric));
      maxAbsError = Number.isNaN(error) ? Infinity : Math.max(maxAbsError, error);
      maxRelError = Math.max(maxRelError, error === 0 ? 0 : Number.isNaN(error) ? Infinity : error / scale);
      if (ratio > worstRatio) {
        worstRatio = ratio;
        worst = { input, index: unravel(j, leaf.shape), analytic: a, numeric };
      }
    }
  });
  const ok = worstRatio <= 1;
  const w = worst as GradcheckWorst | null;
  const where = w === null ? 'no elements' : `input ${w.input} at [${w.index.join(',')}]: analytic ${w.analytic} vs numeric ${w.numeric}`;
  const message = ok
    ? `gradcheck passed: max |analytic − numeric| = ${maxAbsError.toExponential(2)} (worst ${where})`
    : `gradcheck failed: ${where} (|diff| = ${Math.abs(w!.analytic - w!.numeric).toExponential(3)} > ${atol} + ${rtol}·|numeric|)`;
  return { ok, maxAbsError, maxRelError, worst: w, message };
}

/** gradcheck one order up: checks the gradient of the backward pass itself, as torch.autograd.gradgradcheck. */
// Second order: gradcheck of x, gOut ↦ Σᵢ wᵢ · (∂(gOut · f)/∂xᵢ), the backward pass itself under a
// fixed random projection wᵢ, differentiated with respect to both the inputs and gOut.
export function gradgradcheck(f: Differentiable, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const seed = options.seed ?? 0;
  const outShape = f(...inputs.map((t) => new Tensor(t.data, t.shape))).shape;
  const gOut = options.gOut ?? randn(outShape, rng(seed + 1));
  const projection = inputs.map((t, i) => randn(t.shape, rng(seed + 2 + i)));
  const backwardPass = (...args: Tensor[]): Tensor => {
    const xs = args.slice(0, inputs.length);
    const upstream = args[inputs.length];
    const grads = gradients(f(...xs), xs, upstream, true);
    return grads.reduce((total: Tensor, g, i) => total.add(g.mul(projection[i]).sum()), new Tensor(new Float64Array(1), []));
  };
  return gradcheck(backwardPass, [...inputs, gOut], { ...options, gOut: undefined });
}
