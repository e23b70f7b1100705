// Forward values, PyTorch's tie and edge semantics, and the Errors of the ops beyond the core set.
// Expected values are written from each op's definition (torch docs), not taken from the engine.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Tensor, concat, stack, tensor, where, zeros } from '../../engine/index.js';
import { expectTensor, throwsMatching } from './helpers.js';

const X = (): Tensor => tensor([[1, 2, 3], [4, 5, 6]]);

const gradOf = (x: Tensor, f: (t: Tensor) => Tensor, gOut?: Tensor): Float64Array => {
  const leaf = new Tensor(x.data.slice(), x.shape, true);
  f(leaf).backward(gOut);
  return leaf.grad!.data;
};

test('min, argmax, argmin: values, flat index without an axis, first of ties, NaN wins', () => {
  const x = tensor([[3, 1, 1], [0, 7, 7]]);
  expectTensor(x.min(), [], [0], 0, 'min all');
  expectTensor(x.min(1), [2], [1, 0], 0, 'min axis 1');
  expectTensor(x.argmax(), [], [4], 0, 'argmax flat: row 1, column 1 = 1·3 + 1');
  expectTensor(x.argmax(1), [2], [0, 1], 0, 'argmax axis 1, first of the tie 7, 7');
  expectTensor(x.argmin(1, true), [2, 1], [1, 0], 0, 'argmin keepdims, first of the tie 1, 1');
  expectTensor(x.argmin(0), [3], [1, 0, 0], 0, 'argmin axis 0');
  expectTensor(tensor([1, NaN, 5, NaN]).argmax(), [], [1], 0, 'torch.argmax: the first NaN');
  expectTensor(tensor([1, NaN, -5]).argmin(), [], [1], 0, 'torch.argmin: the first NaN');
  // ties share min's gradient like max's: the two 1s of row 0 get ½ each
  assert.equal([...gradOf(x, (t) => t.min(1).sum())], [0, 0.5, 0.5, 1, 0, 0]);
});

test('maximum / minimum: broadcasting values, ties split the gradient in halves, NaN propagates', () => {
  const a = tensor([[1, 5], [3, 3]]);
  const b = tensor([2, 3]);
  expectTensor(a.maximum(b), [2, 2], [2, 5, 3, 3], 0, 'maximum');
  expectTensor(a.minimum(b), [2, 2], [1, 3, 2, 3], 0, 'minimum');
  // a vs b = [2, 3] row by row: 1 < 2, 5 > 3, 3 > 2, 3 = 3 (tie: ½)
  assert.equal([...gradOf(a, (t) => t.maximum(b).sum())], [0, 1, 1, 0.5]);
  assert.equal([...gradOf(a, (t) => t.minimum(b).sum())], [1, 0, 0, 0.5]);
  assert.equal([...gradOf(b, (t) => a.maximum(t).sum())], [1, 0.5]);
  const withNaN = tensor([NaN, 1]).maximum(tensor([0, NaN]));
  assert.ok(Number.isNaN(withNaN.data[0]) && Number.isNaN(withNaN.data[1]), 'torch.maximum propagates NaN from either side');
  // Where either side is NaN, a == b, a < b and a > b are all false, so PyTorch's rule
  // (tools/autograd/derivatives.yaml: where(a == b, g/2, g).masked_fill_(a < b, 0), and likewise for b)
  // hands the whole gradient to both operands.
  const x = tensor([NaN, 1, NaN], { requiresGrad: true });
  const y = tensor([0, NaN, NaN], { requiresGrad: true });
  x.maximum(y).sum().backward();
  assert.equal([...x.grad!.data], [1, 1, 1], 'maximum: a NaN on either side sends gOut to a');
  assert.equal([...y.grad!.data], [1, 1, 1], 'maximum: a NaN on either side sends gOut to b');
  assert.equal([...gradOf(y, (t) => x.detach().minimum(t).sum())], [1, 1, 1], 'minimum: the same');
});

test('where: broadcasting, boolean arrays, numbers as branches; the gradient follows the mask', () => {
  const x = X();
  expectTensor(where(tensor([1, 0, 1]), x, -1), [2, 3], [1, -1, 3, 4, -1, 6], 0, 'mask over columns');
  expectTensor(where([[true], [false]], 0, x), [2, 3], [0, 0, 0, 4, 5, 6], 0, 'boolean mask over rows');
  expectTensor(where(true, 2, 3), [], [2], 0, 'a boolean scalar');
  assert.equal([...gradOf(x, (t) => where(tensor([1, 0, 1]), t, t.mul(10)).sum())], [1, 10, 1, 1, 10, 1]);
  // the classic trap: where(x > 0, log x, 0) must not leak the NaN gradient of the unused branch into x's grad here,
  // because the branch is computed from a safe input (torch's "double where" pattern)
  const y = tensor([0, 2]);
  const mask = tensor([0, 1]);
  assert.equal([...gradOf(y, (t) => where(mask, where(mask, t, 1).log(), 0).sum())], [0, 0.5]);
});

