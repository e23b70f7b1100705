// Typed-array kernels of matmul: the blocked product every matrix product runs on.
import { allocate } from '../buffers.js';
import { wasmFor } from '../wasm/backend.js';
import * as wasm from '../wasm/kernels.js';
import { transpose } from './layout.js';

// out[m, n] = op(a) · op(b), where op transposes when asked: a is stored [m, k] or [k, m], b [k, n] or [n, k].
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const out = allocate('matmul', m * n, [m, n]);
  matmulInto(a, b, m, k, n, transA, transB, out);
  return out;
}

// out = op(a) · op(b) into a zero-filled out of m·n elements: a fresh array, or one slice of a batch.
// NOTE: a product large enough runs on the WebAssembly SIMD twin (engine/wasm/, setBackend), which adds
// in this kernel's order and so gives the same bits; matmulJs below is the reference it is tested against.
export function matmulInto(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean, out: Float64Array): void {
  if (wasmFor(m * k * n)) wasm.matmulInto(a, b, m, k, n, transA, transB, out);
  else matmulJs(a, b, m, k, n, transA, transB, out);
}

// out = op(a) · op(b) into a zero-filled out. A transposed a is read in place through its strides (its
// values are loaded outside the inner loop, so the strides cost nothing); a transposed b is first copied
// into plain layout, O(k·n) against the product's O(m·k·n), because b is what the inner loop streams.
export function matmulJs(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean, out: Float64Array): void {
  const bPlain = transB ? transpose(b, 1, n, k) : b;
  if (transA) matmulAccumulate(a, 1, m, bPlain, m, k, n, out);
  else matmulAccumulate(a, k, 1, bPlain, m, k, n, out);
}

// i-k-j order, blocked four rows of out by four rows of b: each value of b loaded from memory
// feeds four rows of out, and each row of out is streamed once per four steps of k. This is what
// takes plain JavaScript from ~2 to ~4 GFLOP/s; the loops are spelled out because V8 does not
// keep a 4×4 block of locals in registers any other way. out += a·b, with a[i, p] at
// a[i·rowStride + p·colStride]. The benchmark's fused step imports it by path (it is not public API).
// Each element is summed in plain order, out[i,j] = (…((out[i,j] + a[i,0]·b[0,j]) + a[i,1]·b[1,j]) + …),
// as the naive triple loop sums it: `out + x0·c0 + x1·c1 + …` evaluates left to right. The wasm twin
// relies on it: with that order, any blocking of the loops gives the same bits.
export function matmulAccumulate(
  a: Float64Array,
  rowStride: number,
  colStride: number,
  b: Float64Array,
  m: number,
  k: number,
  n: number,
  out: Float64Array,
): void {
  const s = colStride;
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    const r0 = i * rowStride, r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride;
    let p = 0;
    for (; p + 3 < k; p += 4) {
      const b0 = p * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      const q = p * s;
      const x0 = a[r0 + q], x1 = a[r0 + q + s], x2 = a[r0 + q + 2 * s], x3 = a[r0 + q + 3 * s];
      const y0 = a[r1 + q], y1 = a[r1 + q + s], y2 = a[r1 + q + 2 * s], y3 = a[r1 + q + 3 * s];
      const z0 = a[r2 + q], z1 = a[r2 + q + s], z2 = a[r2 + q + 2 * s], z3 = a[r2 + q + 3 * s];
      const w0 = a[r3 + q], w1 = a[r3 + q + s], w2 = a[r3 + q + 2 * s], w3 = a[r3 + q + 3 * s];
      for (let j = 0; j < n; j++) {
        const c0 = b[b0 + j], c1 = b[b1 + j], c2 = b[b2 + j], c3 = b[b3 + j];
        out[o0 + j] = out[o0 + j] + x0 * c0 + x1 * c1 + x2 * c2 + x3 * c3;
        out[o1 + j] = out[o1 + j] + y0 * c0 + y1 * c1 + y2 * c2 + y3 * c3;
        out[o2 + j] = out[o2 + j] + z0 * c0 + z1 * c1 + z2 * c2 + z3 * c3;
        out[o3 + j] = out[o3 + j] + w0 * c0 + w1 * c1 + w2 * c2 + w3 * c3;
      }
    }
    for (; p < k; p++) {
      const bRow = p * n;
      const q = p * s;
      const x = a[r0 + q], y = a[r1 + q], z = a[r2 + q], w = a[r3 + q];
      for (let j = 0; j < n; j++) {
        const c = b[bRow + j];
        out[o0 + j] += x * c;
        out[o1 + j] += y * c;
        out[o2 + j] += z * c;
        out[o3 + j] += w * c;
      }
    }
  }
  for (; i < m; i++) {
    const row = i * n;
    const aRow = i * rowStride;
    for (let p = 0; p < k; p++) {
      const ap = a[aRow + p * s];
      const bRow = p * n;
      for (let j = 0; j < n; j++) out[row + j] += ap * b[bRow + j];
    }
  }
}

