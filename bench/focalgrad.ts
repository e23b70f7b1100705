// focalgrad's side of every workload, through the public API only.

import { rng, tensor } from '../engine/index.js';
import { crossEntropy, focalLoss } from '../losses/index.js';
import { Adam, MLP } from '../models/index.js';
import type { MlpSetup } from './tfjs.js';

interface FocalgradMlp {
  /** One training step; returns the loss before the update. */
  step(): number;
  /** The current parameters as [W1, b1, ...], W as [in, out]. */
  params(): Float64Array[];
}

/** The library's MLP and Adam, started from the shared parameters so every side sees the same numbers. */
export function focalgradMlp(s: MlpSetup): FocalgradMlp {
  const model = new MLP(s.sizes, { activation: 'relu', rng: rng(0) });
  const params = model.parameters();
  if (params.length !== s.params.length) {
    throw new Error(`bench: MLP has ${params.length} parameter tensors, the setup ${s.params.length}`);
  }
  params.forEach((p, q) => {
    // W is [in, out] in both (models/linear.ts); the sizes check catches a change of layout.
    const expected = q % 2 === 0 ? [s.sizes[q / 2], s.sizes[q / 2 + 1]] : [s.sizes[(q - 1) / 2 + 1]];
    if (p.shape.join() !== expected.join()) {
      throw new Error(`bench: MLP parameter ${q} has shape [${p.shape.join(', ')}], expected [${expected.join(', ')}]`);
    }
    p.data.set(s.params[q]);
  });
  const optimizer = new Adam(params, {
    lr: s.adam.lr,
    betas: [s.adam.beta1, s.adam.beta2],
    eps: s.adam.eps,
    weightDecay: 0,
  });
  const x = tensor(s.x, { shape: [s.batch, s.sizes[0]] });
  return {
    step() {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(x), s.y);
      loss.backward();
      optimizer.step();
      return loss.item();
    },
    params: () => params.map((p) => Float64Array.from(p.data)),
  };
}

/** The product of two [n, n] matrices. */
export function focalgradMatmul(a: Float64Array, b: Float64Array, n: number): () => Float64Array {
  const ta = tensor(a, { shape: [n, n] });
  const tb = tensor(b, { shape: [n, n] });
  return () => ta.matmul(tb).data;
}

/** y = x; `iterations` times y = y·c + d; Σy backward. Returns the gradient of x after the call. */
export function focalgradTinyChain(
  x: Float64Array,
  c: Float64Array,
  d: Float64Array,
  iterations: number,
): () => Float64Array {
  const tx = tensor(Float64Array.from(x), { shape: [x.length], requiresGrad: true });
  const tc = tensor(c, { shape: [c.length] });
  const td = tensor(d, { shape: [d.length] });
  return () => {
    tx.zeroGrad();
    let y = tx;
    for (let it = 0; it < iterations; it++) y = y.mul(tc).add(td);
    y.sum().backward();
    return tx.grad?.data ?? new Float64Array(x.length);
  };
}

/** Focal loss forward and backward on [N, C] logits; returns the loss and ∂loss/∂logits. */
export function focalgradFocal(
  logits: Float64Array,
  y: Int32Array,
  nC: number,
  alpha: readonly number[],
  gamma: number,
): () => { loss: number; grad: Float64Array } {
  const z = tensor(Float64Array.from(logits), { shape: [y.length, nC], requiresGrad: true });
  return () => {
    z.zeroGrad();
    const loss = focalLoss(z, y, { gamma, alpha });
    loss.backward();
    return { loss: loss.item(), grad: z.grad?.data ?? new Float64Array(z.size) };
  };
}
