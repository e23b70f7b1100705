// Dense prediction: [N, C, d1, ..., dk] inputs with class axis 1, per-element ignoreIndex, 'none' maps,
// against PyTorch's definitions (CrossEntropyLoss docs: the K-dimensional case) written out per element.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, gradcheck, rng, tensor } from '../../engine/index.js';
import { crossEntropy, focalLoss, focalLossFromProbs } from '../../losses/index.js';

// Logits [N = 2, C = 3, H = 2, W = 2], seeded, and per-pixel targets [2, 2, 2] with one ignored pixel (−100).
const N = 2, C = 3, H = 2, W = 2;
const r = rng(5);
const LOGITS = tensor(Array.from({ length: N * C * H * W }, () => 3 * r.normal()), { shape: [N, C, H, W] });
const TARGET = tensor([[[0, 2], [1, -100]], [[2, 2], [0, 1]]]);
const at = (n: number, c: number, h: number, w: number): number => LOGITS.data[((n * C + c) * H + h) * W + w];

// The closed form of one pixel: log p_c = z_c − log Σ_j e^{z_j}.
function logp(n: number, h: number, w: number, c: number): number {
  const z = [0, 1, 2].map((j) => at(n, j, h, w));
  const m = Math.max(...z);
  return z[c] - m - Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
}

const pixels = (): [number, number, number, number][] => {
  const list: [number, number, number, number][] = [];
  for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) list.push([n, h, w, TARGET.data[(n * H + h) * W + w]]);
  return list;
};

const close = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) <= 1e-14 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("crossEntropy on [N, C, H, W]: weight + ignoreIndex + 'mean' divides by the kept pixels' summed weights (PyTorch)", () => {
  const weight = [0.5, 2, 1];
  let num = 0;
  let den = 0;
  for (const [n, h, w, t] of pixels()) {
    if (t === -100) continue;
    num += -weight[t] * logp(n, h, w, t);
    den += weight[t];
  }
  close(crossEntropy(LOGITS, TARGET, { weight, ignoreIndex: -100 }).item(), num / den, 'mean');
  close(crossEntropy(LOGITS, TARGET, { weight, ignoreIndex: -100, reduction: 'sum' }).item(), num, 'sum');
  const map = crossEntropy(LOGITS, TARGET, { weight, ignoreIndex: -100, reduction: 'none' });
  assert.equal([...map.shape], [N, H, W], "'none' returns the [N, H, W] map");
  for (const [n, h, w, t] of pixels()) {
    const expected = t === -100 ? 0 : -weight[t] * logp(n, h, w, t);
    close(map.data[(n * H + h) * W + w], expected, `pixel ${n},${h},${w}`);
  }
});

test("focalLoss on [N, C, H, W]: −α_t (1 − p_t)^γ log p_t per pixel, 'mean' over the kept pixels", () => {
  const alpha = [0.25, 1, 1];
  let total = 0;
  let kept = 0;
  const map = focalLoss(LOGITS, TARGET, { gamma: 2, alpha, ignoreIndex: -100, reduction: 'none' });
  for (const [n, h, w, t] of pixels()) {
    const lp = t === -100 ? 0 : logp(n, h, w, t);
    const value = t === -100 ? 0 : -alpha[t] * (-Math.expm1(lp)) ** 2 * lp;
    close(map.data[(n * H + h) * W + w], value, `pixel ${n},${h},${w}`);
    total += value;
    kept += t === -100 ? 0 : 1;
  }
  close(focalLoss(LOGITS, TARGET, { gamma: 2, alpha, ignoreIndex: -100 }).item(), total / kept, 'mean over 7 kept pixels');
});

