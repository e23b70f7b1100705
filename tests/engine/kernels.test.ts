// engine/kernels.ts unit tests: the transposed matmul variants, both broadcast paths, axis views.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as elementwise from '../../engine/kernels/elementwise.js';
import * as indexing from '../../engine/kernels/indexing.js';
import * as layout from '../../engine/kernels/layout.js';
import * as matmul from '../../engine/kernels/matmul.js';
import * as reductions from '../../engine/kernels/reductions.js';
import { axisView } from '../../engine/shape.js';

// The kernels of every topic under one name, as the tests below call them.
const kernels = { ...elementwise, ...indexing, ...layout, ...matmul, ...reductions, axisView };

// a [m,k] and b [k,n] with small integers; the reference product by the definition.
function operands(m: number, k: number, n: number): { a: number[]; b: number[]; out: number[] } {
  const a = Array.from({ length: m * k }, (_, i) => (i % 7) - 3);
  const b = Array.from({ length: k * n }, (_, i) => (i % 5) - 2);
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      out.push(s);
    }
  }
  return { a, b, out };
}

// The transpose of a row-major [rows, cols], written out.
function transposed(x: number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out.push(x[i * cols + j]);
  return out;
}

for (const [m, k, n] of [[2, 3, 2], [3, 1, 2], [2, 4, 3], [3, 5, 1], [1, 7, 4], [4, 8, 2], [2, 2, 2]]) {
  test(`matmul kernel [${m},${k}]·[${k},${n}] in all four transposition variants`, () => {
    const { a, b, out } = operands(m, k, n);
    const A = Float64Array.from(a);
    const B = Float64Array.from(b);
    const At = Float64Array.from(transposed(a, m, k)); // stored [k, m]
    const Bt = Float64Array.from(transposed(b, k, n)); // stored [n, k]
    assert.equal([...kernels.matmul(A, B, m, k, n, false, false)], out, 'a·b');
    assert.equal([...kernels.matmul(A, Bt, m, k, n, false, true)], out, 'a·(bᵀ stored)ᵀ');
    assert.equal([...kernels.matmul(At, B, m, k, n, true, false)], out, '(aᵀ stored)ᵀ·b');
    assert.equal([...kernels.matmul(At, Bt, m, k, n, true, true)], out, 'both stored transposed');
  });
}

test('transpose kernel on a batch of [2,3] blocks', () => {
  const a = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.equal([...kernels.transpose(a, 2, 2, 3)], [1, 4, 2, 5, 3, 6, 7, 10, 8, 11, 9, 12]);
});

test('broadcastIndex: the source of each output element, [4,1,3] and [5,3] into [4,5,3]', () => {
  const ia = kernels.broadcastIndex([4, 1, 3], [4, 5, 3]);
  const ib = kernels.broadcastIndex([5, 3], [4, 5, 3]);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 5; j++) {
      for (let k = 0; k < 3; k++) {
        const flat = (i * 5 + j) * 3 + k;
        assert.is(ia[flat], i * 3 + k, `a at (${i},${j},${k})`);
        assert.is(ib[flat], j * 3 + k, `b at (${i},${j},${k})`);
      }
    }
  }
  assert.equal([...kernels.broadcastIndex([], [2, 2])], [0, 0, 0, 0]);
  assert.equal([...kernels.broadcastIndex([2, 1], [2, 3])], [0, 0, 0, 1, 1, 1]);
});

