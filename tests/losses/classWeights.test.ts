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
  // β near 1 with small counts: 1 − β^n does not cancel (−expm1(n log β)); it tends to inverse frequency.
  close(classWeights([1, 2], { beta: 1 - 1e-12 }), [4 / 3, 2 / 3], 1e-11);
});

test('inverse frequency: α_c ∝ 1/n_c, Σ α_c = C; docs §3: 3·(1/n_c)/(1/850 + 1/120 + 1/30)', () => {
  const w = classWeights(Int32Array.from([850, 120, 30]), { method: 'inverse' });
  const s = 1 / 850 + 1 / 120 + 1 / 30;
  close(w, [3 / 850 / s, 3 / 120 / s, 3 / 30 / s], 1e-15);
  close(w, [0.0823799, 0.583524, 2.3341], 5e-6);
});

test.run();
