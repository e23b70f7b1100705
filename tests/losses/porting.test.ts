// What a porter from Keras, kornia, PyTorch or fvcore needs: sampleWeight with Keras' 'mean', binary
// posWeight / weight / ignoreIndex / labelSmoothing, probabilities into the binary focal loss, unbatched
// input, inert ignored rows, and the peers' presets. References are closed forms written out here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, grad, gradcheck, gradgradcheck, randn, rng, tensor } from '../../engine/index.js';
import {
  PRESETS,
  binaryCrossEntropy,
  binaryFocalLoss,
  binaryFocalLossFromProbs,
  crossEntropy,
  focalLoss,
  focalLossFromProbs,
  focalLossStar,
  mseLoss,
  peerLoss,
  toClassMap,
} from '../../losses/index.js';

function close(got: ArrayLike<number>, want: readonly number[], rtol: number, what: string): void {
  assert.is(got.length, want.length, `${what}: length`);
  want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) <= rtol * Math.abs(w) + 1e-300, `${what}[${i}]: ${got[i]} vs ${w}`));
}
function throwsWith(run: () => unknown, fragments: string[]): void {
  try {
    run();
  } catch (error) {
    for (const f of fragments) assert.ok((error as Error).message.includes(f), `expected "${f}" in "${(error as Error).message}"`);
    return;
  }
  assert.unreachable(`no error; expected ${fragments.join(', ')}`);
}

const Z = randn([4, 3], rng(19)).mul(2);
const T = [2, 0, 1, 1];
const W = [0.5, 2, 0, 1.5];

test("sampleWeight: each term times its sample's weight; 'mean' divides by the count, not by Σw (Keras' sum_over_batch_size)", () => {
  const losses: [string, (o: object) => Tensor][] = [
    ['crossEntropy', (o) => crossEntropy(Z, T, o)],
    ['focalLoss', (o) => focalLoss(Z, T, { gamma: 1.5, alpha: 0.25, ...o })],
    ['focalLossFromProbs', (o) => focalLossFromProbs(Z.softmax(), T, o)],
    ['focalLossStar', (o) => focalLossStar(Z, T, o)],
  ];
  for (const [name, loss] of losses) {
    const plain = Array.from(loss({ reduction: 'none' }).data);
    const weighted = plain.map((v, i) => v * W[i]);
    close(loss({ sampleWeight: W, reduction: 'none' }).data, weighted, 1e-15, `${name} 'none'`);
    close(loss({ sampleWeight: W, reduction: 'sum' }).data, [weighted.reduce((a, b) => a + b)], 1e-15, `${name} 'sum'`);
    close(loss({ sampleWeight: tensor(W).reshape([4, 1]) }).data, [weighted.reduce((a, b) => a + b) / 4], 1e-15, `${name} 'mean' ÷ N`);
    close(loss({ sampleWeight: 2.5 }).data, [(2.5 * plain.reduce((a, b) => a + b)) / 4], 1e-15, `${name} scalar`);
  }
  // Binary losses: a weight per sample covers its row; or one per element.
  const x = Z;
  const y = tensor([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]]);
  for (const [name, loss] of [
    ['binaryFocalLoss', (o: object) => binaryFocalLoss(x, y, o)],
    ['binaryCrossEntropy', (o: object) => binaryCrossEntropy(x, y, o)],
    ['binaryFocalLossFromProbs', (o: object) => binaryFocalLossFromProbs(x.sigmoid(), y, o)],
    ['mseLoss', (o: object) => mseLoss(x, y, o)],
  ] as const) {
    const plain = Array.from(loss({ reduction: 'none' }).data);
    const rows = plain.map((v, i) => v * W[Math.floor(i / 3)]);
    close(loss({ sampleWeight: W }).data, [rows.reduce((a, b) => a + b) / 12], 1e-15, `${name} per sample, 'mean' ÷ elements`);
    const perElement = tensor(plain.map((_, i) => (i % 5) / 4), { shape: [4, 3] });
    close(loss({ sampleWeight: perElement, reduction: 'none' }).data, plain.map((v, i) => v * ((i % 5) / 4)), 1e-15, `${name} per element`);
  }
  // Dense: [N] weights cover each sample's map; [N, d] weights one per element.
  const dense = randn([2, 3, 2], rng(4));
  const map = tensor([[0, 2], [1, 1]]);
  const plain = Array.from(focalLoss(dense, map, { reduction: 'none' }).data);
  close(focalLoss(dense, map, { sampleWeight: [3, 0.5], reduction: 'none' }).data, [3, 3, 0.5, 0.5].map((w, i) => w * plain[i]), 1e-15, 'dense per sample');
  throwsWith(() => focalLoss(Z, T, { sampleWeight: [1, 2] }), ['focalLoss: sampleWeight must be a number, one weight per sample ([4]) or one per element ([4])', 'got shape [2]']);
  throwsWith(() => crossEntropy(Z, T, { sampleWeight: [1, -1, 1, 1] }), ['crossEntropy: sampleWeight[1] must be a finite number ≥ 0, got -1']);
  throwsWith(() => binaryFocalLoss(Z, Z.mul(0), { sampleWeight: NaN }), ['binaryFocalLoss: sampleWeight must be a finite number ≥ 0, got NaN']);
});

