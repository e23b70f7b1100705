// The model's layers mark their nodes: a picture of an MLP's graph groups each Linear inside the MLP.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, rng, scopePath, tensor, toGraph } from '../../engine/index.js';
import { Linear, MLP } from '../../models/index.js';

// The op of every node a call made (leaves aside), with its scope path: 'add@MLP/Linear'.
function scopedOps(root: Tensor): string[] {
  return toGraph(root)
    .nodes.filter((n) => n.op !== 'leaf')
    .map((n) => `${n.op}@${scopePath(n.tensor.scope).join('/')}`);
}

test('Linear: every node of its forward is in scope Linear, its parameters named weight and bias', () => {
  const layer = new Linear(2, 3, { rng: rng(0) });
  assert.is(layer.weight.name, 'weight');
  assert.is(layer.bias!.name, 'bias');
  const out = layer.forward(tensor([[1, 2]]));
  assert.equal(scopePath(out.scope), ['Linear']);
  const ops = scopedOps(out);
  assert.ok(ops.length > 0 && ops.every((o) => o.endsWith('@Linear')), ops.join(', '));
});

test('MLP: each Linear nested in MLP, the activations in MLP itself, and the values unchanged', () => {
  const mlp = new MLP([2, 4, 3], { rng: rng(1) });
  const x = tensor([[0.5, -1]]);
  const logits = mlp.forward(x);
  const ops = scopedOps(logits);
  assert.equal(ops.filter((o) => !o.endsWith('@MLP/Linear')), ['relu@MLP'], ops.join(', '));
  const layerScopes = new Set(toGraph(logits).nodes.filter((n) => n.tensor.scope?.name === 'Linear').map((n) => n.tensor.scope));
  assert.is(layerScopes.size, 2, 'one scope per layer call');
  // The same numbers as the layers applied by hand: relu(x·W₀ + b₀)·W₁ + b₁.
  const [l0, l1] = mlp.layers;
  const byHand = x.matmul(l0.weight).add(l0.bias!).relu().matmul(l1.weight).add(l1.bias!);
  assert.equal(Array.from(logits.data), Array.from(byHand.data));
});

test.run();
