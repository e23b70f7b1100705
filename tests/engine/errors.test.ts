// Bad input: each a thrown Error whose message names the op, the shapes or values, and what was expected.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  type NestedArray,
  type Operand,
  type Shape,
  Tensor,
  arange,
  full,
  grad,
  oneHot,
  ones,
  rand,
  randn,
  rng,
  tensor,
  zeros,
} from '../../engine/index.js';
import { throwsMatching } from './helpers.js';

const m23 = () => tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });

// ---- creation ----

test('tensor: ragged nested arrays', () => {
  throwsMatching(() => tensor([[1, 2], [3]]), /^tensor: ragged nested array: expected 2 elements at \[1\], got 1/);
  throwsMatching(() => tensor([[1, 2], [3, 4, 5]]), /^tensor: ragged nested array: expected 2 elements at \[1\], got 3/);
  throwsMatching(() => tensor([[1, 2], 3]), /^tensor: ragged nested array: expected an array of 2 elements at \[1\], got a number/);
  throwsMatching(() => tensor([1, [2]]), /^tensor: ragged nested array: expected a number at \[1\], got an array/);
  throwsMatching(() => tensor([[[1], [2]], [[3], [4, 5]]]), /^tensor: ragged nested array: expected 1 elements at \[1\]\[1\], got 2/);
});

test('tensor: a ragged nested array is an Error even when a shape is given', () => {
  // [[1, 2], [3]] holds 3 numbers, but it is not a flat array and not a [2, 2]: it must not be flattened silently.
  throwsMatching(() => tensor([[1, 2], [3]], { shape: [3] }), /^tensor: .*ragged/);
});

test('tensor: values that are not numbers', () => {
  throwsMatching(() => tensor(['a'] as unknown as NestedArray), /^tensor: expected numbers, got "a" at \[0\]/);
  throwsMatching(() => tensor([[1, null]] as unknown as NestedArray), /^tensor: expected numbers, got null at \[0\]\[1\]/);
  throwsMatching(() => tensor(undefined as unknown as NestedArray), /^tensor: expected numbers, got undefined at the top level/);
});

test('tensor: values that do not fill the shape', () => {
  throwsMatching(() => tensor([1, 2, 3], { shape: [2, 2] }), /^tensor: 3 values do not fill shape \[2,2\] \(4 elements\)/);
  throwsMatching(() => tensor(new Float64Array(5), { shape: [2, 3] }), /^tensor: 5 values do not fill shape \[2,3\] \(6 elements\)/);
  throwsMatching(() => tensor([1, 2], { shape: [-2] }), /^tensor: shape \[-2\] must hold non-negative integers, got -2/);
});

test('full, randn, rand: bad shapes', () => {
  throwsMatching(() => full(3 as unknown as Shape, 1), /^full: shape must be an array of sizes, got 3/);
  throwsMatching(() => randn([2, NaN], rng(0)), /^randn: shape \[2,NaN\] must hold non-negative integers, got NaN/);
  throwsMatching(() => rand([-1], rng(0)), /^rand: shape \[-1\] must hold non-negative integers/);
});

test('zeros and ones name themselves on a bad shape', () => {
  // zeros and ones are built on full, but the user called zeros / ones
  throwsMatching(() => zeros([2, -1]), /^zeros: shape \[2,-1\] must hold non-negative integers, got -1/);
  throwsMatching(() => ones([1.5]), /^ones: shape \[1.5\] must hold non-negative integers/);
});

test('arange: zero or non-finite step', () => {
  throwsMatching(() => arange(0, 5, 0), /^arange: expected finite start, stop and a non-zero step, got 0, 5, 0/);
  throwsMatching(() => arange(Infinity), /^arange: expected finite start, stop and a non-zero step, got 0, Infinity, 1/);
  throwsMatching(() => arange(0, NaN), /^arange: .*got 0, NaN, 1/);
});

