// The checks of issue 11: every bad input of the engine is an Error that names the function, never a
// TypeError or RangeError from inside, a silent coercion, a crash or a checker talked into passing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allocate } from '../../engine/buffers.js';
import { MAX_ELEMENTS, checkOptions } from '../../engine/checks.js';
import { describeValue, formatShape } from '../../engine/format.js';
import {
  type NestedArray,
  type Shape,
  Tensor,
  arange,
  full,
  grad,
  gradcheck,
  gradgradcheck,
  noGrad,
  oneHot,
  ones,
  rand,
  randn,
  rng,
  tensor,
  zeros,
} from '../../engine/index.js';
import { throwsMatching } from './helpers.js';

// ---- one vocabulary ----

test('describeValue never throws: BigInt, Symbol, null-prototype objects, cycles, class instances', () => {
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  const cases: [unknown, string][] = [
    [1n, '1n (a BigInt)'],
    [Symbol('s'), 'a Symbol'],
    [Object.create(null), 'an object'],
    [cyclic, 'an array of length 1'],
    [-0, '-0'],
    [NaN, 'NaN'],
    ['abc', '"abc"'],
    [null, 'null'],
    [undefined, 'undefined'],
    [() => 1, 'a function'],
    [new Float32Array(2), 'a Float32Array'],
    [tensor([1]), 'a Tensor'],
  ];
  for (const [value, expected] of cases) assert.is(describeValue(value), expected);
});

test('describeValue: up to 10 numbers print their values; a longer, sparse or mixed array its length', () => {
  const cases: [unknown, string][] = [
    [[0.25, 0.75], '[0.25, 0.75]'],
    [[-0, NaN, Infinity], '[-0, NaN, Infinity]'],
    [[], '[]'],
    [Array.from({ length: 10 }, (_, i) => i), '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]'],
    [Array.from({ length: 11 }, (_, i) => i), 'an array of length 11'],
    // A hole is not a number: [ , 4] must not print as [, 4] or as [4].
    [[, 4], 'an array of length 2'],
    [[1, '2'], 'an array of length 2'],
    // A sparse array of length 2³² − 1 is refused by its length, not walked.
    [new Array(2 ** 32 - 1), 'an array of length 4294967295'],
  ];
  for (const [value, expected] of cases) assert.is(describeValue(value), expected);
});

test('formatShape prints [2,3] and [] and survives entries that are not numbers', () => {
  assert.is(formatShape([2, 3]), '[2,3]');
  assert.is(formatShape([]), '[]');
  assert.is(formatShape([2, Symbol('x') as unknown as number, 1n as unknown as number]), '[2,a Symbol,1n (a BigInt)]');
});

test('checkOptions: null and undefined are the defaults; an unknown key lists the accepted ones', () => {
  assert.equal(checkOptions('f', null, ['a']), {});
  assert.equal(checkOptions('f', undefined, ['a']), {});
  throwsMatching(() => checkOptions('f', { b: 1 }, ['a']), /^f: unknown option "b" \(it takes "a"\)/);
  throwsMatching(() => checkOptions('f', 3, ['a']), /^f: options must be an object, got 3/);
  throwsMatching(() => checkOptions('f', { [Symbol('k')]: 1 }, ['a']), /^f: unknown option a Symbol key/);
});

test('allocate names the function and the shape beyond its cap, before allocating', () => {
  throwsMatching(() => allocate('op', MAX_ELEMENTS + 1, [MAX_ELEMENTS + 1]), new RegExp(`^op: result of shape \\[${MAX_ELEMENTS + 1}\\]`));
  throwsMatching(() => allocate('op', 2.5), /^op: result of 2.5 elements is too large/);
  assert.is(allocate('op', 3).length, 3);
});

// ---- tensor() ----

