// The TF.js peers: TensorFlow.js 4.22 on its pure-JS cpu backend and on its WebAssembly backend
// (XNNPACK, float32 SIMD, one thread), installed on first use into bench/peer.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../scripts/paths.js';

// NOTE: the peer package lives outside the project's dependencies (tsconfig excludes it), so the
// few TF.js names the bench uses are typed here structurally instead of imported.
interface TfTensor {
  readonly shape: number[];
  dataSync(): Float32Array | Int32Array | Uint8Array;
  dispose(): void;
}
interface TfVariable extends TfTensor {
  readonly name: string;
}
interface TfOptimizer {
  minimize(f: () => TfTensor, returnCost: boolean, varList: TfVariable[]): TfTensor | null;
  dispose(): void;
}
type TfOperand = TfTensor | number;
export interface Tf {
  version: Record<string, string>;
  setBackend(name: string): Promise<boolean>;
  getBackend(): string;
  enableProdMode(): void;
  env(): { getAsync(flag: string): Promise<boolean | number | string> };
  memory(): { numTensors: number; numBytes: number };
  tensor(values: Float32Array | Int32Array, shape: number[], dtype?: 'float32' | 'int32'): TfTensor;
  variable(initial: TfTensor): TfVariable;
  oneHot(indices: TfTensor, depth: number): TfTensor;
  cast(x: TfTensor, dtype: 'float32' | 'int32'): TfTensor;
  tidy<T>(fn: () => T): T;
  dispose(x: TfTensor | TfTensor[]): void;
  grad(f: (x: TfTensor) => TfTensor): (x: TfTensor) => TfTensor;
  matMul(a: TfTensor, b: TfTensor): TfTensor;
  add(a: TfOperand, b: TfOperand): TfTensor;
  sub(a: TfOperand, b: TfOperand): TfTensor;
  mul(a: TfOperand, b: TfOperand): TfTensor;
  pow(a: TfOperand, b: TfOperand): TfTensor;
  neg(x: TfTensor): TfTensor;
  exp(x: TfTensor): TfTensor;
  relu(x: TfTensor): TfTensor;
  logSoftmax(x: TfTensor): TfTensor;
  sum(x: TfTensor, axis?: number): TfTensor;
  mean(x: TfTensor, axis?: number): TfTensor;
  losses: { softmaxCrossEntropy(onehot: TfTensor, logits: TfTensor): TfTensor };
  train: { adam(lr: number, beta1: number, beta2: number, eps: number): TfOptimizer };
}

