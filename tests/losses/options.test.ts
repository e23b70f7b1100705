// Every loss checks its options object: an unknown key (a typo, a PyTorch or Keras spelling) is an
// Error naming it and listing the accepted keys; null and undefined mean the defaults.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tensor } from '../../engine/index.js';
import { binaryCrossEntropy, binaryFocalLoss, classWeights, crossEntropy, focalLoss, focalLossFromProbs, focalLossStar, mseLoss } from '../../losses/index.js';

const Z = tensor([[2, -1, 0.5], [0, 1, -1]]);
const T = [0, 2];

const expectError = (run: () => unknown, fragment: string): void => {
  assert.throws(run, (e: Error) => e.message.includes(fragment), fragment);
};

test('unknown keys name the loss, the key and every accepted key', () => {
  expectError(() => focalLoss(Z, T, { gama: 0 } as object), 'focalLoss: unknown option "gama" (it takes "gamma", "alpha", "labelSmoothing", "ignoreIndex", "sampleWeight", "reduction")');
  expectError(() => crossEntropy(Z, T, { ignore_index: -100 } as object), 'crossEntropy: unknown option "ignore_index" (it takes "weight", "labelSmoothing", "ignoreIndex", "sampleWeight", "reduction")');
  expectError(() => focalLossFromProbs(Z.softmax(), T, { from_logits: true } as object), 'focalLossFromProbs: unknown option "from_logits" (it takes "gamma", "alpha", "epsilon", "labelSmoothing", "ignoreIndex", "sampleWeight", "reduction")');
  expectError(() => binaryFocalLoss(tensor([1]), [1], { label_smoothing: 0.1 } as object), 'binaryFocalLoss: unknown option "label_smoothing" (it takes "gamma", "alpha", "posWeight", "weight", "labelSmoothing", "ignoreIndex", "sampleWeight", "reduction")');
  expectError(() => focalLossStar(Z, T, { labelSmoothing: 0.1 } as object), 'focalLossStar: unknown option "labelSmoothing"');
  expectError(() => binaryCrossEntropy(tensor([1]), [1], { size_average: true } as object), 'binaryCrossEntropy: unknown option "size_average"');
  expectError(() => mseLoss(Z, Z, { weight: 1 } as object), 'mseLoss: unknown option "weight" (it takes "sampleWeight", "reduction")');
  expectError(() => classWeights([1, 2], { beta2: 0.9 } as object), 'classWeights: unknown option "beta2" (it takes "method", "beta")');
  expectError(() => focalLoss(Z, T, 'mean' as unknown as object), 'focalLoss: options must be an object, got "mean"');
});

test('null and undefined options mean the defaults', () => {
  assert.is(focalLoss(Z, T, null).item(), focalLoss(Z, T).item());
  assert.is(crossEntropy(Z, T, undefined).item(), crossEntropy(Z, T, {}).item());
  assert.is(focalLossFromProbs(Z.softmax(), T, null).item(), focalLossFromProbs(Z.softmax(), T).item());
  assert.is(binaryFocalLoss(tensor([1]), [1], null).item(), binaryFocalLoss(tensor([1]), [1]).item());
  assert.is(focalLossStar(Z, T, null).item(), focalLossStar(Z, T).item());
  assert.equal(classWeights([1, 3], null), classWeights([1, 3]));
});

test("ignoreIndex with label (probability) targets is an Error, as PyTorch's 'ignore_index is not supported for floating point target'", () => {
  const rows = tensor([[1, 0, 0], [0, 0, 1]]);
  for (const [name, run] of [
    ['crossEntropy', () => crossEntropy(Z, rows, { ignoreIndex: -100 })],
    ['focalLoss', () => focalLoss(Z, rows, { ignoreIndex: 0 })],
    ['focalLossFromProbs', () => focalLossFromProbs(Z.softmax(), rows, { ignoreIndex: -1 })],
    ['focalLossStar', () => focalLossStar(Z, rows, { ignoreIndex: -1 })],
  ] as const) {
    expectError(run, `${name}: ignoreIndex is not supported with label (probability) targets of shape [2,3]`);
  }
});

test('focalLossStar on binary [N] logits refuses ignoreIndex rather than train on the samples it should leave out', () => {
  // ignoreIndex: 1 would drop every positive; silently ignored, the loss would count them all.
  expectError(() => focalLossStar(tensor([2, -1, 0.5]), [1, 0, 1], { ignoreIndex: 1 }), 'focalLossStar: ignoreIndex applies to class indices of [N, C] logits');
  assert.ok(Number.isFinite(focalLossStar(tensor([2, -1, 0.5]), [1, 0, 1]).item()));
});

test.run();
