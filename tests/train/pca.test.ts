// Tests for train/pca.ts: the plane of the first two principal components, on tables whose components are known in closed form.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { principalPlane } from '../../train/pca.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, j) => s + v * b[j], 0);

// n rows m + s1·cos(θi)·u1 + s2·sin(θi)·u2, θi = 2πi/n: the cos and sin columns have mean 0, are
// orthogonal and have Σ = n/2, so the covariance is exactly (s1²/2)·u1u1ᵀ + (s2²/2)·u2u2ᵀ.
function table(n: number, dim: number, s1: number, s2: number): { x: Float64Array; u1: Float64Array; u2: Float64Array; m: Float64Array } {
  const u1 = Float64Array.from({ length: dim }, (_, j) => (j % 3 === 0 ? 1 : 0));
  const u2 = Float64Array.from({ length: dim }, (_, j) => (j % 3 === 1 ? -1 : 0));
  const norm = (v: Float64Array): Float64Array => v.map((vj) => vj / Math.sqrt(dot(v, v)));
  const [a, b] = [norm(u1), norm(u2)];
  const m = Float64Array.from({ length: dim }, (_, j) => j / dim);
  const x = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    const t = (2 * Math.PI * i) / n;
    for (let j = 0; j < dim; j++) x[i * dim + j] = m[j] + s1 * Math.cos(t) * a[j] + s2 * Math.sin(t) * b[j];
  }
  return { x, u1: a, u2: b, m };
}

test('a wide table (60 rows, 2,500 columns): the axes are the known directions, larger variance first', () => {
  const { x, u1, u2, m } = table(60, 2500, 3, 1);
  const plane = principalPlane(x, 60, 2500);
  assert.ok(plane.mean.every((v, j) => Math.abs(v - m[j]) < 1e-12), 'the mean');
  assert.ok(1 - Math.abs(dot(plane.axes[0], u1)) < 1e-9, `PC1·u1 = ${dot(plane.axes[0], u1)}`);
  assert.ok(1 - Math.abs(dot(plane.axes[1], u2)) < 1e-9, `PC2·u2 = ${dot(plane.axes[1], u2)}`);
  assert.ok(Math.abs(dot(plane.axes[0], plane.axes[1])) < 1e-12, 'orthogonal');
});

test('the order follows the variance, not the start: swap the scales and PC1 is u2', () => {
  const { x, u1, u2 } = table(40, 30, 1, 3);
  const plane = principalPlane(x, 40, 30);
  assert.ok(1 - Math.abs(dot(plane.axes[0], u2)) < 1e-9, 'PC1 is u2');
  assert.ok(1 - Math.abs(dot(plane.axes[1], u1)) < 1e-9, 'PC2 is u1');
});

test('a rank-one table still gets a second unit axis, orthogonal to the first; signs make the largest entry positive; same input, same bits', () => {
  const { x, u1 } = table(20, 5, 2, 0);
  const plane = principalPlane(x, 20, 5);
  assert.ok(1 - Math.abs(dot(plane.axes[0], u1)) < 1e-9, 'PC1 is u1');
  assert.ok(Math.abs(dot(plane.axes[1], plane.axes[1]) - 1) < 1e-12 && Math.abs(dot(plane.axes[0], plane.axes[1])) < 1e-12, 'a unit axis orthogonal to PC1');
  for (const axis of plane.axes) {
    const big = axis.reduce((best, v, j) => (Math.abs(v) > Math.abs(axis[best]) ? j : best), 0);
    assert.ok(axis[big] > 0, 'largest entry positive');
  }
  assert.equal(principalPlane(x, 20, 5), plane);
  // A constant table (no variance at all) gives two orthonormal axes too, not NaN.
  const flat = principalPlane(new Float64Array(12).fill(7), 4, 3);
  assert.ok(flat.axes.flat().every(Number.isFinite) && Math.abs(dot(flat.axes[0], flat.axes[1])) < 1e-12);
});

test('the three ways (covariance, Gram matrix, the data itself) find the same plane', () => {
  for (const [n, dim] of [[40, 30], [12, 30]]) {
    const { x, u1, u2 } = table(n, dim, 3, 1);
    // small = 0 sends the table down the path that never forms a matrix.
    for (const plane of [principalPlane(x, n, dim), principalPlane(x, n, dim, 0)]) {
      assert.ok(1 - Math.abs(dot(plane.axes[0], u1)) < 1e-9 && 1 - Math.abs(dot(plane.axes[1], u2)) < 1e-9, `${n} × ${dim}`);
    }
  }
});

test.run();