test('oneHot: bad class count or index', () => {
  throwsMatching(() => oneHot([0, 1], 0), /^oneHot: numClasses must be a positive integer, got 0/);
  throwsMatching(() => oneHot([0, 1], 2.5), /^oneHot: numClasses must be a positive integer, got 2.5/);
  throwsMatching(() => oneHot([0, 3], 3), /^oneHot: index 3 at row 1 is out of range for 3 classes \(expected an integer in \[0, 3\)\)/);
  throwsMatching(() => oneHot([-1], 3), /^oneHot: index -1 at row 0 is out of range for 3 classes/);
  throwsMatching(() => oneHot(tensor([[0, 1]]), 3), /^oneHot: indices must be 1-D, got shape \[1,2\]/);
});

test('rng: non-integer seed, bad int bound', () => {
  throwsMatching(() => rng(1.5), /^rng: seed must be an integer, got 1.5/);
  throwsMatching(() => rng(0).int(0), /^rng.int: n must be a positive integer, got 0/);
  throwsMatching(() => rng(0).int(2.5), /^rng.int: n must be a positive integer, got 2.5/);
});

// ---- ops ----

test('incompatible broadcast names the op and both shapes', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 1, 1]]);
  for (const op of ['add', 'sub', 'mul', 'div'] as const) {
    throwsMatching(() => a[op](b), new RegExp(`^${op}: cannot broadcast shapes \\[2,3\\] and \\[4,3\\]: sizes 2 and 4 differ at axis -2`));
  }
  throwsMatching(() => tensor([1, 2, 3]).add(tensor([1, 2])), /^add: cannot broadcast shapes \[3\] and \[2\]/);
});

test('an operand that is neither a Tensor nor a number', () => {
  const x = tensor([1, 2]);
  throwsMatching(() => x.add([1, 2] as unknown as Operand), /^add: expected a Tensor or a number as operand, got \[1, 2\] \(wrap it with tensor\(\)\)/);
  throwsMatching(() => x.mul('2' as unknown as Operand), /^mul: expected a Tensor or a number as operand, got "2"/);
  throwsMatching(() => x.div(null as unknown as Operand), /^div: expected a Tensor or a number as operand, got null/);
  throwsMatching(() => x.matmul(undefined as unknown as Tensor), /^matmul: expected a Tensor as operand, got undefined/);
});

test('matmul: inner-size mismatch names both shapes', () => {
  throwsMatching(
    () => tensor([[1, 2, 3], [4, 5, 6]]).matmul(zeros([4, 2])),
    /^matmul: inner sizes differ: \[2,3\] · \[4,2\] \(expected a's last size 3 to equal b's second-to-last size 4\)/,
  );
  throwsMatching(() => zeros([2, 3]).matmul(zeros([2, 3])), /matmul.*\[2,3\].*\[2,3\]/);
});

test('matmul: 1-D of different lengths, scalars, batch axes that do not broadcast', () => {
  throwsMatching(() => zeros([3]).matmul(zeros([4])), /^matmul: inner sizes differ: \[3\] · \[4\] \(expected a's last size 3 to equal b's only size 4\)/);
  throwsMatching(() => zeros([2, 3, 4]).matmul(zeros([3, 2])), /^matmul: inner sizes differ: \[2,3,4\] · \[3,2\]/);
  throwsMatching(() => zeros([2, 2]).matmul(zeros([])), /^matmul: both operands need at least 1 axis, got \[2,2\] and \[\]/);
  throwsMatching(() => zeros([2, 2]).matmul(2 as unknown as Tensor), /^matmul: expected a Tensor as operand, got 2/);
  throwsMatching(() => zeros([2, 1, 3]).matmul(zeros([3, 3, 2])), /^matmul: cannot broadcast shapes \[2\] and \[3\]/);
});

