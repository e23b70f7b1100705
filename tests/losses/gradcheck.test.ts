// gradcheck (and gradgradcheck where smooth) on every loss and every option, at float64.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, gradcheck, gradgradcheck, rand, randn, rng, tensor, zeros } from '../../engine/index.js';
import { binaryFocalLoss, crossEntropy, focalLoss, focalLossFromProbs, focalLossStar } from '../../losses/index.js';

type Loss = (...inputs: Tensor[]) => Tensor;

function check(what: string, f: Loss, inputs: Tensor[], second = false): void {
  const result = gradcheck(f, inputs);
  assert.ok(result.ok, `${what}: ${result.message}`);
  if (second) {
    const result2 = gradgradcheck(f, inputs);
    assert.ok(result2.ok, `${what} (second order): ${result2.message}`);
  }
}

const REDUCTIONS = ['mean', 'sum', 'none'] as const;
const random = rng(61);
const Z = randn([5, 3], random).mul(1.5);
const T = [2, 0, 1, -100, 1];
const T_KEPT = [2, 0, 1, 0, 1];
// Interior values, so that gradcheck can also perturb them as an input.
const SOFT = tensor([[0.2, 0.5, 0.3], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.05, 0.55, 0.4]]);

test('crossEntropy: indices, weight, ignoreIndex, labelSmoothing, soft rows (also w.r.t. the soft labels), each reduction', () => {
  for (const reduction of REDUCTIONS) {
    check(`CE ${reduction}`, (z) => crossEntropy(z, T_KEPT, { reduction }), [Z], true);
    check(`CE weight/ignore/smoothing ${reduction}`, (z) => crossEntropy(z, T, { weight: [0.5, 2, 1], ignoreIndex: -100, labelSmoothing: 0.15, reduction }), [Z]);
    check(`CE soft ${reduction}`, (z, y) => crossEntropy(z, y, { weight: [0.5, 2, 1], labelSmoothing: 0.1, reduction }), [Z, SOFT]);
  }
});

test('focalLoss: γ ∈ {0, 0.5, 1, 2, 3.7}, α scalar and per class, labelSmoothing, ignoreIndex, soft rows, each reduction', () => {
  for (const gamma of [0, 0.5, 1, 2, 3.7]) {
    for (const reduction of REDUCTIONS) {
      check(`FL γ ${gamma} ${reduction}`, (z) => focalLoss(z, T_KEPT, { gamma, reduction }), [Z], gamma === 2);
      check(`FL γ ${gamma} α scalar ${reduction}`, (z) => focalLoss(z, T_KEPT, { gamma, alpha: 0.25, reduction }), [Z]);
      check(`FL γ ${gamma} α/ignore/smoothing ${reduction}`, (z) => focalLoss(z, T, { gamma, alpha: [0.2, 1, 3], ignoreIndex: -100, labelSmoothing: 0.1, reduction }), [Z]);
      check(`FL γ ${gamma} soft ${reduction}`, (z, y) => focalLoss(z, y, { gamma, alpha: [0.2, 1, 3], reduction }), [Z, SOFT], gamma === 0.5);
    }
  }
});

test("focalLoss gamma 'flsd53' (p_t kept away from the 0.2 threshold)", () => {
  const logp = Z.logSoftmax().data;
  T_KEPT.forEach((t, i) => assert.ok(Math.abs(Math.exp(logp[i * 3 + t]) - 0.2) > 0.01, `row ${i} is near the threshold`));
  assert.ok(T_KEPT.some((t, i) => Math.exp(logp[i * 3 + t]) < 0.2), 'both branches are exercised');
  for (const reduction of REDUCTIONS) {
    check(`FLSD-53 ${reduction}`, (z) => focalLoss(z, T_KEPT, { gamma: 'flsd53', alpha: [1, 2, 0.5], reduction }), [Z]);
    check(`FLSD-53 soft ${reduction}`, (z) => focalLoss(z, SOFT, { gamma: 'flsd53', reduction }), [Z]);
  }
});