test('ignored rows and elements are never computed: value and gradient exactly 0 for any finite logits, every loss and option', () => {
  const huge = [9e307, -9e307, 1e308];
  const rows = (): Tensor => tensor([huge, [0.5, -1, 2]], { requiresGrad: true });
  const cases: [string, (z: Tensor, reduction: 'mean' | 'sum' | 'none') => Tensor][] = [
    ['crossEntropy', (z, reduction) => crossEntropy(z, [-100, 1], { ignoreIndex: -100, reduction })],
    ['crossEntropy smoothing, weight', (z, reduction) => crossEntropy(z, [-100, 1], { ignoreIndex: -100, labelSmoothing: 0.2, weight: [1, 2, 3], reduction })],
    ['focalLoss γ 0.5, α, smoothing', (z, reduction) => focalLoss(z, [-100, 1], { gamma: 0.5, alpha: [0.2, 1, 3], ignoreIndex: -100, labelSmoothing: 0.1, reduction })],
    ['focalLoss flsd53, sampleWeight', (z, reduction) => focalLoss(z, [-100, 2], { gamma: 'flsd53', ignoreIndex: -100, sampleWeight: [5, 1], reduction })],
    ['focalLossStar', (z, reduction) => focalLossStar(z, [-100, 0], { ignoreIndex: -100, alpha: [1, 2, 3], reduction })],
    ['binaryFocalLoss', (z, reduction) => binaryFocalLoss(z, tensor([[-100, -100, -100], [1, 0, 0.3]]), { ignoreIndex: -100, posWeight: [1, 2, 3], weight: [3, 2, 1], labelSmoothing: 0.1, reduction })],
  ];
  for (const [what, f] of cases) {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const z = rows();
      const out = f(z, reduction).data;
      assert.ok(Array.from(out).every(Number.isFinite), `${what} ${reduction}: finite value`);
      if (reduction === 'none') assert.equal(Array.from(out.subarray(0, out.length / 2)).filter((v) => v !== 0), [], `${what}: the ignored row's loss is 0`);
      const g = grad((v: Tensor) => f(v, reduction).sum())(z).data;
      assert.equal(Array.from(g.subarray(0, 3)), [0, 0, 0], `${what}: the ignored row's gradient`);
      assert.ok(Array.from(g.subarray(3)).every((v) => Number.isFinite(v) && v !== 0), `${what}: the kept row learns`);
    }
  }
  // Issue 19's rows: [9e307, −9e307] ignored beside [0, 0] gave a NaN gradient (and with label smoothing a NaN value).
  for (const labelSmoothing of [0, 0.1]) {
    const f = (v: Tensor): Tensor => focalLoss(v, [-100, 1], { gamma: 0.5, ignoreIndex: -100, labelSmoothing });
    const z2 = tensor([[9e307, -9e307], [0, 0]]);
    assert.ok(Number.isFinite(f(z2).data[0]), `value, labelSmoothing ${labelSmoothing}`);
    assert.equal(Array.from(grad(f)(z2).data.subarray(0, 2)), [0, 0]);
  }
  // The kept rows' numbers are those of the loss without the ignored row.
  const z = rows();
  close(crossEntropy(z, [-100, 1], { ignoreIndex: -100, labelSmoothing: 0.2 }).data, Array.from(crossEntropy(z.narrow(0, 1, 1), [1], { labelSmoothing: 0.2 }).data), 1e-15, 'CE kept row');
  const none = binaryFocalLoss(tensor([[1e308, -2]]), tensor([[-100, 0]]), { ignoreIndex: -100, reduction: 'none' }).data;
  assert.is(none[0], 0);
  close(binaryFocalLoss(tensor([[1e308, -2]]), tensor([[-100, 0]]), { ignoreIndex: -100 }).data, [none[1]], 1e-15, "binary 'mean' over the kept elements");
});

