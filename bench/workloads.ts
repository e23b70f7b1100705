// The workloads: each is the same job done by focalgrad, by its peers and by hand-written loops.

import { FusedMlp, focalForwardBackward, matmulUnrolled, tapeChain } from './ceiling.js';
import { ADAM, FOCAL, MLP_SIZES, blobs, initParams, randomMatrix } from './data.js';
import { focalgradFocal, focalgradMatmul, focalgradMlp, focalgradTinyChain } from './focalgrad.js';
import { type Side, type SideName, type Workload, jsSide } from './harness.js';
import { type MlpSetup, type Tf, type TfBackend, tfFocal, tfMatmul, tfMlpStep, tfTinyChain, useBackend } from './tfjs.js';
import { type TorchDtype, type TorchJob, TorchPeer, b64 } from './torch.js';

const MLP_BATCHES = [32, 256, 2048] as const;
const MATMUL_SIZES = [64, 128, 256, 512] as const;
/** Chain lengths in ops: each iteration is one mul and one add. */
const TINY_CHAINS = [2000, 10000] as const;
const FOCAL_ROWS = 4096;
const SEED = 20240;
/** Losses compared over this many MLP steps, and the tiny chain's length in iterations, before timing. */
const CHECK_STEPS = 5;
const CHECK_ITERATIONS = 1000;

// Values chosen so that a chain of tens of thousands of y·c + d stays finite and well scaled.
export const TINY = {
  x: Float64Array.of(0.5, -1, 2, 0.1),
  c: Float64Array.of(1.0001, 0.9999, -1, 1),
  d: Float64Array.of(0.01, -0.02, 0.03, 0),
};

export function mlpSetup(batch: number, seed = SEED): MlpSetup {
  const { x, y } = blobs(batch, seed + batch);
  return { sizes: MLP_SIZES, params: initParams(MLP_SIZES, seed), x, y, batch, adam: ADAM };
}

export function focalInputs(rows = FOCAL_ROWS, seed = SEED): { logits: Float64Array; y: Int32Array } {
  const logits = randomMatrix(rows, 3, seed + 7);
  for (let i = 0; i < logits.length; i++) logits[i] *= 3;
  return { logits, y: blobs(rows, seed + 11).y };
}

/** The peers a child process runs beside focalgrad: TF.js (both backends) and PyTorch, where available. */
export interface Peers {
  tf: Tf | null;
  /** The Python that imports torch, or null. */
  python: string | null;
  /** PyTorch's threads: 1, or every core for the all-cores rows */
  torchThreads: number;
}

export const NO_PEERS: Peers = { tf: null, python: null, torchThreads: 1 };

/** A workload with, for each side, the values it answers before timing (compared across sides). */
export interface CheckedWorkload extends Workload {
  answers: Partial<Record<SideName, () => ArrayLike<number> | Promise<ArrayLike<number>>>>;
  /** Stops what the workload started (the PyTorch process). */
  close(): void;
}

interface Job {
  id: string;
  group: string;
  name: string;
  unit: Workload['unit'];
  work: number;
  focalgrad: () => void;
  focalgradAnswer: () => ArrayLike<number>;
  ceiling: () => void;
  /** The job in TF.js ops, made on the active backend: a call and a fresh call's answer. */
  tf?: (tf: Tf) => { run: () => void; answer: () => ArrayLike<number> };
  torch?: TorchJob;
}

function jobs(wanted: (id: string) => boolean): Job[] {
  const list: Job[] = [];

  for (const batch of MLP_BATCHES) {
    if (!wanted(`mlp-${batch}`)) continue;
    const s = mlpSetup(batch);
    const fg = focalgradMlp(s);
    const fused = new FusedMlp(s.sizes, s.params, batch, s.adam);
    const losses = (step: () => number): number[] => Array.from({ length: CHECK_STEPS }, step);
    list.push({
      id: `mlp-${batch}`,
      group: 'mlp',
      name: `MLP step, batch ${batch}`,
      unit: 'samples/s',
      work: batch,
      focalgrad: () => void fg.step(),
      focalgradAnswer: () => losses(focalgradMlp(s).step),
      ceiling: () => void fused.step(s.x, s.y, batch),
      tf: (tf) => ({ run: ignore(tfMlpStep(tf, s)), answer: () => losses(tfMlpStep(tf, s)) }),
      torch: {
        kind: 'mlp',
        sizes: s.sizes,
        params: s.params.map(b64),
        x: b64(s.x),
        y: Array.from(s.y),
        batch,
        adam: s.adam,
        checkSteps: CHECK_STEPS,
      },
    });
  }

  for (const n of MATMUL_SIZES) {
    if (!wanted(`matmul-${n}`)) continue;
    const a = randomMatrix(n, n, SEED + n);
    const b = randomMatrix(n, n, SEED + n + 1);
    const c = new Float64Array(n * n);
    const product = focalgradMatmul(a, b, n);
    list.push({
      id: `matmul-${n}`,
      group: 'matmul',
      name: `matmul ${n}×${n}`,
      unit: 'GFLOP/s',
      work: 2 * n * n * n,
      focalgrad: ignore(product),
      focalgradAnswer: product,
      ceiling: () => matmulUnrolled(a, b, c, n, n, n),
      tf: (tf) => {
        const run = tfMatmul(tf, a, b, n);
        return { run: ignore(run), answer: run };
      },
      torch: { kind: 'matmul', n, a: b64(a), b: b64(b) },
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
      focalgradAnswer: focalgradTinyChain(TINY.x, TINY.c, TINY.d, CHECK_ITERATIONS),
      ceiling: () => void tapeChain(TINY.x, TINY.c, TINY.d, iterations, gx),
      tf: (tf) => ({
        run: ignore(tfTinyChain(tf, TINY.x, TINY.c, TINY.d, iterations)),
        answer: tfTinyChain(tf, TINY.x, TINY.c, TINY.d, CHECK_ITERATIONS),
      }),
      torch: { kind: 'tiny', x: b64(TINY.x), c: b64(TINY.c), d: b64(TINY.d), iterations, checkIterations: CHECK_ITERATIONS },
    });
  }

  if (wanted(`focal-${FOCAL_ROWS}`)) {
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
      focalgradAnswer: () => fgFocal().grad,
      ceiling: () => void focalForwardBackward(logits, y, FOCAL.alpha, FOCAL.gamma, 3, dz),
      tf: (tf) => {
        const run = tfFocal(tf, logits, y, 3, FOCAL.alpha, FOCAL.gamma);
        return { run: ignore(run), answer: run };
      },
      torch: { kind: 'focal', rows: FOCAL_ROWS, classes: 3, logits: b64(logits), y: Array.from(y), alpha: FOCAL.alpha, gamma: FOCAL.gamma },
    });
  }
  return list;
}