test('reshape to a different size', () => {
  throwsMatching(() => m23().reshape([4, 2]), /^reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,2\] \(8 elements\)/);
  throwsMatching(() => m23().reshape([-1, 4]), /^reshape: cannot reshape \[2,3\] \(6 elements\) into \[-1,4\]/);
  throwsMatching(() => m23().reshape([-1, 0]), /^reshape: cannot reshape \[2,3\] \(6 elements\) into \[-1,0\]/);
  throwsMatching(() => m23().reshape([-1, -1]), /^reshape: invalid size -1 in \[-1,-1\] \(expected non-negative integers and at most one -1\)/);
  throwsMatching(() => m23().reshape([2, 1.5, 2]), /^reshape: invalid size 1.5 in \[2,1.5,2\]/);
  throwsMatching(() => m23().reshape(6 as unknown as Shape), /^reshape: shape must be an array of sizes, got 6/);
  // PyTorch's x.reshape(3, 2) and x.expand(2, 3): the message shows the array form.
  throwsMatching(() => m23().reshape(...([3, 2] as unknown as [Shape])), /^reshape: shape must be an array of sizes, got 3 \(the sizes go in one array: reshape\(\[3, \.\.\.\]\)/);
  throwsMatching(() => tensor([1]).expand(...([2, 3] as unknown as [Shape])), /^expand: shape must be an array of sizes, got 2 \(the sizes go in one array: expand\(\[2, \.\.\.\]\)/);
  // Not a number: no hint (it would not fit).
  throwsMatching(() => m23().reshape('6' as unknown as Shape), /^reshape: shape must be an array of sizes, got "6"$/);
});

test('axis out of range, for every op that takes one', () => {
  const x = m23();
  throwsMatching(() => x.sum(2), /^sum: axis 2 is out of range for a 2-D tensor \(expected an integer in \[-2, 1\]\)/);
  throwsMatching(() => x.sum(-3), /^sum: axis -3 is out of range for a 2-D tensor/);
  throwsMatching(() => x.mean(2), /^mean: axis 2 is out of range for a 2-D tensor/);
  throwsMatching(() => x.max(5, true), /^max: axis 5 is out of range for a 2-D tensor/);
  throwsMatching(() => x.logsumexp(-3), /^logsumexp: axis -3 is out of range for a 2-D tensor/);
  throwsMatching(() => x.logSoftmax(-3), /^logSoftmax: axis -3 is out of range for a 2-D tensor/);
  throwsMatching(() => x.sum(0.5), /^sum: axis 0.5 is out of range/);
  throwsMatching(() => tensor(3).sum(0), /^sum: axis 0 is out of range for a 0-D tensor \(expected none \(the tensor is a scalar\)\)/);
});

test('softmax names itself when its axis is out of range', () => {
  // softmax is composed from logSoftmax, but the user called softmax
  throwsMatching(() => m23().softmax(2), /^softmax: axis 2 is out of range for a 2-D tensor/);
});

test('pow: a non-finite exponent', () => {
  throwsMatching(() => m23().pow(NaN), /^pow: exponent must be a finite number, got NaN/);
  throwsMatching(() => m23().pow(Infinity), /^pow: exponent must be a finite number, got Infinity/);
  throwsMatching(() => m23().pow(-Infinity), /^pow: exponent must be a finite number, got -Infinity/);
  throwsMatching(() => m23().pow(tensor(2) as unknown as number), /^pow: exponent must be a finite number, got a Tensor/);
});

test('clamp: min > max or NaN bounds', () => {
  throwsMatching(() => m23().clamp(1, 0), /^clamp: expected numbers min ≤ max, got min = 1, max = 0/);
  throwsMatching(() => m23().clamp(NaN, 1), /^clamp: expected numbers min ≤ max, got min = NaN, max = 1/);
  throwsMatching(() => m23().clamp(0, NaN), /^clamp: .*max = NaN/);
  throwsMatching(() => m23().clamp('0' as unknown as number, 1), /^clamp: .*min = "0", max = 1/);
});

test('transpose of a tensor with fewer than 2 axes (torch.transpose(x, -2, -1) refuses them too)', () => {
  throwsMatching(() => zeros([3]).transpose(), /^transpose: axis -2 is out of range for a 1-D tensor \(expected an integer in \[-1, 0\]\)/);
  throwsMatching(() => zeros([]).transpose(), /^transpose: axis -2 is out of range for a 0-D tensor/);
  throwsMatching(() => zeros([2, 3]).transpose(0, 2), /^transpose: axis 2 is out of range for a 2-D tensor/);
});

test('expand to an incompatible or smaller shape', () => {
  throwsMatching(() => zeros([2, 3]).expand([4, 3]), /^expand: cannot broadcast shapes \[2,3\] and \[4,3\]/);
  throwsMatching(() => zeros([2, 3]).expand([3]), /^expand: cannot expand shape \[2,3\] to \[3\]/);
  throwsMatching(() => zeros([2, 1]).expand([1, 3]), /^expand: cannot expand shape \[2,1\] to \[1,3\]/);
  throwsMatching(() => zeros([1]).expand([-1, 2]), /^expand: −1 at axis 0 of \[-1,2\] names a new leading axis of \[1\]/);
  throwsMatching(() => zeros([1]).expand([-2]), /^expand: shape \[-2\] must hold non-negative integers/);
});

test('pick: index out of range, non-integer, negative, wrong count, wrong rank', () => {
  const x = zeros([3, 4]);
  throwsMatching(() => x.pick([0, 4, 1]), /^pick: index 4 at row 1 is out of range for 4 classes \(expected an integer in \[0, 4\)\)/);
  throwsMatching(() => x.pick([0, 1.5, 1]), /^pick: index 1.5 at row 1 is not an integer \(expected an integer in \[0, 4\)\)/);
  throwsMatching(() => x.pick([0, 1, -1]), /^pick: index -1 at row 2 is out of range/);
  throwsMatching(() => x.pick([0, NaN, 1]), /^pick: index NaN at row 1/);
  throwsMatching(() => x.pick([0, 1]), /^pick: got 2 indices for 3 rows \(expected one index per row\)/);
  throwsMatching(() => x.pick(Int32Array.from([0, 1, 2, 3])), /^pick: got 4 indices for 3 rows/);
  throwsMatching(() => x.pick(tensor([[0, 1, 2]])), /^pick: indices must be 1-D, got shape \[1,3\]/);
  throwsMatching(() => x.pick('012' as unknown as number[]), /^pick: indices must be a number\[\], an Int32Array or a 1-D Tensor, got "012"/);
  throwsMatching(() => zeros([3]).pick([0, 1, 2]), /^pick: expected an \[N, C\] tensor, got shape \[3\]/);
});

test('item on a tensor of more than one element', () => {
  throwsMatching(() => zeros([2, 2]).item(), /^item: expected a tensor with one element, got shape \[2,2\]/);
});

// ---- backward and grad ----

test('backward() on a non-scalar without gOut', () => {
  throwsMatching(() => m23().mul(2).backward(), /^backward: gOut is required for a non-scalar tensor of shape \[2,3\]/);
});

test('backward with a gOut of the wrong shape, or not a Tensor', () => {
  throwsMatching(
    () => m23().mul(2).backward(ones([3])),
    /^backward: gOut has shape \[3\] but the tensor has shape \[2,3\] \(expected equal shapes\)/,
  );
  throwsMatching(() => m23().mul(2).backward(ones([6])), /^backward: gOut has shape \[6\] but the tensor has shape \[2,3\]/);
  throwsMatching(() => m23().mul(2).backward([1, 2] as unknown as Tensor), /^backward: gOut must be a Tensor, got \[1, 2\] \(wrap it with tensor\(\)\)/);
});

test("backward with PyTorch's keywords: options in gOut's place, and retain_graph, say what to do instead", () => {
  const loss = m23().mul(2).sum();
  throwsMatching(
    () => loss.backward({ createGraph: true } as unknown as Tensor),
    /^backward: gOut must be a Tensor, got an object \(options go second: backward\(undefined, \{ createGraph: true \}\)\)$/,
  );
  for (const key of ['retainGraph', 'retain_graph']) {
    throwsMatching(
      () => loss.backward(undefined, { [key]: true } as never),
      new RegExp(`^backward: there is no ${key} option: the graph is always kept after backward`),
    );
  }
  // What the message promises: a second backward runs and adds the same gradient again, as
  // retain_graph=True then backward() twice does in PyTorch (∂(Σ 2x)/∂x = 2, twice: 4).
  const x = m23();
  const y = x.mul(2).sum();
  y.backward();
  y.backward();
  assert.equal(x.grad!.toArray(), [[4, 4, 4], [4, 4, 4]]);
});

test('backward on a tensor that does not require grad', () => {
  throwsMatching(() => tensor([1, 2]).sum().backward(), /^backward: this sum tensor of shape \[\] does not require grad/);
  throwsMatching(() => tensor(1).backward(), /^backward: this leaf tensor of shape \[\] does not require grad/);
});

test('grad: x not a Tensor, f returning a non-scalar or a non-Tensor', () => {
  throwsMatching(() => grad((t: Tensor) => t.sum())(3 as unknown as Tensor), /^grad: the first argument must be a Tensor, got 3/);
  throwsMatching(() => grad((t: Tensor) => t.mul(2))(tensor([1, 2])), /^grad: f must return a one-element Tensor, got shape \[2\]/);
  throwsMatching(() => grad(() => 3 as unknown as Tensor)(tensor([1, 2])), /^grad: f must return a one-element Tensor, got 3/);
});

test('errors leave no half-built state: the same tensors work afterwards', () => {
  const x = m23();
  assert.throws(() => x.mul(2).backward());
  x.mul(2).sum().backward();
  assert.equal([...x.grad!.data], [2, 2, 2, 2, 2, 2]);
  assert.ok(x instanceof Tensor);
});

// PyTorch's rules for reducing nothing: torch.zeros(0, 3).amax(0) raises; sum is the empty sum 0;
// mean is 0/0 = nan; logsumexp is log(0) = -inf (pytorch/pytorch#91843 shows tensor(()).logsumexp(0)).
test('empty reductions follow PyTorch: max an Error, sum 0, mean NaN, logsumexp −∞', () => {
  throwsMatching(() => zeros([0, 3]).max(0), /^max: cannot reduce an empty axis 0 of shape \[0,3\]/);
  throwsMatching(() => zeros([0]).max(), /^max: cannot reduce an empty tensor of shape \[0\]/);
  assert.equal(zeros([0, 3]).sum(0).toArray(), [0, 0, 0]);
  assert.ok(Number.isNaN(zeros([0]).mean().item()), 'mean of nothing is 0/0');
  assert.equal(zeros([0, 2]).mean(0).toArray(), [NaN, NaN]);
  assert.equal(zeros([2, 0]).logsumexp().item(), -Infinity);
  assert.equal(zeros([2, 0]).logsumexp(1, true).toArray(), [[-Infinity], [-Infinity]]);
  // The gradient of a reduction of nothing is a gradient of nothing: an empty tensor of the input's shape.
  const x = zeros([2, 0], { requiresGrad: true });
  x.logsumexp(1).sum().backward();
  assert.equal(x.grad!.shape, [2, 0]);
});

test('the Tensor constructor rejects data that does not fill the shape', () => {
  throwsMatching(() => new Tensor(new Float64Array(3), [2]), /^Tensor: 3 values do not fill shape \[2\] \(2 elements\)/);
});

test('a string where a number belongs is quoted in the message', () => {
  throwsMatching(() => zeros([2, 3]).sum('1' as unknown as number), /^sum: axis must be one integer, got "1"/);
  throwsMatching(() => zeros([2, 3]).pick(['0', 1] as unknown as number[]), /^pick: index "0" at row 0 is not an integer/);
});

test('creation: a missing rng, and a size no Float64Array holds, are Errors naming the function', () => {
  throwsMatching(() => randn([2], undefined as unknown as ReturnType<typeof rng>), /^randn: expected a generator from rng\(seed\)/);
  throwsMatching(() => rand([2], {} as unknown as ReturnType<typeof rng>), /^rand: expected a generator from rng\(seed\)/);
  throwsMatching(() => zeros([1e6, 1e6]), /^zeros: result of shape \[1000000,1000000\] \(1000000000000 elements\) is too large/);
  throwsMatching(() => arange(1e12), /^arange: result of shape \[1000000000000\] \(1000000000000 elements\) is too large/);
});

test.run();
