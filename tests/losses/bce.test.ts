// binaryCrossEntropy (PyTorch's binary_cross_entropy_with_logits) and mseLoss against their definitions.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, gradcheck, gradgradcheck, tensor } from '../../engine/index.js';
import { binaryCrossEntropy, binaryFocalLoss, focalLossStar, mseLoss } from '../../losses/index.js';

const close = (a: number, b: number, what: string, rtol = 1e-14): void =>
  assert.ok(Math.abs(a - b) <= rtol * Math.max(1e-300, Math.abs(b)), `${what}: ${a} vs ${b}`);

// ℓ = −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], with log σ(x) = −log1p(e^−x) for x ≥ 0 (the closed form, in plain JS).
const logSigmoid = (x: number): number => (x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x)));
const bce = (x: number, y: number, w = 1, p = 1): number => -w * (p * y * logSigmoid(x) + (1 - y) * logSigmoid(-x));

const X = tensor([[2, -1, 0.5], [-3, 0, 4]]);
const Y = tensor([[1, 0, 0.3], [0, 1, 1]]);

test("binaryCrossEntropy: 'mean' over all elements, 'sum', 'none'", () => {
  const values = X.data.map((x, i) => bce(x, Y.data[i]));
  const none = binaryCrossEntropy(X, Y, { reduction: 'none' });
  assert.equal([...none.shape], [2, 3]);
  values.forEach((v, i) => close(none.data[i], v, `element ${i}`));
  const sum = values.reduce((s, v) => s + v, 0);
  close(binaryCrossEntropy(X, Y, { reduction: 'sum' }).item(), sum, 'sum');
  close(binaryCrossEntropy(X, Y).item(), sum / 6, 'mean over the 6 elements, as PyTorch');
  close(binaryCrossEntropy(tensor([2, -1]), [1, 0], null).item(), (bce(2, 1) + bce(-1, 0)) / 2, 'array targets, null options');
});

test('binaryCrossEntropy: posWeight over the last axis, weight broadcasting, both at once', () => {
  const posWeight = [3, 1, 0.5];
  const weight = tensor([[2], [0.5]]); // [2, 1] broadcasts over the columns
  const got = binaryCrossEntropy(X, Y, { posWeight, weight, reduction: 'none' });
  X.data.forEach((x, i) => close(got.data[i], bce(x, Y.data[i], weight.data[Math.floor(i / 3)], posWeight[i % 3]), `element ${i}`));
  const asTensor = binaryCrossEntropy(X, Y, { posWeight: tensor(posWeight), weight: [1, 2, 3], reduction: 'sum' }).item();
  close(asTensor, X.data.reduce((s, x, i) => s + bce(x, Y.data[i], [1, 2, 3][i % 3], posWeight[i % 3]), 0), 'number[] weight over the last axis');
});

test('binaryCrossEntropy keeps its digits where softplus(x) − x·y cancels: x = 40, y = 1 gives e^−40', () => {
  // −log σ(40) = log1p(e^−40) = e^−40 − e^−80/2 + …, which is e^−40 in float64.
  close(binaryCrossEntropy(tensor([40, -40]), [1, 0], { reduction: 'none' }).data[0], Math.exp(-40), 'x = 40, y = 1', 1e-15);
  close(binaryCrossEntropy(tensor([40, -40]), [1, 0], { reduction: 'none' }).data[1], Math.exp(-40), 'x = −40, y = 0', 1e-15);
  close(binaryFocalLoss(tensor([40]), [1], { gamma: 0, alpha: -1 }).item(), Math.exp(-40), 'binaryFocalLoss γ = 0 is BCE', 1e-15);
  const finite = binaryCrossEntropy(tensor([1e4, -1e4]), [0, 1], { reduction: 'none' }).data;
  assert.equal([...finite], [1e4, 1e4], '−log σ(−1e4) = 1e4 exactly');
});

test('binaryCrossEntropy and mseLoss: gradcheck and gradgradcheck', () => {
  for (const [name, f] of [
    ['bce', (x: Tensor) => binaryCrossEntropy(x, Y, { posWeight: [3, 1, 0.5], weight: tensor([[2], [0.5]]) })],
    ['mse', (x: Tensor) => mseLoss(x, Y)],
  ] as const) {
    const first = gradcheck(f, [X], { seed: 1 });
    assert.ok(first.ok, `${name}: ${first.message}`);
    const second = gradgradcheck(f, [X], { seed: 1 });
    assert.ok(second.ok, `${name} second order: ${second.message}`);
  }
});