test('focalLossFromProbs: γ, α, labelSmoothing, ignoreIndex, epsilon, unnormalised rows, soft rows, each reduction', () => {
  const probs = rand([5, 3], rng(63)).mul(0.8).add(0.1);
  for (const reduction of REDUCTIONS) {
    for (const gamma of [0, 0.5, 2, 'flsd53'] as const) {
      check(`probs γ ${gamma} ${reduction}`, (p) => focalLossFromProbs(p, T, { gamma, ignoreIndex: -100, reduction }), [probs]);
    }
    check(`probs α/smoothing/ε ${reduction}`, (p) => focalLossFromProbs(p, T_KEPT, { alpha: [0.2, 1, 3], labelSmoothing: 0.2, epsilon: 1e-4, reduction }), [probs], true);
    check(`probs soft ${reduction}`, (p, y) => focalLossFromProbs(p, y, { gamma: 1.5, reduction }), [probs, SOFT]);
  }
});

test('binaryFocalLoss: γ, α ∈ {0.25, 0.8, −1}, hard and soft targets (also w.r.t. them), shapes, each reduction', () => {
  const x = randn([4, 3], rng(65)).mul(2);
  const hard = tensor([[1, 0, 0], [0, 1, 1], [1, 1, 0], [0, 0, 1]]);
  const soft = rand([4, 3], rng(67));
  for (const reduction of REDUCTIONS) {
    for (const gamma of [0, 0.5, 2, 3.7]) {
      for (const alpha of [0.25, 0.8, -1]) {
        check(`binary γ ${gamma} α ${alpha} ${reduction}`, (v) => binaryFocalLoss(v, hard, { gamma, alpha, reduction }), [x], gamma === 2 && alpha === 0.25);
      }
      check(`binary soft γ ${gamma} ${reduction}`, (v, y) => binaryFocalLoss(v, y, { gamma, reduction }), [x, soft]);
    }
    check(`binary 1-D ${reduction}`, (v) => binaryFocalLoss(v, [1, 0, 1], { reduction }), [tensor([0.3, -1.2, 2])]);
  }
  // Through x = 0 exactly, where a relu/abs composition would have a kink.
  check('binary at x = 0', (v) => binaryFocalLoss(v, [1, 0], { gamma: 0.5 }), [zeros([2])], true);
});

test('focalLossStar: binary and one-vs-all, γ and β, ignoreIndex, each reduction', () => {
  const x = randn([6], rng(69)).mul(2);
  for (const reduction of REDUCTIONS) {
    for (const [gamma, beta] of [[2, 1], [0.5, -1], [4, 0]]) {
      check(`FL* binary γ ${gamma} β ${beta} ${reduction}`, (v) => focalLossStar(v, [1, 0, 0, 1, 1, 0], { gamma, beta, reduction }), [x], true);
      check(`FL* one-vs-all γ ${gamma} β ${beta} ${reduction}`, (z) => focalLossStar(z, T, { gamma, beta, ignoreIndex: -100, reduction }), [Z]);
    }
  }
});

test('an all-zero upstream gradient gives exactly zero; backward twice gives the same gradient', () => {
  const losses: [string, () => Tensor, Tensor][] = [];
  const z = Z.detach();
  const make = (name: string, f: (v: Tensor) => Tensor, input: Tensor): void => {
    const leaf = tensor(input.data, { shape: input.shape, requiresGrad: true });
    losses.push([name, () => f(leaf), leaf]);
  };
  make('crossEntropy', (v) => crossEntropy(v, T, { ignoreIndex: -100, reduction: 'none' }), z);
  make('focalLoss', (v) => focalLoss(v, T, { gamma: 0.5, alpha: [1, 2, 3], ignoreIndex: -100, reduction: 'none' }), z);
  make('focalLossFromProbs', (v) => focalLossFromProbs(v, T_KEPT, { reduction: 'none' }), z.softmax());
  make('binaryFocalLoss', (v) => binaryFocalLoss(v, SOFT, { reduction: 'none' }), z);
  make('focalLossStar', (v) => focalLossStar(v, T_KEPT, { reduction: 'none' }), z);
  for (const [name, run, leaf] of losses) {
    const out = run();
    out.backward(zeros(out.shape));
    assert.ok(leaf.grad!.data.every((v) => v === 0), `${name}: zero upstream`);
    leaf.zeroGrad();
    const gOut = randn(out.shape, rng(71));
    run().backward(gOut);
    const first = Array.from(leaf.grad!.data);
    leaf.zeroGrad();
    run().backward(gOut);
    assert.equal(Array.from(leaf.grad!.data), first, `${name}: backward twice`);
  }
});

test.run();
