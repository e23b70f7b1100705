// Every op through gradcheck over scalar, equal and broadcast shapes, with a seeded random upstream gradient.
// Inputs keep away from kinks (abs, relu, clamp, max) and from the edges of a domain (log, sqrt, pow).
import { test } from 'uvu';
import { type Shape, Tensor, tensor } from '../../engine/index.js';
import { type Fn, awayFromZero, distinct, expectGradOk, fmt, uniform } from './helpers.js';

// ---- elementwise with broadcasting: add sub mul div ----

const PAIRS: [Shape, Shape][] = [
  [[], []],
  [[2, 3], [2, 3]],
  [[4, 1, 3], [5, 3]],
  [[2, 1], [1, 3]],
  [[], [2, 2]],
  [[2, 2], []],
  [[3], [2, 3]],
];

const BINARY: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
};

let seed = 100;
for (const [name, op] of Object.entries(BINARY)) {
  for (const [sa, sb] of PAIRS) {
    const s = seed++;
    test(`${name} ${fmt(sa)}×${fmt(sb)}`, () => {
      const a = uniform(sa, s);
      // div's denominator keeps away from 0
      const b = name === 'div' ? awayFromZero(sb, s + 1000, 0.5, 2) : uniform(sb, s + 1000);
      expectGradOk(name, op, [a, b]);
    });
  }
}

test('add, sub, mul, div with a plain number operand', () => {
  const x = uniform([2, 3], 1);
  expectGradOk('add 2.5', (a) => a.add(2.5), [x]);
  expectGradOk('sub 2.5', (a) => a.sub(2.5), [x]);
  expectGradOk('mul 2.5', (a) => a.mul(2.5), [x]);
  expectGradOk('div 2.5', (a) => a.div(2.5), [x]);
});

test('mul and div of a tensor by itself (one input used twice)', () => {
  const x = awayFromZero([3], 2, 0.5, 2);
  expectGradOk('mul x·x', (a) => a.mul(a), [x]);
  expectGradOk('div x/x', (a) => a.div(a.mul(a).add(1)), [x]);
});

// ---- elementwise, one input ----

interface UnaryCase {
  name: string;
  op: (x: Tensor) => Tensor;
  input: (shape: Shape, seed: number) => Tensor;
}

const positive = (shape: Shape, s: number) => uniform(shape, s, 0.5, 2);
const anywhere = (shape: Shape, s: number) => uniform(shape, s, -2, 2);
const noKink = (shape: Shape, s: number) => awayFromZero(shape, s, 0.2, 2);
// For clamp(-0.5, 0.8): values in three bands, each at least 0.15 from a bound.
const clampBands = (shape: Shape, s: number) => {
  const t = uniform(shape, s, 0, 1);
  const bands = [-1.5, 0.1, 1.4];
  return new Tensor(Float64Array.from(t.data, (v, i) => bands[i % 3] + 0.3 * (v - 0.5)), t.shape);
};

const UNARY: UnaryCase[] = [
  { name: 'neg', op: (x) => x.neg(), input: anywhere },
  { name: 'exp', op: (x) => x.exp(), input: anywhere },
  { name: 'log', op: (x) => x.log(), input: positive },
  { name: 'sqrt', op: (x) => x.sqrt(), input: positive },
  { name: 'abs', op: (x) => x.abs(), input: noKink },
  { name: 'sigmoid', op: (x) => x.sigmoid(), input: anywhere },
  { name: 'relu', op: (x) => x.relu(), input: noKink },
  { name: 'tanh', op: (x) => x.tanh(), input: anywhere },
  { name: 'clamp(-0.5, 0.8)', op: (x) => x.clamp(-0.5, 0.8), input: clampBands },
  { name: 'clamp(0)', op: (x) => x.clamp(0), input: noKink },
  { name: 'clamp(undefined, 0)', op: (x) => x.clamp(undefined, 0), input: noKink },
  ...[2, 3, 1, 0.5, 1 / 3, -1, -2.5, 0].map((p) => ({ name: `pow ${p === 1 / 3 ? '1/3' : p}`, op: (x: Tensor) => x.pow(p), input: positive })),
  ...[2, 3, -1, -2].map((p) => ({ name: `pow ${p} of negatives`, op: (x: Tensor) => x.pow(p), input: (sh: Shape, s: number) => uniform(sh, s, -2, -0.5) })),
];