test('mseLoss: the mean of squared differences, sum, none', () => {
  const diffs = X.data.map((x, i) => (x - Y.data[i]) ** 2);
  const sum = diffs.reduce((s, v) => s + v, 0);
  close(mseLoss(X, Y).item(), sum / 6, 'mean');
  close(mseLoss(X, Y, { reduction: 'sum' }).item(), sum, 'sum');
  assert.equal([...mseLoss(X, Y, { reduction: 'none' }).shape], [2, 3]);
});

test('focalLossStar takes alpha: per class (multi-class) and α·y + (1 − α)(1 − y) (binary)', () => {
  const logits = tensor([[1, -2, 0.5], [0.3, 0.2, -1]]);
  const perSample = focalLossStar(logits, [0, 2], { reduction: 'none' }).data;
  const weighted = focalLossStar(logits, [0, 2], { alpha: [0.25, 1, 4], reduction: 'none' }).data;
  close(weighted[0], 0.25 * perSample[0], 'class 0 sample');
  close(weighted[1], 4 * perSample[1], 'class 2 sample');
  close(focalLossStar(logits, [0, 2], { alpha: [0.25, 1, 4] }).item(), (0.25 * perSample[0] + 4 * perSample[1]) / 2, "'mean' over samples");
  const rowsForm = focalLossStar(logits, tensor([[1, 0, 0], [0, 0, 1]]), { alpha: [0.25, 1, 4], reduction: 'none' }).data;
  close(rowsForm[1], weighted[1], 'label rows');
  const b = focalLossStar(tensor([1, -1]), [1, 0], { reduction: 'none' }).data;
  const bw = focalLossStar(tensor([1, -1]), [1, 0], { alpha: 0.25, reduction: 'none' }).data;
  close(bw[0], 0.25 * b[0], 'positive: α');
  close(bw[1], 0.75 * b[1], 'negative: 1 − α');
});

test('Errors: shapes, weights, unknown options', () => {
  const expectError = (run: () => unknown, fragment: string): void => {
    assert.throws(run, (e: Error) => e.message.includes(fragment), fragment);
  };
  expectError(() => binaryCrossEntropy(X, Y, { posWeight: [1, 2] }), 'binaryCrossEntropy: posWeight must be a number[] or a 1-D Tensor of 3 weights');
  expectError(() => binaryCrossEntropy(X, Y, { posWeight: 2 as unknown as number[] }), 'binaryCrossEntropy: posWeight must be a number[] or a 1-D Tensor of 3 weights (one per entry of the last axis), got number');
  expectError(() => binaryCrossEntropy(X, Y, { weight: tensor([1, 2]) }), 'binaryCrossEntropy: weight of shape [2] does not broadcast to the logits\' shape [2,3]');
  expectError(() => binaryCrossEntropy(X, Y, { weight: [1, -1, 1] }), 'binaryCrossEntropy: weight[1] must be a finite number ≥ 0, got -1');
  expectError(() => binaryCrossEntropy(X, Y, { pos_weight: [1, 1, 1] } as object), 'binaryCrossEntropy: unknown option "pos_weight" (it takes "weight", "posWeight", "labelSmoothing", "sampleWeight", "reduction")');
  expectError(() => mseLoss(X, tensor([1, 2, 3])), 'mseLoss: target has shape [3] but input has shape [2,3]');
  expectError(() => mseLoss(X, Y, { reduction: 'avg' as 'sum' }), 'mseLoss: unknown reduction "avg"');
  expectError(() => focalLossStar(tensor([1]), [1], { alpha: 2 }), 'focalLossStar: alpha for binary logits must be a number in [0, 1] (or negative for no weighting, as fvcore\'s −1), got 2');
  expectError(() => focalLossStar(tensor([1]), [1], { labelSmoothing: 0.1 } as object), 'focalLossStar: unknown option "labelSmoothing" (it takes "gamma", "beta", "alpha", "ignoreIndex", "sampleWeight", "reduction")');
});

test.run();
