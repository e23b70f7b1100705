// Property tests (fast-check) over random shapes and broadcast pairs, each against a reference written here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { type Shape, Tensor, broadcastShapes, tensor } from '../../engine/index.js';
import { awayFromZero, expectGradOk, fmt, uniform } from './helpers.js';

const RUNS = { numRuns: 60, seed: 20240601 };

// ---- references ----

// NumPy's rule, spelled out: pad the shorter shape with leading 1s; each axis must match or be 1.
function referenceBroadcast(a: Shape, b: Shape): number[] | null {
  const n = Math.max(a.length, b.length);
  const pa = [...Array<number>(n - a.length).fill(1), ...a];
  const pb = [...Array<number>(n - b.length).fill(1), ...b];
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (pa[i] === pb[i] || pb[i] === 1) out.push(pa[i]);
    else if (pa[i] === 1) out.push(pb[i]);
    else return null;
  }
  return out;
}

const product = (shape: Shape): number => shape.reduce((p, s) => p * s, 1);

// The multi-index of flat position k in shape (row-major).
function unravel(k: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index[axis] = k % shape[axis];
    k = Math.floor(k / shape[axis]);
  }
  return index;
}

// The flat position in `shape` of the element that broadcasts onto out-index `index`.
function broadcastSource(index: readonly number[], shape: Shape): number {
  const lead = index.length - shape.length;
  let flat = 0;
  for (let axis = 0; axis < shape.length; axis++) {
    const i = shape[axis] === 1 ? 0 : index[lead + axis];
    flat = flat * shape[axis] + i;
  }
  return flat;
}

// ---- arbitraries ----

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });

// An output shape, and two operand shapes that broadcast to it: a suffix of it with some sizes set to 1.
const broadcastPairArb = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 })
  .chain((out) =>
    fc.tuple(
      fc.constant(out),
      fc.integer({ min: 0, max: out.length }),
      fc.integer({ min: 0, max: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }),
      fc.integer({ min: 0, max: 1_000_000 }),
    ),
  )
  .map(([out, dropA, dropB, onesA, onesB, seed]) => {
    const a = out.slice(dropA).map((s, i) => (onesA[dropA + i] ? 1 : s));
    const b = out.slice(dropB).map((s, i) => (onesB[dropB + i] ? 1 : s));
    return { a, b, seed };
  });

// ---- properties ----

test('broadcastShapes agrees with the reference on arbitrary pairs (compatible or not)', () => {
  const small = fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 0, maxLength: 4 });
  fc.assert(
    fc.property(small, small, (a, b) => {
      const expected = referenceBroadcast(a, b);
      if (expected === null) {
        assert.throws(() => broadcastShapes(a, b), /cannot broadcast/, `${fmt(a)} × ${fmt(b)} should throw`);
      } else {
        assert.equal([...broadcastShapes(a, b)], expected, `${fmt(a)} × ${fmt(b)}`);
        assert.equal([...broadcastShapes(b, a)], expected, `${fmt(b)} × ${fmt(a)} (symmetric)`);
      }
    }),
    { numRuns: 300, seed: RUNS.seed },
  );
});

test('add, sub, mul, div of random broadcast pairs equal the elementwise formula by index arithmetic', () => {
  fc.assert(
    fc.property(broadcastPairArb, ({ a, b, seed }) => {
      const x = uniform(a, seed);
      const y = awayFromZero(b, seed + 1);
      const out = referenceBroadcast(a, b)!;
      const results = { add: x.add(y), sub: x.sub(y), mul: x.mul(y), div: x.div(y) };
      for (const t of Object.values(results)) assert.equal([...t.shape], out, `shape of ${fmt(a)} × ${fmt(b)}`);
      for (let k = 0; k < product(out); k++) {
        const idx = unravel(k, out);
        const u = x.data[broadcastSource(idx, a)];
        const v = y.data[broadcastSource(idx, b)];
        const where = `${fmt(a)} × ${fmt(b)} at [${idx.join(',')}]`;
        assert.is(results.add.data[k], u + v, `add ${where}`);
        assert.is(results.sub.data[k], u - v, `sub ${where}`);
        assert.is(results.mul.data[k], u * v, `mul ${where}`);
        assert.is(results.div.data[k], u / v, `div ${where}`);
      }
    }),
    RUNS,
  );
});

test('expand of a random shape to a broadcast target matches index arithmetic', () => {
  fc.assert(
    fc.property(broadcastPairArb, ({ a, b, seed }) => {
      const out = referenceBroadcast(a, b)!;
      const x = uniform(a, seed);
      const e = x.expand(out);
      assert.equal([...e.shape], out);
      for (let k = 0; k < product(out); k++) {
        assert.is(e.data[k], x.data[broadcastSource(unravel(k, out), a)], `expand ${fmt(a)} → ${fmt(out)} at ${k}`);
      }
    }),
    RUNS,
  );
});

