// The workloads: each is the same job done by focalgrad, by TF.js and by hand-written loops.

import { FusedMlp, focalForwardBackward, matmulUnrolled, tapeChain } from './ceiling.js';
import { ADAM, FOCAL, MLP_SIZES, initParams, makeBatch, randomMatrix } from './data.js';
import { focalgradFocal, focalgradMatmul, focalgradMlp, focalgradTinyChain } from './focalgrad.js';
import type { Workload } from './harness.js';
import { type MlpSetup, type Tf, tfFocal, tfMatmul, tfMlpStep, tfTinyChain } from './tfjs.js';

const MLP_BATCHES = [32, 256, 2048] as const;
const MATMUL_SIZES = [64, 128, 256, 512] as const;
/** Chain lengths in ops: each iteration is one mul and one add. */
const TINY_CHAINS = [2000, 10000] as const;
const FOCAL_ROWS = 4096;
const SEED = 20240;

// Values chosen so that a chain of tens of thousands of y·c + d stays finite and well scaled.
export const TINY = {
  x: Float64Array.of(0.5, -1, 2, 0.1),
  c: Float64Array.of(1.0001, 0.9999, -1, 1),
  d: Float64Array.of(0.01, -0.02, 0.03, 0),
};

export function mlpSetup(batch: number, seed = SEED): MlpSetup {
  const { x, y } = makeBatch(batch, seed + batch);
  return { sizes: MLP_SIZES, params: initParams(MLP_SIZES, seed), x, y, batch, adam: ADAM };
}

export function focalInputs(rows = FOCAL_ROWS, seed = SEED): { logits: Float64Array; y: Int32Array } {
  const logits = randomMatrix(rows, 3, seed + 7);
  for (let i = 0; i < logits.length; i++) logits[i] *= 3;
  return { logits, y: makeBatch(rows, seed + 11).y };
}

const ignore =
  (fn: () => unknown): (() => void) =>
  () =>
    void fn();

/** The workloads whose id passes `wanted` (all by default); TF.js sides only when tf is given. */
export function buildWorkloads(tf: Tf | null, wanted: (id: string) => boolean = () => true): Workload[] {
  const list: Workload[] = [];

  for (const batch of MLP_BATCHES) {
    if (!wanted(`mlp-${batch}`)) continue;
    const s = mlpSetup(batch);
    const fg = focalgradMlp(s);
    const fused = new FusedMlp(s.sizes, s.params, batch, s.adam);
    list.push({
      id: `mlp-${batch}`,
      group: 'mlp',
      name: `MLP step, batch ${batch}`,
      unit: 'samples/s',
      work: batch,
      focalgrad: () => void fg.step(),
      peer: tf ? ignore(tfMlpStep(tf, s)) : undefined,
      ceiling: () => void fused.step(s.x, s.y, batch),
    });
  }

  for (const n of MATMUL_SIZES) {
    if (!wanted(`matmul-${n}`)) continue;
    const a = randomMatrix(n, n, SEED + n);
    const b = randomMatrix(n, n, SEED + n + 1);
    const c = new Float64Array(n * n);
    list.push({
      id: `matmul-${n}`,
      group: 'matmul',
      name: `matmul ${n}×${n}`,
      unit: 'GFLOP/s',
      work: 2 * n * n * n,
      focalgrad: focalgradMatmul(a, b, n),
      peer: tf ? tfMatmul(tf, a, b, n) : undefined,
      ceiling: () => matmulUnrolled(a, b, c, n, n, n),
    });
  }

  for (const ops of TINY_CHAINS) {
    if (!wanted(`tiny-${ops}`)) continue;
    const iterations = ops / 2;
    const fg = focalgradTinyChain(TINY.x, TINY.c, TINY.d, iterations);
    const gx = new Float64Array(TINY.x.length);
    list.push({
      id: `tiny-${ops}`,
      group: 'tiny',
      name: `tiny ops, chain of ${ops}`,
      unit: 'µs/op',
      work: ops,
      focalgrad: () => void fg(),
      peer: tf ? ignore(tfTinyChain(tf, TINY.x, TINY.c, TINY.d, iterations)) : undefined,
      ceiling: () => void tapeChain(TINY.x, TINY.c, TINY.d, iterations, gx),
    });
  }

  if (!wanted(`focal-${FOCAL_ROWS}`)) return list;
  const { logits, y } = focalInputs();
  const fgFocal = focalgradFocal(logits, y, 3, FOCAL.alpha, FOCAL.gamma);
  const dz = new Float64Array(logits.length);
  list.push({
    id: `focal-${FOCAL_ROWS}`,
    group: 'focal',
    name: `focal loss [${FOCAL_ROWS}, 3]`,
    unit: 'samples/s',
    work: FOCAL_ROWS,
    focalgrad: () => void fgFocal(),
    peer: tf ? ignore(tfFocal(tf, logits, y, 3, FOCAL.alpha, FOCAL.gamma)) : undefined,
    ceiling: () => void focalForwardBackward(logits, y, FOCAL.alpha, FOCAL.gamma, 3, dz),
  });

  return list;
}

