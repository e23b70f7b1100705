// Finite values and gradients at the edges: logits of ±1e4, p_t exactly 0 and 1, every γ in [0, 5].
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, tensor } from '../../engine/index.js';
import { binaryFocalLoss, crossEntropy, focalLoss, focalLossFromProbs, focalLossStar } from '../../losses/index.js';
import { FLOOR, modulatingFactor } from '../../losses/focalTerms.js';

const GAMMAS = [0, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.999, 1, 1.5, 2, 2.5, 3, 3.7, 4, 5];

function allFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) assert.ok(Number.isFinite(values[i]), `${what}: element ${i} is ${values[i]}`);
}

// Rows whose true class (column 0 for rows 0–3) has p_t exactly 1, exactly 0, and in between, at ±1e4.
const EXTREME = tensor([
  [0, -1e4, -1e4], // p_t = 1: log p_t = 0 exactly
  [1e4, -1e4, 0], // p_t = 1 with a finite but huge gap
  [-1e4, 1e4, 0], // p_t = 0: log p_t = −2e4
  [-1e4, -1e4, 1e4], // p_t = 0
  [1e4, 1e4, -1e4], // p_t = 1/2
  [3, -2, 0.5],
]);
const TARGET = [0, 0, 0, 0, 0, 1];

test('focalLoss: finite value and gradient for every γ in [0, 5] at logits ±1e4 and p_t ∈ {0, 1}, every target form', () => {
  const smoothRows = tensor(Array.from({ length: 6 }, () => [0.8, 0.1, 0.1]));
  for (const gamma of [...GAMMAS, 'flsd53' as const]) {
    for (const [what, target, options] of [
      ['indices', TARGET, {}],
      ['indices, α, smoothing', TARGET, { alpha: [0.2, 1, 3], labelSmoothing: 0.1 }],
      ['soft rows', smoothRows, {}],
    ] as const) {
      const f = (x: Tensor): Tensor => focalLoss(x, target as number[] | Tensor, { ...options, gamma, reduction: 'sum' });
      allFinite(focalLoss(EXTREME, target as number[] | Tensor, { ...options, gamma, reduction: 'none' }).data, `γ = ${gamma}, ${what}, value`);
      allFinite(grad(f)(EXTREME).data, `γ = ${gamma}, ${what}, gradient`);
    }
  }
});

test('focalLoss at p_t = 1: the gradient is exactly 0 for every γ (γ < 1 is the 0·∞ trap), and so is the value', () => {
  const certain = tensor([[0, -1e4, -1e4], [-1e4, 0, -1e4]]);
  for (const gamma of GAMMAS) {
    assert.is(Math.abs(focalLoss(certain, [0, 1], { gamma }).item()), 0, `γ = ${gamma}`);
    const g = grad((x: Tensor) => focalLoss(x, [0, 1], { gamma, alpha: [0.5, 2, 1] }))(certain).data;
    g.forEach((v, i) => assert.ok(v === 0, `γ = ${gamma}: gradient element ${i} is ${v}`));
  }
  // Without the floor the trap is real: pow's backward at base 0 with γ = 0.5 gives 0·∞ = NaN.
  const base = tensor([0], { requiresGrad: true });
  base.pow(0.5).mul(0).sum().backward();
  assert.ok(Number.isNaN(base.grad!.data[0]), 'the engine-level trap this floor avoids');
});

test('the floor before pow (γ < 2 without log(1 − p)): finite pow backward at the floor, no effect above it', () => {
  for (const gamma of GAMMAS) {
    const derivative = gamma * FLOOR ** (gamma - 1);
    const second = gamma * (gamma - 1) * FLOOR ** (gamma - 2);
    assert.ok(Number.isFinite(derivative) && Number.isFinite(second), `γ = ${gamma}: ${derivative}, ${second}`);
  }
  // Where 1 − p ≥ FLOOR the factor is the unclamped power exactly, down to 1 − p = 1e-140; below
  // the floor it is FLOOR^γ for γ < 2 (label rows, soft binary targets), and the plain power from γ = 2.
  const base = { oneMinusP: () => tensor([1e-140, 1e-3, 2e-160]), logOneMinusP: null };
  for (const gamma of [0.5, 1.5, 2, 3]) {
    const factor = modulatingFactor(base, gamma).data;
    assert.is(factor[0], Math.pow(1e-140, gamma));
    assert.is(factor[1], Math.pow(1e-3, gamma));
    assert.is(factor[2], Math.pow(gamma < 2 ? FLOOR : 2e-160, gamma));
  }
});

test('crossEntropy, focalLossFromProbs, binaryFocalLoss, focalLossStar: finite at the extremes for every γ', () => {
  const gradCe = grad((x: Tensor) => crossEntropy(x, TARGET, { weight: [1, 2, 3], labelSmoothing: 0.1 }))(EXTREME);
  allFinite(gradCe.data, 'crossEntropy gradient');
  const probs = tensor([[1, 0, 0], [0, 1, 0], [0.5, 0.5, 0], [1e-300, 1, 0]]);
  const x = tensor([1e4, -1e4, 1e4, -1e4, 0, 1e4]);
  const y = tensor([1, 1, 0, 0, 1, 0.5]);
  for (const gamma of GAMMAS) {
    const fromProbs = (p: Tensor): Tensor => focalLossFromProbs(p, [0, 0, 2, 0], { gamma, reduction: 'sum' });
    allFinite(focalLossFromProbs(probs, [0, 0, 2, 0], { gamma, reduction: 'none' }).data, `fromProbs γ = ${gamma}`);
    allFinite(grad(fromProbs)(probs).data, `fromProbs gradient γ = ${gamma}`);
    allFinite(binaryFocalLoss(x, y, { gamma, reduction: 'none' }).data, `binary γ = ${gamma}`);
    const gBinary = grad((v: Tensor) => binaryFocalLoss(v, y, { gamma, reduction: 'sum' }))(x).data;
    allFinite(gBinary, `binary gradient γ = ${gamma}`);
    // p_t exactly 1 (x = 1e4, y = 1 and x = −1e4, y = 0): gradient exactly 0.
    assert.ok(gBinary[0] === 0 && gBinary[3] === 0, `binary γ = ${gamma}: ${gBinary[0]}, ${gBinary[3]}`);
    if (gamma > 0) {
      const hard = tensor([1, 1, 0, 0, 1, 0]);
      allFinite(grad((v: Tensor) => focalLossStar(v, hard, { gamma, reduction: 'sum' }))(x).data, `FL* γ = ${gamma}`);
      allFinite(grad((v: Tensor) => focalLossStar(v, [0, 1, 2, 0, 2, 1], { gamma }))(EXTREME).data, `FL* one-vs-all γ = ${gamma}`);
    }
  }
  // p_t exactly 0 at logits ±1e4 (docs §8): FL = α · 2e4 · 1, gradient α(p − onehot).
  const z = tensor([[1e4, -1e4, 0]]);
  assert.is(focalLoss(z, [1], { alpha: 0.25 }).item(), 5000);
  assert.equal(Array.from(grad((v: Tensor) => focalLoss(v, [1], { alpha: 0.25 }))(z).data), [0.25, -0.25, 0]);
  assert.is(binaryFocalLoss(tensor([-1e4]), [1], { alpha: -1 }).item(), 1e4);
});

test.run();
