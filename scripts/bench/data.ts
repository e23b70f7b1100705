// Seeded inputs shared by every side of the benchmark, so all of them see the same numbers.

import { rng } from '../../engine/rng.js';

export const MLP_SIZES = [2, 64, 64, 3] as const;
export const ADAM = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;
export const FOCAL = { gamma: 2, alpha: [0.25, 1, 2] } as const;

/** Three Gaussian blobs in 2-D, classes in about 85 : 12 : 3 proportion. */
export function makeBatch(batch: number, seed: number): { x: Float64Array; y: Int32Array } {
  const r = rng(seed);
  const centres = [
    [0, 0],
    [2, 1],
    [-1, 2],
  ];
  const x = new Float64Array(batch * 2);
  const y = new Int32Array(batch);
  for (let i = 0; i < batch; i++) {
    const u = r.next();
    const c = u < 0.85 ? 0 : u < 0.97 ? 1 : 2;
    y[i] = c;
    x[2 * i] = centres[c][0] + r.normal();
    x[2 * i + 1] = centres[c][1] + r.normal();
  }
  return { x, y };
}

export function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const r = rng(seed);
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < m.length; i++) m[i] = r.normal();
  return m;
}

/** He-initialised [W1, b1, W2, b2, ...] with W as [in, out] row-major, biases zero. */
export function initParams(sizes: readonly number[], seed: number): Float64Array[] {
  const r = rng(seed);
  const params: Float64Array[] = [];
  for (let l = 0; l < sizes.length - 1; l++) {
    const w = new Float64Array(sizes[l] * sizes[l + 1]);
    const scale = Math.sqrt(2 / sizes[l]);
    for (let i = 0; i < w.length; i++) w[i] = r.normal() * scale;
    params.push(w, new Float64Array(sizes[l + 1]));
  }
  return params;
}