test('tensor: a self-containing array is an Error, at the top and deeper down', () => {
  const a: unknown[] = [1];
  a[0] = a;
  throwsMatching(() => tensor(a as NestedArray), /^tensor: the nested array contains itself at depth 1/);
  // [[1], b] where b's second row is b itself: the shape [2,1] claims rows of one element.
  const b: unknown[] = [[1, 2], [3, 4]];
  const inner = b[1] as unknown[];
  inner[1] = b;
  throwsMatching(() => tensor(b as NestedArray), /^tensor: /);
  const c: unknown[] = [[1], [2]];
  c[1] = c;
  throwsMatching(() => tensor(c as NestedArray), /^tensor: the nested array contains itself at \[1\]/);
  const d: unknown[][] = [[0], [0]];
  d[1][0] = d;
  throwsMatching(() => tensor(d as NestedArray), /^tensor: the nested array contains itself at \[1\]\[0\]/);
});

test('tensor: holes and huge sparse arrays are Errors, the latter before any element is read', () => {
  // eslint-disable-next-line no-sparse-arrays
  throwsMatching(() => tensor([1, , 3] as unknown as NestedArray), /^tensor: the array at the top level has a hole at index 1/);
  const sparse: number[] = [];
  sparse.length = 2 ** 32 - 1;
  const started = Date.now();
  throwsMatching(() => tensor(sparse), /^tensor: result of shape \[4294967295\] \(4294967295 elements\) is too large/);
  assert.ok(Date.now() - started < 1000, 'rejected at once');
});

test('tensor: 64 levels of nesting are read; 5,000 are refused at the rank cap, without recursion', () => {
  let nested: NestedArray = 7;
  for (let i = 0; i < 64; i++) nested = [nested];
  const t = tensor(nested);
  assert.is(t.ndim, 64);
  assert.equal([...t.data], [7]);
  // Issue 18: a tensor of thousands of axes overflowed the stack in toArray and toString; it cannot be made now.
  for (let i = 64; i < 5000; i++) nested = [nested];
  throwsMatching(() => tensor(nested), /^tensor: a tensor of 65 axes is past the limit of 64/);
});

test('tensor: no leaf is coerced — strings, null, booleans, BigInt, objects', () => {
  for (const [leaf, shown] of [
    ['abc', '"abc"'],
    [null, 'null'],
    [true, 'true'],
    [1n, '1n \\(a BigInt\\)'],
    [Object.create(null), 'an object'],
    [Symbol('s'), 'a Symbol'],
  ] as const) {
    throwsMatching(() => tensor([1, leaf] as unknown as NestedArray), new RegExp(`^tensor: expected numbers, got ${shown} at \\[1\\]`));
  }
  // NaN and ±Infinity are numbers and are kept, as torch.tensor keeps them.
  assert.equal([...tensor([NaN, Infinity]).data], [NaN, Infinity]);
});

test('tensor: options are checked — null is the defaults, a shape must be an array, unknown keys listed', () => {
  assert.is(tensor([1, 2], null).requiresGrad, false);
  throwsMatching(() => tensor([1, 2], { shape: 2 as unknown as Shape }), /^tensor: shape must be an array of sizes, got 2/);
  throwsMatching(() => tensor([1, 2], { requires_grad: true } as never), /^tensor: unknown option "requires_grad" \(it takes "requiresGrad", "shape", "name"\)/);
  throwsMatching(() => tensor([1, 2], { requiresGrad: 1 as unknown as boolean }), /^tensor: requiresGrad must be true or false, got 1/);
  // The shape is copied: changing the caller's array afterwards does not change the tensor.
  const shape = [2, 1];
  const t = tensor([1, 2], { shape });
  shape[0] = 5;
  assert.equal(t.shape, [2, 1]);
});

// ---- filled and random ----

test('full takes numbers only: "abc" and null are Errors, not NaN and 0', () => {
  throwsMatching(() => full([2], 'abc' as unknown as number), /^full: value must be a number, got "abc"/);
  throwsMatching(() => full([2], null as unknown as number), /^full: value must be a number, got null/);
  assert.equal([...full([2], -Infinity).data], [-Infinity, -Infinity]);
});

