// engine/wasm/kernels.ts against its JS twins in engine/kernels/: the same bits (a bound of 0 ulp),
// over seeded random shapes, the edge sizes 0, 1, 3, 5, 17, every transposed form, and special values.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as js from '../../engine/kernels/elementwise.js';
import { matmulJs } from '../../engine/kernels/matmul.js';
import { sumAxis } from '../../engine/kernels/reductions.js';
import { rng, type Rng } from '../../engine/rng.js';
import { WASM_MAX_ELEMENTS, WASM_MIN_ELEMENTS, setBackend, wasmElementwise } from '../../engine/wasm/backend.js';
import { simdSupported } from '../../engine/wasm/instance.js';
import * as wasm from '../../engine/wasm/kernels.js';

// The first element where two arrays differ in bits (Object.is: −0 ≠ 0, NaN = NaN), or null.
function firstDifference(expected: Float64Array, actual: Float64Array): string | null {
  if (expected.length !== actual.length) return `length ${actual.length}, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(expected[i], actual[i])) return `element ${i}: ${actual[i]}, expected ${expected[i]}`;
  }
  return null;
}

function randomArray(r: Rng, n: number): Float64Array {
  // magnitudes over several decades, both signs: sums that round differently in another order
  return Float64Array.from({ length: n }, () => r.normal() * 10 ** (r.int(7) - 3));
}

// The two kernels, each into a fresh zero-filled out.
function jsMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  matmulJs(a, b, m, k, n, transA, transB, out);
  return out;
}
function wasmMatmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const out = new Float64Array(m * n);
  wasm.matmulInto(a, b, m, k, n, transA, transB, out);
  return out;
}

test('the host runs WebAssembly SIMD (Node 20 does; a browser without it takes the JS kernels)', () => {
  assert.ok(simdSupported());
});

const EDGES = [0, 1, 3, 5, 17];
const shapes: [number, number, number][] = [];
for (const m of EDGES) for (const k of EDGES) for (const n of EDGES) shapes.push([m, k, n]);
const r = rng(20);
for (let i = 0; i < 40; i++) shapes.push([1 + r.int(70), 1 + r.int(70), 1 + r.int(70)]);
shapes.push([64, 256, 64], [128, 3, 65]);

test('matmul: the same bits as the JS kernel for every shape and transposed form (NN, NT, TN, TT)', () => {
  const values = rng(1);
  for (const [m, k, n] of shapes) {
    const a = randomArray(values, m * k);
    const b = randomArray(values, k * n);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const diff = firstDifference(jsMatmul(a, b, m, k, n, transA, transB), wasmMatmul(a, b, m, k, n, transA, transB));
        assert.is(diff, null, `[${m},${k}]·[${k},${n}] transA=${transA} transB=${transB}: ${diff}`);
      }
    }
  }
});

// out[i, j] summed over p in the order `order` gives; each product rounded, then each sum.
function tripleLoop(a: Float64Array, b: Float64Array, m: number, k: number, n: number, order: (k: number) => number[]): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (const p of order(k)) s += a[i * k + p] * b[p * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}
const forward = (k: number): number[] => [...Array(k).keys()];

// x [rows, cols] row-major, stored transposed: [cols, rows]
function transposeOf(x: Float64Array, rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, (_, t) => x[(t % rows) * cols + Math.floor(t / rows)]);
}

test('matmul: both kernels sum in the naive triple loop\'s order, p = 0, 1, …, k − 1 (the order the bound of 0 ulp rests on)', () => {
  const values = rng(5);
  for (const [m, k, n] of [[8, 9, 6], [5, 17, 7], [13, 64, 3], [2, 2048, 64]] as const) {
    const a = randomArray(values, m * k);
    const b = randomArray(values, k * n);
    const naive = tripleLoop(a, b, m, k, n, forward);
    assert.is(firstDifference(naive, jsMatmul(a, b, m, k, n, false, false)), null, `JS [${m},${k}]·[${k},${n}]`);
    assert.is(firstDifference(naive, wasmMatmul(a, b, m, k, n, false, false)), null, `wasm [${m},${k}]·[${k},${n}]`);
  }
});

test('matmul: a product summed in another order is caught (negative controls of the bit comparison)', () => {
  const values = rng(2);
  const [m, k, n] = [8, 9, 6];
  const a = randomArray(values, m * k);
  const b = randomArray(values, k * n);
  const wasmOut = wasmMatmul(a, b, m, k, n, false, false);
  // the same product, its sums rounded in other orders: p from k − 1 down, and the kernels' former
  // order, groups of four summed apart then added, ((a₀b₀ + a₁b₁) + a₂b₂) + a₃b₃
  const reversed = tripleLoop(a, b, m, k, n, (k) => forward(k).reverse());
  assert.ok(firstDifference(reversed, wasmOut) !== null, 'reversed order');
  const grouped = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let p = 0;
      for (; p + 3 < k; p += 4) {
        const ab = (q: number): number => a[i * k + q] * b[q * n + j];
        s += ab(p) + ab(p + 1) + ab(p + 2) + ab(p + 3);
      }
      for (; p < k; p++) s += a[i * k + p] * b[p * n + j];
      grouped[i * n + j] = s;
    }
  }
  assert.ok(firstDifference(grouped, wasmOut) !== null, 'groups of four');
});

// The kernel walks k in slabs of 256 steps and the columns in blocks of 65536 / min(k, 256), 256 once
// k ≥ 256 (engine/wasm/kernels.ts: K_SLAB, PANEL): shapes on both sides of each boundary.
const SLAB = 256;
const blockShapes: [number, number, number][] = [
  [5, SLAB - 1, 7], [7, SLAB, 5], [9, SLAB + 1, 63], [6, 2 * SLAB - 1, 65], [3, 2 * SLAB, 64], [13, 2 * SLAB + 1, 130],
  [4, 3 * SLAB + 5, 3], [1, 1, 1], [17, 1, 129], [66, SLAB + 3, 129], [5, SLAB + 44, 255], [3, 2 * SLAB + 1, 257], [6, SLAB, 261],
  [2, 128, 513], [3, 127, 517],
];

test('matmul across the cache blocks (k crossing slabs of 256, n crossing column blocks): the same bits as the JS kernel and the naive loop, every transposed form', () => {
  const values = rng(9);
  for (const [m, k, n] of blockShapes) {
    const a = randomArray(values, m * k);
    const b = randomArray(values, k * n);
    const naive = tripleLoop(a, b, m, k, n, forward);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        // the naive loop reads a and b row-major: give the kernels the transposes of those where asked
        const aStored = transA ? transposeOf(a, m, k) : a;
        const bStored = transB ? transposeOf(b, k, n) : b;
        const form = `[${m},${k}]·[${k},${n}] transA=${transA} transB=${transB}`;
        assert.is(firstDifference(naive, wasmMatmul(aStored, bStored, m, k, n, transA, transB)), null, `wasm ${form}`);
        assert.is(firstDifference(naive, jsMatmul(aStored, bStored, m, k, n, transA, transB)), null, `JS ${form}`);
      }
    }
  }
});

test('matmul: a product whose slabs are summed apart and then added is caught (negative control of the blocking test)', () => {
  const values = rng(10);
  const [m, k, n] = [6, SLAB + 40, 9];
  const a = randomArray(values, m * k);
  const b = randomArray(values, k * n);
  // each slab summed from 0, the two partial sums then added: the mistake a slab that restarted its
  // sums from zero (instead of from what the previous slab stored in out) would make
  const split = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let first = 0;
      let second = 0;
      for (let p = 0; p < SLAB; p++) first += a[i * k + p] * b[p * n + j];
      for (let p = SLAB; p < k; p++) second += a[i * k + p] * b[p * n + j];
      split[i * n + j] = first + second;
    }
  }
  assert.ok(firstDifference(split, wasmMatmul(a, b, m, k, n, false, false)) !== null);
});

test('matmul: NaN, ±∞ and −0 in the operands give what the JS kernel gives', () => {
  const a = Float64Array.from([NaN, 1, -0, Infinity, 2, -Infinity, 0, -0, 1, 2, 3, 4, -0, -0, -0, -0, 5, 6, 7, 8]);
  const b = Float64Array.from([1, -0, 0, 2, Infinity, 3, -0, -0, 1, 1, 2, 2, -1, -1, 0, 0, 4, -0, 1, 0]);
  for (const [m, k, n] of [[5, 4, 5], [4, 5, 4], [2, 10, 2], [10, 2, 10]] as const) {
    const diff = firstDifference(jsMatmul(a, b, m, k, n, false, false), wasmMatmul(a, b, m, k, n, false, false));
    assert.is(diff, null, `[${m},${k}]·[${k},${n}]: ${diff}`);
  }
});

const specials = Float64Array.from([NaN, Infinity, -Infinity, 0, -0, 1e-310, -1e-310, 1, -1, 3.5, -2.25, 1e308, -1e308]);

test('binary add/sub/mul/div on one shape: the same bits as the JS kernel', () => {
  const values = rng(3);
  for (const n of [...EDGES, 2, 64, 1001]) {
    const a = randomArray(values, n);
    const b = randomArray(values, n);
    for (const kind of ['add', 'sub', 'mul', 'div'] as const) {
      const diff = firstDifference(js.binary(kind, a, [n], b, [n], [n]), wasm.binarySame(kind, a, b));
      assert.is(diff, null, `${kind} n=${n}: ${diff}`);
    }
  }
  // every pair of special values
  const a = Float64Array.from({ length: specials.length ** 2 }, (_, i) => specials[Math.floor(i / specials.length)]);
  const b = Float64Array.from({ length: specials.length ** 2 }, (_, i) => specials[i % specials.length]);
  for (const kind of ['add', 'sub', 'mul', 'div'] as const) {
    assert.is(firstDifference(js.binary(kind, a, [a.length], b, [b.length], [a.length]), wasm.binarySame(kind, a, b)), null, kind);
  }
});

test('relu and its backward mulPositive: the same bits as the JS kernels, special values included', () => {
  const values = rng(4);
  for (const n of [...EDGES, 2, 64, 1001]) {
    const a = randomArray(values, n);
    const g = randomArray(values, n);
    assert.is(firstDifference(js.unary('relu', a), wasm.relu(a)), null, `relu n=${n}`);
    assert.is(firstDifference(js.mulPositive(g, a), wasm.mulPositive(g, a)), null, `mulPositive n=${n}`);
  }
  const g = Float64Array.from({ length: specials.length ** 2 }, (_, i) => specials[Math.floor(i / specials.length)]);
  const a = Float64Array.from({ length: specials.length ** 2 }, (_, i) => specials[i % specials.length]);
  assert.is(firstDifference(js.unary('relu', a), wasm.relu(a)), null, 'relu on special values');
  assert.is(firstDifference(js.mulPositive(g, a), wasm.mulPositive(g, a)), null, 'mulPositive on special values');
  // relu's three special cases, spelled out: NaN passes, −∞ gives 0, −0 gives +0
  assert.equal(Array.from(wasm.relu(Float64Array.from([NaN, -Infinity, -0]))).map((x) => Object.is(x, -0) ? '-0' : x), [NaN, 0, 0]);
});

// The engine's own kernel run on the JS backend: the reference, whatever size it is given.
function onJs<T>(fn: () => T): T {
  setBackend('js');
  try {
    return fn();
  } finally {
    setBackend('wasm');
  }
}

// Sizes around the dispatch threshold and above it, with seeded random ones.
function largeSizes(r: Rng): number[] {
  return [WASM_MIN_ELEMENTS - 1, WASM_MIN_ELEMENTS, WASM_MIN_ELEMENTS + 1, ...Array.from({ length: 6 }, () => WASM_MIN_ELEMENTS + r.int(20000))];
}

// The special values tiled over n elements, each paired with each (g and a).
function tiledSpecials(n: number, outer: boolean): Float64Array {
  const s = specials.length;
  return Float64Array.from({ length: n }, (_, i) => specials[outer ? Math.floor(i / s) % s : i % s]);
}

test('relu and mulPositive above the dispatch threshold: the engine kernels give the same bits on both backends', () => {
  const values = rng(5);
  for (const n of largeSizes(values)) {
    const a = randomArray(values, n);
    const g = randomArray(values, n);
    assert.is(firstDifference(onJs(() => js.unary('relu', a)), js.unary('relu', a)), null, `relu n=${n}`);
    assert.is(firstDifference(onJs(() => js.mulPositive(g, a)), js.mulPositive(g, a)), null, `mulPositive n=${n}`);
  }
  const n = Math.max(WASM_MIN_ELEMENTS, specials.length ** 2);
  const g = tiledSpecials(n, true);
  const a = tiledSpecials(n, false);
  assert.is(firstDifference(onJs(() => js.unary('relu', a)), js.unary('relu', a)), null, 'relu on special values');
  assert.is(firstDifference(onJs(() => js.mulPositive(g, a)), js.mulPositive(g, a)), null, 'mulPositive on special values');
});

test('the elementwise twins run from WASM_MIN_ELEMENTS to WASM_MAX_ELEMENTS, on the wasm backend only', () => {
  assert.is(wasmElementwise(WASM_MIN_ELEMENTS - 1), false);
  assert.is(wasmElementwise(WASM_MIN_ELEMENTS), true);
  assert.is(wasmElementwise(WASM_MAX_ELEMENTS), true);
  assert.is(wasmElementwise(WASM_MAX_ELEMENTS + 1), false);
  assert.is(onJs(() => wasmElementwise(WASM_MIN_ELEMENTS)), false);
});

test('addRows (the bias add): the same bits as the JS broadcast add of [rows, cols] + [cols]', () => {
  const values = rng(6);
  const shapes: [number, number][] = [[0, 3], [1, 1], [3, 1], [5, 17], [17, 5], [2048, 64], [256, 3], [300, 7]];
  for (let i = 0; i < 20; i++) shapes.push([1 + values.int(600), 1 + values.int(70)]);
  for (const [rows, cols] of shapes) {
    const a = randomArray(values, rows * cols);
    const b = randomArray(values, cols);
    const expected = js.binary('add', a, [rows, cols], b, [cols], [rows, cols]);
    assert.is(firstDifference(expected, wasm.addRows(a, b, rows, cols, new Float64Array(rows * cols))), null, `[${rows},${cols}]`);
    // and through the engine's kernel (addmm's), in place, on either backend
    for (const backend of ['js', 'wasm'] as const) {
      const out = a.slice();
      if (backend === 'js') onJs(() => js.addBroadcastInPlace(out, [rows, cols], b, [cols]));
      else js.addBroadcastInPlace(out, [rows, cols], b, [cols]);
      assert.is(firstDifference(expected, out), null, `addBroadcastInPlace on ${backend}, [${rows},${cols}]`);
    }
  }
  const a = tiledSpecials(specials.length ** 2, true);
  const b = specials.slice();
  const expected = js.binary('add', a, [specials.length, specials.length], b, [specials.length], [specials.length, specials.length]);
  assert.is(firstDifference(expected, wasm.addRows(a, b, specials.length, specials.length, new Float64Array(a.length))), null, 'special values');
});

// The plain loop the column sums stand for: out[o, k] += a[o, j, k], j in order, from 0.
function naiveColumnSums(a: Float64Array, outer: number, size: number, inner: number): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let j = 0; j < size; j++) for (let k = 0; k < inner; k++) out[o * inner + k] += a[(o * size + j) * inner + k];
  return out;
}

test('column sums (sumAxis along an axis not the last): JS and wasm give the bits of the plain loop', () => {
  const values = rng(7);
  const views: [number, number, number][] = [[1, 0, 3], [1, 1, 2], [1, 5, 17], [3, 7, 5], [1, 2048, 64], [2, 300, 9], [1, 4096, 3], [4, 33, 64]];
  for (let i = 0; i < 20; i++) views.push([1 + values.int(4), values.int(900), 2 + values.int(70)]);
  for (const [outer, size, inner] of views) {
    const a = randomArray(values, outer * size * inner);
    const expected = naiveColumnSums(a, outer, size, inner);
    const view = { outer, size, inner };
    assert.is(firstDifference(expected, onJs(() => sumAxis(a, view))), null, `js [${outer},${size},${inner}]`);
    assert.is(firstDifference(expected, sumAxis(a, view)), null, `engine on wasm [${outer},${size},${inner}]`);
    assert.is(firstDifference(expected, wasm.sumColumns(a, outer, size, inner, new Float64Array(outer * inner))), null, `wasm [${outer},${size},${inner}]`);
  }
  const a = tiledSpecials(specials.length ** 2, false);
  const expected = naiveColumnSums(a, 1, specials.length, specials.length);
  assert.is(firstDifference(expected, wasm.sumColumns(a, 1, specials.length, specials.length, new Float64Array(specials.length))), null, 'special values');
});

test('bias add and column sums: a wrong order or a shifted bias is caught (negative controls of the bit comparison)', () => {
  const values = rng(8);
  const [outer, size, inner] = [1, 2048, 64];
  const a = randomArray(values, outer * size * inner);
  // the same sums taken up the axis instead of down it: equal as real numbers, not in bits
  const reversed = new Float64Array(inner);
  for (let j = size - 1; j >= 0; j--) for (let k = 0; k < inner; k++) reversed[k] += a[j * inner + k];
  assert.ok(firstDifference(reversed, wasm.sumColumns(a, outer, size, inner, new Float64Array(inner))) !== null, 'reversed sums caught');
  // the bias read one column off
  const b = randomArray(values, inner + 1);
  const shifted = js.binary('add', a, [size, inner], b.subarray(1), [inner], [size, inner]);
  assert.ok(firstDifference(shifted, wasm.addRows(a, b, size, inner, new Float64Array(a.length))) !== null, 'shifted bias caught');
});

test.run();