test('log1p, expm1, softplus, logSigmoid: exact where the naive forms lose every digit', () => {
  // log1p(1e-20) = 1e-20 − 5e-41 + …, which is 1e-20 in float64; log(1 + 1e-20) would give 0.
  expectTensor(tensor([1e-20, 0, 1]).log1p(), [3], [1e-20, 0, Math.LN2], 0, 'log1p');
  expectTensor(tensor([1e-20, 0]).expm1(), [2], [1e-20, 0], 0, 'expm1');
  // softplus(x) = x + log1p(e^−x) for x > 0: 1e4 exactly; e^−40 + e^−80/2 ≈ e^−40 for x = −40.
  const sp = tensor([-1e4, -40, 0, 40, 1e4]).softplus();
  expectTensor(sp, [5], [0, Math.exp(-40), Math.LN2, 40, 1e4], 1e-30, 'softplus');
  assert.ok(Math.abs(sp.data[1] / Math.exp(-40) - 1) < 1e-15, 'softplus(−40) to the last bits');
  const ls = tensor([-1e4, -40, 0, 40]).logSigmoid();
  expectTensor(ls, [4], [-1e4, -40 - Math.exp(-40), -Math.LN2, -Math.exp(-40)], 1e-30, 'logSigmoid');
  // softplus' gradient is σ(x): ½ at 0 (not relu's 0), 1 and 0 at ±1e4
  assert.equal([...gradOf(tensor([0, 1e4, -1e4]), (t) => t.softplus().sum())], [0.5, 1, 0]);
});

test('narrow, indexSelect, gather: values as torch.narrow / index_select / gather define them', () => {
  const x = X();
  expectTensor(x.narrow(1, 1, 2), [2, 2], [2, 3, 5, 6], 0, 'narrow(1, 1, 2)');
  expectTensor(x.narrow(0, -1, 1), [1, 3], [4, 5, 6], 0, 'narrow(0, −1, 1)');
  expectTensor(x.narrow(1, 3, 0), [2, 0], [], 0, 'an empty slice at the end');
  expectTensor(x.indexSelect(1, [2, 0, 2]), [2, 3], [3, 1, 3, 6, 4, 6], 0, 'indexSelect columns');
  expectTensor(x.indexSelect(0, Int32Array.of(1)), [1, 3], [4, 5, 6], 0, 'indexSelect rows, Int32Array');
  // gather axis 1: out[i][j] = x[i][index[i][j]]
  expectTensor(x.gather(1, tensor([[2, 0], [1, 1]])), [2, 2], [3, 1, 5, 5], 0, 'gather axis 1');
  // gather axis 0: out[i][j] = x[index[i][j]][j], index may be smaller than x on the other axes
  expectTensor(x.gather(0, tensor([[1, 0]])), [1, 2], [4, 2], 0, 'gather axis 0');
  // a repeated index adds up in the gradient
  assert.equal([...gradOf(x, (t) => t.indexSelect(1, [2, 0, 2]).sum())], [1, 0, 2, 1, 0, 2]);
  assert.equal([...gradOf(x, (t) => t.gather(1, tensor([[2, 2], [1, 1]])).sum())], [0, 0, 2, 0, 2, 0]);
});

