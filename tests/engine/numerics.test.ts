// Numerics: extreme logits, saturated sigmoid, and the documented gradients at kinks and ties.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, tensor } from '../../engine/index.js';
import { close, expectTensor } from './helpers.js';

function allFinite(t: Tensor, what: string): void {
  for (let i = 0; i < t.size; i++) assert.ok(Number.isFinite(t.data[i]), `${what}[${i}] = ${t.data[i]}`);
}

test('logSoftmax([1e4, 0]) = [0, −1e4] exactly', () => {
  expectTensor(tensor([1e4, 0]).logSoftmax(), [2], [0, -1e4], 0, 'logSoftmax');
  expectTensor(tensor([-1e4, 1e4]).logSoftmax(), [2], [-2e4, 0], 0, 'logSoftmax([−1e4, 1e4])');
});

test('logsumexp([1e4, 1e4]) = 1e4 + ln 2, and ±1e4 stay finite', () => {
  expectTensor(tensor([1e4, 1e4]).logsumexp(), [], [1e4 + Math.log(2)], 0, 'logsumexp([1e4, 1e4])');
  expectTensor(tensor([-1e4, -1e4]).logsumexp(), [], [-1e4 + Math.log(2)], 0, 'logsumexp([−1e4, −1e4])');
  expectTensor(tensor([1e4, -1e4]).logsumexp(), [], [1e4], 0, 'logsumexp([1e4, −1e4])');
});

test('softmax at logits ±1e4 is finite and exact', () => {
  expectTensor(tensor([1e4, -1e4, 0]).softmax(), [3], [1, 0, 0], 0, 'softmax([1e4, −1e4, 0])');
  expectTensor(tensor([1e4, 1e4]).softmax(), [2], [0.5, 0.5], 1e-16, 'softmax([1e4, 1e4])');
  expectTensor(tensor([[-1e4, -1e4, -1e4, -1e4]]).softmax(), [1, 4], [0.25, 0.25, 0.25, 0.25], 1e-16, 'softmax of four −1e4');
});

test('gradients of softmax, logSoftmax and logsumexp at ±1e4 are finite and exact', () => {
  const x = tensor([1e4, -1e4, 0]);
  // Σ logSoftmax·w  ⇒  w − softmax·Σw = [1, 2, 3] − [1, 0, 0]·6
  const w = tensor([1, 2, 3]);
  const gLogSoftmax = grad((t: Tensor) => t.logSoftmax().mul(w).sum())(x);
  expectTensor(gLogSoftmax, [3], [1 - 6, 2, 3], 0, '∂ logSoftmax');
  // ∂ logsumexp = softmax
  expectTensor(grad((t: Tensor) => t.logsumexp())(x), [3], [1, 0, 0], 0, '∂ logsumexp');
  // Exact although out = 1e4 + ln 2 is rounded: the rule takes softmax(a), not exp(a − out).
  expectTensor(grad((t: Tensor) => t.logsumexp())(tensor([1e4, 1e4])), [2], [0.5, 0.5], 0, '∂ logsumexp of a tie');
  expectTensor(grad((t: Tensor) => t.softmax().pick([0]).sum())(tensor([[1e4, 1e4]])), [1, 2], [0.25, -0.25], 0, '∂ softmax of a tie');
  // ∂ Σ softmax·w = p ⊙ (w − p·w) = [1·(1 − 1), 0, 0]
  const gSoftmax = grad((t: Tensor) => t.softmax().mul(w).sum())(x);
  allFinite(gSoftmax, '∂ softmax');
  expectTensor(gSoftmax, [3], [0, 0, 0], 0, '∂ softmax');
});

test('sigmoid at ±1000: σ(1000) = 1, σ(−1000) = 0, gradient 0, no NaN', () => {
  const x = tensor([1000, -1000]);
  expectTensor(x.sigmoid(), [2], [1, 0], 0, 'sigmoid');
  expectTensor(grad((t: Tensor) => t.sigmoid().sum())(x), [2], [0, 0], 0, "sigmoid'");
  const d2 = grad((t: Tensor) => grad((u: Tensor) => u.sigmoid().sum())(t).sum())(x);
  allFinite(d2, "sigmoid''");
});

test('sigmoid keeps relative accuracy in the tails: σ(−40) and σ\'(40) ≈ e^−40', () => {
  // σ(−40) = e^−40 / (1 + e^−40);  σ'(40) = σ(40)·σ(−40); 1 − σ(40) would round to 0
  expectTensor(tensor([-40]).sigmoid(), [1], [Math.exp(-40) / (1 + Math.exp(-40))], 1e-30, 'σ(−40)');
  const g = grad((t: Tensor) => t.sigmoid().sum())(tensor([40]));
  close(g.data[0], Math.exp(-40) / (1 + Math.exp(-40)) ** 2, 1e-30, "σ'(40)");
});

test('tanh and exp saturate without NaN', () => {
  expectTensor(tensor([1000, -1000]).tanh(), [2], [1, -1], 0, 'tanh');
  expectTensor(grad((t: Tensor) => t.tanh().sum())(tensor([1000, -1000])), [2], [0, 0], 0, "tanh'");
  expectTensor(tensor([-1000]).exp(), [1], [0], 0, 'exp(−1000)');
});

