// The peer: TensorFlow.js 4.22 on its pure-JS cpu backend, installed on first use into scripts/bench-peer.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../paths.js';

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

const PEER_DIR = join(ROOT, 'scripts', 'bench-peer');
const TFJS_VERSION = '4.22.0';

function installedVersion(): string | null {
  const pkg = join(PEER_DIR, 'node_modules', '@tensorflow', 'tfjs', 'package.json');
  if (!existsSync(pkg)) return null;
  const parsed: unknown = JSON.parse(readFileSync(pkg, 'utf8'));
  return typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string'
    ? parsed.version
    : null;
}

/** Installs the peer package from its lock file if it is missing or stale (no install scripts run). */
export function ensurePeerInstalled(log: (line: string) => void): void {
  const found = installedVersion();
  if (found === TFJS_VERSION) return;
  log(
    `Installing the benchmark peer (@tensorflow/tfjs ${TFJS_VERSION}) into scripts/bench-peer/ ` +
      `with npm ci --ignore-scripts (first use only)...`,
  );
  const result = spawnSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: PEER_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: process.platform === 'win32',
  });
  if (result.status !== 0 || installedVersion() !== TFJS_VERSION) {
    throw new Error(
      `bench: installing @tensorflow/tfjs ${TFJS_VERSION} in ${PEER_DIR} failed (npm exit ${result.status}); ` +
        'run with --no-peer to bench focalgrad alone',
    );
  }
}

/** Loads TF.js from the peer folder on the cpu backend in prod mode. */
export async function loadTf(): Promise<Tf> {
  const require = createRequire(join(PEER_DIR, 'package.json'));
  const tf = require('@tensorflow/tfjs') as Tf;
  // NOTE: prod mode before the first tensor also keeps the cpu backend's "use tfjs-node" banner quiet
  // (it is a warning that prod mode suppresses).
  tf.enableProdMode();
  await tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu') throw new Error(`bench: TF.js backend is ${tf.getBackend()}, expected cpu`);
  return tf;
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

export function tfMatmul(tf: Tf, a: Float64Array, b: Float64Array, n: number): () => void {
  const ta = tf.tensor(f32(a), [n, n]);
  const tb = tf.tensor(f32(b), [n, n]);
  return () => {
    const c = tf.matMul(ta, tb);
    c.dataSync();
    c.dispose();
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
