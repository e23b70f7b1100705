// Bad input is a thrown Error that names the loss and the problem, never a silent NaN.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Tensor, randn, rng, tensor } from '../../engine/index.js';
import { binaryFocalLoss, classWeights, crossEntropy, focalLoss, focalLossFromProbs, focalLossStar } from '../../losses/index.js';

function throwsWith(run: () => unknown, fragments: string[]): void {
  try {
    run();
  } catch (error) {
    assert.instance(error, Error);
    const message = (error as Error).message;
    for (const fragment of fragments) assert.ok(message.includes(fragment), `expected "${fragment}" in "${message}"`);
    return;
  }
  assert.unreachable(`no error thrown; expected one mentioning ${fragments.join(', ')}`);
}

const Z = randn([3, 3], rng(1));
const P = Z.softmax();
// Each softmax-family loss, called with its input and (target, options) passed through. Casts stand
// for the untyped JavaScript callers these checks exist for.
const SOFTMAX_LOSSES: [string, (target: unknown, options?: object) => Tensor][] = [
  ['crossEntropy', (t, o) => crossEntropy(Z, t as number[], o)],
  ['focalLoss', (t, o) => focalLoss(Z, t as number[], o)],
  ['focalLossFromProbs', (t, o) => focalLossFromProbs(P, t as number[], o)],
  ['focalLossStar', (t, o) => focalLossStar(Z, t as number[], o)],
];

test('target indices: out of range, negative, non-integer, wrong count, wrong kind', () => {
  for (const [name, loss] of SOFTMAX_LOSSES) {
    throwsWith(() => loss([0, 1, 7]), [`${name}: target index 7 at row 2 is out of range for 3 classes (expected an integer in [0, 3))`]);
    throwsWith(() => loss([0, -1, 2]), [`${name}: target index -1 at row 1 is out of range for 3 classes`]);
    // PyTorch's default ignore_index: the message says how to get it here; -1 gets no such hint.
    throwsWith(() => loss([0, -100, 2]), [`${name}: target index -100 at row 1 is out of range for 3 classes (expected an integer in [0, `, `; PyTorch ignores -100 by default, here pass { ignoreIndex: -100 })`]);
    assert.throws(() => loss([0, -1, 2]), (error: Error) => !error.message.includes('PyTorch'));
    assert.ok(Number.isFinite(loss([0, -100, 2], { ignoreIndex: -100 }).item()), `${name}: the advice works`);
    throwsWith(() => loss([0, -1, 2], { ignoreIndex: -100 }), [`${name}: target index -1 at row 1 is out of range for 3 classes`, 'or the ignoreIndex -100']);
    throwsWith(() => loss(tensor([0, 1.5, 2])), [`${name}: target index 1.5 at row 1 is not an integer`]);
    throwsWith(() => loss([0, 1]), [`${name}: got 2 indices for 3 rows`]);
    throwsWith(() => loss('012'), [`${name}: indices must be a number[], an Int32Array or a 1-D Tensor`]);
    throwsWith(() => loss(tensor([[[0, 1, 2]]])), [`${name}: target must be class indices of shape [3] or label rows of shape [3,3], got shape [1,1,3]`]);
    throwsWith(() => loss([0, 1, 2], { ignoreIndex: 0.5 }), [`${name}: ignoreIndex must be an integer`]);
    throwsWith(() => loss([0, 1, 2], { reduction: 'avg' }), [`${name}: unknown reduction "avg" (expected 'mean', 'sum' or 'none')`]);
  }
});

