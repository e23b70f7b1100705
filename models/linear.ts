// Linear: a fully connected layer, out = x·W + b, with W stored as [in, out].
import { type Rng, Tensor, addmm, allocate, checkBoolean, checkOptions, checkSize, describeValue, formatShape, withScope, zeros } from '../engine/index.js';

/** Weight initialisation: 'kaiming' (He: std √(2/in), for ReLU) or 'glorot' (std √(2/(in + out)), for tanh). */
export type Init = 'kaiming' | 'glorot';

/** Options of `Linear`: the seeded generator for the initial weights (required), `init`, and `bias` (default true). */
export interface LinearOptions {
  rng: Rng;
  /** 'kaiming' (std √(2/in), for relu; the default) or 'glorot' (std √(2/(in + out)), for tanh) */
  init?: Init;
  bias?: boolean;
}

/**
 * A fully connected layer, out = x·W + b, as torch.nn.Linear — except that W is stored as
 * [in, out] (torch stores its transpose; `toSafetensors` writes torch's layout). Weights are drawn
 * from the seeded generator; biases start at zero.
 * @example
 * const layer = new Linear(2, 3, { rng: rng(0) });
 * layer.forward(tensor([[1, 2]])); // shape [1, 3]
 */
export class Linear {
  /** The number of input features (the size of x's last axis). */
  readonly inFeatures: number;
  /** The number of outputs. */
  readonly outFeatures: number;
  /** W, of shape [inFeatures, outFeatures]; a leaf that requires grad. */
  // NOTE: assignable, as in PyTorch, so that a test can swap in its own leaves (gradcheck does).
  weight: Tensor;
  /** b, of shape [outFeatures] (null when built with `bias: false`); a leaf that requires grad. */
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions) {
    checkFeatures(inFeatures, 'inFeatures');
    checkFeatures(outFeatures, 'outFeatures');
    checkSize('Linear', inFeatures * outFeatures, [inFeatures, outFeatures]);
    const { rng, init = 'kaiming', bias = true } = checkOptions<LinearOptions>('Linear', options, ['rng', 'init', 'bias']);
    if (typeof rng !== 'object' || rng === null || typeof rng.normal !== 'function') {
      throw new Error(`Linear: options.rng must be a seeded generator from rng(seed), got ${describeValue(rng)}`);
    }
    if (init !== 'kaiming' && init !== 'glorot') {
      throw new Error(`Linear: init must be 'kaiming' or 'glorot', got ${describeValue(init)}`);
    }
    checkBoolean('Linear', 'bias', bias);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    const std = init === 'kaiming' ? Math.sqrt(2 / inFeatures) : Math.sqrt(2 / (inFeatures + outFeatures));
    const data = allocate('Linear', inFeatures * outFeatures, [inFeatures, outFeatures]);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal() * std;
    this.weight = new Tensor(data, [inFeatures, outFeatures], true).named('weight');
    this.bias = bias ? zeros([outFeatures], { requiresGrad: true }).named('bias') : null;
  }

  /** x [N, inFeatures] → x·W + b [N, outFeatures]. */
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.ndim !== 2 || x.shape[1] !== this.inFeatures) {
      const got = x instanceof Tensor ? formatShape(x.shape) : describeValue(x);
      throw new Error(`Linear: expected input of shape [N, ${this.inFeatures}], got ${got}`);
    }
    // NOTE: addmm, not matmul then add: one array and one graph node per layer instead of two.
    return withScope('Linear', () => (this.bias === null ? x.matmul(this.weight) : addmm(this.bias, x, this.weight)));
  }

  /** The trainable tensors, [weight, bias] (or [weight]), for an optimizer. */
  parameters(): Tensor[] {
    return this.bias === null ? [this.weight] : [this.weight, this.bias];
  }
}

function checkFeatures(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`Linear: ${name} must be a positive integer, got ${describeValue(value)}`);
  }
}