test('binary kernel: strided and indexed paths agree for each kind', () => {
  // [2,1,3]×[4,1] → [2,4,3] takes the indexed path (three groups of axes); compare with index arithmetic
  const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
  const b = Float64Array.from([1, 2, 4, 8]);
  const kinds: [elementwise.BinaryKind, (u: number, v: number) => number][] = [
    ['add', (u, v) => u + v],
    ['sub', (u, v) => u - v],
    ['mul', (u, v) => u * v],
    ['div', (u, v) => u / v],
  ];
  for (const [kind, f] of kinds) {
    const out = kernels.binary(kind, a, [2, 1, 3], b, [4, 1], [2, 4, 3]);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) expected.push(f(a[i * 3 + k], b[j]));
    assert.equal([...out], expected, `${kind} indexed`);
    // [2,3]×[3] → strided with one group per operand pattern
    const s = kernels.binary(kind, a, [2, 3], Float64Array.from([1, 2, 4]), [3], [2, 3]);
    assert.equal([...s], [0, 1, 2, 3, 4, 5].map((i) => f(a[i], [1, 2, 4][i % 3])), `${kind} strided`);
    // all size 1
    assert.equal([...kernels.binary(kind, Float64Array.from([6]), [1, 1], Float64Array.from([3]), [], [1, 1])], [f(6, 3)], `${kind} [1,1]×[]`);
  }
});

test('broadcastTo: fill, copy and indexed paths', () => {
  assert.equal([...kernels.broadcastTo(Float64Array.from([7]), [], [2, 2])], [7, 7, 7, 7]);
  const same = Float64Array.from([1, 2]);
  const copy = kernels.broadcastTo(same, [2], [1, 2]);
  assert.equal([...copy], [1, 2]);
  assert.ok(copy !== same, 'a copy, not the same array');
  assert.equal([...kernels.broadcastTo(Float64Array.from([1, 2]), [2, 1], [2, 3])], [1, 1, 1, 2, 2, 2]);
});

test('axisView, sumAxis, maxAxis and maxTieWeights on [2,3,2]', () => {
  const a = Float64Array.from({ length: 12 }, (_, i) => i);
  const v = kernels.axisView([2, 3, 2], 1);
  assert.equal(v, { outer: 2, size: 3, inner: 2 });
  assert.equal([...kernels.sumAxis(a, v)], [0 + 2 + 4, 1 + 3 + 5, 6 + 8 + 10, 7 + 9 + 11]);
  assert.equal([...kernels.maxAxis(a, v)], [4, 5, 10, 11]);
  const last = kernels.axisView([2, 3, 2], 2);
  assert.equal([...kernels.sumAxis(a, last)], [1, 5, 9, 13, 17, 21]);
  const ties = Float64Array.from([2, 2, 1, 3]);
  const tv = kernels.axisView([4], 0);
  assert.equal([...kernels.maxTieWeights(ties, kernels.maxAxis(ties, tv), tv)], [0, 0, 0, 1]);
  const ties2 = Float64Array.from([3, 1, 3, 3]);
  assert.equal([...kernels.maxTieWeights(ties2, kernels.maxAxis(ties2, tv), tv)], [1 / 3, 0, 1 / 3, 1 / 3]);
});

test('unary kernels sign and relu, mulPositive (relu backward), and pow with p = 2 and otherwise', () => {
  const x = Float64Array.from([-2, 0, 3]);
  assert.equal([...kernels.unary('sign', x)], [-1, 0, 1]);
  assert.equal([...kernels.unary('relu', Float64Array.from([-Infinity, -0, NaN, 2]))].map(String), ['0', '0', 'NaN', '2']);
  assert.ok(Object.is(kernels.unary('relu', Float64Array.from([-0]))[0], 0), 'relu(−0) is +0');
  assert.equal([...kernels.mulPositive(Float64Array.from([5, 6, 7]), x)], [0, 0, 7]);
  assert.equal([...kernels.pow(x, 2)], [4, 0, 9]);
  assert.equal([...kernels.pow(x, 3)], [-8, 0, 27]);
  assert.equal([...kernels.insideMask(x, -1, 3)], [0, 1, 1]);
  assert.equal([...kernels.clamp(x, -1, 2)], [-1, 0, 2]);
});

test('oneHot and pickRows kernels', () => {
  const idx = Int32Array.from([2, 0]);
  assert.equal([...kernels.oneHot(idx, 3)], [0, 0, 1, 1, 0, 0]);
  assert.equal([...kernels.pickRows(Float64Array.from([1, 2, 3, 4, 5, 6]), idx, 3)], [3, 4]);
});

test.run();
