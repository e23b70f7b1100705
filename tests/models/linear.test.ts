// Tests for models/linear.ts: a hand-worked forward, the init statistics, seeding, errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rng, tensor } from '../../engine/index.js';
import { Linear, MLP } from '../../models/index.js';
import { sameBits, throwsWith } from './helpers.js';

function meanAndStd(values: Float64Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { mean, std: Math.sqrt(squares / values.length) };
}

test('Linear: forward is x·W + b on a hand-worked case', () => {
  const layer = new Linear(2, 3, { rng: rng(0) });
  layer.weight.data.set([1, 2, 3, 4, 5, 6]); // W = [[1, 2, 3], [4, 5, 6]], stored [in, out]
  layer.bias!.data.set([0.5, -1, 2]);
  const x = tensor([
    [1, -1],
    [0.5, 2],
  ]);
  const out = layer.forward(x);
  assert.equal(out.shape, [2, 3]);
  sameBits(
    out.data,
    [
      1 * 1 + -1 * 4 + 0.5,
      1 * 2 + -1 * 5 - 1,
      1 * 3 + -1 * 6 + 2,
      0.5 * 1 + 2 * 4 + 0.5,
      0.5 * 2 + 2 * 5 - 1,
      0.5 * 3 + 2 * 6 + 2,
    ],
    'out',
  );
});

test('Linear: without a bias, forward is x·W and parameters() is [weight]', () => {
  const layer = new Linear(2, 1, { rng: rng(0), bias: false });
  assert.is(layer.bias, null);
  // A truthy non-boolean (bias: 'false', from a config file) must not quietly build a bias.
  throwsWith(() => new Linear(2, 1, { rng: rng(0), bias: 'false' as unknown as boolean }), ['Linear: bias must be true or false', '"false"']);
  assert.is(layer.parameters().length, 1);
  layer.weight.data.set([3, -2]);
  sameBits(layer.forward(tensor([[1, 1], [2, 0.5]])).data, [3 - 2, 6 - 1], 'out');
});

test('Linear: parameters are leaves that require grad, W [in, out], b zeros [out]', () => {
  const layer = new Linear(4, 3, { rng: rng(1) });
  const [w, b] = layer.parameters();
  assert.is(w, layer.weight);
  assert.is(b, layer.bias);
  assert.equal(w.shape, [4, 3]);
  assert.equal(b.shape, [3]);
  for (const p of [w, b]) {
    assert.is(p.op, 'leaf');
    assert.ok(p.requiresGrad);
  }
  sameBits(b.data, [0, 0, 0], 'bias');
  assert.is(layer.inFeatures, 4);
  assert.is(layer.outFeatures, 3);
});

test('Linear: gradients reach W and b through forward', () => {
  const layer = new Linear(2, 2, { rng: rng(2) });
  const x = tensor([
    [1, 2],
    [3, 4],
  ]);
  layer.forward(x).sum().backward();
  // ∂Σ(xW + b)/∂W[i, j] = Σₙ x[n, i];  ∂/∂b[j] = N
  sameBits(layer.weight.grad!.data, [1 + 3, 1 + 3, 2 + 4, 2 + 4], 'dW');
  sameBits(layer.bias!.grad!.data, [2, 2], 'db');
});

test('Linear: Kaiming init has std √(2/in), Glorot √(2/(in + out)), mean 0', () => {
  const cases = [
    { init: 'kaiming' as const, fanIn: 1000, fanOut: 400, std: Math.sqrt(2 / 1000) },
    { init: 'glorot' as const, fanIn: 600, fanOut: 400, std: Math.sqrt(2 / (600 + 400)) },
    { init: 'kaiming' as const, fanIn: 50, fanOut: 8000, std: Math.sqrt(2 / 50) },
  ];
  for (const c of cases) {
    const layer = new Linear(c.fanIn, c.fanOut, { rng: rng(7), init: c.init });
    const { mean, std } = meanAndStd(layer.weight.data);
    const n = layer.weight.size;
    // the sample std of n normals is within ~1/√(2n) relative; allow 5 of those
    assert.ok(Math.abs(std / c.std - 1) < 5 / Math.sqrt(2 * n), `${c.init} ${c.fanIn}→${c.fanOut}: std ${std} vs ${c.std}`);
    assert.ok(Math.abs(mean) < (5 * c.std) / Math.sqrt(n), `${c.init}: mean ${mean}`);
  }
});

test('Linear: the default init is Kaiming', () => {
  const a = new Linear(5, 7, { rng: rng(3) });
  const b = new Linear(5, 7, { rng: rng(3), init: 'kaiming' });
  sameBits(a.weight.data, b.weight.data, 'weight');
});

test('Linear: the same seed gives the same bits, another seed other values', () => {
  const a = new Linear(8, 4, { rng: rng(42) });
  const b = new Linear(8, 4, { rng: rng(42) });
  const c = new Linear(8, 4, { rng: rng(43) });
  sameBits(a.weight.data, b.weight.data, 'weight');
  assert.ok(a.weight.data.some((v, i) => v !== c.weight.data[i]));
  // the layer draws its weights from the generator it is given, row-major: W[i, j] = std · normal()
  const g = rng(42);
  const expected = Array.from({ length: 32 }, () => g.normal() * Math.sqrt(2 / 8));
  sameBits(a.weight.data, expected, 'weight');
});

test('Linear: forward rejects an input of the wrong shape, naming both shapes', () => {
  const layer = new Linear(2, 3, { rng: rng(0) });
  throwsWith(() => layer.forward(tensor([[1, 2, 3]])), ['Linear: expected input of shape [N, 2], got [1,3]']);
  throwsWith(() => layer.forward(tensor([1, 2])), ['Linear: expected input of shape [N, 2], got [2]']);
  throwsWith(() => layer.forward([[1, 2]] as never), ['Linear: expected input of shape [N, 2], got an array']);
});

test('Linear: bad constructor arguments throw', () => {
  throwsWith(() => new Linear(0, 3, { rng: rng(0) }), ['Linear: inFeatures must be a positive integer, got 0']);
  throwsWith(() => new Linear(2, 1.5, { rng: rng(0) }), ['Linear: outFeatures must be a positive integer, got 1.5']);
  throwsWith(() => new Linear(2, 3, {} as never), ['Linear: options.rng must be a seeded generator', 'got undefined']);
  throwsWith(() => new Linear(2, 3, undefined as never), ['Linear: options.rng']);
  throwsWith(() => new Linear(2, 3, { rng: rng(0), init: 'he' as never }), [`init must be 'kaiming' or 'glorot', got "he"`]);
});

test('Linear and MLP with 1e10 features: an Error naming them and the weight shape, before allocating', () => {
  throwsWith(() => new Linear(1e10, 1, { rng: rng(0) }), ['Linear: result of shape [10000000000,1] (10000000000 elements) is too large']);
  throwsWith(() => new MLP([2, 1e10, 3], { rng: rng(0) }), ['MLP: result of shape [2,10000000000]', 'is too large']);
});

test.run();
