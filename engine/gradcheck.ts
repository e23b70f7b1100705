// gradcheck and gradgradcheck: the analytic gradient against central differences, in float64.
import { gradients } from './autograd.js';
import { checkFunction, checkInteger, checkOptions, checkRange } from './checks.js';
import { randn } from './create.js';
import { describeValue, formatShape } from './format.js';
import { rng } from './rng.js';
import { sameShape } from './shape.js';
import { Tensor } from './tensor.js';

/**
 * Options of `gradcheck` and `gradgradcheck`: the step and tolerances (PyTorch's gradcheck defaults), and the seed of the random upstream gradient.
 */
export interface GradcheckOptions {
  /** the step of the central difference, a finite number > 0 (default 1e-6, PyTorch's) */
  eps?: number;
  /** absolute tolerance, finite and ≥ 0 (default 1e-5) */
  atol?: number;
  /** relative tolerance, finite and ≥ 0 (default 1e-3) */
  rtol?: number;
  /** the upstream gradient; default: seeded standard normal of the output's shape */
  gOut?: Tensor;
  /** the integer seed of the default gOut (default 0) */
  seed?: number;
}

const GRADCHECK_KEYS = ['eps', 'atol', 'rtol', 'gOut', 'seed'] as const;

interface CheckedOptions {
  eps: number;
  atol: number;
  rtol: number;
  gOut: Tensor | undefined;
  seed: number;
}

// NOTE: a tolerance of NaN or −1 would make every comparison pass or fail whatever the gradient:
// a checker that can be talked into passing a wrong gradient is worse than none.
function checkGradcheckArgs(fn: string, f: unknown, inputs: unknown, options: unknown): CheckedOptions {
  checkFunction(fn, 'f', f);
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new Error(`${fn}: inputs must be a non-empty array of Tensors, got ${describeValue(inputs)}`);
  }
  // NOTE: a plain loop, not forEach, which skips holes (and takes its time over 2³² − 1 of them).
  for (let i = 0; i < inputs.length; i++) {
    const t: unknown = inputs[i];
    if (!(t instanceof Tensor)) throw new Error(`${fn}: input ${i} must be a Tensor, got ${describeValue(t)}`);
  }
  const o = checkOptions<GradcheckOptions>(fn, options, GRADCHECK_KEYS);
  const gOut = o.gOut;
  if (gOut !== undefined && !(gOut instanceof Tensor)) throw new Error(`${fn}: gOut must be a Tensor, got ${describeValue(gOut)}`);
  return {
    eps: o.eps === undefined ? 1e-6 : checkRange(fn, 'eps', o.eps, 0, Infinity, { minExclusive: true }),
    atol: o.atol === undefined ? 1e-5 : checkRange(fn, 'atol', o.atol, 0, Infinity),
    rtol: o.rtol === undefined ? 1e-3 : checkRange(fn, 'rtol', o.rtol, 0, Infinity),
    gOut,
    seed: o.seed === undefined ? 0 : checkInteger(fn, 'seed', o.seed),
  };
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
 * Checks the vector–Jacobian product gOutᵀ·J of f at inputs against central differences in float64,
 * one input element at a time: numeric = (gOut · f(x + eps·e) − gOut · f(x − eps·e)) / (2·eps), and
 * each element passes when |analytic − numeric| ≤ atol + rtol·|numeric| (torch.autograd.gradcheck's
 * test). Its options are checked: eps > 0, atol ≥ 0, rtol ≥ 0, all finite, seed an integer.
 * @example gradcheck((x) => x.mul(x).sum(), [tensor([1, 2])]).ok // true
 */
export function gradcheck(f: Differentiable, inputs: readonly Tensor[], options?: GradcheckOptions | null): GradcheckResult {
  return runGradcheck('gradcheck', f, inputs, checkGradcheckArgs('gradcheck', f, inputs, options));
}

function runGradcheck(fn: string, f: Differentiable, inputs: readonly Tensor[], options: CheckedOptions): GradcheckResult {
  const { eps, atol, rtol } = options;
  const leaves = inputs.map((t) => new Tensor(t.data.slice(), t.shape, true));
  const evaluate = (): Tensor => {
    const out = f(...leaves);
    if (!(out instanceof Tensor)) throw new Error(`${fn}: f must return a Tensor, got ${describeValue(out)}`);
    return out;
  };
  const out = evaluate();
  const gOut = options.gOut ?? randn(out.shape, rng(options.seed));
  if (!sameShape(gOut.shape, out.shape)) {
    throw new Error(`${fn}: gOut has shape ${formatShape(gOut.shape)} but f returns ${formatShape(out.shape)}`);
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
  const where = w === null ? 'no elements' : `input ${w.input} at ${formatShape(w.index)}: analytic ${w.analytic} vs numeric ${w.numeric}`;
  // The message says which check ran, so that a pass under loosened tolerances cannot pass for a strict one.
  const test = `|analytic − numeric| ≤ atol + rtol·|numeric| with atol = ${atol}, rtol = ${rtol}, eps = ${eps}`;
  const message = ok
    ? `${fn} passed: max |analytic − numeric| = ${maxAbsError.toExponential(2)} (worst ${where}; checked ${test})`
    : `${fn} failed: ${where} (|diff| = ${Math.abs(w!.analytic - w!.numeric).toExponential(3)}; checked ${test})`;
  return { ok, maxAbsError, maxRelError, worst: w, message };
}

/**
 * Second order (torch.autograd.gradgradcheck): gradcheck of x, gOut ↦ Σᵢ wᵢ · (∂(gOut · f)/∂xᵢ), the
 * backward pass itself under a fixed random projection wᵢ, differentiated with respect to both the
 * inputs and gOut. Same options and checks as `gradcheck`.
 * @example gradgradcheck((x) => x.pow(3).sum(), [tensor([1, 2])]).ok // true
 */
export function gradgradcheck(f: Differentiable, inputs: readonly Tensor[], options?: GradcheckOptions | null): GradcheckResult {
  const checked = checkGradcheckArgs('gradgradcheck', f, inputs, options);
  const seed = checked.seed;
  const first = f(...inputs.map((t) => new Tensor(t.data, t.shape)));
  if (!(first instanceof Tensor)) throw new Error(`gradgradcheck: f must return a Tensor, got ${describeValue(first)}`);
  const outShape = first.shape;
  const gOut = checked.gOut ?? randn(outShape, rng(seed + 1));
  const projection = inputs.map((t, i) => randn(t.shape, rng(seed + 2 + i)));
  const backwardPass = (...args: Tensor[]): Tensor => {
    const xs = args.slice(0, inputs.length);
    const upstream = args[inputs.length];
    const grads = gradients(f(...xs), xs, upstream, true);
    return grads.reduce((total: Tensor, g, i) => total.add(g.mul(projection[i]).sum()), new Tensor(new Float64Array(1), []));
  };
  return runGradcheck('gradgradcheck', backwardPass, [...inputs, gOut], { ...checked, gOut: undefined });
}