/** Largest |a − b| / max|b|: how far two answers to the same question are apart. */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
  }
  return worst / scale;
}

export interface PeerAgreement {
  mlpLosses: number;
  tinyGradient: number;
  focalGradient: number;
}

/** Both sides answer the same questions: TF.js (float32) against focalgrad (float64), before timing. */
export function peerAgreement(tf: Tf): PeerAgreement {
  const s = mlpSetup(32);
  const fg = focalgradMlp(s);
  const peer = tfMlpStep(tf, s);
  const fgLosses: number[] = [];
  const peerLosses: number[] = [];
  for (let step = 0; step < 5; step++) {
    fgLosses.push(fg.step());
    peerLosses.push(peer());
  }
  const tinyPeer = tfTinyChain(tf, TINY.x, TINY.c, TINY.d, 1000)();
  const tinyFg = focalgradTinyChain(TINY.x, TINY.c, TINY.d, 1000)();
  const { logits, y } = focalInputs();
  const focalPeer = tfFocal(tf, logits, y, 3, FOCAL.alpha, FOCAL.gamma)();
  const focalFg = focalgradFocal(logits, y, 3, FOCAL.alpha, FOCAL.gamma)().grad;
  return {
    mlpLosses: maxRelDiff(peerLosses, fgLosses),
    tinyGradient: maxRelDiff(tinyPeer, tinyFg),
    focalGradient: maxRelDiff(focalPeer, focalFg),
  };
}

interface DeepChainResult {
  ops: number;
  ok: boolean;
  ms: number[];
  error: string | null;
  maxRelError: number | null;
}

/** A 100,000-op chain: forward and backward twice, gradient checked against ∂Σy/∂x_e = c_e^L. */
export function deepChain(iterations = 50000): DeepChainResult {
  const ms: number[] = [];
  try {
    const fg = focalgradTinyChain(TINY.x, TINY.c, TINY.d, iterations);
    let g: Float64Array = new Float64Array(0);
    for (let k = 0; k < 2; k++) {
      const t0 = performance.now();
      g = fg();
      ms.push(performance.now() - t0);
    }
    let maxRelError = 0;
    TINY.c.forEach((c, e) => {
      const expected = c ** iterations;
      maxRelError = Math.max(maxRelError, Math.abs(g[e] - expected) / Math.abs(expected));
    });
    return { ops: 2 * iterations, ok: maxRelError < 1e-9, ms, error: null, maxRelError };
  } catch (err) {
    return { ops: 2 * iterations, ok: false, ms, error: String(err), maxRelError: null };
  }
}

interface MemoryPoint {
  step: number;
  heapUsed: number;
  rss: number;
}

/** focalgrad MLP training steps at batch 32, heap and RSS after a full GC at each checkpoint. */
export function memoryRun(totalSteps: number, every: number, gc: () => void): MemoryPoint[] {
  const fg = focalgradMlp(mlpSetup(32));
  const points: MemoryPoint[] = [];
  for (let step = 1; step <= totalSteps; step++) {
    fg.step();
    if (step % every === 0) {
      gc();
      gc();
      const { heapUsed, rss } = process.memoryUsage();
      points.push({ step, heapUsed, rss });
    }
  }
  return points;
}
