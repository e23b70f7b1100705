// Optimisers with PyTorch's update rules: SGD (momentum, Nesterov), Adam and AdamW.
// Their state (momentum buffers, moments, step counts) lives here, never on the tensors.
// step() updates each parameter's .data in place with plain loops: no Tensor ops, no allocation.
import { Tensor, checkBoolean, checkFinite, checkOptions, checkRange, describeValue } from '../engine/index.js';

/** Options of {@link SGD}: torch.optim.SGD's, camel-cased. */
export interface SGDOptions {
  lr: number;
  momentum?: number;
  /** the share (1 − dampening) of each new gradient that enters the momentum buffer */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0, as in PyTorch) */
  nesterov?: boolean;
  /** L2 penalty added to the gradient: g ← g + weightDecay·θ */
  weightDecay?: number;
  /** ascend instead: the gradient is negated before everything else */
  maximize?: boolean;
}

/** Options of {@link Adam} and {@link AdamW}: torch.optim.Adam's, camel-cased. */
export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0); AdamW: decoupled θ ← θ·(1 − lr·weightDecay) (default 1e-2) */
  weightDecay?: number;
  /** AMSGrad (Reddi et al. 2018): the denominator uses the running maximum of v */
  amsgrad?: boolean;
  /** ascend instead: the gradient is negated before everything else */
  maximize?: boolean;
}

const SGD_KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay', 'maximize'] as const;
const ADAM_KEYS = ['lr', 'betas', 'eps', 'weightDecay', 'amsgrad', 'maximize'] as const;

/** One parameter's SGD state, as `sgd.state()` returns it (torch: optimizer.state[p]). */
export interface SGDParamState {
  /** null until the parameter's first step with momentum */
  momentumBuffer: Float64Array | null;
}

/**
 * One parameter's Adam state, as `adam.state()` returns it: the step count and both moment estimates (torch: exp_avg, exp_avg_sq).
 */
export interface AdamParamState {
  /** the number of steps this parameter has taken (those where it had a gradient) */
  step: number;
  expAvg: Float64Array;
  expAvgSq: Float64Array;
  /** the running maximum of expAvgSq (amsgrad only, else null) */
  maxExpAvgSq: Float64Array | null;
}

/**
 * What SGD, Adam and AdamW share: the parameters, the learning rate, `step()` and `zeroGrad()` (torch.optim.Optimizer).
 */
export abstract class Optimizer {
  /** The tensors this optimizer updates, in the order given. */
  readonly params: readonly Tensor[];
  protected readonly name: string;
  private learningRate: number;

  protected constructor(name: string, params: readonly Tensor[], lr: number) {
    this.name = name;
    if (!Array.isArray(params) || params.length === 0) {
      throw new Error(`${name}: params must be a non-empty array of Tensors (e.g. model.parameters()), got ${describeValue(params)}`);
    }
    const seen = new Set<Tensor>();
    // NOTE: a plain loop, not forEach, which skips holes: a sparse array's hole is not a Tensor either.
    for (let i = 0; i < params.length; i++) {
      const p: unknown = params[i];
      if (!(p instanceof Tensor)) throw new Error(`${name}: params[${i}] must be a Tensor, got ${describeValue(p)}`);
      if (p.op !== 'leaf' || !p.requiresGrad) {
        throw new Error(
          `${name}: params[${i}] must be a leaf Tensor with requiresGrad: true, got a ${p.op} tensor with requiresGrad: ${p.requiresGrad}`,
        );
      }
      if (seen.has(p)) throw new Error(`${name}: params[${i}] appears more than once in params`);
      seen.add(p);
    }
    this.params = Object.freeze(params.slice());
    this.learningRate = checkLr(name, lr);
  }

  /** The learning rate; assignable between steps (a schedule), and checked as the constructor checks it. */
  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = checkLr(this.name, value);
  }

  /** Updates every parameter that has a .grad (those without one are skipped, as in PyTorch). */
  abstract step(): void;

  /** Sets every parameter's .grad to null, as torch's zero_grad(set_to_none=True). */
  zeroGrad(): void {
    for (let i = 0; i < this.params.length; i++) this.params[i].grad = null;
  }

  // The gradient's values for parameter q, or null when it has none (it is then skipped).
  protected gradOf(q: number): Float64Array | null {
    const p = this.params[q];
    const g = p.grad;
    if (g === null) return null;
    if (g.size !== p.size) {
      throw new Error(`${this.name}: params[${q}] has ${p.size} values but its grad has ${g.size}`);
    }
    return g.data;
  }
}