test('concat, stack, permute, transpose, squeeze, unsqueeze, flatten, expand: shapes and values', () => {
  const x = X();
  expectTensor(concat([x, tensor([[7], [8]])], 1), [2, 4], [1, 2, 3, 7, 4, 5, 6, 8], 0, 'concat axis 1');
  expectTensor(concat([x, x.narrow(0, 0, 1)]), [3, 3], [1, 2, 3, 4, 5, 6, 1, 2, 3], 0, 'concat axis 0');
  expectTensor(stack([tensor([1, 2]), tensor([3, 4])], 1), [2, 2], [1, 3, 2, 4], 0, 'stack axis 1');
  expectTensor(x.transpose(1, 0), [3, 2], [1, 4, 2, 5, 3, 6], 0, 'transpose(1, 0) swaps (the old engine ignored the axes)');
  const t = tensor([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]); // t[i][j][k] = 4i + 2j + k + 1
  // permute(2, 0, 1): out[k][i][j] = t[i][j][k]
  expectTensor(t.permute(2, 0, 1), [2, 2, 2], [1, 3, 5, 7, 2, 4, 6, 8], 0, 'permute');
  expectTensor(t.transpose(0, 2), [2, 2, 2], [1, 5, 3, 7, 2, 6, 4, 8], 0, 'transpose(0, 2): out[k][j][i] = t[i][j][k]');
  expectTensor(t.permute(0, 1, 2), [2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8], 0, 'identity permute');
  assert.equal([...zeros([2, 1, 3, 1]).squeeze().shape], [2, 3]);
  assert.equal([...zeros([2, 1, 3]).squeeze(1).shape], [2, 3]);
  assert.equal([...zeros([2, 3]).squeeze(0).shape], [2, 3], 'a size that is not 1 is left alone, as in PyTorch');
  assert.equal([...zeros([2, 3]).unsqueeze(2).shape], [2, 3, 1]);
  assert.equal([...zeros([2, 3]).unsqueeze(-3).shape], [1, 2, 3]);
  assert.equal([...zeros([2, 3, 4]).flatten().shape], [24]);
  assert.equal([...zeros([2, 3, 4]).flatten(1).shape], [2, 12]);
  assert.equal([...zeros([]).flatten().shape], [1], 'torch.flatten of a scalar is 1-D');
  expectTensor(tensor([[1], [2]]).expand([-1, 3]), [2, 3], [1, 1, 1, 2, 2, 2], 0, 'expand with −1');
  expectTensor(tensor([1, 2]).expand([2, -1]), [2, 2], [1, 2, 1, 2], 0, 'expand adds a leading axis');
});

test('matmul: torch.matmul cases written out as sums', () => {
  const a = X(); // [2, 3]
  expectTensor(tensor([1, 2, 3]).matmul(tensor([4, 5, 6])), [], [1 * 4 + 2 * 5 + 3 * 6], 0, '1-D · 1-D');
  expectTensor(a.matmul(tensor([1, 0, -1])), [2], [1 - 3, 4 - 6], 0, '2-D · 1-D');
  expectTensor(tensor([1, -1]).matmul(a), [3], [1 - 4, 2 - 5, 3 - 6], 0, '1-D · 2-D');
  const batch = stack([a, a.mul(2)]); // [2, 2, 3]
  const b = tensor([[1, 0], [0, 1], [1, 1]]); // [3, 2]
  // row [r0, r1, r2] · b = [r0 + r2, r1 + r2]
  expectTensor(batch.matmul(b), [2, 2, 2], [4, 5, 10, 11, 8, 10, 20, 22], 0, '[B, n, k] · [k, m]');
  expectTensor(batch.matmul(stack([b, b.mul(-1)])), [2, 2, 2], [4, 5, 10, 11, -8, -10, -20, -22], 0, '[B, n, k] · [B, k, m]');
  const broadcast = batch.unsqueeze(1).matmul(stack([b, b, b])); // [2, 1, 2, 3] · [3, 3, 2]
  assert.equal([...broadcast.shape], [2, 3, 2, 2], 'batch axes broadcast');
  expectTensor(broadcast.narrow(1, 2, 1).reshape([-1]), [8], [4, 5, 10, 11, 8, 10, 20, 22], 0, 'each broadcast slice');
  expectTensor(tensor([1, 1, 1]).matmul(stack([b, b])), [2, 2], [2, 2, 2, 2], 0, '1-D · [B, k, m]: the promoted axis removed');
  expectTensor(batch.matmul(tensor([1, 1, 1])), [2, 2], [6, 15, 12, 30], 0, '[B, n, k] · 1-D');
  // empty inner or batch axes give zeros or an empty result, as in PyTorch
  expectTensor(zeros([2, 3, 0]).matmul(zeros([0, 2])), [2, 3, 2], new Array(12).fill(0), 0, 'k = 0');
  expectTensor(zeros([0, 3, 2]).matmul(zeros([2, 2])), [0, 3, 2], [], 0, 'B = 0');
  expectTensor(zeros([2, 3, 0]).matmul(zeros([2, 0, 2])), [2, 3, 2], new Array(12).fill(0), 0, 'batched, k = 0');
});

