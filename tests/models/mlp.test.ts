// Tests for models/mlp.ts: shapes, parameters, activations, gradcheck, and the JSON round trip.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, gradcheck, randn, rng, tensor } from '../../engine/index.js';
import { Linear, MLP, type MlpJSON } from '../../models/index.js';
import { sameBits, throwsWith } from './helpers.js';

test('MLP: [2, 32, 32, 3] maps [N, 2] to logits [N, 3]', () => {
  const mlp = new MLP([2, 32, 32, 3], { rng: rng(0) });
  const out = mlp.forward(randn([5, 2], rng(1)));
  assert.equal(out.shape, [5, 3]);
  assert.ok(out.requiresGrad);
  assert.equal(mlp.sizes, [2, 32, 32, 3]);
  assert.is(mlp.activation, 'relu');
  assert.is(mlp.layers.length, 3);
});

test('MLP: parameters() are [W₀, b₀, W₁, b₁, W₂, b₂] with 2·32+32 + 32·32+32 + 32·3+3 values', () => {
  const mlp = new MLP([2, 32, 32, 3], { rng: rng(0) });
  const params = mlp.parameters();
  assert.equal(
    params.map((p) => p.shape),
    [[2, 32], [32], [32, 32], [32], [32, 3], [3]],
  );
  const count = params.reduce((total, p) => total + p.size, 0);
  assert.is(count, 2 * 32 + 32 + (32 * 32 + 32) + (32 * 3 + 3));
  mlp.layers.forEach((layer, l) => {
    assert.is(params[2 * l], layer.weight);
    assert.is(params[2 * l + 1], layer.bias);
  });
  // stable: the same tensors every call
  mlp.parameters().forEach((p, i) => assert.is(p, params[i]));
});

test('MLP: relu or tanh between layers, nothing after the last', () => {
  // one input, one hidden unit, one output, all weights 1 except the output weight −1:
  // out = act(x)·(−1) + 0
  const build = (activation: 'relu' | 'tanh'): MLP => {
    const mlp = new MLP([1, 1, 1], { activation, rng: rng(0) });
    mlp.layers[0].weight.data[0] = 1;
    mlp.layers[1].weight.data[0] = -1;
    return mlp;
  };
  const x = tensor([[-2], [3]]);
  // relu(−2)·(−1) + 0, relu(3)·(−1) + 0 = −3: no relu on the output
  sameBits(build('relu').forward(x).data, [0 * -1 + 0, 3 * -1 + 0], 'relu');
  sameBits(build('tanh').forward(x).data, [Math.tanh(-2) * -1 + 0, Math.tanh(3) * -1 + 0], 'tanh');
});

test('MLP: relu layers get Kaiming init, tanh layers Glorot, from the rng in order', () => {
  const relu = new MLP([3, 5, 2], { rng: rng(9) });
  const g = rng(9);
  const first = new Linear(3, 5, { rng: g, init: 'kaiming' });
  const second = new Linear(5, 2, { rng: g, init: 'kaiming' });
  sameBits(relu.layers[0].weight.data, first.weight.data, 'relu layer 0');
  sameBits(relu.layers[1].weight.data, second.weight.data, 'relu layer 1');

  const tanh = new MLP([3, 5, 2], { activation: 'tanh', rng: rng(9) });
  const h = rng(9);
  sameBits(tanh.layers[0].weight.data, new Linear(3, 5, { rng: h, init: 'glorot' }).weight.data, 'tanh layer 0');
  sameBits(tanh.layers[1].weight.data, new Linear(5, 2, { rng: h, init: 'glorot' }).weight.data, 'tanh layer 1');
});

test('MLP: predictProba is the softmax of the logits, outside the graph', () => {
  const mlp = new MLP([2, 4, 3], { rng: rng(0) });
  const x = randn([6, 2], rng(1));
  const probs = mlp.predictProba(x);
  assert.equal(probs.shape, [6, 3]);
  assert.is(probs.requiresGrad, false);
  const expected = mlp.forward(x).softmax(-1);
  sameBits(probs.data, expected.data, 'probs');
  for (let n = 0; n < 6; n++) {
    const row = probs.data[3 * n] + probs.data[3 * n + 1] + probs.data[3 * n + 2];
    assert.ok(Math.abs(row - 1) < 1e-15, `row ${n} sums to ${row}`);
  }
});