/**
 * Stochastic gradient descent with momentum, dampening, Nesterov, weight decay and maximize, following
 * torch.optim.SGD's update rule to the last bit float64 allows.
 * @example
 * const opt = new SGD(mlp.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
// torch.optim.SGD, per element (torch/optim/sgd.py, _single_tensor_sgd):
//   g ← −g  (maximize)
//   g ← g + λ·θ                              (weight decay λ)
//   b ← g on the first step, else b ← b·μ + (1 − τ)·g   (momentum μ, dampening τ)
//   g ← g + μ·b  (Nesterov)   or   g ← b
//   θ ← θ − lr·g
export class SGD extends Optimizer {
  /** The momentum factor μ (0: none). */
  readonly momentum: number;
  /** The dampening of the momentum buffer's update. */
  readonly dampening: number;
  /** Whether the step uses Nesterov momentum. */
  readonly nesterov: boolean;
  /** The weight decay λ (L2: λθ is added to the gradient). */
  readonly weightDecay: number;
  /** Whether the step ascends the objective instead (torch's maximize). */
  readonly maximize: boolean;
  private readonly buffers: (Float64Array | null)[];

  /** @example new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true }) */
  constructor(params: readonly Tensor[], options: SGDOptions) {
    const opts = checkOptions<SGDOptions>('SGD', options, SGD_KEYS);
    const { lr, momentum = 0, dampening = 0, nesterov = false, weightDecay = 0, maximize = false } = opts;
    super('SGD', params, lr as number);
    this.maximize = checkBoolean('SGD', 'maximize', maximize);
    this.momentum = checkNonNegative('SGD', 'momentum', momentum);
    this.dampening = checkFinite('SGD', 'dampening', dampening);
    this.weightDecay = checkNonNegative('SGD', 'weightDecay', weightDecay);
    if (typeof nesterov !== 'boolean') throw new Error(`SGD: nesterov must be a boolean, got ${describeValue(nesterov)}`);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new Error(
        `SGD: nesterov requires momentum > 0 and dampening = 0, got momentum ${momentum}, dampening ${dampening}`,
      );
    }
    this.nesterov = nesterov;
    this.buffers = this.params.map(() => null);
  }

  /** One update of every parameter that has a .grad, by torch.optim.SGD's rule. */
  step(): void {
    const lr = this.lr;
    const mu = this.momentum;
    const keep = 1 - this.dampening;
    const wd = this.weightDecay;
    const nesterov = this.nesterov;
    const sign = this.maximize ? -1 : 1;
    for (let q = 0; q < this.params.length; q++) {
      const grad = this.gradOf(q);
      if (grad === null) continue;
      const theta = this.params[q].data;
      const n = theta.length;
      if (mu === 0) {
        for (let i = 0; i < n; i++) {
          const g = wd === 0 ? sign * grad[i] : sign * grad[i] + wd * theta[i];
          theta[i] = theta[i] - lr * g;
        }
        continue;
      }
      let buf = this.buffers[q];
      const first = buf === null;
      if (buf === null) buf = this.buffers[q] = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let g = wd === 0 ? sign * grad[i] : sign * grad[i] + wd * theta[i];
        const b = first ? g : buf[i] * mu + keep * g;
        buf[i] = b;
        g = nesterov ? g + mu * b : b;
        theta[i] = theta[i] - lr * g;
      }
    }
  }

  /** A copy of each parameter's state (the momentum buffer), in params order. */
  state(): SGDParamState[] {
    return this.buffers.map((b) => ({ momentumBuffer: b === null ? null : b.slice() }));
  }
}

