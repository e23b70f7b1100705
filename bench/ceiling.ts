// The ceilings: what hand-written Float64Array loops do, with no graph, no allocation and no generality.
import { matmulAccumulate } from '../engine/index.js';

interface AdamSettings {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
}

/** C = A·B for A [n, k], B [k, m], all row-major: i-k-j order, the k loop unrolled by four. */
export function matmulUnrolled(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  n: number,
  k: number,
  m: number,
): void {
  c.fill(0, 0, n * m);
  const k4 = k - (k % 4);
  for (let i = 0; i < n; i++) {
    const ai = i * k;
    const ci = i * m;
    let p = 0;
    for (; p < k4; p += 4) {
      const a0 = a[ai + p];
      const a1 = a[ai + p + 1];
      const a2 = a[ai + p + 2];
      const a3 = a[ai + p + 3];
      const b0 = p * m;
      const b1 = b0 + m;
      const b2 = b1 + m;
      const b3 = b2 + m;
      for (let j = 0; j < m; j++) {
        c[ci + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
      }
    }
    for (; p < k; p++) {
      const ap = a[ai + p];
      const bp = p * m;
      for (let j = 0; j < m; j++) c[ci + j] += ap * b[bp + j];
    }
  }
}

// log Σ_j exp(z[start + j]) over one row of n values, the row's max taken out first.
function rowLogSumExp(z: Float64Array, start: number, n: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (z[start + j] > max) max = z[start + j];
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.exp(z[start + j] - max);
  return max + Math.log(s);
}

function transposeInto(w: Float64Array, out: Float64Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c];
}

/**
 * One training step of a ReLU MLP with softmax cross-entropy (mean over the batch) and Adam
 * (PyTorch's update: bias-corrected moments, ε added to √v̂), fused by hand: forward, backward
 * and update in plain loops over preallocated buffers.
 * Weights are [in, out] row-major (y = x·W + b); `params` is [W1, b1, W2, b2, ...].
 * NOTE: the products run the engine's own kernel (matmulAccumulate, into these buffers), not
 * matmulUnrolled: so the ratio to this step measures what the engine's graph and fresh arrays cost,
 * and a ceiling that the engine's faster kernel could beat would measure nothing.
 */
export class FusedMlp {
  readonly sizes: readonly number[];
  readonly params: Float64Array[];
  readonly grads: Float64Array[];
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private readonly acts: Float64Array[];
  private readonly deltas: Float64Array[];
  private readonly transposed: Float64Array[];
  private t = 0;

  constructor(sizes: readonly number[], params: readonly Float64Array[], maxBatch: number, readonly adam: AdamSettings) {
    if (params.length !== 2 * (sizes.length - 1)) {
      throw new Error(`FusedMlp: expected ${2 * (sizes.length - 1)} parameter arrays, got ${params.length}`);
    }
    this.sizes = sizes;
    this.params = params.map((p) => Float64Array.from(p));
    for (let l = 0; l < sizes.length - 1; l++) {
      const w = this.params[2 * l].length;
      const b = this.params[2 * l + 1].length;
      if (w !== sizes[l] * sizes[l + 1] || b !== sizes[l + 1]) {
        throw new Error(`FusedMlp: layer ${l} expects W [${sizes[l]}, ${sizes[l + 1]}] and b [${sizes[l + 1]}], got ${w} and ${b} values`);
      }
    }
    this.grads = this.params.map((p) => new Float64Array(p.length));
    this.m = this.params.map((p) => new Float64Array(p.length));
    this.v = this.params.map((p) => new Float64Array(p.length));
    this.acts = sizes.map((s) => new Float64Array(maxBatch * s));
    this.deltas = sizes.map((s) => new Float64Array(maxBatch * s));
    this.transposed = this.params.filter((_, q) => q % 2 === 0).map((w) => new Float64Array(w.length));
  }

  /** One step on x [batch, sizes[0]] with class indices y; returns the loss before the update. */
  step(x: Float64Array, y: Int32Array, batch: number): number {
    const sizes = this.sizes;
    const L = sizes.length - 1;
    if (batch * sizes[0] !== x.length || y.length !== batch || batch * sizes[0] > this.acts[0].length) {
      throw new Error(`FusedMlp.step: bad batch ${batch} for x of ${x.length} values and ${y.length} targets`);
    }
    this.acts[0].set(x);

    // Forward: a[l+1] = act(a[l]·W + b), ReLU on hidden layers, identity on the last.
    for (let l = 0; l < L; l++) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      const a = this.acts[l];
      const z = this.acts[l + 1];
      const w = this.params[2 * l];
      const b = this.params[2 * l + 1];
      for (let i = 0; i < batch; i++) z.set(b, i * nOut);
      matmulAccumulate(a, nIn, 1, w, batch, nIn, nOut, z);
      if (l < L - 1) for (let e = 0; e < batch * nOut; e++) if (z[e] < 0) z[e] = 0;
    }

    // Softmax cross-entropy, mean over the batch: ∂loss/∂z = (softmax(z) − onehot(y)) / batch.
    const nC = sizes[L];
    const logits = this.acts[L];
    const dz = this.deltas[L];
    let loss = 0;
    for (let i = 0; i < batch; i++) {
      const zi = i * nC;
      const lse = rowLogSumExp(logits, zi, nC);
      loss -= logits[zi + y[i]] - lse;
      for (let j = 0; j < nC; j++) dz[zi + j] = Math.exp(logits[zi + j] - lse) / batch;
      dz[zi + y[i]] -= 1 / batch;
    }
    loss /= batch;

