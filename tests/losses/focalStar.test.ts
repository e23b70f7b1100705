// focalLossStar against the paper's appendix A (docs §6): FL* = −log σ(γ x_t + β)/γ, ∂FL*/∂x = y (σ(γ x_t + β) − 1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, oneHot, randn, rng, tensor } from '../../engine/index.js';
import { focalLossStar } from '../../losses/index.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

test('binary: value −log σ(γ·y·x + β)/γ and gradient y·(σ(u) − 1), u = γ·y·x + β', () => {
  const x = randn([30], rng(51)).mul(3);
  const labels = Array.from({ length: 30 }, (_, i) => (i * 7) % 2);
  let worst = 0;
  for (const [gamma, beta] of [[2, 1], [1, 0], [0.5, -0.7], [5, 2]]) {
    const value = focalLossStar(x, labels, { gamma, beta, reduction: 'none' }).data;
    const g = grad((v: Tensor) => focalLossStar(v, labels, { gamma, beta, reduction: 'sum' }))(x).data;
    x.data.forEach((xi, i) => {
      const y = labels[i] === 1 ? 1 : -1;
      const u = gamma * y * xi + beta;
      assert.ok(Math.abs(value[i] - -Math.log(sigmoid(u)) / gamma) < 1e-14, `value ${i}`);
      // d/dx [−log σ(u)/γ] = (σ(u) − 1) · γy / γ = y (σ(u) − 1)  (docs §6: ∂FL*/∂x = y (p*_t − 1)),
      // evaluated as −y σ(−u), which does not cancel; compared relative to its size.
      const expected = -y * sigmoid(-u);
      worst = Math.max(worst, Math.abs(g[i] - expected) / Math.abs(expected));
    });
  }
  console.log(`    focalLossStar vs appendix A: gradient max rel ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-14, `max rel ${worst}`);
  // docs §6: γ = 2, β = 1, x = 0.5: FL* = 0.0634640 (y = +1) and log 2 / 2 (y = −1).
  const docs = focalLossStar(tensor([0.5, 0.5]), [1, 0], { reduction: 'none' }).data;
  assert.ok(Math.abs(docs[0] - 0.063464) < 1e-7 && Math.abs(docs[1] - Math.LN2 / 2) < 1e-16);
});

test("multi-class one-vs-all: a sample's loss is the sum over classes of the binary FL*, mean over kept samples", () => {
  const z = randn([5, 3], rng(53)).mul(2);
  const t = [2, 0, -1, 1, 1];
  const none = focalLossStar(z, t, { ignoreIndex: -1, reduction: 'none' });
  assert.equal(none.shape, [5]);
  const rows = z.toArray() as number[][];
  rows.forEach((row, i) => {
    const expected = t[i] === -1 ? 0 : row.reduce((s, x, c) => s + focalLossStar(tensor([x]), [c === t[i] ? 1 : 0]).item(), 0);
    assert.ok(Math.abs(none.data[i] - expected) < 1e-15, `row ${i}`);
  });
  const mean = focalLossStar(z, t, { ignoreIndex: -1 }).item();
  assert.ok(Math.abs(mean - none.data.reduce((a, b) => a + b, 0) / 4) < 1e-15);
  // An [N, C] one-hot Tensor is the same as the indices; the trainer's call shape works.
  const kept = [2, 0, 1, 1, 1];
  assert.is(focalLossStar(z, oneHot(kept, 3)).item(), focalLossStar(z, kept).item());
  assert.ok(Number.isFinite(focalLossStar(z, Int32Array.from(kept), { gamma: 2, beta: 1 }).item()));
});

test.run();