const ignore =
  (fn: () => unknown): (() => void) =>
  () =>
    void fn();

/** The ids of the workloads that pass `wanted`, without building any peer. */
export function workloadIds(wanted: (id: string) => boolean = () => true): string[] {
  return jobs(wanted).map((j) => j.id);
}

/** The workloads whose id passes `wanted`, each with focalgrad, the ceiling and the peers given. */
export async function buildWorkloads(peers: Peers, wanted: (id: string) => boolean = () => true): Promise<CheckedWorkload[]> {
  const list: CheckedWorkload[] = [];
  for (const job of jobs(wanted)) {
    const sides: CheckedWorkload['sides'] = { focalgrad: jsSide(job.focalgrad), ceiling: jsSide(job.ceiling) };
    const answers: CheckedWorkload['answers'] = { focalgrad: job.focalgradAnswer };
    const stops: (() => void)[] = [];
    const { tf, python } = peers;
    if (tf !== null && job.tf !== undefined) {
      const make = job.tf;
      for (const [name, backend] of [['tfjs', 'cpu'], ['tfjsWasm', 'wasm']] as const) {
        await useBackend(tf, backend);
        const made = make(tf);
        sides[name] = jsSide(made.run, () => useBackend(tf, backend));
        answers[name] = onBackend(tf, backend, made.answer);
      }
    }
    if (python !== null && job.torch !== undefined) {
      const peer = await TorchPeer.start(python, job.torch, peers.torchThreads);
      stops.push(() => peer.stop());
      for (const [name, dtype] of [['torch32', 'float32'], ['torch64', 'float64']] as const) {
        sides[name] = torchSide(peer, dtype);
        answers[name] = () => peer.answer(dtype);
      }
    }
    list.push({ id: job.id, group: job.group, name: job.name, unit: job.unit, work: job.work, sides, answers, close: () => stops.forEach((stop) => stop()) });
  }
  return list;
}

function onBackend(tf: Tf, backend: TfBackend, answer: () => ArrayLike<number>): () => Promise<ArrayLike<number>> {
  return async () => {
    await useBackend(tf, backend);
    return answer();
  };
}

function torchSide(peer: TorchPeer, dtype: TorchDtype): Side {
  return { time: (calls) => peer.time(dtype, calls) };
}

/** How far apart two answers may be: float32 engines against focalgrad's float64, and float64 ones. */
export const AGREEMENT_TOLERANCE: Record<Exclude<SideName, 'focalgrad' | 'ceiling'>, number> = {
  tfjs: 1e-3,
  tfjsWasm: 1e-3,
  torch32: 1e-3,
  torch64: 1e-9,
};

/** Every peer's answer against focalgrad's, before any timing; a peer that disagrees is an Error. */
export async function checkAgreement(w: CheckedWorkload): Promise<Partial<Record<SideName, number>>> {
  const reference = await (w.answers.focalgrad ?? (() => []))();
  const found: Partial<Record<SideName, number>> = {};
  for (const name of Object.keys(AGREEMENT_TOLERANCE) as (keyof typeof AGREEMENT_TOLERANCE)[]) {
    const answer = w.answers[name];
    if (answer === undefined) continue;
    const values = await answer();
    if (values.length !== reference.length) {
      throw new Error(`bench: ${w.id}: ${name} answers ${values.length} values, focalgrad ${reference.length}`);
    }
    const diff = maxRelDiff(values, reference);
    if (!(diff <= AGREEMENT_TOLERANCE[name])) {
      throw new Error(`bench: ${w.id}: ${name} disagrees with focalgrad by ${diff.toExponential(2)} (tolerance ${AGREEMENT_TOLERANCE[name]})`);
    }
    found[name] = diff;
  }
  return found;
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