for (const { name, op, input } of UNARY) {
  const s = seed++;
  test(`${name} []`, () => {
    expectGradOk(name, op, [input([], s)]);
  });
  test(`${name} [2,3]`, () => {
    expectGradOk(name, op, [input([2, 3], s)]);
  });
  // The broadcast case: the op's output multiplied by a [5,3] weight, so gOut reaches it summed over broadcast axes.
  test(`${name} [4,1,3] then ·[5,3]`, () => {
    expectGradOk(name, (x, w) => op(x).mul(w), [input([4, 1, 3], s), uniform([5, 3], s + 1)]);
  });
}

// ---- softmax and logSoftmax along an axis ----

const SOFTMAX: [string, (x: Tensor, axis?: number) => Tensor][] = [
  ['softmax', (x, axis) => x.softmax(axis)],
  ['logSoftmax', (x, axis) => x.logSoftmax(axis)],
];

for (const [name, op] of SOFTMAX) {
  const s = seed++;
  test(`${name} [5] (default axis)`, () => {
    expectGradOk(name, (x) => op(x), [anywhere([5], s)]);
  });
  test(`${name} [1] (one class)`, () => {
    expectGradOk(name, (x) => op(x), [anywhere([1], s)]);
  });
  for (const axis of [0, 1, -1, -2]) {
    test(`${name} [3,4] axis ${axis}`, () => {
    expectGradOk(`${name}(${axis})`, (x) => op(x, axis), [anywhere([3, 4], s)]);
  });
  }
  test(`${name} [2,3,4] axis 1`, () => {
    expectGradOk(`${name}(1)`, (x) => op(x, 1), [anywhere([2, 3, 4], s)]);
  });
  test(`${name} [4,1,3]+[5,3] axis 1 (the broadcast axis)`, () => {
    expectGradOk(`${name}(1)`, (x, w) => op(x.add(w), 1), [anywhere([4, 1, 3], s), anywhere([5, 3], s + 1)]);
  });
}

// ---- reductions ----

const REDUCTIONS: [string, (x: Tensor, axis?: number, keepdims?: boolean) => Tensor, (shape: Shape, s: number) => Tensor][] = [
  ['sum', (x, axis, keepdims) => x.sum(axis, keepdims), anywhere],
  ['mean', (x, axis, keepdims) => x.mean(axis, keepdims), anywhere],
  ['max', (x, axis, keepdims) => x.max(axis, keepdims), distinct],
  ['logsumexp', (x, axis, keepdims) => x.logsumexp(axis, keepdims), anywhere],
];

const AXES: [number | undefined, boolean][] = [
  [undefined, false],
  [undefined, true],
  [0, false],
  [1, false],
  [2, true],
  [-1, false],
  [-1, true],
  [-3, true],
];

for (const [name, op, input] of REDUCTIONS) {
  const s = seed++;
  test(`${name} [] (no axis)`, () => {
    expectGradOk(name, (x) => op(x), [input([], s)]);
  });
  for (const [axis, keepdims] of AXES) {
    const label = `${name}(${axis === undefined ? '' : axis}${keepdims ? `${axis === undefined ? 'undefined' : ''}, true` : ''})`;
    test(`${label} [2,3,4]`, () => {
    expectGradOk(label, (x) => op(x, axis, keepdims), [input([2, 3, 4], s)]);
  });
  }
  test(`${name} [4,1,3]+[5,3] along axis 1 and overall`, () => {
    const w = name === 'max' ? distinct([5, 3], s + 1).mul(0.1) : anywhere([5, 3], s + 1);
    expectGradOk(`${name}(1)`, (x, v) => op(x.add(v), 1), [input([4, 1, 3], s), w]);
    expectGradOk(`${name}()`, (x, v) => op(x.add(v)), [input([4, 1, 3], s), w]);
  });
}

// ---- linear algebra and shape ----

const MATMUL: [Shape, Shape][] = [
  [[2, 3], [3, 4]],
  [[3, 5], [5, 2]],
  [[1, 1], [1, 1]],
  [[4, 8], [8, 3]],
  [[2, 7], [7, 1]],
];

