// The WebAssembly twins of hot kernels in engine/kernels/, with the same signatures and the same
// bits: each copies its operands into the instance's memory, runs, and copies the result out.
import { splitOverThreads } from './backend.js';
import { KernelInstance, kernelModule, newMemory, sharedMemorySupported } from './instance.js';
import { type HelperThread, helperReady, matmulTwoThreads, startHelper } from './threads.js';

let solo: KernelInstance | null = null;
// undefined: not asked for yet; null: none to be had here (no shared memory, no worker threads)
let shared: KernelInstance | null | undefined;
let helper: HelperThread | null | undefined;

/**
 * @internal the instance that work on one thread runs on, made on first use. Its memory is not shared:
 * V8 copies into and out of a shared buffer at about half the speed (1 MiB in 55 µs against 33 µs,
 * either way), and the copies are a tenth of a product the size of an MLP layer's.
 */
export function mainInstance(): KernelInstance {
  if (solo === null) solo = new KernelInstance(newMemory(false), kernelModule(false));
  return solo;
}

/** @internal the instance whose memory the helper thread shares, or null where memory cannot be shared */
export function sharedInstance(): KernelInstance | null {
  if (shared === undefined) shared = sharedMemorySupported() ? new KernelInstance(newMemory(true), kernelModule(true)) : null;
  return shared;
}

/** @internal where matmulOperands put a product's operands and result in the memory */
export interface MatmulLayout {
  /** the kernel's arguments but the rows: a, rowStride, colStride, b, out, k, n4, kc, nb (offsets in bytes) */
  args: [number, number, number, number, number, number, number, number, number];
  /** m rounded up to a multiple of 4: the rows the kernel computes */
  m4: number;
  /** n rounded up to a multiple of 4: out's row length in the memory */
  n4: number;
  /** out's element offset in the memory */
  outAt: number;
}

const roundUp4 = (x: number): number => (x + 3) & ~3;

// The kernel's cache blocking (see kernels.wat): slabs of K_SLAB steps of k, so that a 4-row strip of a
// and a column quad of b (8 KiB each at 256 steps) stay in the 32 KiB L1 together; column blocks of at
// most PANEL values of b per slab (256 columns at 256 steps), which the 512 KiB L2 keeps for the next row block.
// NOTE: measured, the kernel alone in alternating rounds (9 rounds, four runs), against no blocking: the
// weight gradient xᵀ·gOut [64,2048]ᵀ·[2048,64] 8.8–10.1 → 10.3–15.6 GFLOP/s; row-major products (256³,
// 512³, 1024³, [2048,64]·[64,64]) anywhere from 13 % slower to 22 % faster, run to run: no gain to count
// on there (docs/performance.md, "Cache blocking, chunks and copies"). Column blocks of 64 or 128 and
// slabs of 512 (which fill L1) were no better anywhere.
const K_SLAB = 256;
const PANEL = 65536;

/**
 * @internal Copies op(a) [m, k] and op(b) [k, n] into the memory in the kernel's layout (see kernels.wat):
 * a as stored, its rows padded with zeros to a multiple of 4; b packed in column quads, padded with zero
 * columns. Returns where everything is and the kernel's arguments. k ≥ 1.
 */
export function matmulOperands(wasm: KernelInstance, a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): MatmulLayout {
  const m4 = roundUp4(m);
  const n4 = roundUp4(n);
  const aAt = 0;
  const bAt = aAt + m4 * k;
  const outAt = bAt + k * n4;
  // b as stored goes where out will be, and is packed from there before the kernel writes out
  wasm.reserve((outAt + Math.max(m4 * n4, k * n)) * 8);
  const f64 = wasm.f64;
  copyA(f64, aAt, a, m, m4, k, transA);
  f64.set(b.subarray(0, k * n), outAt);
  const [sStep, sCol] = transB ? [8, 8 * k] : [8 * n, 8];
  wasm.exports.pack(outAt * 8, sStep, sCol, bAt * 8, k, n);
  // a[i, p] at byte a + i·rowStride + p·colStride: [m4, k] row-major, or [k, m4] when stored transposed
  const [rowStride, colStride] = transA ? [8, 8 * m4] : [8 * k, 8];
  const nb = Math.max(4, Math.floor(PANEL / Math.min(k, K_SLAB)) & ~3);
  return { args: [aAt * 8, rowStride, colStride, bAt * 8, outAt * 8, k, n4, K_SLAB, nb], m4, n4, outAt };
}

// Copies a into the memory at element offset `at` as stored ([m, k], or [k, m] when transposed), with
// m4 − m rows of zeros: appended to a row-major a, or to each row of a transposed one.
function copyA(f64: Float64Array, at: number, src: Float64Array, m: number, m4: number, k: number, transposed: boolean): void {
  if (!transposed || m4 === m) {
    f64.set(src.subarray(0, m * k), at);
    if (!transposed) f64.fill(0, at + m * k, at + m4 * k);
    return;
  }
  // NOTE: a short row is copied element by element: a subarray per row costs more than its copy
  // (xᵀ·gOut at the MLP's first layer has rows of 2)
  for (let p = 0; p < k; p++) {
    const to = at + p * m4;
    if (m < 32) for (let i = 0; i < m; i++) f64[to + i] = src[p * m + i];
    else f64.set(src.subarray(p * m, p * m + m), to);
    f64.fill(0, to + m, to + m4);
  }
}