test('binaryFocalLoss posWeight and weight: kornia\'s pos_term·pos_weight + neg_term, times weight (targets 0 and 1)', () => {
  // kornia: −α·p_w·σ(−x)^γ·y·log σ(x) − (1 − α)·σ(x)^γ·(1 − y)·log σ(−x), times w; log σ(x) = −softplus(−x).
  const x = [1.5, -0.3, 2.2, -4, 0.1, 3];
  const y = [1, 0, 1, 0, 0, 1];
  const pw = [2, 0.5, 3];
  const w = [0.2, 1, 0.7];
  const sp = (v: number): number => Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
  const sig = (v: number): number => 1 / (1 + Math.exp(-v));
  const [alpha, gamma] = [0.3, 1.5];
  const expected = x.map((v, i) => {
    const c = i % 3;
    const pos = alpha * pw[c] * sig(-v) ** gamma * y[i] * sp(-v);
    const neg = (1 - alpha) * sig(v) ** gamma * (1 - y[i]) * sp(v);
    return w[c] * (pos + neg);
  });
  const got = binaryFocalLoss(tensor(x).reshape([2, 3]), tensor(y).reshape([2, 3]), { alpha, gamma, posWeight: pw, weight: tensor(w), reduction: 'none' });
  close(got.data, expected, 1e-14, 'kornia closed form');
  for (const reduction of ['mean', 'sum', 'none'] as const) {
    const f = (v: Tensor): Tensor => binaryFocalLoss(v, tensor(y).reshape([2, 3]), { alpha, gamma: 2, posWeight: pw, weight: w, labelSmoothing: 0.1, reduction });
    assert.ok(gradcheck(f, [tensor(x).reshape([2, 3])]).ok, `gradcheck ${reduction}`);
    assert.ok(gradgradcheck(f, [tensor(x).reshape([2, 3])]).ok, `gradgradcheck ${reduction}`);
  }
});

test('labelSmoothing on the binary losses: y ← y·(1 − ls) + ls/2 (Keras)', () => {
  const x = tensor([2, -1, 0.5]);
  const y = [1, 0, 1];
  const smoothed = tensor(y.map((v) => v * 0.8 + 0.1));
  close(binaryCrossEntropy(x, y, { labelSmoothing: 0.2, reduction: 'none' }).data, Array.from(binaryCrossEntropy(x, smoothed, { reduction: 'none' }).data), 1e-15, 'BCE');
  close(binaryFocalLoss(x, y, { labelSmoothing: 0.2, reduction: 'none' }).data, Array.from(binaryFocalLoss(x, smoothed, { reduction: 'none' }).data), 1e-15, 'binary focal');
  throwsWith(() => binaryFocalLoss(x, y, { labelSmoothing: 1.5 }), ['binaryFocalLoss: labelSmoothing must be a number in [0, 1], got 1.5']);
});