test('one-hot / soft targets: wrong shape, wrong rows, values outside [0, 1]', () => {
  for (const [name, loss] of SOFTMAX_LOSSES) {
    throwsWith(() => loss(tensor([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]])), [`${name}: one-hot / soft target has shape [3,4] but the input has 3 classes (expected [3,3])`]);
    throwsWith(() => loss(tensor([[1, 0, 0], [0, 1, 0]])), [`${name}: got 2 target rows for 3 rows`]);
  }
  for (const [name, loss] of SOFTMAX_LOSSES.slice(0, 3)) {
    throwsWith(() => loss(tensor([[1, 0, 0], [0, 1.5, -0.5], [0, 0, 1]])), [`${name}: target 1.5 at [1,1] is outside [0, 1]`]);
    throwsWith(() => loss([0, 1, 2], { labelSmoothing: 1.5 }), [`${name}: labelSmoothing must be a number in [0, 1], got 1.5`]);
  }
  throwsWith(() => focalLossStar(Z, tensor([[1, 0, 0], [0, 0.5, 0.5], [0, 0, 1]])), ['focalLossStar: binary target 0.5 at [1,1] is not 0 or 1']);
});

test('labelSmoothing: both edges of [0, 1] are taken, as PyTorch takes them (0.0 <= label_smoothing <= 1.0)', () => {
  // ls = 1 makes every row uniform: the loss is −(1/C)·Σ_c log p_c per row, whatever the target.
  const logp = Array.from(Z.logSoftmax().data);
  const uniform = -logp.reduce((a, b) => a + b, 0) / 3 / 3;
  for (const target of [[0, 1, 2], [2, 2, 2]]) {
    const got = crossEntropy(Z, target, { labelSmoothing: 1 }).data[0];
    assert.ok(Math.abs(got - uniform) <= 1e-15 * uniform, `crossEntropy, labelSmoothing 1, target ${target}: ${got} vs ${uniform}`);
    // focalLoss at γ = 0 is crossEntropy, smoothing included.
    const focal = focalLoss(Z, target, { gamma: 0, labelSmoothing: 1 }).data[0];
    assert.ok(Math.abs(focal - uniform) <= 1e-15 * uniform, `focalLoss γ 0, labelSmoothing 1: ${focal} vs ${uniform}`);
  }
  const plain = crossEntropy(Z, [0, 1, 2], { labelSmoothing: 0 }).data[0];
  const nll = -(logp[0] + logp[4] + logp[8]) / 3;
  assert.ok(Math.abs(plain - nll) <= 1e-15 * nll, `labelSmoothing 0 is no smoothing: ${plain} vs ${nll}`);
  throwsWith(() => crossEntropy(Z, [0, 1, 2], { labelSmoothing: 1 + 2 ** -52 }), ['crossEntropy: labelSmoothing must be a number in [0, 1]']);
});

test('the input: 1-D, dense with an array target, empty, not a Tensor', () => {
  // An unbatched [C] input takes one index (PyTorch's no-batch-dim form); anything else names what it takes.
  throwsWith(() => focalLoss(tensor([1, 2, 3]), [0, 1]), ['focalLoss: an unbatched logits of shape [3] takes one class index (a number or a 0-d Tensor) or labels of shape [3]']);
  throwsWith(() => focalLoss(tensor([1, 2, 3]), undefined as never), ['focalLoss: an unbatched logits of shape [3] takes one class index']);
  throwsWith(() => focalLoss(Z, 1), ['focalLoss: a single target index 1 needs an unbatched [C] logits, got shape [3,3] (give one index per row)']);
  throwsWith(() => crossEntropy(tensor([[[1, 2]]]), [0]), ['crossEntropy: dense logits of shape [1,1,2] needs a Tensor target: indices of shape [1,2] or labels of shape [1,1,2]']);
  throwsWith(() => crossEntropy(tensor([[[1, 2]]]), tensor([[0]])), ['crossEntropy: target has shape [1,1] for dense logits of shape [1,1,2] (expected indices of shape [1,2] or labels of shape [1,1,2])']);
  throwsWith(() => focalLossFromProbs(tensor(0.8), [1]), ['focalLossFromProbs: probs must be [C], [N, C] or dense', 'got shape []']);
  throwsWith(() => focalLoss(tensor([], { shape: [0, 3] }), []), ['focalLoss: logits must be [C], [N, C] or dense [N, C, d1, ..., dk] with N, C ≥ 1, got shape [0,3]']);
  throwsWith(() => focalLoss([[1, 2]] as unknown as Tensor, [0]), ['focalLoss: logits must be a Tensor, got an array (wrap it with tensor())']);
  throwsWith(() => binaryFocalLoss(null as unknown as Tensor, [0]), ['binaryFocalLoss: logits must be a Tensor, got null']);
  throwsWith(() => focalLossStar(tensor([[[1]]]), [0]), ['focalLossStar: logits must be [N] (binary) or [N, C] (one-vs-all over C classes), got shape [1,1,1]']);
});

