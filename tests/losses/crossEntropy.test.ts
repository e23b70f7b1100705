// crossEntropy against PyTorch's definitions (CrossEntropyLoss docs; ATen's label-smoothing path), written out here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, randn, rng, tensor } from '../../engine/index.js';
import { crossEntropy } from '../../losses/index.js';

function logSoftmaxRow(z: readonly number[]): number[] {
  const m = Math.max(...z);
  const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
  return z.map((v) => v - lse);
}

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-14 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

const Z = randn([6, 4], rng(21)).mul(2);
const ROWS = Z.toArray() as number[][];
const LOGP = ROWS.map(logSoftmaxRow);
const T = [3, 0, -100, 1, 2, 0];
const W = [0.5, 2, 1, 3];

test('index targets: l_n = −w_{t_n} log p_{t_n}; mean = Σ l_n / Σ w_{t_n} over the kept rows (PyTorch)', () => {
  const l = T.map((t, i) => (t === -100 ? 0 : -W[t] * LOGP[i][t]));
  const none = crossEntropy(Z, T, { weight: W, ignoreIndex: -100, reduction: 'none' }).data;
  l.forEach((v, i) => close(none[i], v, `row ${i}`));
  const total = l.reduce((a, b) => a + b, 0);
  const weightSum = T.reduce((s, t) => s + (t === -100 ? 0 : W[t]), 0);
  close(crossEntropy(Z, T, { weight: W, ignoreIndex: -100, reduction: 'sum' }).item(), total, 'sum');
  close(crossEntropy(Z, T, { weight: W, ignoreIndex: -100 }).item(), total / weightSum, 'mean');
  // Without weights the mean is over the kept rows.
  const plain = T.map((t, i) => (t === -100 ? 0 : -LOGP[i][t]));
  close(crossEntropy(Z, T, { ignoreIndex: -100 }).item(), plain.reduce((a, b) => a + b, 0) / 5, 'unweighted mean');
});

test('label smoothing with index targets: (1 − ls)·nll + (ls/C)·Σ_c w_c (−log p_c), both over Σ w_{t_n} (ATen)', () => {
  const ls = 0.2;
  const C = 4;
  const kept = T.map((t, i) => [t, i]).filter(([t]) => t !== -100);
  const weightSum = kept.reduce((s, [t]) => s + W[t], 0);
  const nll = kept.reduce((s, [t, i]) => s - W[t] * LOGP[i][t], 0) / weightSum;
  const smooth = kept.reduce((s, [, i]) => s - LOGP[i].reduce((a, lp, c) => a + W[c] * lp, 0), 0) / weightSum;
  const expected = (1 - ls) * nll + (ls / C) * smooth;
  close(crossEntropy(Z, T, { weight: W, ignoreIndex: -100, labelSmoothing: ls }).item(), expected, 'weighted, smoothed mean');
});

test('probability targets: l_n = −Σ_c w_c y_c log p_c, mean over N (PyTorch), smoothing y ← y(1 − ls) + ls/C', () => {
  const y = ROWS.map((_, i) => [0.1, 0.2, 0.3, 0.4].map((v, c) => (c === i % 4 ? v + 1 : v) / 2));
  const ls = 0.1;
  const l = y.map((row, i) => -row.reduce((s, yc, c) => s + W[c] * (yc * (1 - ls) + ls / 4) * LOGP[i][c], 0));
  close(crossEntropy(Z, tensor(y), { weight: W, labelSmoothing: ls }).item(), l.reduce((a, b) => a + b, 0) / 6, 'mean / N');
});

test('gradient: (p − y) per row for plain index targets; all-zero weights give 0, not NaN', () => {
  const g = grad((x: Tensor) => crossEntropy(x, [3, 0, 0, 1, 2, 0], { reduction: 'sum' }))(Z).toArray() as number[][];
  g.forEach((row, i) => row.forEach((v, c) => close(v, Math.exp(LOGP[i][c]) - (c === [3, 0, 0, 1, 2, 0][i] ? 1 : 0), `[${i}, ${c}]`)));
  assert.is(crossEntropy(Z, [0, 0, 0, 0, 0, 0], { weight: [0, 1, 1, 1] }).item(), 0);
});

test.run();