/** @internal copies the kernel's result [m, n] (rows n4 long in the memory) into out */
export function matmulResult(f64: Float64Array, layout: MatmulLayout, m: number, n: number, out: Float64Array): void {
  const { outAt, n4 } = layout;
  if (n4 === n) {
    out.set(f64.subarray(outAt, outAt + m * n));
    return;
  }
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) out[i * n + j] = f64[outAt + i * n4 + j];
  }
}

/** out[m, n] = op(a) · op(b) into `out` (m·n elements): matmulJs of engine/kernels/matmul.ts, on the wasm kernel. */
export function matmulInto(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean, out: Float64Array): void {
  if (k === 0) {
    out.fill(0, 0, m * n);
    return;
  }
  const two = splitOverThreads(m * k * n) ? usableHelper() : null;
  const wasm = two === null ? mainInstance() : two.instance;
  const layout = matmulOperands(wasm, a, b, m, k, n, transA, transB);
  if (two === null) wasm.exports.matmul(...layout.args, 0, layout.m4);
  else matmulTwoThreads(wasm, two.helper, layout.args, layout.m4);
  // NOTE: f64 is taken again: a helper's job cannot grow the memory, but reading the view after the
  // calls keeps that obvious.
  matmulResult(wasm.f64, layout, m, n, out);
}

// The helper thread and the shared instance once the helper is running; the first large product starts
// it, and products run on one thread until it is ready (it starts in the background, in a few milliseconds).
function usableHelper(): { helper: HelperThread; instance: KernelInstance } | null {
  const instance = sharedInstance();
  if (instance === null) return null;
  if (helper === undefined) helper = startHelper(instance, kernelModule(true));
  return helper !== null && helperReady(helper) ? { helper, instance } : null;
}

const BINARY_KINDS = { add: 0, sub: 1, mul: 2, div: 3 } as const;

/** out = a ∘ b for operands of one length: binary of engine/kernels/elementwise.ts without broadcasting. */
export function binarySame(kind: keyof typeof BINARY_KINDS, a: Float64Array, b: Float64Array, out: Float64Array = new Float64Array(a.length)): Float64Array {
  return twoOperands(a, b, out, (aAt, bAt, outAt, n) => mainInstance().exports.binary(BINARY_KINDS[kind], aAt, bAt, outAt, n));
}

/** relu: unary('relu') of engine/kernels/elementwise.ts. */
export function relu(a: Float64Array, out: Float64Array = new Float64Array(a.length)): Float64Array {
  return twoOperands(a, a, out, (aAt, _, outAt, n) => mainInstance().exports.relu(aAt, outAt, n));
}

/** g · [a > 0]: mulPositive of engine/kernels/elementwise.ts. */
export function mulPositive(g: Float64Array, a: Float64Array, out: Float64Array = new Float64Array(a.length)): Float64Array {
  return twoOperands(g, a, out, (gAt, aAt, outAt, n) => mainInstance().exports.mulPositive(gAt, aAt, outAt, n));
}

/** out[r, j] = a[r, j] + b[j], a [rows, cols] and b [cols] (out may be a): addBroadcastInPlace of engine/kernels/elementwise.ts for a bias over the last axis. */
export function addRows(a: Float64Array, b: Float64Array, rows: number, cols: number, out: Float64Array): Float64Array {
  const n = rows * cols;
  const wasm = mainInstance();
  wasm.reserve((n + cols) * 8);
  wasm.f64.set(a.subarray(0, n), 0);
  wasm.f64.set(b.subarray(0, cols), n);
  wasm.exports.addRows(0, n * 8, 0, rows, cols);
  out.set(wasm.f64.subarray(0, n));
  return out;
}

/** out[o, k] = Σ_j a[o, j, k], a viewed as [outer, size, inner]: sumAxis of engine/kernels/reductions.ts. */
export function sumColumns(a: Float64Array, outer: number, size: number, inner: number, out: Float64Array): Float64Array {
  const n = outer * size * inner;
  const wasm = mainInstance();
  wasm.reserve((n + outer * inner) * 8);
  wasm.f64.set(a.subarray(0, n), 0);
  wasm.f64.fill(0, n, n + outer * inner);
  wasm.exports.sumColumns(0, n * 8, outer, size, inner);
  out.set(wasm.f64.subarray(n, n + outer * inner));
  return out;
}

// Copies two arrays of n elements into the memory, runs `kernel` on their byte offsets and the result's,
// and copies the result into out (of n elements), which it returns.
function twoOperands(a: Float64Array, b: Float64Array, out: Float64Array, kernel: (aAt: number, bAt: number, outAt: number, n: number) => void): Float64Array {
  const n = a.length;
  const wasm = mainInstance();
  wasm.reserve(3 * n * 8);
  wasm.f64.set(a, 0);
  if (b !== a) wasm.f64.set(b, n);
  kernel(0, n * 8, 2 * n * 8, n);
  out.set(wasm.f64.subarray(2 * n, 3 * n));
  return out;
}