    // Backward: dW = aᵀ·dz, db = Σ_rows dz, da = dz·Wᵀ masked by ReLU'(z) (relu'(0) = 0).
    for (let l = L - 1; l >= 0; l--) {
      const nIn = sizes[l];
      const nOut = sizes[l + 1];
      const a = this.acts[l];
      const d = this.deltas[l + 1];
      const w = this.params[2 * l];
      const gw = this.grads[2 * l];
      const gb = this.grads[2 * l + 1];
      gw.fill(0);
      gb.fill(0);
      for (let i = 0; i < batch; i++) for (let j = 0; j < nOut; j++) gb[j] += d[i * nOut + j];
      matmulAccumulate(a, 1, nIn, d, nIn, batch, nOut, gw); // aᵀ·d
      if (l > 0) {
        const da = this.deltas[l];
        const wT = this.transposed[l];
        transposeInto(w, wT, nIn, nOut);
        da.fill(0, 0, batch * nIn);
        matmulAccumulate(d, nOut, 1, wT, batch, nOut, nIn, da);
        for (let e = 0; e < batch * nIn; e++) if (a[e] <= 0) da[e] = 0;
      }
    }

    // Adam: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g², p −= lr · m̂ / (√v̂ + ε).
    this.t++;
    const { lr, beta1, beta2, eps } = this.adam;
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    for (let q = 0; q < this.params.length; q++) {
      const p = this.params[q];
      const g = this.grads[q];
      const m = this.m[q];
      const v = this.v[q];
      for (let e = 0; e < p.length; e++) {
        const ge = g[e];
        m[e] = beta1 * m[e] + (1 - beta1) * ge;
        v[e] = beta2 * v[e] + (1 - beta2) * ge * ge;
        p[e] -= (lr * (m[e] / c1)) / (Math.sqrt(v[e] / c2) + eps);
      }
    }
    return loss;
  }
}

/**
 * Softmax focal loss, mean over samples, forward and backward fused:
 * loss_i = −α_t (1 − p_t)^γ log p_t, and with p = softmax(z),
 * ∂loss_i/∂z_j = g_i · (δ_tj − p_j) where g_i = p_t · ∂loss_i/∂p_t = α_t [γ (1 − p_t)^(γ−1) p_t log p_t − (1 − p_t)^γ].
 * Writes ∂mean/∂z into `dz` and returns the mean loss.
 */
export function focalForwardBackward(
  z: Float64Array,
  y: Int32Array,
  alpha: readonly number[],
  gamma: number,
  nC: number,
  dz: Float64Array,
): number {
  const n = y.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const zi = i * nC;
    const lse = rowLogSumExp(z, zi, nC);
    const t = y[i];
    const logPt = z[zi + t] - lse;
    const pt = Math.exp(logPt);
    const q = 1 - pt;
    const at = alpha[t];
    // NOTE: q^(γ−1) is only needed times γ, so γ = 0 never evaluates 0^(−1).
    const qg1 = gamma === 0 ? 0 : gamma * q ** (gamma - 1);
    loss -= at * q ** gamma * logPt;
    const g = at * (qg1 * pt * logPt - q ** gamma) / n;
    for (let j = 0; j < nC; j++) dz[zi + j] = -g * Math.exp(z[zi + j] - lse);
    dz[zi + t] += g;
  }
  return loss / n;
}

/** A value on the minimal tape below. */
interface TapeVar {
  data: Float64Array;
  grad: Float64Array | null;
}

function accumulate(v: TapeVar, g: Float64Array): void {
  if (v.grad === null) v.grad = Float64Array.from(g);
  else for (let e = 0; e < g.length; e++) v.grad[e] += g[e];
}

/**
 * The tiny-op chain on a minimal tape (micrograd's design on typed arrays): each op allocates its
 * output and pushes a backward closure; backward replays the closures in reverse.
 * y = x; `iterations` times y = y·c + d; returns Σy and writes ∂Σy/∂x into gx.
 */
export function tapeChain(x: Float64Array, c: Float64Array, d: Float64Array, iterations: number, gx: Float64Array): number {
  const n = x.length;
  const tape: (() => void)[] = [];
  const mul = (a: TapeVar, k: Float64Array): TapeVar => {
    const out: TapeVar = { data: new Float64Array(n), grad: null };
    for (let e = 0; e < n; e++) out.data[e] = a.data[e] * k[e];
    // ∂(a·k)/∂a = k
    tape.push(() => {
      const g = out.grad as Float64Array;
      const ga = new Float64Array(n);
      for (let e = 0; e < n; e++) ga[e] = g[e] * k[e];
      accumulate(a, ga);
    });
    return out;
  };
  const add = (a: TapeVar, k: Float64Array): TapeVar => {
    const out: TapeVar = { data: new Float64Array(n), grad: null };
    for (let e = 0; e < n; e++) out.data[e] = a.data[e] + k[e];
    // ∂(a + k)/∂a = 1
    tape.push(() => accumulate(a, out.grad as Float64Array));
    return out;
  };

  const leaf: TapeVar = { data: x, grad: null };
  let y = leaf;
  for (let it = 0; it < iterations; it++) y = add(mul(y, c), d);
  let total = 0;
  for (let e = 0; e < n; e++) total += y.data[e];
  y.grad = new Float64Array(n).fill(1);
  for (let op = tape.length - 1; op >= 0; op--) tape[op]();
  gx.set(leaf.grad ?? new Float64Array(n));
  return total;
}