// f(x, W₀, b₀, W₁, b₁, ...) = mlp.forward(x) with the given leaves put in place of the parameters.
function forwardWith(mlp: MLP): (x: Tensor, ...params: Tensor[]) => Tensor {
  return (x, ...params) => {
    mlp.layers.forEach((layer, l) => {
      layer.weight = params[2 * l];
      layer.bias = params[2 * l + 1];
    });
    return mlp.forward(x);
  };
}

test('MLP: gradcheck of forward with respect to the input and every parameter', () => {
  for (const activation of ['tanh', 'relu'] as const) {
    const mlp = new MLP([3, 4, 4, 2], { activation, rng: rng(5) });
    // nonzero biases, so that their gradients are not trivially checked at 0
    for (const layer of mlp.layers) layer.bias!.data.set(randn([layer.outFeatures], rng(6)).data);
    const inputs = [randn([5, 3], rng(4)), ...mlp.parameters()];
    const result = gradcheck(forwardWith(mlp), inputs);
    assert.ok(result.ok, `${activation}: ${result.message}`);
    assert.ok(result.maxAbsError < 1e-7, `${activation}: ${result.message}`);
  }
});

test('MLP: toJSON is a plain object in the documented format', () => {
  const mlp = new MLP([2, 3, 2], { activation: 'tanh', rng: rng(0) });
  const json = mlp.toJSON();
  assert.is(json.format, 'focalgrad-mlp');
  assert.is(json.version, 1);
  assert.equal(json.sizes, [2, 3, 2]);
  assert.is(json.activation, 'tanh');
  assert.is(json.layers.length, 2);
  assert.ok(Array.isArray(json.layers[0].weight));
  assert.equal(json.layers[0].weight, Array.from(mlp.layers[0].weight.data));
  assert.equal(json.layers[1].bias, Array.from(mlp.layers[1].bias!.data));
  assert.equal(JSON.parse(JSON.stringify(json)), json);
  // JSON.stringify finds toJSON by itself
  assert.equal(JSON.parse(JSON.stringify(mlp)), json);
});

test('MLP: the JSON round trip gives bit-identical parameters and outputs', () => {
  for (const activation of ['relu', 'tanh'] as const) {
    const mlp = new MLP([2, 32, 32, 3], { activation, rng: rng(11) });
    for (const layer of mlp.layers) layer.bias!.data.set(randn([layer.outFeatures], rng(12)).data);
    const loaded = MLP.fromJSON(JSON.parse(JSON.stringify(mlp)));
    assert.equal(loaded.sizes, mlp.sizes);
    assert.is(loaded.activation, activation);
    loaded.parameters().forEach((p, i) => {
      const original = mlp.parameters()[i];
      assert.equal(p.shape, original.shape);
      assert.ok(p.requiresGrad && p.op === 'leaf');
      sameBits(p.data, original.data, `${activation} parameter ${i}`);
    });
    const x = randn([50, 2], rng(13));
    sameBits(loaded.forward(x).data, mlp.forward(x).data, `${activation} outputs`);
    // the loaded model owns its own buffers
    assert.is.not(loaded.layers[0].weight.data, mlp.layers[0].weight.data);
  }
});

// A fresh saved model for each corrupt case: [2, 32, 3], relu.
function saved(): MlpJSON {
  return JSON.parse(JSON.stringify(new MLP([2, 32, 3], { rng: rng(0) }))) as MlpJSON;
}

function corrupt(edit: (json: Record<string, unknown> & MlpJSON) => void): unknown {
  const json = saved() as Record<string, unknown> & MlpJSON;
  edit(json);
  return json;
}

test('MLP.fromJSON: a non-object is an Error', () => {
  for (const [value, got] of [
    [null, 'null'],
    [undefined, 'undefined'],
    ['{"format":"focalgrad-mlp"}', '"{\\"format\\"'],
    [42, '42'],
    [[1, 2], '[1, 2]'],
  ] as const) {
    throwsWith(() => MLP.fromJSON(value), ['MLP.fromJSON: expected an object, got', got]);
  }
});

test('MLP.fromJSON: wrong format or version is an Error naming it', () => {
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.format = 'keras-model' as never))), [
    'MLP.fromJSON: format must be "focalgrad-mlp", got "keras-model"',
  ]);
  throwsWith(() => MLP.fromJSON(corrupt((j) => delete (j as Record<string, unknown>).format)), ['format must be "focalgrad-mlp", got undefined']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.version = 2 as never))), [
    'MLP.fromJSON: unsupported version 2 (expected 1)',
  ]);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.version = '1' as never))), ['unsupported version "1"']);
});