test('zeros, ones, full, randn, rand take null options; shapes with a Symbol or BigInt do not crash the message', () => {
  assert.equal(zeros([2], null).shape, [2]);
  assert.equal(ones([1], null).shape, [1]);
  assert.equal(randn([1], rng(0), null).shape, [1]);
  assert.equal(rand([1], rng(0), null).shape, [1]);
  throwsMatching(() => zeros([Symbol('s')] as unknown as Shape), /^zeros: shape \[a Symbol\] must hold non-negative integers, got a Symbol at position 0/);
  throwsMatching(() => ones([2, 1n] as unknown as Shape), /^ones: shape \[2,1n \(a BigInt\)\] must hold non-negative integers/);
  throwsMatching(() => zeros(Object.create(null) as Shape), /^zeros: shape must be an array of sizes, got an object/);
  throwsMatching(() => randn([2], rng(0), { seed: 1 } as never), /^randn: unknown option "seed"/);
});

test('arange and pow describe a Symbol or a null-prototype object instead of crashing', () => {
  throwsMatching(() => arange(Symbol('s') as unknown as number), /^arange: expected finite start, stop and a non-zero step, got 0, a Symbol, 1/);
  throwsMatching(() => tensor([1]).pow(Object.create(null) as number), /^pow: exponent must be a finite number, got an object/);
  throwsMatching(() => tensor([1]).sum(1n as unknown as number), /^sum: axis must be one integer, got 1n \(a BigInt\)/);
  throwsMatching(() => tensor([1]).sum(0, 'yes' as unknown as boolean), /^sum: keepdims must be true or false, got "yes"/);
});

test('rng: seeds are safe integers; shuffle takes arrays', () => {
  throwsMatching(() => rng(2 ** 60), /^rng: seed must be an integer, got 1152921504606847000/);
  throwsMatching(() => rng('1' as unknown as number), /^rng: seed must be an integer, got "1"/);
  throwsMatching(() => rng(0).shuffle(null as never), /^rng.shuffle: expected an array or a typed array, got null/);
});

// ---- allocation guards: a size beyond MAX_ELEMENTS is an Error naming the op and the shape ----

test('broadcast, expand, matmul and oneHot check the size of their result before allocating', () => {
  throwsMatching(() => zeros([1e5, 1]).add(zeros([1e5])), /^add: result of shape \[100000,100000\] \(10000000000 elements\) is too large/);
  throwsMatching(() => zeros([1e5, 1]).mul(zeros([1, 1e5])), /^mul: result of shape \[100000,100000\]/);
  throwsMatching(() => zeros([1]).expand([1e5, 1e5]), /^expand: result of shape \[100000,100000\]/);
  throwsMatching(() => zeros([1e5, 1]).matmul(zeros([1, 1e5])), /^matmul: result of shape \[100000,100000\]/);
  throwsMatching(() => oneHot([0], 1e12), /^oneHot: result of shape \[1,1000000000000\]/);
  throwsMatching(() => oneHot('0' as never, 2), /^oneHot: indices must be a number\[\], an Int32Array or a 1-D Tensor, got "0"/);
});

// ---- gradcheck's options: a checker that cannot be talked into passing ----

// f(t) = Σt² + ½·Σ t·stop(t) − ½·Σ stop(t)²: its value is Σt², whose derivative is 2t, but its
// analytic gradient is 2t + ½t = 2.5t (the stopped factors are constants to backward): a wrong gradient.
const wrongGrad = (t: Tensor) =>
  t.mul(t).sum().add(t.mul(t.detach()).sum().mul(0.5)).sub(t.detach().mul(t.detach()).sum().mul(0.5));

test('gradcheck: the wrong gradient fails under the defaults (the negative control of the option tests)', () => {
  const r = gradcheck(wrongGrad, [tensor([1, 2])], { gOut: tensor(1) });
  assert.is(r.ok, false, r.message);
  // at t = 2: analytic 2.5·2 = 5 against numeric 2·2 = 4
  assert.match(r.message, /^gradcheck failed: input 0 at \[1\]: analytic 5 vs numeric 4\.0000/);
});

