// The plane of the first two principal components of a table's rows, in time linear in rows × columns (for the decision-regions plot of wide data).
import { rng } from '../engine/index.js';

/** A plane through the data: its mean and two orthonormal directions, the first along the larger variance. */
export interface Plane {
  mean: number[];
  axes: [number[], number[]];
}

// The iteration stops when neither direction moves by more than this (1 − |cos|), or after maxIterations.
const TOLERANCE = 1e-12;
// Up to this many rows or columns, the smaller of the covariance (dim × dim) and the Gram matrix (n × n)
// is formed once, at n·dim·k multiply-adds, and iterated on at k² a step; past it, the data itself.
const SMALL = 512;

/**
 * The first two principal directions of the n × dim rows `x` (row-major), dim ≥ 2, in time linear in
 * n·dim: orthogonal iteration with two vectors on the smaller of the covariance XcᵀXc/n and the Gram
 * matrix XcXcᵀ/n (whose eigenvectors a map to the covariance's as Xcᵀa), or, when both are large, on the
 * covariance applied as Xcᵀ(Xc·v)/n without forming it. So 60 rows of 6,000 columns cost a 60 × 60
 * matrix, not the dense 6,000 × 6,000 one and its 500 steps. A Rayleigh–Ritz step orders the two
 * directions by variance; the start is seeded and each direction's largest entry made positive, so a
 * plot is reproducible. (`small` moves the threshold, for tests of each way.)
 */
export function principalPlane(x: Float64Array, n: number, dim: number, small = SMALL): Plane {
  const mean = new Array<number>(dim).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += x[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const xc = new Float64Array(x.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) xc[i * dim + j] = x[i * dim + j] - mean[j];

  let axes: [Float64Array, Float64Array];
  if (dim <= n && dim <= small) {
    axes = topTwo(matrixTimes(gramOf(xc, dim, n, 1, dim), dim), dim, 500);
  } else if (n < dim && n <= small) {
    const [a, b] = topTwo(matrixTimes(gramOf(xc, n, dim, dim, 1), n), n, 500);
    // Xcᵀa is an eigenvector of the covariance with a's eigenvalue: back to input space.
    const back = (v: Float64Array): Float64Array => {
      const out = new Float64Array(dim);
      for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) out[j] += v[i] * xc[i * dim + j];
      return out;
    };
    axes = orthonormal([back(a), back(b)]);
  } else {
    // cov·v = Xcᵀ(Xc·v)/n, two passes over the data.
    const covTimes = (v: Float64Array): Float64Array => {
      const out = new Float64Array(dim);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += xc[i * dim + j] * v[j];
        s /= n;
        for (let j = 0; j < dim; j++) out[j] += s * xc[i * dim + j];
      }
      return out;
    };
    axes = topTwo(covTimes, dim, 100);
  }
  return { mean, axes: [positive(axes[0]), positive(axes[1])] };
}

// The k × k matrix of dot products between the k vectors xc[a·stride + j·step], j < len, divided by
// the row count: the covariance (vectors are columns: stride 1, step dim) or the Gram matrix (rows).
function gramOf(xc: Float64Array, k: number, len: number, stride: number, step: number): Float64Array {
  const rows = stride === 1 ? len : k;
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let j = 0; j < len; j++) s += xc[a * stride + j * step] * xc[b * stride + j * step];
      g[a * k + b] = g[b * k + a] = s / rows;
    }
  }
  return g;
}

function matrixTimes(m: Float64Array, k: number): (v: Float64Array) => Float64Array {
  return (v) => {
    const out = new Float64Array(k);
    for (let a = 0; a < k; a++) {
      let s = 0;
      for (let b = 0; b < k; b++) s += m[a * k + b] * v[b];
      out[a] = s;
    }
    return out;
  };
}

// The two leading eigenvectors of the symmetric matrix applied by `times`: orthogonal iteration from a
// seeded start, then Rayleigh–Ritz on the 2 × 2 matrix inside the plane, [[a, b], [b, c]].
function topTwo(times: (v: Float64Array) => Float64Array, size: number, maxIterations: number): [Float64Array, Float64Array] {
  const random = rng(0);
  let basis = orthonormal([Float64Array.from({ length: size }, () => random.normal()), Float64Array.from({ length: size }, () => random.normal())]);
  for (let iter = 0; iter < maxIterations; iter++) {
    const next = orthonormal([times(basis[0]), times(basis[1])]);
    const moved = Math.max(1 - Math.abs(dot(next[0], basis[0])), 1 - Math.abs(dot(next[1], basis[1])));
    basis = next;
    if (moved < TOLERANCE) break;
  }
  const [u, w] = basis;
  const tw = times(w);
  const a = dot(u, times(u));
  const b = dot(u, tw);
  const c = dot(w, tw);
  const angle = 0.5 * Math.atan2(2 * b, a - c);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return [u.map((uj, j) => cos * uj + sin * w[j]), u.map((uj, j) => -sin * uj + cos * w[j])];
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}

// Gram–Schmidt on two vectors; a second vector in the span of the first (a rank-one table) becomes
// any unit vector orthogonal to it, so that the plane always has two axes.
function orthonormal([u, w]: [Float64Array, Float64Array]): [Float64Array, Float64Array] {
  const size = (v: Float64Array): number => Math.sqrt(dot(v, v));
  const length = size(u);
  const first = length > 1e-300 ? u.map((uj) => uj / length) : Float64Array.from(u, (_, j) => (j === 0 ? 1 : 0));
  // NOTE: projected twice ("twice is enough", Kahan): once loses orthogonality when w lies nearly in first's span.
  const rest = (v: Float64Array): Float64Array | null => {
    let r = v;
    for (let pass = 0; pass < 2; pass++) {
      const d = dot(r, first);
      r = r.map((rj, j) => rj - d * first[j]);
    }
    const norm = size(r);
    // What is left of a vector in first's span is rounding noise, not a direction.
    return norm > 1e-10 * size(v) && norm > 1e-300 ? r.map((rj) => rj / norm) : null;
  };
  let second = rest(w);
  for (let j = 0; second === null && j < first.length; j++) second = rest(Float64Array.from(first, (_, k) => (k === j ? 1 : 0)));
  return [first, second as Float64Array];
}

// The sign of an eigenvector is arbitrary: make its largest entry positive.
function positive(v: Float64Array): number[] {
  const big = v.reduce((best, vj, j) => (Math.abs(vj) > Math.abs(v[best]) ? j : best), 0);
  return Array.from(v, (vj) => (v[big] < 0 ? -vj : vj));
}