test('gradcheck passes for random broadcast pairs of add, sub, mul, div', () => {
  fc.assert(
    fc.property(broadcastPairArb, fc.constantFrom('add', 'sub', 'mul', 'div'), ({ a, b, seed }, op) => {
      const x = uniform(a, seed);
      const y = awayFromZero(b, seed + 1, 0.5, 2);
      const f = (u: Tensor, v: Tensor): Tensor => (op === 'add' ? u.add(v) : op === 'sub' ? u.sub(v) : op === 'mul' ? u.mul(v) : u.div(v));
      expectGradOk(`${op} ${fmt(a)}×${fmt(b)}`, f, [x, y], { seed });
    }),
    { numRuns: 40, seed: RUNS.seed },
  );
});

test('sum over an axis, then over the rest, equals the total', () => {
  fc.assert(
    fc.property(shapeArb.filter((s) => s.length > 0), fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 1_000_000 }), (shape, pick, keepdims, seed) => {
      // small integers, so every order of summation is exact
      const x = new Tensor(Float64Array.from(uniform(shape, seed, -50, 50).data, Math.round), shape);
      const axis = (pick % (2 * shape.length)) - shape.length; // in [−ndim, ndim)
      let total = 0;
      for (const v of x.data) total += v;
      assert.is(x.sum(axis, keepdims).sum().item(), total, `${fmt(shape)} axis ${axis}`);
      assert.is(x.sum().item(), total);
      // mean along the axis times its size gives the sum along it
      const size = shape[axis < 0 ? axis + shape.length : axis];
      const viaMean = x.mean(axis, keepdims).mul(size).sum().item();
      assert.ok(Math.abs(viaMean - total) <= 1e-9 * (1 + Math.abs(total)), `mean·size ${viaMean} vs ${total}`);
    }),
    RUNS,
  );
});

test('max along an axis bounds every element, and logsumexp lies in [max, max + ln n]', () => {
  fc.assert(
    fc.property(shapeArb.filter((s) => s.length > 0), fc.nat(), fc.integer({ min: 0, max: 1_000_000 }), (shape, pick, seed) => {
      const x = uniform(shape, seed, -5, 5);
      const axis = pick % shape.length;
      const m = x.max(axis, true);
      const lse = x.logsumexp(axis, true);
      const n = shape[axis];
      const mx = m.expand(shape);
      for (let k = 0; k < x.size; k++) assert.ok(x.data[k] <= mx.data[k], `x ≤ max at ${k}`);
      for (let k = 0; k < m.size; k++) {
        assert.ok(lse.data[k] >= m.data[k] - 1e-12 && lse.data[k] <= m.data[k] + Math.log(n) + 1e-12, `logsumexp bounds at ${k}`);
      }
    }),
    RUNS,
  );
});

test('softmax along any axis sums to 1 and equals exp(logSoftmax)', () => {
  fc.assert(
    fc.property(shapeArb.filter((s) => s.length > 0), fc.nat(), fc.integer({ min: 0, max: 1_000_000 }), (shape, pick, seed) => {
      const x = uniform(shape, seed, -10, 10);
      const axis = pick % shape.length;
      const sums = x.softmax(axis).sum(axis);
      for (let k = 0; k < sums.size; k++) assert.ok(Math.abs(sums.data[k] - 1) < 1e-14, `Σ softmax = ${sums.data[k]}`);
    }),
    RUNS,
  );
});

test('reshape round-trips, and transpose twice is the identity', () => {
  fc.assert(
    fc.property(shapeArb, fc.integer({ min: 0, max: 1_000_000 }), (shape, seed) => {
      const x = uniform(shape, seed);
      const flat = x.reshape([-1]);
      assert.equal([...flat.shape], [product(shape)]);
      const back = flat.reshape(shape);
      assert.equal([...back.shape], [...shape]);
      assert.equal([...back.data], [...x.data]);
      if (shape.length >= 2) {
        const tt = x.transpose().transpose();
        assert.equal([...tt.shape], [...shape]);
        assert.equal([...tt.data], [...x.data]);
      }
    }),
    RUNS,
  );
});

test('matmul of random sizes equals Σ_p a[i,p]·b[p,j] (every kernel unroll remainder)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (m, k, n, seed) => {
      const a = uniform([m, k], seed);
      const b = uniform([k, n], seed + 1);
      const out = a.matmul(b);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a.data[i * k + p] * b.data[p * n + j];
          assert.ok(Math.abs(out.data[i * n + j] - s) <= 1e-13, `[${m},${k}]·[${k},${n}] at (${i},${j})`);
        }
      }
    }),
    RUNS,
  );
});

test('tensor() of a nested array built from a random shape round-trips through toArray()', () => {
  fc.assert(
    fc.property(shapeArb, fc.integer({ min: 0, max: 1_000_000 }), (shape, seed) => {
      const x = uniform(shape, seed);
      const y = tensor(x.toArray());
      assert.equal([...y.shape], [...shape]);
      assert.equal([...y.data], [...x.data]);
    }),
    RUNS,
  );
});

test.run();
