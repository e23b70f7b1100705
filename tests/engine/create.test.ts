// Creation functions: shapes and values of tensor, zeros, ones, full, arange, oneHot, randn, rand.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { arange, full, oneHot, ones, rand, randn, rng, tensor, zeros } from '../../engine/index.js';
import { expectTensor } from './helpers.js';

test('tensor from a number is 0-D', () => {
  const t = tensor(2.5);
  expectTensor(t, [], [2.5], 0, 'tensor(2.5)');
  assert.is(t.requiresGrad, false);
  assert.is(t.op, 'leaf');
  assert.is(t.grad, null);
});

test('tensor from nested arrays infers the shape', () => {
  expectTensor(tensor([1, 2, 3]), [3], [1, 2, 3], 0, '1-D');
  expectTensor(tensor([[1, 2, 3], [4, 5, 6]]), [2, 3], [1, 2, 3, 4, 5, 6], 0, '2-D');
  expectTensor(tensor([[[1], [2]], [[3], [4]]]), [2, 2, 1], [1, 2, 3, 4], 0, '3-D');
  expectTensor(tensor([]), [0], [], 0, 'empty');
  expectTensor(tensor([[], []]), [2, 0], [], 0, 'two empty rows');
});

test('tensor from a Float64Array with a shape copies the values', () => {
  const values = new Float64Array([1, 2, 3, 4, 5, 6]);
  const t = tensor(values, { shape: [3, 2] });
  expectTensor(t, [3, 2], [1, 2, 3, 4, 5, 6], 0, 'Float64Array');
  values[0] = 99;
  assert.is(t.data[0], 1, 'the tensor must not alias the caller\'s array');
  expectTensor(tensor(new Float64Array([7, 8])), [2], [7, 8], 0, 'Float64Array without shape is 1-D');
});

test('tensor from a flat number[] with a shape, and the shape option is copied', () => {
  const shape = [2, 2];
  const t = tensor([1, 2, 3, 4], { shape });
  shape[0] = 4;
  expectTensor(t, [2, 2], [1, 2, 3, 4], 0, 'flat with shape');
  expectTensor(tensor([5], { shape: [] }), [], [5], 0, 'one value to a 0-D');
  expectTensor(tensor(5, { shape: [1, 1] }), [1, 1], [5], 0, 'a number to [1,1]');
});

test('tensor requiresGrad option', () => {
  assert.is(tensor([1, 2], { requiresGrad: true }).requiresGrad, true);
  assert.is(tensor(new Float64Array(2), { shape: [2], requiresGrad: true }).requiresGrad, true);
  assert.is(tensor([1, 2]).requiresGrad, false);
});

test('zeros, ones, full: shapes and values', () => {
  expectTensor(zeros([2, 3]), [2, 3], [0, 0, 0, 0, 0, 0], 0, 'zeros');
  expectTensor(ones([3]), [3], [1, 1, 1], 0, 'ones');
  expectTensor(full([2, 2], -1.5), [2, 2], [-1.5, -1.5, -1.5, -1.5], 0, 'full');
  expectTensor(zeros([]), [], [0], 0, 'zeros 0-D');
  expectTensor(ones([2, 0]), [2, 0], [], 0, 'ones with a zero size');
  assert.is(ones([2], { requiresGrad: true }).requiresGrad, true);
  assert.is(zeros([2]).requiresGrad, false);
  const shape = [2];
  const z = zeros(shape);
  shape[0] = 5;
  assert.equal([...z.shape], [2], 'the shape argument is copied');
});

test('arange(stop), arange(start, stop, step), negative and fractional steps', () => {
  expectTensor(arange(5), [5], [0, 1, 2, 3, 4], 0, 'arange(5)');
  expectTensor(arange(2, 5), [3], [2, 3, 4], 0, 'arange(2, 5)');
  expectTensor(arange(1, 2, 0.25), [4], [1, 1.25, 1.5, 1.75], 0, 'arange(1, 2, 0.25)');
  expectTensor(arange(5, 0, -2), [3], [5, 3, 1], 0, 'arange(5, 0, -2)');
  expectTensor(arange(0), [0], [], 0, 'arange(0)');
  expectTensor(arange(3, 1), [0], [], 0, 'arange(3, 1) is empty');
  expectTensor(arange(0, 1, 0.3), [4], [0, 0.3, 0.6, 3 * 0.3], 0, 'arange(0, 1, 0.3)');
});

test('oneHot from number[], Int32Array and Tensor', () => {
  expectTensor(oneHot([2, 0], 3), [2, 3], [0, 0, 1, 1, 0, 0], 0, 'number[]');
  expectTensor(oneHot(Int32Array.from([1]), 2), [1, 2], [0, 1], 0, 'Int32Array');
  expectTensor(oneHot(tensor([0, 1, 1]), 2), [3, 2], [1, 0, 0, 1, 0, 1], 0, 'Tensor');
  expectTensor(oneHot([], 4), [0, 4], [], 0, 'no rows');
});

test('randn and rand: shapes, ranges, and the seeded generator\'s draws in order', () => {
  const n = randn([2, 3], rng(5));
  assert.equal([...n.shape], [2, 3]);
  const r5 = rng(5);
  assert.equal([...n.data], Array.from({ length: 6 }, () => r5.normal()), 'randn draws normal() in row-major order');
  const u = rand([4, 5], rng(6));
  assert.equal([...u.shape], [4, 5]);
  for (const v of u.data) assert.ok(v >= 0 && v < 1, `rand value ${v} outside [0, 1)`);
  const r6 = rng(6);
  assert.equal([...u.data], Array.from({ length: 20 }, () => r6.next()), 'rand draws next() in row-major order');
  assert.equal([...randn([3], rng(1)).data], [...randn([3], rng(1)).data], 'same seed, same values');
  assert.is(randn([2], rng(0), { requiresGrad: true }).requiresGrad, true);
  assert.is(rand([2], rng(0), { requiresGrad: true }).requiresGrad, true);
  expectTensor(randn([0], rng(0)), [0], [], 0, 'randn of no elements');
});

test.run();
