// binaryFocalLoss against torchvision.ops.sigmoid_focal_loss (written out here) and the paper's appendix B.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, randn, rng, tensor } from '../../engine/index.js';
import { binaryFocalLoss } from '../../losses/index.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

// torchvision: p = σ(x); ce = BCE-with-logits; p_t = p·y + (1 − p)(1 − y); loss = ce·(1 − p_t)^γ;
// if α ≥ 0: loss *= α·y + (1 − α)(1 − y).
function torchvision(x: number, y: number, alpha: number, gamma: number): number {
  const p = sigmoid(x);
  const ce = -(y * -Math.log1p(Math.exp(-x)) + (1 - y) * -Math.log1p(Math.exp(x)));
  const pt = p * y + (1 - p) * (1 - y);
  const loss = ce * (1 - pt) ** gamma;
  return alpha >= 0 ? (alpha * y + (1 - alpha) * (1 - y)) * loss : loss;
}

test('matches the torchvision formula for hard and soft targets, α ∈ {0.25, 0, −1}, γ ∈ {0, 0.5, 2, 5}', () => {
  const random = rng(41);
  const x = randn([5, 4], random).mul(3);
  const y = tensor(Array.from({ length: 5 }, (_, i) => [0, 1, 0.3, i / 4]));
  for (const alpha of [0.25, 0, -1]) {
    for (const gamma of [0, 0.5, 2, 5]) {
      const got = binaryFocalLoss(x, y, { alpha, gamma, reduction: 'none' });
      assert.equal(got.shape, [5, 4]);
      got.data.forEach((v, i) => {
        const expected = torchvision(x.data[i], y.data[i], alpha, gamma);
        assert.ok(Math.abs(v - expected) < 1e-15 * Math.max(1, expected), `α ${alpha}, γ ${gamma}, element ${i}: ${v} vs ${expected}`);
      });
      // 'mean' is over all elements, as torchvision's loss.mean().
      const mean = binaryFocalLoss(x, y, { alpha, gamma }).item();
      assert.ok(Math.abs(mean - got.data.reduce((a, b) => a + b, 0) / 20) < 1e-15);
    }
  }
  // docs §5: α = 0.25, γ = 2, x = 0.5.
  const docs = binaryFocalLoss(tensor([0.5, 0.5]), [1, 0], { reduction: 'none' }).data;
  assert.ok(Math.abs(docs[0] - 0.0168934) < 1e-7 && Math.abs(docs[1] - 0.283059) < 1e-6);
});

test('gradient against appendix B: ∂FL/∂x = y (1 − p_t)^γ (γ p_t log p_t + p_t − 1), y = ±1, p_t = σ(y·x)', () => {
  const x = randn([40], rng(43)).mul(4);
  const labels = Array.from({ length: 40 }, (_, i) => i % 2);
  let worst = 0;
  for (const gamma of [0, 0.5, 1, 2, 3.7, 5]) {
    const g = grad((v: Tensor) => binaryFocalLoss(v, labels, { gamma, alpha: -1, reduction: 'sum' }))(x).data;
    x.data.forEach((xi, i) => {
      const sign = labels[i] === 1 ? 1 : -1;
      const pt = sigmoid(sign * xi);
      const expected = sign * (1 - pt) ** gamma * (gamma * pt * Math.log(pt) + pt - 1);
      worst = Math.max(worst, Math.abs(g[i] - expected));
    });
  }
  console.log(`    binaryFocalLoss vs appendix B: gradient max abs ${worst.toExponential(2)}`);
  assert.ok(worst < 4e-15, `max abs ${worst}`);
});

test('gradient for soft targets (docs §5): α_t (1 − p_t)^(γ−1) [(p − y)(1 − p_t) − γ (2y − 1) p (1 − p) BCE]', () => {
  const x = tensor([-2, -0.3, 0.4, 1.7]);
  const y = tensor([0.2, 0.9, 0.5, 0.35]);
  const [alpha, gamma] = [0.25, 1.5];
  const g = grad((v: Tensor) => binaryFocalLoss(v, y, { alpha, gamma, reduction: 'sum' }))(x).data;
  x.data.forEach((xi, i) => {
    const [yi, p] = [y.data[i], sigmoid(xi)];
    const pt = p * yi + (1 - p) * (1 - yi);
    const bce = -(yi * Math.log(p) + (1 - yi) * Math.log(1 - p));
    const alphaT = alpha * yi + (1 - alpha) * (1 - yi);
    const expected = alphaT * (1 - pt) ** (gamma - 1) * ((p - yi) * (1 - pt) - gamma * (2 * yi - 1) * p * (1 - p) * bce);
    assert.ok(Math.abs(g[i] - expected) < 1e-15, `element ${i}: ${g[i]} vs ${expected}`);
  });
});

test('at x = 0 exactly the gradient is σ(0) − y = ½ − y (γ = 0, no α): softplus is smooth, not relu + abs', () => {
  const g = grad((v: Tensor) => binaryFocalLoss(v, [1, 0, 0.25], { gamma: 0, alpha: -1, reduction: 'sum' }))(tensor([0, 0, 0])).data;
  assert.equal(Array.from(g), [-0.5, 0.5, 0.25]);
});

test('shapes: a scalar, [N] with an array target, [N, K, M]; "sum" and "none"', () => {
  assert.equal(binaryFocalLoss(tensor(0.3), tensor(1)).shape, []);
  const x = randn([2, 3, 2], rng(47));
  const y = tensor(Array.from({ length: 12 }, (_, i) => i % 2), { shape: [2, 3, 2] });
  const none = binaryFocalLoss(x, y, { reduction: 'none' });
  assert.equal(none.shape, [2, 3, 2]);
  assert.ok(Math.abs(binaryFocalLoss(x, y, { reduction: 'sum' }).item() - none.data.reduce((a, b) => a + b, 0)) < 1e-15);
  assert.is(binaryFocalLoss(tensor([0.1, -2]), [1, 0]).item(), binaryFocalLoss(tensor([0.1, -2]), tensor([1, 0])).item());
});

test.run();