test('gradcheck and gradgradcheck refuse tolerances that would pass anything or fail everything', () => {
  const x = [tensor([1, 2])];
  for (const fn of [gradcheck, gradgradcheck]) {
    const name = fn.name;
    throwsMatching(() => fn(wrongGrad, x, { atol: NaN }), new RegExp(`^${name}: atol must be a finite number ≥ 0, got NaN`));
    throwsMatching(() => fn(wrongGrad, x, { rtol: -1 }), new RegExp(`^${name}: rtol must be a finite number ≥ 0, got -1`));
    throwsMatching(() => fn(wrongGrad, x, { atol: Infinity }), new RegExp(`^${name}: atol must be a finite number ≥ 0, got Infinity`));
    throwsMatching(() => fn(wrongGrad, x, { eps: 0 }), new RegExp(`^${name}: eps must be a finite number > 0, got 0`));
    throwsMatching(() => fn(wrongGrad, x, { seed: 1.5 }), new RegExp(`^${name}: seed must be an integer, got 1.5`));
    throwsMatching(() => fn(wrongGrad, x, { tol: 1 } as never), new RegExp(`^${name}: unknown option "tol" \\(it takes "eps", "atol", "rtol", "gOut", "seed"\\)`));
    throwsMatching(() => fn(5 as never, x), new RegExp(`^${name}: f must be a function, got 5`));
    throwsMatching(() => fn(wrongGrad, x, { gOut: [1] as never }), new RegExp(`^${name}: gOut must be a Tensor, got \\[1\\]`));
    throwsMatching(() => fn(() => 1 as never, x), new RegExp(`^${name}: f must return a Tensor, got 1`));
  }
  assert.is(gradcheck((t) => t.mul(t).sum(), x, null).ok, true, 'null options are the defaults');
});

test("gradcheck's message says which check ran", () => {
  const r = gradcheck((t) => t.mul(t).sum(), [tensor([1, 2])], { atol: 0.5, rtol: 0, eps: 1e-4 });
  assert.ok(r.ok);
  assert.match(r.message, /^gradcheck passed: .*checked \|analytic − numeric\| ≤ atol \+ rtol·\|numeric\| with atol = 0.5, rtol = 0, eps = 0.0001/);
  const g = gradgradcheck((t) => t.pow(3).sum(), [tensor([1, 2])]);
  assert.match(g.message, /^gradgradcheck passed: .*with atol = 0.00001, rtol = 0.001, eps = 0.000001/);
});

test('new Tensor from user code: a Float64Array and a shape of sizes, or an Error naming Tensor', () => {
  throwsMatching(() => new Tensor([1, 2] as never, [2]), /^Tensor: data must be a Float64Array, got \[1, 2\] \(tensor\(\) builds one from values\)/);
  throwsMatching(() => new Tensor(new Float64Array(1), 5 as never), /^Tensor: shape must be an array of sizes, got 5/);
  throwsMatching(() => new Tensor(new Float64Array(1), [Symbol('s')] as never), /^Tensor: shape \[a Symbol\] must hold non-negative integers/);
  assert.equal(new Tensor(new Float64Array(6), [2, 3]).shape, [2, 3]);
});

// ---- grad, backward, noGrad ----

test('grad(5), noGrad(5) and backward with bad options are Errors naming the function', () => {
  throwsMatching(() => grad(5 as never), /^grad: f must be a function, got 5/);
  throwsMatching(() => noGrad(5 as never), /^noGrad: fn must be a function, got 5/);
  const y = tensor([1, 2], { requiresGrad: true }).sum();
  throwsMatching(() => y.backward(undefined, { retain_graph: true } as never), /^backward: there is no retain_graph option: the graph is always kept after backward/);
  throwsMatching(() => y.backward(undefined, { create_graph: true } as never), /^backward: unknown option "create_graph" \(it takes "createGraph"\)/);
  throwsMatching(() => y.backward(undefined, { createGraph: 'yes' } as never), /^backward: createGraph must be true or false, got "yes"/);
  const x = tensor([1, 2], { requiresGrad: true });
  x.mul(3).sum().backward(undefined, null);
  // d(3·Σx)/dx = 3 for each element
  assert.equal([...x.grad!.data], [3, 3]);
});

test.run();
