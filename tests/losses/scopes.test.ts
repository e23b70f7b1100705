// Every loss marks the nodes it makes with its own scope, so that a picture of its graph groups them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, scopePath, tensor, toDot, toGraph } from '../../engine/index.js';
import { binaryCrossEntropy, binaryFocalLoss, crossEntropy, focalLoss, focalLossFromProbs, focalLossStar, mseLoss } from '../../losses/index.js';

const logits = (): Tensor => tensor([[1, 2, 0.5], [0.3, -1, 2]], { requiresGrad: true });
const probs = (): Tensor => tensor([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]], { requiresGrad: true });

const CALLS: [string, () => Tensor][] = [
  ['crossEntropy', () => crossEntropy(logits(), [0, 2])],
  ['focalLoss', () => focalLoss(logits(), [0, 2], { gamma: 2, alpha: 0.25 })],
  ['focalLossFromProbs', () => focalLossFromProbs(probs(), [1, 0])],
  ['binaryFocalLoss', () => binaryFocalLoss(tensor([0.5, -1], { requiresGrad: true }), [1, 0])],
  ['focalLossStar', () => focalLossStar(logits(), [0, 2])],
  ['binaryCrossEntropy', () => binaryCrossEntropy(tensor([0.5, -1], { requiresGrad: true }), [1, 0])],
  ['mseLoss', () => mseLoss(tensor([0.5, -1], { requiresGrad: true }), tensor([1, 0]))],
];

// Every node the call made (its inputs, module-level constants and the leaves it was given aside).
function made(root: Tensor): Tensor[] {
  return toGraph(root).nodes.filter((n) => n.op !== 'leaf').map((n) => n.tensor);
}

for (const [name, call] of CALLS) {
  test(`${name}: the result and every node it made are inside scope ${name}`, () => {
    const loss = call();
    assert.equal(scopePath(loss.scope)[0], name);
    const outside = made(loss).filter((t) => scopePath(t.scope)[0] !== name);
    assert.equal(outside.map((t) => `${t.op}@${scopePath(t.scope).join('/')}`), []);
  });
}

test("the reduction is a scope of its own inside the loss: 'mean' by default, 'sum' when asked", () => {
  assert.equal(scopePath(focalLoss(logits(), [0, 2]).scope), ['focalLoss', 'mean']);
  assert.equal(scopePath(crossEntropy(logits(), [0, 2], { reduction: 'sum' }).scope), ['crossEntropy', 'sum']);
});

test('focalLoss: the modulating factor is a scope inside focalLoss, absent at γ = 0', () => {
  const paths = (loss: Tensor): string[] => made(loss).map((t) => scopePath(t.scope).join(' ▸ '));
  assert.ok(paths(focalLoss(logits(), [0, 2])).includes('focalLoss ▸ modulatingFactor'));
  assert.not.ok(paths(focalLoss(logits(), [0, 2], { gamma: 0 })).some((p) => p.includes('modulatingFactor')));
});

test("toDot draws focalLoss's scopes as nested clusters", () => {
  const dot = toDot(focalLoss(logits(), [0, 2]));
  const lines = dot.split('\n');
  const outer = lines.indexOf('    label="focalLoss";');
  const inner = lines.indexOf('      label="modulatingFactor";');
  assert.ok(outer > 0 && inner > outer, dot);
});

test('the check catches a node left outside the scope (a negative control)', () => {
  const loss = focalLoss(logits(), [0, 2]).mul(2);
  const outside = made(loss).filter((t) => scopePath(t.scope)[0] !== 'focalLoss');
  assert.is(outside.length, 1);
  assert.is(outside[0], loss);
});

test.run();