test("binaryFocalLossFromProbs: Keras' clip for the log, the unclipped p for the factor, α only when given", () => {
  const p = [0, 1e-9, 0.3, 0.99, 1];
  const y = [0, 1, 1, 0, 1];
  const eps = 1e-7;
  const expected = p.map((q, i) => {
    const c = Math.min(Math.max(q, eps), 1 - eps);
    const bce = -(y[i] * Math.log(c) + (1 - y[i]) * Math.log1p(-c));
    const pt = y[i] * q + (1 - y[i]) * (1 - q);
    return (1 - pt) ** 2 * bce;
  });
  close(binaryFocalLossFromProbs(tensor(p), y, { reduction: 'none' }).data, expected, 1e-14, 'Keras formula');
  const alpha = binaryFocalLossFromProbs(tensor(p), y, { alpha: 0.25, reduction: 'none' }).data;
  close(alpha, expected.map((v, i) => v * (y[i] ? 0.25 : 0.75)), 1e-14, 'apply_class_balancing');
  const interior = tensor([[0.2, 0.7], [0.45, 0.9]]);
  const f = (q: Tensor): Tensor => binaryFocalLossFromProbs(q, tensor([[1, 0], [0, 1]]), { gamma: 1.5, labelSmoothing: 0.1, alpha: 0.4 });
  assert.ok(gradcheck(f, [interior]).ok, 'gradcheck');
  throwsWith(() => binaryFocalLossFromProbs(tensor([1.5]), [1]), ['binaryFocalLossFromProbs: probability 1.5 at [0] is outside [0, 1]']);
  throwsWith(() => binaryFocalLossFromProbs(tensor([0.5]), [1], { alpha: -1 }), ['binaryFocalLossFromProbs: alpha must be a number in [0, 1]']);
});

test('unbatched [C] input with a scalar target, and [N, 1] targets squeezed (PyTorch; Keras)', () => {
  const x = tensor([0.2, 1.7, -0.4]);
  for (const f of [crossEntropy, focalLoss, focalLossFromProbs] as const) {
    const input = f === focalLossFromProbs ? x.softmax() : x;
    const one = f(input, 1, { reduction: 'none' });
    assert.equal(one.shape, []);
    assert.is(one.data[0], f(input.reshape([1, 3]), [1]).data[0]);
    assert.is(f(input, tensor(1)).data[0], one.data[0]);
    close(f(input, tensor([0.1, 0.8, 0.1])).data, Array.from(f(input.reshape([1, 3]), tensor([[0.1, 0.8, 0.1]])).data), 1e-15, 'labels [C]');
  }
  assert.is(crossEntropy(Z, tensor(T).reshape([4, 1])).data[0], crossEntropy(Z, T).data[0]);
  // With C = 1 an [N, 1] target is a label Tensor, not indices.
  assert.is(crossEntropy(tensor([[3], [-1]]), tensor([[1], [1]])).data[0], 0);
});

test('presets: each names the peer call; toClassMap lays a loss map out as kornia does; peerLoss names what a peer offers', () => {
  for (const [peer, table] of Object.entries(PRESETS)) {
    for (const [name, preset] of Object.entries(table)) assert.ok(preset.call.length > 0 && typeof preset.fn === 'function', `${peer} ${name}`);
  }
  const loss = tensor([0.5, 2]);
  assert.equal(Array.from(toClassMap(loss, [2, -100], 3, -100).data), [0, 0, 0.5, 0, 0, 0]);
  const dense = toClassMap(tensor([[1, 2]]), tensor([[0, 1]]), 2);
  assert.equal(dense.shape, [1, 2, 2]);
  assert.equal(Array.from(dense.data), [1, 0, 0, 2]);
  throwsWith(() => peerLoss('pytorch', 'focal'), ['peerLoss: pytorch has no loss like "focal" (its presets: ce, bce, mse)']);
  throwsWith(() => peerLoss('jax' as 'keras', 'ce'), ['peerLoss: unknown peer "jax"']);
  // kornia's 'mean' divides by N·C (the class map's size), C times below focalgrad's.
  const k = PRESETS.kornia.focal.fn(Z, T, { alpha: 0.25, reduction: 'mean' }).data[0];
  const ours = focalLoss(Z, T, { alpha: [0.75, 0.25, 0.25], reduction: 'sum' }).data[0];
  close([k], [ours / 12], 1e-15, "kornia 'mean'");
  // kornia's weight (one per class) multiplies its α factor; a Tensor or a number[]; anything else is an Error.
  const weighted = focalLoss(Z, T, { alpha: [0.75, 0.5, 0.75], reduction: 'sum' }).data[0];
  for (const weight of [[1, 2, 3], tensor([1, 2, 3])]) {
    close(PRESETS.kornia.focal.fn(Z, T, { alpha: 0.25, weight, reduction: 'sum' }).data, [weighted], 1e-15, 'kornia weight');
  }
  throwsWith(() => PRESETS.kornia.focal.fn(Z, T, { weight: [1, 2] }), ["peerLoss('kornia', 'focal'): weight must be one number per class (3)"]);
});

test.run();