/**
 * Adam (Kingma & Ba 2015) with torch.optim.Adam's update rule and defaults (lr 1e-3, betas
 * [0.9, 0.999], eps 1e-8); weightDecay adds λθ to the gradient (L2), unlike AdamW.
 * @example
 * const opt = new Adam(mlp.parameters(), { lr: 5e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
// torch.optim.Adam / AdamW, per element, at the parameter's step t (counted from 1):
//   g ← −g  (maximize)
//   Adam:  g ← g + λ·θ            AdamW:  θ ← θ·(1 − lr·λ)
//   m ← m + (1 − β₁)·(g − m)              (torch.lerp; the same as β₁·m + (1 − β₁)·g up to rounding)
//   v ← v·β₂ + (1 − β₂)·g·g
//   v̂ ← max(v̂, v) (amsgrad; v̂ starts at 0), else v̂ = v
//   θ ← θ − (lr / (1 − β₁ᵗ))·m / (√v̂ / √(1 − β₂ᵗ) + ε)
// NOTE: the operations are PyTorch's, in PyTorch's order (torch/optim/adam.py's single-tensor path,
// which CPU tensors take, with ATen's scalar lerp/addcmul/addcdiv), so that the bits match a rule
// written out by hand in that order; the tests hold step() to exactly that. Where ATen vectorises,
// its lerp uses a fused multiply-add that JavaScript lacks, so agreement with PyTorch itself is to
// an ulp or so per step, not guaranteed bit for bit (β^t via ** may also differ from C's pow by an ulp).
export class Adam extends Optimizer {
  // NOTE: AdamW is Adam with these two changed (as in PyTorch, where AdamW subclasses Adam).
  protected static readonly optimizerName: string = 'Adam';
  protected static readonly decoupledWeightDecay: boolean = false;

  /** β₁, the decay of the first-moment estimate. */
  readonly beta1: number;
  /** β₂, the decay of the second-moment estimate. */
  readonly beta2: number;
  /** ε, added to the denominator for numerical stability. */
  readonly eps: number;
  /** The weight decay λ: added to the gradient (L2) by Adam, applied to the parameters directly by AdamW. */
  readonly weightDecay: number;
  /** Whether the AMSGrad variant is used: the denominator takes the running maximum of v (Reddi et al. 2018). */
  readonly amsgrad: boolean;
  /** Whether the step ascends the objective instead (torch's maximize). */
  readonly maximize: boolean;
  private readonly decoupled: boolean;
  private readonly steps: Float64Array;
  private readonly expAvg: Float64Array[];
  private readonly expAvgSq: Float64Array[];
  private readonly maxExpAvgSq: Float64Array[] | null;

  /** @example new Adam(model.parameters(), { lr: 1e-2, amsgrad: true }) */
  constructor(params: readonly Tensor[], options: AdamOptions | null = {}) {
    const variant = new.target as typeof Adam;
    const name = variant.optimizerName;
    const decoupled = variant.decoupledWeightDecay;
    const opts = checkOptions<AdamOptions>(name, options, ADAM_KEYS);
    const { lr = 1e-3, betas = [0.9, 0.999], eps = 1e-8, weightDecay = decoupled ? 1e-2 : 0, amsgrad = false, maximize = false } = opts;
    super(name, params, lr);
    this.amsgrad = checkBoolean(name, 'amsgrad', amsgrad);
    this.maximize = checkBoolean(name, 'maximize', maximize);
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new Error(`${name}: betas must be a pair [β₁, β₂], got ${describeValue(betas)}`);
    }
    betas.forEach((beta: unknown, i) => {
      if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) {
        throw new Error(`${name}: betas[${i}] must be a number in [0, 1), got ${describeValue(beta)}`);
      }
    });
    this.beta1 = betas[0];
    this.beta2 = betas[1];
    // NOTE: PyTorch takes eps = 0, and a zero gradient then gives 0/0 = NaN parameters; we refuse it.
    this.eps = checkRange(name, 'eps', eps, 0, Infinity, { minExclusive: true });
    this.weightDecay = checkNonNegative(name, 'weightDecay', weightDecay);
    this.decoupled = decoupled;
    this.steps = new Float64Array(this.params.length);
    this.expAvg = this.params.map((p) => new Float64Array(p.size));
    this.expAvgSq = this.params.map((p) => new Float64Array(p.size));
    this.maxExpAvgSq = amsgrad ? this.params.map((p) => new Float64Array(p.size)) : null;
  }

  /** One update of every parameter that has a .grad, by torch.optim.Adam's (AdamW's) rule. */
  step(): void {
    const lr = this.lr;
    const beta1 = this.beta1;
    const beta2 = this.beta2;
    const eps = this.eps;
    const wd = this.weightDecay;
    const w1 = 1 - beta1;
    const w2 = 1 - beta2;
    const small = w1 < 0.5; // torch.lerp's two branches, chosen by the weight
    const w1c = 1 - w1;
    const l2 = this.decoupled ? 0 : wd;
    const decay = this.decoupled ? 1 - lr * wd : 1;
    const sign = this.maximize ? -1 : 1;
    for (let q = 0; q < this.params.length; q++) {
      const grad = this.gradOf(q);
      if (grad === null) continue;
      const t = (this.steps[q] += 1);
      const stepSize = lr / (1 - beta1 ** t);
      const negStep = -stepSize;
      const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
      const theta = this.params[q].data;
      const m = this.expAvg[q];
      const v = this.expAvgSq[q];
      const vMax = this.maxExpAvgSq === null ? null : this.maxExpAvgSq[q];
      const n = theta.length;
      for (let i = 0; i < n; i++) {
        let th = theta[i];
        if (decay !== 1) th = th * decay;
        const g = l2 === 0 ? sign * grad[i] : sign * grad[i] + l2 * th;
        const mi = small ? m[i] + w1 * (g - m[i]) : g - (g - m[i]) * w1c;
        const vi = v[i] * beta2 + w2 * g * g;
        m[i] = mi;
        v[i] = vi;
        let vHat = vi;
        if (vMax !== null) vHat = vMax[i] = Math.max(vMax[i], vi);
        theta[i] = th + (negStep * mi) / (Math.sqrt(vHat) / bc2Sqrt + eps);
      }
    }
  }

  /** A copy of each parameter's state (step count, first and second moments), in params order. */
  state(): AdamParamState[] {
    return this.params.map((_, q) => ({
      step: this.steps[q],
      expAvg: this.expAvg[q].slice(),
      expAvgSq: this.expAvgSq[q].slice(),
      maxExpAvgSq: this.maxExpAvgSq === null ? null : this.maxExpAvgSq[q].slice(),
    }));
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019), torch.optim.AdamW: weightDecay (default 1e-2) shrinks the parameters directly, decoupled from the gradient.
 */
export class AdamW extends Adam {
  protected static override readonly optimizerName: string = 'AdamW';
  protected static override readonly decoupledWeightDecay: boolean = true;
}

function checkLr(name: string, lr: unknown): number {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) {
    throw new Error(`${name}: lr must be a positive finite number, got ${describeValue(lr)}`);
  }
  return lr;
}

function checkNonNegative(name: string, what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${name}: ${what} must be a non-negative finite number, got ${describeValue(value)}`);
  }
  return value;
}
