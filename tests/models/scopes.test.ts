// The model's layers mark their nodes: a picture of an MLP's graph groups each Linear inside the MLP.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rng, scopePath, tensor, toGraph } from '../../engine/index.js';
import { Linear, MLP } from '../../models/index.js';

test('Linear: its matmul and add are in scope Linear, its parameters named weight and bias', () => {
  const layer = new Linear(2, 3, { rng: rng(0) });
  assert.is(layer.weight.name, 'weight');
  assert.is(layer.bias!.name, 'bias');
  const out = layer.forward(tensor([[1, 2]]));
  assert.is(out.op, 'add');
  assert.equal(scopePath(out.scope), ['Linear']);
  assert.equal(scopePath(out.inputs[0].scope), ['Linear']);
  assert.is(out.inputs[0].op, 'matmul');
});

test('MLP: each Linear nested in MLP, the activations in MLP itself, and the values unchanged', () => {
  const mlp = new MLP([2, 4, 3], { rng: rng(1) });
  const x = tensor([[0.5, -1]]);
  const logits = mlp.forward(x);
  const scoped = toGraph(logits).nodes.filter((n) => n.op !== 'leaf').map((n) => `${n.op}@${scopePath(n.tensor.scope).join('/')}`);
  assert.equal(scoped, ['matmul@MLP/Linear', 'add@MLP/Linear', 'relu@MLP', 'matmul@MLP/Linear', 'add@MLP/Linear']);
  // The same numbers as the layers applied by hand: relu(x·W₀ + b₀)·W₁ + b₁.
  const [l0, l1] = mlp.layers;
  const byHand = x.matmul(l0.weight).add(l0.bias!).relu().matmul(l1.weight).add(l1.bias!);
  assert.equal(Array.from(logits.data), Array.from(byHand.data));
});

test.run();
