// classWeights against docs §3's worked example and the formulas written out here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classWeights } from '../../losses/index.js';

const close = (a: readonly number[], b: readonly number[], tol: number): void =>
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol * Math.abs(b[i]), `class ${i}: ${v} vs ${b[i]}`));

test("effective number (Cui et al. 2019): α_c ∝ (1 − β)/(1 − β^n_c), Σ α_c = C; docs §3's table", () => {
  const counts = [850, 120, 30];
  const raw = counts.map((n) => (1 - 0.999) / (1 - 0.999 ** n));
  const total = raw.reduce((a, b) => a + b, 0);
  const w = classWeights(counts);
  close(w, raw.map((r) => (3 * r) / total), 1e-13);
  close(w, [0.117956, 0.597184, 2.28486], 5e-6);
  assert.ok(Math.abs(w.reduce((a, b) => a + b, 0) - 3) < 1e-15);
  // β = 0: every E_n = 1, so equal weights; a balanced data set gets all ones for any β.
  close(classWeights(counts, { beta: 0 }), [1, 1, 1], 1e-15);
  close(classWeights([40, 40, 40, 40], { beta: 0.9999 }), [1, 1, 1, 1], 1e-15);
});

test('effective number with β near 1: 1 − β^n as −expm1(n log β), not the cancelling 1 − β^n', () => {
  // Counts [1, 2]: E_1 ∝ 1/(1 − β) · (1 − β) = 1 and E_2 ∝ (1 − β)/(1 − β²) = 1/(1 + β), so the weights,
  // scaled to sum to 2, are exactly 2(1 + β)/(2 + β) and 2/(2 + β): in doubles to a few ulps.
  const beta = 1 - 1e-12;
  const exact = [(2 * (1 + beta)) / (2 + beta), 2 / (2 + beta)];
  close(classWeights([1, 2], { beta }), exact, 1e-14);
  // Negative control: 1 − β^n rounds β² first and gives [4/3, 2/3] to the last bit, 1.7e-13 away.
  const naive = [1, (1 - beta) / (1 - beta ** 2)];
  const scaled = naive.map((w) => (2 * w) / (naive[0] + naive[1]));
  assert.ok(Math.abs(scaled[0] - exact[0]) > 1e-14 * exact[0], `the cancelling form is caught: ${scaled[0]} vs ${exact[0]}`);
});

test('inverse frequency: α_c ∝ 1/n_c, Σ α_c = C; docs §3: 3·(1/n_c)/(1/850 + 1/120 + 1/30)', () => {
  const w = classWeights(Int32Array.from([850, 120, 30]), { method: 'inverse' });
  const s = 1 / 850 + 1 / 120 + 1 / 30;
  close(w, [3 / 850 / s, 3 / 120 / s, 3 / 30 / s], 1e-15);
  close(w, [0.0823799, 0.583524, 2.3341], 5e-6);
});

test.run();
