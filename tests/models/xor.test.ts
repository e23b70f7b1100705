// A demonstration, not a gradient test: an MLP trained with Adam learns XOR on its 4 points.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, rng, tensor } from '../../engine/index.js';
import { Adam, MLP, SGD, type Optimizer } from '../../models/index.js';

const X = tensor([
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
]);
const Y = [0, 1, 1, 0];

// Cross-entropy from engine ops: the mean over samples of −log softmax(logits)[y].
const crossEntropy = (logits: Tensor, y: readonly number[]): Tensor => logits.logSoftmax().pick(y).mean().neg();

function train(mlp: MLP, opt: Optimizer, steps: number): number[] {
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    const loss = crossEntropy(mlp.forward(X), Y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  return losses;
}

// NOTE: 16 hidden units, not 8: with 8 relu units an unlucky seed can start with too few alive.
test('XOR: a [2, 16, 2] MLP with Adam reaches loss < 0.05 in 200 steps, for relu and tanh', () => {
  for (const [activation, seed] of [['relu', 0], ['relu', 1], ['tanh', 0], ['tanh', 1]] as const) {
    const mlp = new MLP([2, 16, 2], { activation, rng: rng(seed) });
    const losses = train(mlp, new Adam(mlp.parameters(), { lr: 0.05 }), 200);
    const final = crossEntropy(mlp.forward(X), Y).item();
    assert.ok(losses[0] > 0.5, `${activation}, seed ${seed}: initial loss ${losses[0]}`);
    assert.ok(final < 0.05, `${activation}, seed ${seed}: loss after 200 steps ${final}`);
    const p = mlp.predictProba(X).data;
    const predicted = [0, 1, 2, 3].map((n) => (p[2 * n + 1] > p[2 * n] ? 1 : 0));
    assert.equal(predicted, Y);
  }
});

test('XOR: SGD with momentum lowers the loss too, and the same seed repeats the run bit for bit', () => {
  const run = (): number[] => {
    const mlp = new MLP([2, 8, 2], { activation: 'tanh', rng: rng(1) });
    return train(mlp, new SGD(mlp.parameters(), { lr: 0.2, momentum: 0.9 }), 100);
  };
  const a = run();
  assert.ok(a[99] < a[0] / 4, `loss ${a[0]} → ${a[99]}`);
  assert.equal(run(), a);
});

test.run();