test('γ negative or NaN; α of the wrong length, negative or NaN; crossEntropy weight', () => {
  throwsWith(() => focalLoss(Z, [0, 1, 2], { gamma: -1 }), ["focalLoss: gamma must be a finite number ≥ 0 or 'flsd53', got -1"]);
  throwsWith(() => focalLoss(Z, [0, 1, 2], { gamma: NaN }), ['focalLoss: gamma must be', 'got NaN']);
  throwsWith(() => focalLossFromProbs(P, [0, 1, 2], { gamma: -0.5 }), ['focalLossFromProbs: gamma must be', 'got -0.5']);
  throwsWith(() => binaryFocalLoss(tensor([1]), [1], { gamma: NaN }), ['binaryFocalLoss: gamma must be a finite number ≥ 0, got NaN']);
  throwsWith(() => binaryFocalLoss(tensor([1]), [1], { gamma: 'flsd53' as unknown as number }), ['binaryFocalLoss: gamma must be a finite number ≥ 0, got "flsd53"']);
  throwsWith(() => focalLossStar(tensor([1]), [1], { gamma: 0 }), ['focalLossStar: gamma must be a finite number > 0 (FL* divides by it), got 0']);
  throwsWith(() => focalLossStar(tensor([1]), [1], { beta: Infinity }), ['focalLossStar: beta must be a finite number, got Infinity']);
  throwsWith(() => focalLoss(Z, [0, 1, 2], { alpha: [1, 2] }), ['focalLoss: alpha has 2 weights for 3 classes (expected one per class)']);
  throwsWith(() => focalLossFromProbs(P, [0, 1, 2], { alpha: [1, 2, 3, 4] }), ['focalLossFromProbs: alpha has 4 weights for 3 classes']);
  throwsWith(() => focalLoss(Z, [0, 1, 2], { alpha: [1, -2, 3] }), ['focalLoss: alpha[1] must be a finite number ≥ 0, got -2']);
  throwsWith(() => focalLoss(Z, [0, 1, 2], { alpha: NaN }), ['focalLoss: alpha must be a finite number ≥ 0, got NaN']);
  throwsWith(() => focalLoss(Z, [0, 1, 2], { alpha: '0.25' as unknown as number }), ['focalLoss: alpha must be an array of one weight per class, got string']);
  throwsWith(() => crossEntropy(Z, [0, 1, 2], { weight: [1, 1] }), ['crossEntropy: weight has 2 weights for 3 classes']);
  throwsWith(() => binaryFocalLoss(tensor([1]), [1], { alpha: 1.5 }), ['binaryFocalLoss: alpha must be a number ≤ 1', 'got 1.5']);
  throwsWith(() => binaryFocalLoss(tensor([1]), [1], { alpha: NaN }), ['binaryFocalLoss: alpha must be a number ≤ 1', 'got NaN']);
  throwsWith(() => binaryFocalLoss(tensor([1]), [1], { reduction: 'max' as 'sum' }), ['binaryFocalLoss: unknown reduction "max"']);
});