test('MLP.fromJSON: bad sizes or activation is an Error naming it', () => {
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.sizes = [2]))), ['sizes must be an array of at least 2', 'got [2]']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.sizes = 'abc' as never))), ['sizes must be an array', 'got "abc"']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.sizes = [2, 0, 3]))), ['sizes[1] must be a positive integer, got 0']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.sizes = [2, 32, 2.5]))), ['sizes[2] must be a positive integer, got 2.5']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.sizes = [2, '32', 3] as never))), ['sizes[1] must be a positive integer, got "32"']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.activation = 'sigmoid' as never))), [
    'activation must be one of relu, tanh, got "sigmoid"',
  ]);
});

test('MLP.fromJSON: a missing or extra layer is an Error', () => {
  throwsWith(() => MLP.fromJSON(corrupt((j) => j.layers.pop())), ['MLP.fromJSON: layers has 1 entries, expected 2 for sizes [2, 32, 3]']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => j.layers.push(j.layers[1]))), ['layers has 3 entries, expected 2']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => delete (j as Record<string, unknown>).layers)), [
    'layers must be an array, got undefined',
  ]);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.layers[0] = 5 as never))), ['layer 0 must be an object, got 5']);
});

test('MLP.fromJSON: sizes that do not match the arrays are an Error with the expected count', () => {
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.layers[1].weight = j.layers[1].weight.slice(0, 60)))), [
    'MLP.fromJSON: layer 1 weight has 60 values, expected 32×3 = 96',
  ]);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.sizes = [2, 32, 4]))), ['layer 1 weight has 96 values, expected 32×4 = 128']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.sizes = [3, 32, 3]))), ['layer 0 weight has 64 values, expected 3×32 = 96']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => j.layers[0].bias.push(0))), ['layer 0 bias has 33 values, expected 32']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => delete (j.layers[1] as Partial<MlpJSON['layers'][0]>).bias)), [
    'layer 1 bias must be an array of numbers, got undefined',
  ]);
});

test('MLP.fromJSON: a NaN, infinite or non-numeric value is an Error naming where', () => {
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.layers[0].weight[5] = NaN))), [
    'MLP.fromJSON: layer 0 weight[5] must be a finite number, got NaN',
  ]);
  // JSON has no NaN: JSON.stringify writes null, and that is caught too
  const text = JSON.stringify(corrupt((j) => (j.layers[1].bias[2] = NaN)));
  throwsWith(() => MLP.fromJSON(JSON.parse(text)), ['layer 1 bias[2] must be a finite number, got null']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.layers[1].weight[0] = -Infinity))), ['layer 1 weight[0]', 'got -Infinity']);
  throwsWith(() => MLP.fromJSON(corrupt((j) => (j.layers[0].bias[0] = '0.5' as never))), ['layer 0 bias[0]', 'got "0.5"']);
});

test('MLP.fromJSON: extra fields are ignored, and the input object is not kept', () => {
  const json = corrupt((j) => ((j as Record<string, unknown>).note = 'trained on blobs'));
  const mlp = MLP.fromJSON(json);
  (json as MlpJSON).layers[0].weight[0] = 12345;
  assert.is.not(mlp.layers[0].weight.data[0], 12345);
});

test('MLP: bad constructor arguments throw', () => {
  throwsWith(() => new MLP([2], { rng: rng(0) }), ['MLP: sizes must list at least 2 layer sizes', 'got [2]']);
  throwsWith(() => new MLP('2,3' as never, { rng: rng(0) }), ['MLP: sizes must list', 'got "2,3"']);
  throwsWith(() => new MLP([2, -1, 3], { rng: rng(0) }), ['MLP: sizes[1] must be a positive integer, got -1']);
  throwsWith(() => new MLP([2, 3], { activation: 'gelu' as never, rng: rng(0) }), ['MLP: activation must be one of relu, tanh, got "gelu"']);
  throwsWith(() => new MLP([2, 3], {} as never), ['MLP: options.rng must be a seeded generator', 'got undefined']);
  throwsWith(() => new MLP([2, 3], undefined as never), ['MLP: options.rng']);
  const mlp = new MLP([2, 3], { rng: rng(0) });
  throwsWith(() => mlp.forward(tensor([[1, 2, 3]])), ['Linear: expected input of shape [N, 2], got [1,3]']);
});

test.run();
