// The inputs every side of the benchmark shares: the trainer's own data and the library's own
// initial weights, seeded, so that all engines start from the same numbers.

import { randn, rng } from '../engine/index.js';
import { MLP } from '../models/index.js';
import { imbalancedBlobs } from '../train/index.js';

export const MLP_SIZES = [2, 64, 64, 3] as const;
export const ADAM = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;
export const FOCAL = { gamma: 2, alpha: [0.25, 1, 2] } as const;

/** `rows` samples of the trainer's three imbalanced blobs (train/'s imbalancedBlobs, 85 : 12 : 3). */
export function blobs(rows: number, seed: number): { x: Float64Array; y: Int32Array } {
  // The train split is shuffled, so its first rows are a random, stratified sample.
  // (At least 100 samples: the rarest class needs two, one for each split.)
  const { train } = imbalancedBlobs({ n: Math.ceil(rows / 0.7) + 100, testFraction: 0.3, seed });
  if (train.n < rows) throw new Error(`bench: imbalancedBlobs gave ${train.n} training rows, expected ${rows}`);
  return { x: train.x.slice(0, rows * train.dim), y: train.y.slice(0, rows) };
}

/** A [rows, cols] matrix of standard normal values (the engine's seeded randn). */
export function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  return randn([rows, cols], rng(seed)).data;
}

/** The library's initial weights for an MLP (Kaiming, zero biases): [W1, b1, W2, b2, ...], W as [in, out]. */
export function initParams(sizes: readonly number[], seed: number): Float64Array[] {
  return new MLP(sizes, { activation: 'relu', rng: rng(seed) }).parameters().map((p) => p.data.slice());
}
