// focalLossFromProbs against Keras' categorical_focal_crossentropy (keras/src/losses/losses.py), written out here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, rand, rng, tensor } from '../../engine/index.js';
import { focalLoss, focalLossFromProbs } from '../../losses/index.js';

// Keras, per sample: y smoothed → output = y_pred / Σ y_pred → clip to [ε, 1 − ε] →
// Σ_c α_c · (1 − output_c)^γ · (−y_c · log output_c).
function keras(yTrue: number[], yPred: number[], alpha: number | number[], gamma: number, ls = 0, eps = 1e-7): number {
  const C = yPred.length;
  const y = yTrue.map((v) => v * (1 - ls) + ls / C);
  const sum = yPred.reduce((a, b) => a + b, 0);
  const out = yPred.map((v) => Math.min(Math.max(v / sum, eps), 1 - eps));
  return out.reduce((s, o, c) => s + (typeof alpha === 'number' ? alpha : alpha[c]) * (1 - o) ** gamma * -y[c] * Math.log(o), 0);
}

const oneHotRow = (t: number, C: number): number[] => Array.from({ length: C }, (_, c) => (c === t ? 1 : 0));

test("Keras' documented example: [2.63401289e-04, 6.75912094e-01] (float32 there)", () => {
  const probs = tensor([[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]);
  const got = focalLossFromProbs(probs, tensor([[0, 1, 0], [0, 0, 1]]), { reduction: 'none' }).data;
  [2.63401289e-4, 6.75912094e-1].forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-7 * v, `${got[i]} vs ${v}`));
  // Keras' 'sum_over_batch_size' divides by the entries of the per-sample loss: N here, as [N, C] gives one per sample.
  assert.ok(Math.abs(focalLossFromProbs(probs, [1, 2]).item() - (got[0] + got[1]) / 2) < 1e-16);
});

test('matches the written-out Keras formula: γ, scalar and per-class α, label smoothing, unnormalised rows, ε', () => {
  const random = rng(31);
  const probs = rand([8, 4], random).mul(0.9).add(0.05); // rows do not sum to 1: Keras renormalises them
  const rows = probs.toArray() as number[][];
  const t = Array.from({ length: 8 }, () => random.int(4));
  for (const [gamma, alpha, ls, eps] of [
    [2, 0.25, 0, 1e-7],
    [0.5, [0.1, 0.4, 1, 2], 0.1, 1e-7],
    [3.7, 1, 0.3, 0.05],
    [0, 0.25, 0, 1e-3],
  ] as [number, number | number[], number, number][]) {
    const got = focalLossFromProbs(probs, t, { gamma, alpha, labelSmoothing: ls, epsilon: eps, reduction: 'none' }).data;
    rows.forEach((row, i) => {
      const expected = keras(oneHotRow(t[i], 4), row, alpha, gamma, ls, eps);
      assert.ok(Math.abs(got[i] - expected) < 1e-15 * Math.max(1, expected), `γ ${gamma}, row ${i}: ${got[i]} vs ${expected}`);
    });
  }
});

test('the clip: p_t = 0 costs α·(1 − ε)^γ·(−log ε) and, as in Keras, gets no gradient; softmax rows agree with focalLoss', () => {
  const probs = tensor([[0, 0.5, 0.5]]);
  const eps = 1e-7;
  assert.ok(Math.abs(focalLossFromProbs(probs, [0]).item() - 0.25 * (1 - eps) ** 2 * -Math.log(eps)) < 1e-14);
  const g = grad((p: Tensor) => focalLossFromProbs(p, [0]))(probs).data;
  assert.equal(Array.from(g, Math.abs), [0, 0, 0]);
  // On a softmax output (away from the clip) the two forms agree up to rounding.
  const z = tensor([[0.3, -1, 2], [1, 1, 0]]);
  const a = focalLossFromProbs(z.softmax(), [2, 0], { alpha: [1, 2, 3], gamma: 1.5 }).item();
  const b = focalLoss(z, [2, 0], { alpha: [1, 2, 3], gamma: 1.5 }).item();
  assert.ok(Math.abs(a - b) < 1e-15, `${a} vs ${b}`);
});

test.run();