test('dense label maps equal one-hot labels, and a 1-D map [N, C, L] matches the [N·L, C] rows', () => {
  const oneHotMap = new Float64Array(N * C * H * W);
  for (const [n, h, w, t] of pixels()) if (t >= 0) oneHotMap[((n * C + t) * H + h) * W + w] = 1;
  const labels = tensor(oneHotMap, { shape: [N, C, H, W] });
  // The ignored pixel has an all-zero label row: it adds 0, but it counts in the mean (label maps have no ignoreIndex).
  const fromIndices = focalLoss(LOGITS, TARGET, { ignoreIndex: -100, reduction: 'sum' }).item();
  close(focalLoss(LOGITS, labels, { reduction: 'sum' }).item(), fromIndices, 'label map');
  const seq = tensor([[[1, -1, 0.5], [0, 2, -2]]]); // [1, 2, 3]: 2 classes, 3 positions
  const rowsForm = tensor([[1, 0], [-1, 2], [0.5, -2]]);
  close(crossEntropy(seq, tensor([[1, 0, 1]])).item(), crossEntropy(rowsForm, [1, 0, 1]).item(), '[N, C, L]');
});

test('focalLossFromProbs on [N, C, H, W]: probabilities per pixel over axis 1', () => {
  const probs = LOGITS.softmax(1);
  const map = focalLossFromProbs(probs, TARGET, { gamma: 2, alpha: 0.25, ignoreIndex: -100, reduction: 'none' });
  for (const [n, h, w, t] of pixels()) {
    const p = t === -100 ? 1 : Math.min(Math.max(Math.exp(logp(n, h, w, t)), 1e-7), 1 - 1e-7);
    const value = t === -100 ? 0 : -0.25 * (1 - p) ** 2 * Math.log(p);
    assert.ok(Math.abs(map.data[(n * H + h) * W + w] - value) <= 1e-12 * Math.max(1, value), `pixel ${n},${h},${w}`);
  }
});

test('gradcheck through the dense path (permute, reshape, ignore) for all three losses', () => {
  const small = LOGITS.narrow(3, 0, 1); // [2, 3, 2, 1]
  const target = TARGET.narrow(2, 0, 1);
  for (const [name, f] of [
    ['crossEntropy', (x: Tensor) => crossEntropy(x, target, { weight: [0.5, 2, 1], ignoreIndex: -100 })],
    ['focalLoss', (x: Tensor) => focalLoss(x, target, { gamma: 2, ignoreIndex: -100 })],
    ['focalLossFromProbs', (x: Tensor) => focalLossFromProbs(x.softmax(1), target, { ignoreIndex: -100 })],
  ] as const) {
    const result = gradcheck(f, [small], { seed: 2 });
    assert.ok(result.ok, `${name}: ${result.message}`);
  }
});

test('dense Errors: array targets, wrong target shape, out-of-range pixel', () => {
  const expectError = (run: () => unknown, fragment: string): void => {
    assert.throws(run, (e: Error) => e.message.includes(fragment), fragment);
  };
  expectError(() => focalLoss(LOGITS, [0, 1]), 'focalLoss: dense logits of shape [2,3,2,2] needs a Tensor target');
  expectError(() => crossEntropy(LOGITS, tensor([[0, 1]])), 'crossEntropy: target has shape [1,2] for dense logits of shape [2,3,2,2]');
  expectError(() => crossEntropy(LOGITS, TARGET.add(tensor([[[0, 0], [0, 103]], [[0, 0], [0, 0]]]))), 'crossEntropy: target index 3 at row 3 is out of range for 3 classes');
});

test('one class: p_t = 1, so every loss is exactly 0 with a zero gradient (as PyTorch gives for C = 1)', () => {
  const z = tensor([[5], [-3]]);
  for (const [name, f] of [
    ['crossEntropy', (x: Tensor) => crossEntropy(x, [0, 0])],
    ['focalLoss', (x: Tensor) => focalLoss(x, [0, 0], { gamma: 0.5 })],
  ] as const) {
    const leaf = tensor([[5], [-3]], { requiresGrad: true });
    assert.is(f(z).item(), 0, name);
    f(leaf).backward();
    assert.equal([...leaf.grad!.data], [0, 0], `${name}: gradient`);
  }
});

test.run();