test('Errors name the op, the axis and what was expected', () => {
  const x = X();
  throwsMatching(() => x.argmax(2), /^argmax: axis 2 is out of range for a 2-D tensor/);
  // PyTorch habits: a tuple of dims, a keyword object. Not "out of range": the axis is of the wrong kind.
  throwsMatching(() => x.mean([0, 1] as never), /^mean: axis must be one integer, got \[0, 1\] \(one axis per call/);
  throwsMatching(() => x.sum({ dim: 1 } as never), /^sum: axis must be one integer, got an object/);
  throwsMatching(() => zeros([0]).argmin(), /^argmin: cannot reduce an empty tensor/);
  throwsMatching(() => x.maximum(zeros([4])), /^maximum: cannot broadcast shapes \[2,3\] and \[4\]/);
  throwsMatching(() => x.minimum('1' as unknown as number), /^minimum: expected a Tensor or a number as operand, got "1"/);
  throwsMatching(() => where(tensor([0.5, 1, 0]), x, 0), /^where: condition of shape \[3\] holds 0.5 at flat index 0 \(expected 0 or 1\)/);
  throwsMatching(() => where([[true], [true, false]], x, 0), /^where: ragged nested array: expected 1 elements at \[1\], got 2/);
  throwsMatching(() => where(['yes'] as unknown as boolean[], x, 0), /^where: condition entries must be booleans or 0\/1, got "yes"/);
  throwsMatching(() => where('1' as unknown as boolean, x, 0), /^where: condition must be a Tensor of 0\/1 values or nested arrays of booleans, got "1"/);
  throwsMatching(() => where(tensor([1, 0]), x, 0), /^where: cannot broadcast shapes \[2\] and \[2,3\]/);
  throwsMatching(() => x.narrow(2, 0, 1), /^narrow: axis 2 is out of range for a 2-D tensor/);
  throwsMatching(() => x.narrow(1, 4, 0), /^narrow: start 4 is out of range for axis 1 of size 3 \(expected an integer in \[-3, 3\]\)/);
  throwsMatching(() => x.narrow(1, 0.5, 1), /^narrow: start 0.5 is out of range for axis 1/);
  throwsMatching(() => x.narrow(1, 2, 2), /^narrow: length 2 from start 2 overruns axis 1 of size 3 \(expected an integer in \[0, 1\]\)/);
  throwsMatching(() => x.indexSelect(1, [0, 3]), /^indexSelect: index 3 at position 1 is out of range for axis 1 of size 3 \(expected an integer in \[0, 3\)\)/);
  throwsMatching(() => x.indexSelect(0, [-1]), /^indexSelect: index -1 at position 0 is out of range for axis 0 of size 2/);
  throwsMatching(() => x.indexSelect(0, [0.5]), /^indexSelect: index 0.5 at position 0 is not an integer for axis 0/);
  throwsMatching(() => x.indexSelect(0, tensor([[0]])), /^indexSelect: indices must be 1-D, got shape \[1,1\]/);
  throwsMatching(() => x.indexSelect(0, 'a' as unknown as number[]), /^indexSelect: indices must be a number\[\], an Int32Array or a Tensor of integers, got "a"/);
  throwsMatching(() => x.gather(1, tensor([0, 1])), /^gather: index has shape \[2\] but the input has shape \[2,3\] \(expected the same number of axes\)/);
  throwsMatching(() => x.gather(1, tensor([[0], [1], [0]])), /^gather: index of shape \[3,1\] is larger than the input \[2,3\] on axis 0/);
  throwsMatching(() => x.gather(1, tensor([[0], [3]])), /^gather: index 3 at position 1 is out of range for axis 1 of size 3/);
  throwsMatching(() => concat([]), /^concat: expected a non-empty array of Tensors, got \[\]/);
  throwsMatching(() => concat([x, 1 as unknown as Tensor]), /^concat: element 1 must be a Tensor, got 1/);
  throwsMatching(() => concat([x, zeros([3, 3])], 1), /^concat: tensor 1 has shape \[3,3\], tensor 0 has \[2,3\] \(expected the same sizes on every axis but 1\)/);
  throwsMatching(() => concat([x, x], 2), /^concat: axis 2 is out of range for a 2-D tensor/);
  throwsMatching(() => stack([x, zeros([3, 2])]), /^stack: tensor 1 has shape \[3,2\], tensor 0 has \[2,3\] \(expected equal shapes\)/);
  throwsMatching(() => stack([x], 3), /^stack: axis 3 is out of range for a 3-D tensor/);
  throwsMatching(() => x.permute(0), /^permute: got 1 axes \[0\] for a 2-D tensor of shape \[2,3\] \(expected one per axis\)/);
  throwsMatching(() => x.permute(1, -1), /^permute: axis 1 appears twice in \[1, -1\]/);
  throwsMatching(() => x.squeeze(2), /^squeeze: axis 2 is out of range for a 2-D tensor/);
  throwsMatching(() => x.unsqueeze(3), /^unsqueeze: axis 3 is out of range for a 3-D tensor \(expected an integer in \[-3, 2\]\)/);
  throwsMatching(() => x.flatten(1, 0), /^flatten: startAxis 1 comes after endAxis 0/);
  throwsMatching(() => x.expand([3, 3]), /^expand: cannot broadcast shapes \[2,3\] and \[3,3\]/);
  throwsMatching(() => x.expand('a' as unknown as number[]), /^expand: shape must be an array of sizes, got "a"/);
});

test.run();