test('probabilities outside [0, 1], a row summing to 0, a bad epsilon', () => {
  throwsWith(() => focalLossFromProbs(tensor([[0.5, 0.6], [1.2, -0.2]]), [0, 1]), ['focalLossFromProbs: probability 1.2 at [1,0] is outside [0, 1]']);
  throwsWith(() => focalLossFromProbs(tensor([[0.5, 0.5], [-1e-6, 1]]), [0, 1]), ['focalLossFromProbs: probability -0.000001 at [1,0] is outside [0, 1]']);
  throwsWith(() => focalLossFromProbs(tensor([[0.5, NaN]]), [0]), ['focalLossFromProbs: probs NaN at [0,1] is not finite']);
  throwsWith(() => focalLossFromProbs(tensor([[0.5, 0.5], [0, 0]]), [0, 1]), ['focalLossFromProbs: probabilities of row 1 sum to 0']);
  throwsWith(() => focalLossFromProbs(P, [0, 1, 2], { epsilon: 0 }), ['focalLossFromProbs: epsilon must be a number in (0, 0.5), got 0']);
  // Rounding is not an error: 1 + 1e-12 and −1e-12 pass.
  assert.ok(Number.isFinite(focalLossFromProbs(tensor([[1 + 1e-12, -1e-12]]), [0]).item()));
});

test('binary targets: outside [0, 1], wrong shape, not 0/1 for FL*', () => {
  throwsWith(() => binaryFocalLoss(tensor([1, 2]), [1, 2]), ['binaryFocalLoss: binary target 2 at [1] is outside [0, 1]']);
  throwsWith(() => binaryFocalLoss(tensor([[1, 2]]), tensor([[0, -1]])), ['binaryFocalLoss: binary target -1 at [0,1] is outside [0, 1]']);
  throwsWith(() => binaryFocalLoss(tensor([[1, 2]]), tensor([1, 0])), ['binaryFocalLoss: target has shape [2] but logits have shape [1,2] (expected the same shape)']);
  throwsWith(() => binaryFocalLoss(tensor([1, 2]), [1]), ['binaryFocalLoss: target has shape [1] but logits have shape [2]']);
  throwsWith(() => binaryFocalLoss(tensor([[1, 2]]), [1, 0]), ["binaryFocalLoss: target must be a Tensor of the logits' shape [1,2]"]);
  throwsWith(() => focalLossStar(tensor([1, 2]), [1, 0.5]), ['focalLossStar: binary target 0.5 at [1] is not 0 or 1']);
});

test('classWeights: negative or zero counts, β outside [0, 1), unknown method, no counts', () => {
  throwsWith(() => classWeights([10, -1, 5]), ['classWeights: count -1 of class 1 must be a finite number ≥ 0']);
  throwsWith(() => classWeights([10, 0, 5], { method: 'inverse' }), ['classWeights: class 1 has count 0']);
  throwsWith(() => classWeights([10, 0, 5]), ['classWeights: class 1 has count 0']);
  throwsWith(() => classWeights([10, 5], { beta: 1 }), ['classWeights: beta must be in [0, 1), got 1']);
  throwsWith(() => classWeights([10, 5], { beta: -0.1 }), ['classWeights: beta must be in [0, 1), got -0.1']);
  throwsWith(() => classWeights([10, 5], { method: 'sqrt' as 'inverse' }), ['classWeights: unknown method "sqrt"']);
  throwsWith(() => classWeights([]), ['classWeights: counts must be a non-empty array']);
});

test('non-finite logits are named wherever they sit, and ±1e300 (finite, x·0 = 0) is not refused', () => {
  for (const bad of [Infinity, -Infinity, NaN]) {
    const values = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
    values[2][1] = bad;
    throwsWith(() => focalLoss(tensor(values), [0, 1, 2]), [`focalLoss: logits ${bad} at [2,1] is not finite`]);
    throwsWith(() => crossEntropy(tensor(values), [0, 1, 2]), [`crossEntropy: logits ${bad} at [2,1] is not finite`]);
  }
  assert.ok(Number.isFinite(crossEntropy(tensor([[1e300, -1e300, 0]]), [0]).item()));
});

test.run();
