// broadcastShapes and the shape helpers of engine/shape.ts, table-named so a failure names the case.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { broadcastShapes, tensor } from '../../engine/index.js';
import { sumToShape } from '../../engine/backward.js';
import {
  type Shape,
  broadcastAxes,
  broadcastShapes as internalBroadcastShapes,
  normalizeAxis,
  sameShape,
  shapeSize,
} from '../../engine/shape.js';
import { checkShape } from '../../engine/checks.js';
import { formatShape } from '../../engine/format.js';
import { throwsMatching } from './helpers.js';

const compatible: [Shape, Shape, Shape][] = [
  [[4, 1, 3], [5, 3], [4, 5, 3]],
  [[2, 1], [1, 3], [2, 3]],
  [[], [2, 2], [2, 2]],
  [[2, 2], [], [2, 2]],
  [[], [], []],
  [[3], [3], [3]],
  [[1], [5], [5]],
  [[5], [1], [5]],
  [[2, 3], [3], [2, 3]],
  [[3], [2, 3], [2, 3]],
  [[8, 1, 6, 1], [7, 1, 5], [8, 7, 6, 5]], // NumPy's broadcasting docs
  [[5, 4], [1], [5, 4]],
  [[15, 3, 5], [15, 1, 5], [15, 3, 5]],
  [[15, 3, 5], [3, 1], [15, 3, 5]],
  [[0, 3], [1, 3], [0, 3]],
  [[1, 1], [1], [1, 1]],
];

for (const [a, b, out] of compatible) {
  test(`broadcastShapes ${formatShape(a)} × ${formatShape(b)} => ${formatShape(out)}`, () => {
    assert.equal([...broadcastShapes(a, b)], out);
  });
}

const incompatible: [Shape, Shape, RegExp][] = [
  [[2, 3], [4, 3], /broadcastShapes: cannot broadcast shapes \[2,3\] and \[4,3\]: sizes 2 and 4 differ at axis -2/],
  [[3], [4], /cannot broadcast shapes \[3\] and \[4\]: sizes 3 and 4 differ at axis -1 \(expected equal sizes or 1\)/],
  [[2, 1], [8, 4, 3], /cannot broadcast shapes \[2,1\] and \[8,4,3\]: sizes 2 and 4 differ at axis -2/],
  [[0], [2], /sizes 0 and 2 differ/],
];

for (const [a, b, pattern] of incompatible) {
  test(`broadcastShapes ${formatShape(a)} × ${formatShape(b)} throws`, () => {
    throwsMatching(() => broadcastShapes(a, b), pattern);
  });
}

test('broadcastShapes names the op that asked; the public one checks its shapes', () => {
  throwsMatching(() => internalBroadcastShapes([2], [3], 'mul'), /^mul: cannot broadcast shapes \[2\] and \[3\]/);
  throwsMatching(() => broadcastShapes(-0 as never, [2]), /^broadcastShapes: first shape must be an array of sizes, got -0/);
  throwsMatching(() => broadcastShapes([2], [1.5]), /^broadcastShapes: second shape \[1.5\] must hold non-negative integers/);
});

test('broadcastAxes: the axes a broadcast gradient is summed over', () => {
  assert.equal(broadcastAxes([4, 5, 3], [5, 3]), [0]);
  assert.equal(broadcastAxes([4, 5, 3], [4, 1, 3]), [1]);
  assert.equal(broadcastAxes([2, 3], [1, 3]), [0]);
  assert.equal(broadcastAxes([2, 3], [2, 1]), [1]);
  assert.equal(broadcastAxes([2, 2], []), [0, 1]);
  assert.equal(broadcastAxes([2, 3], [2, 3]), []);
  // an axis of size 1 in both stays (nothing to sum)
  assert.equal(broadcastAxes([1, 3], [1, 1]), [1]);
});

test('shapeSize, sameShape, formatShape', () => {
  assert.is(shapeSize([]), 1);
  assert.is(shapeSize([2, 3, 4]), 2 * 3 * 4);
  assert.is(shapeSize([2, 0]), 0);
  assert.ok(sameShape([2, 3], [2, 3]));
  assert.not.ok(sameShape([2, 3], [3, 2]));
  assert.not.ok(sameShape([2], [2, 1]));
  const s = [1, 2];
  assert.ok(sameShape(s, s));
  assert.is(formatShape([]), '[]');
  assert.is(formatShape([4, 1, 3]), '[4,1,3]');
});

test('normalizeAxis counts a negative axis from the end', () => {
  assert.is(normalizeAxis(0, 3, 'sum'), 0);
  assert.is(normalizeAxis(2, 3, 'sum'), 2);
  assert.is(normalizeAxis(-1, 3, 'sum'), 2);
  assert.is(normalizeAxis(-3, 3, 'sum'), 0);
});

test('normalizeAxis out of range names the op, the axis and the range', () => {
  throwsMatching(() => normalizeAxis(3, 3, 'sum'), /^sum: axis 3 is out of range for a 3-D tensor \(expected an integer in \[-3, 2\]\)/);
  throwsMatching(() => normalizeAxis(-4, 3, 'max'), /^max: axis -4 is out of range for a 3-D tensor/);
  throwsMatching(() => normalizeAxis(0.5, 3, 'mean'), /^mean: axis 0.5 is out of range/);
  throwsMatching(() => normalizeAxis(0, 0, 'softmax'), /^softmax: axis 0 .*0-D tensor \(expected none \(the tensor is a scalar\)\)/);
});

test('checkShape rejects negative, fractional and non-array shapes', () => {
  assert.equal([...checkShape('zeros', [2, 0, 3])], [2, 0, 3]);
  throwsMatching(() => checkShape('zeros', [2, -1]), /^zeros: shape \[2,-1\] must hold non-negative integers, got -1/);
  throwsMatching(() => checkShape('ones', [1.5]), /^ones: shape \[1.5\] must hold non-negative integers, got 1.5/);
  throwsMatching(() => checkShape('full', 3 as unknown as Shape), /^full: shape must be an array of sizes, got 3/);
});

// sumToShape: the one helper that sums a broadcast gradient back to its input's shape.
const sumBack: [Shape, Shape, number[]][] = [
  [[2, 3], [2, 3], [1, 2, 3, 4, 5, 6]],
  [[2, 3], [3], [5, 7, 9]],
  [[2, 3], [1, 3], [5, 7, 9]],
  [[2, 3], [2, 1], [6, 15]],
  [[2, 3], [], [21]],
  [[2, 3], [1, 1], [21]],
];
for (const [from, to, expected] of sumBack) {
  test(`sumToShape ${formatShape(from)} => ${formatShape(to)}`, () => {
    const g = tensor([1, 2, 3, 4, 5, 6], { shape: from });
    const out = sumToShape(g, to, 'test');
    assert.equal(out.shape, to);
    assert.equal([...out.data], expected);
  });
}

test('sumToShape: a gradient that does not broadcast to the input is an Error naming the op', () => {
  throwsMatching(() => sumToShape(tensor([1, 2, 3]), [2], 'mul'), /^mul: backward produced a gradient of shape \[3\] for an input of shape \[2\]/);
});

test.run();