for (const [sa, sb] of MATMUL) {
  const s = seed++;
  test(`matmul ${fmt(sa)}·${fmt(sb)}`, () => {
    expectGradOk('matmul', (a, b) => a.matmul(b), [anywhere(sa, s), anywhere(sb, s + 1)]);
  });
}

test('matmul [4]·[4] (dot product)', () => {
  expectGradOk('matmul dot', (a, b) => a.matmul(b), [anywhere([4], 1), anywhere([4], 2)]);
});

test('matmul a·a (one input on both sides)', () => {
  expectGradOk('matmul a·a', (a) => a.matmul(a), [anywhere([3, 3], 3)]);
});

test('matmul where only one side requires grad', () => {
  const fixed = anywhere([3, 2], 4);
  expectGradOk('matmul a·const', (a) => a.matmul(fixed), [anywhere([2, 3], 5)]);
  expectGradOk('matmul const·b', (b) => fixed.transpose().matmul(b), [anywhere([3, 4], 6)]);
});

test('reshape [2,3]→[3,2], [2,3]→[-1], []→[1,1], [1]→[], [4,1,3]→[2,6]', () => {
  expectGradOk('reshape [3,2]', (x) => x.reshape([3, 2]), [anywhere([2, 3], 1)]);
  expectGradOk('reshape [-1]', (x) => x.reshape([-1]), [anywhere([2, 3], 2)]);
  expectGradOk('reshape [1,1]', (x) => x.reshape([1, 1]), [anywhere([], 3)]);
  expectGradOk('reshape []', (x) => x.reshape([]), [anywhere([1], 4)]);
  expectGradOk('reshape [2,6]', (x) => x.reshape([2, 6]), [anywhere([4, 1, 3], 5)]);
});

test('reshape of a broadcast sum [4,1,3]+[5,3] → [20,3]', () => {
  expectGradOk('reshape', (x, w) => x.add(w).reshape([20, 3]), [anywhere([4, 1, 3], 6), anywhere([5, 3], 7)]);
});

test('transpose [2,3], [2,3,4], [1,3]', () => {
  expectGradOk('transpose [2,3]', (x) => x.transpose(), [anywhere([2, 3], 1)]);
  expectGradOk('transpose [2,3,4]', (x) => x.transpose(), [anywhere([2, 3, 4], 2)]);
  expectGradOk('transpose [1,3]', (x) => x.transpose(), [anywhere([1, 3], 3)]);
});

test('transpose of a broadcast sum [4,1,3]+[5,3]', () => {
  expectGradOk('transpose', (x, w) => x.add(w).transpose(), [anywhere([4, 1, 3], 4), anywhere([5, 3], 5)]);
});

const EXPAND: [Shape, Shape][] = [
  [[2, 1], [2, 3]],
  [[], [2, 2]],
  [[3], [4, 3]],
  [[4, 1, 3], [4, 5, 3]],
  [[1, 3], [2, 1, 3]],
  [[2, 3], [2, 3]],
];

for (const [from, to] of EXPAND) {
  const s = seed++;
  test(`expand ${fmt(from)}→${fmt(to)}`, () => {
    expectGradOk('expand', (x) => x.expand(to), [anywhere(from, s)]);
  });
}

test('pick [3,4] with number[], Int32Array and Tensor indices', () => {
  const x = anywhere([3, 4], 1);
  expectGradOk('pick number[]', (a) => a.pick([1, 0, 3]), [x]);
  expectGradOk('pick Int32Array', (a) => a.pick(Int32Array.from([2, 2, 0])), [x]);
  expectGradOk('pick Tensor', (a) => a.pick(tensor([3, 1, 1])), [x]);
});

test('pick of a broadcast sum [3,1]+[4]', () => {
  expectGradOk('pick', (x, w) => x.add(w).pick([1, 0, 3]), [anywhere([3, 1], 2), anywhere([4], 3)]);
});

// ---- a composite, so that gradients meet and add inside one graph ----

test('a composite: mean of logSoftmax(x·W + b) picked at targets', () => {
  const f: Fn = (x, w, b) => x.matmul(w).add(b).logSoftmax().pick([0, 2, 1, 2]).mean().neg();
  expectGradOk('composite', f, [anywhere([4, 3], 1), anywhere([3, 3], 2), anywhere([3], 3)]);
});

test.run();