test('pow(x, 0) has gradient 0 everywhere, also at x = 0', () => {
  const x = tensor([0, -2, 3, 0.5]);
  expectTensor(x.pow(0), [4], [1, 1, 1, 1], 0, 'x⁰');
  const g = grad((t: Tensor) => t.pow(0).sum())(x);
  expectTensor(g, [4], [0, 0, 0, 0], 0, "(x⁰)'");
  const g2 = grad((t: Tensor) => grad((u: Tensor) => u.pow(0).sum())(t).sum())(x);
  expectTensor(g2, [4], [0, 0, 0, 0], 0, "(x⁰)''");
});

test("pow(x, 1)' = 1 at x = 0, and pow(x, 2)' = 0 at x = 0", () => {
  expectTensor(grad((t: Tensor) => t.pow(1).sum())(tensor([0, 2])), [2], [1, 1], 0, "(x¹)'");
  expectTensor(grad((t: Tensor) => t.pow(2).sum())(tensor([0, -3])), [2], [0, -6], 0, "(x²)'");
});

test("relu'(0) = 0 and abs'(0) = 0", () => {
  expectTensor(grad((t: Tensor) => t.relu().sum())(tensor([0, -0, 2, -2])), [4], [0, 0, 1, 0], 0, "relu'");
  expectTensor(grad((t: Tensor) => t.abs().sum())(tensor([0, -0, 2, -2])), [4], [0, 0, 1, -1], 0, "abs'");
});

test("clamp' is 1 on the closed interval [min, max] (PyTorch's rule) and 0 outside", () => {
  const g = grad((t: Tensor) => t.clamp(-1, 1).sum())(tensor([-2, -1, 0, 1, 2]));
  expectTensor(g, [5], [0, 1, 1, 1, 0], 0, "clamp'");
});

test("sqrt'(0) = ∞ (as in PyTorch)", () => {
  expectTensor(grad((t: Tensor) => t.sqrt().sum())(tensor([0, 4])), [2], [Infinity, 1 / (2 * 2)], 0, "sqrt'");
});

test('max splits ties equally: gradient 1/k at each of k maxima', () => {
  expectTensor(grad((t: Tensor) => t.max())(tensor([1, 3, 3, 2])), [4], [0, 1 / 2, 1 / 2, 0], 0, 'two-way tie');
  expectTensor(grad((t: Tensor) => t.max())(tensor([5, 5, 5])), [3], [1 / 3, 1 / 3, 1 / 3], 0, 'three-way tie');
  // along an axis: row 0 has a two-way tie, row 1 none; column-wise for axis 0
  const x = tensor([[4, 1, 4], [0, 2, 1]]);
  expectTensor(grad((t: Tensor) => t.max(1).sum())(x), [2, 3], [1 / 2, 0, 1 / 2, 0, 1, 0], 0, 'max(1) ties');
  expectTensor(grad((t: Tensor) => t.max(0).sum())(tensor([[1, 2], [1, 0]])), [2, 2], [1 / 2, 1, 1 / 2, 0], 0, 'max(0) ties');
  // a random upstream gradient is split too
  const w = tensor([3, -2]);
  expectTensor(grad((t: Tensor) => t.max(1).mul(w).sum())(x), [2, 3], [3 / 2, 0, 3 / 2, 0, -2, 0], 0, 'max(1)·w ties');
});

test('logsumexp of an all −∞ line is −∞, and a +∞ makes it +∞', () => {
  const out = tensor([[-Infinity, -Infinity], [0, Infinity], [0, 0]]).logsumexp(1);
  expectTensor(out, [3], [-Infinity, Infinity, Math.log(2)], 0, 'logsumexp');
});

test('logSoftmax with a −∞ logit gives −∞ there and a finite gradient elsewhere', () => {
  const x = tensor([-Infinity, 0, 0]);
  expectTensor(x.logSoftmax(), [3], [-Infinity, -Math.log(2), -Math.log(2)], 0, 'logSoftmax');
  const g = grad((t: Tensor) => t.logSoftmax().pick([1]).sum())(x.reshape([1, 3]));
  expectTensor(g, [1, 3], [0, 1 - 0.5, -0.5], 0, 'd logSoftmax[1]');
});

test('NaN propagates through elementwise ops rather than being hidden (as in PyTorch)', () => {
  const x = tensor([NaN]);
  for (const [name, out] of [
    ['exp', x.exp()],
    ['abs', x.abs()],
    ['sigmoid', x.sigmoid()],
    ['tanh', x.tanh()],
    ['clamp', x.clamp(-1, 1)],
    ['relu', x.relu()], // torch.relu(nan) = nan; a 0 here would hide a NaN upstream
  ] as const) {
    assert.ok(Number.isNaN(out.data[0]), `${name}(NaN) = ${out.data[0]}, expected NaN`);
  }
});

test('division by zero follows IEEE: ±∞ and NaN, not an exception', () => {
  const out = tensor([1, -1, 0]).div(0);
  assert.is(out.data[0], Infinity);
  assert.is(out.data[1], -Infinity);
  assert.ok(Number.isNaN(out.data[2]));
});

test('sum of a large [100000] tensor of 0.1 is accurate to 1e-9 relative', () => {
  const n = 100_000;
  const out = tensor(new Float64Array(n).fill(0.1)).sum().item();
  close(out, n * 0.1, 1e-9 * n * 0.1, 'sum');
});

test.run();