const PEER_DIR = join(ROOT, 'bench', 'peer');
const TFJS_VERSION = '4.22.0';
const PACKAGES = ['tfjs', 'tfjs-backend-wasm'] as const;
/** Where the WebAssembly backend's .wasm files are: inside its npm package, nothing is fetched. */
const WASM_DIR = join(PEER_DIR, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');

export type TfBackend = 'cpu' | 'wasm';

function installedVersion(name: string): string | null {
  const pkg = join(PEER_DIR, 'node_modules', '@tensorflow', name, 'package.json');
  if (!existsSync(pkg)) return null;
  const parsed: unknown = JSON.parse(readFileSync(pkg, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string'
    ? parsed.version
    : null;
}

/** Installs the peer package from its lock file if it is missing or stale (no install scripts run). */
export function ensurePeerInstalled(log: (line: string) => void): void {
  const stale = (): boolean => PACKAGES.some((name) => installedVersion(name) !== TFJS_VERSION);
  if (!stale()) return;
  log(
    `Installing the benchmark peers (@tensorflow/tfjs and tfjs-backend-wasm ${TFJS_VERSION}) into bench/peer/ ` +
      `with npm ci --ignore-scripts (first use only)...`,
  );
  const result = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: PEER_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (result.status !== 0 || stale()) {
    throw new Error(
      `bench: installing @tensorflow/tfjs ${TFJS_VERSION} in ${PEER_DIR} failed (npm exit ${result.status}); ` +
        'run with --no-peer to bench focalgrad alone',
    );
  }
}

/** Loads TF.js from the peer folder in prod mode, with the cpu and wasm backends registered. */
export async function loadTf(): Promise<Tf> {
  const require = createRequire(join(PEER_DIR, 'package.json'));
  const tf = require('@tensorflow/tfjs') as Tf;
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { setWasmPaths(prefix: string): void };
  // NOTE: prod mode before the first tensor also keeps the cpu backend's "use tfjs-node" banner quiet
  // (it is a warning that prod mode suppresses).
  tf.enableProdMode();
  wasm.setWasmPaths(`${WASM_DIR}/`);
  for (const backend of ['wasm', 'cpu'] as const) await useBackend(tf, backend);
  // In Node the wasm backend picks its single-threaded SIMD build; the bench says so, and checks it.
  if ((await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) !== false) {
    throw new Error('bench: the TF.js wasm backend would run multi-threaded; the bench compares one thread');
  }
  return tf;
}

/** Makes `backend` TF.js's active backend; each side's tensors are made and used on its own backend. */
export async function useBackend(tf: Tf, backend: TfBackend): Promise<void> {
  if (tf.getBackend() === backend) return;
  await tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`bench: TF.js backend is ${tf.getBackend()}, expected ${backend}`);
}

const f32 = (a: Float64Array): Float32Array => Float32Array.from(a);

export interface MlpSetup {
  sizes: readonly number[];
  /** [W1, b1, W2, b2, ...], W as [in, out] row-major. */
  params: readonly Float64Array[];
  x: Float64Array;
  y: Int32Array;
  batch: number;
  adam: { lr: number; beta1: number; beta2: number; eps: number };
}

/** One Adam step of the MLP with softmax cross-entropy; returns the cost, read back with dataSync. */
export function tfMlpStep(tf: Tf, s: MlpSetup): () => number {
  const vars: TfVariable[] = [];
  for (let l = 0; l < s.sizes.length - 1; l++) {
    vars.push(tf.variable(tf.tensor(f32(s.params[2 * l]), [s.sizes[l], s.sizes[l + 1]])));
    vars.push(tf.variable(tf.tensor(f32(s.params[2 * l + 1]), [s.sizes[l + 1]])));
  }
  const x = tf.tensor(f32(s.x), [s.batch, s.sizes[0]]);
  const onehot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor(s.y, [s.batch], 'int32'), s.sizes[s.sizes.length - 1]), 'float32'));
  const optimizer = tf.train.adam(s.adam.lr, s.adam.beta1, s.adam.beta2, s.adam.eps);
  const forwardLoss = (): TfTensor => {
    let h = x;
    for (let l = 0; l < vars.length / 2; l++) {
      h = tf.add(tf.matMul(h, vars[2 * l]), vars[2 * l + 1]);
      if (l < vars.length / 2 - 1) h = tf.relu(h);
    }
    return tf.losses.softmaxCrossEntropy(onehot, h);
  };
  return () => {
    const cost = optimizer.minimize(forwardLoss, true, vars);
    if (cost === null) throw new Error('bench: TF.js minimize returned no cost');
    const value = cost.dataSync()[0];
    cost.dispose();
    return value;
  };
}

/** The product of two [n, n] matrices, read back. */
export function tfMatmul(tf: Tf, a: Float64Array, b: Float64Array, n: number): () => ArrayLike<number> {
  const ta = tf.tensor(f32(a), [n, n]);
  const tb = tf.tensor(f32(b), [n, n]);
  return () => {
    const c = tf.matMul(ta, tb);
    const values = c.dataSync();
    c.dispose();
    return values;
  };
}

/** y = x; `iterations` times y = y·c + d; returns the gradient of Σy with respect to x, read back. */
export function tfTinyChain(tf: Tf, x: Float64Array, c: Float64Array, d: Float64Array, iterations: number): () => ArrayLike<number> {
  const tx = tf.tensor(f32(x), [x.length]);
  const tc = tf.tensor(f32(c), [c.length]);
  const td = tf.tensor(f32(d), [d.length]);
  const gradient = tf.grad((x0: TfTensor) => {
    let y = x0;
    for (let it = 0; it < iterations; it++) y = tf.add(tf.mul(y, tc), td);
    return tf.sum(y);
  });
  return () => {
    const g = gradient(tx);
    const values = g.dataSync();
    g.dispose();
    return values;
  };
}

/** The softmax focal loss in TF.js ops, mean of −α_t (1 − p_t)^γ log p_t; returns its gradient, read back. */
export function tfFocal(
  tf: Tf,
  logits: Float64Array,
  y: Int32Array,
  nC: number,
  alpha: readonly number[],
  gamma: number,
): () => ArrayLike<number> {
  const n = y.length;
  const z = tf.tensor(f32(logits), [n, nC]);
  const onehot = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor(y, [n], 'int32'), nC), 'float32'));
  const alphaVec = tf.tensor(Float32Array.from(alpha), [nC]);
  const gradient = tf.grad((z0: TfTensor) => {
    const logpt = tf.sum(tf.mul(tf.logSoftmax(z0), onehot), 1);
    const alphaT = tf.sum(tf.mul(onehot, alphaVec), 1);
    const weight = tf.pow(tf.sub(1, tf.exp(logpt)), gamma);
    return tf.neg(tf.mean(tf.mul(tf.mul(alphaT, weight), logpt)));
  });
  return () => {
    const g = gradient(z);
    const values = g.dataSync();
    g.dispose();
    return values;
  };
}
