// The WebAssembly twins of hot kernels in engine/kernels/, with the same signatures and the same
// bits: each copies its operands into the instance's memory, runs, and copies the result out.
import { THREADS_MIN_WORK, helperThreadCount } from './backend.js';
import { KernelInstance, kernelModule, newMemory, sharedMemorySupported } from './instance.js';
import { type HelperThread, helperReady, matmulTwoThreads, startHelper } from './threads.js';

let instance: KernelInstance | null = null;
// undefined: not asked for yet; null: none to be had here
let helper: HelperThread | null | undefined;

/** @internal the main thread's instance of the kernels, made on first use */
export function mainInstance(): KernelInstance {
  if (instance === null) {
    const shared = sharedMemorySupported();
    instance = new KernelInstance(newMemory(shared), kernelModule(shared));
  }
  return instance;
}

// Copies a [rows, cols] matrix into the memory at element offset `at`, row-major; `src` holds it
// row-major, or its transpose when `transposed`.
function copyIn(f64: Float64Array, at: number, src: Float64Array, rows: number, cols: number, transposed: boolean): void {
  if (!transposed) {
    f64.set(src.subarray(0, rows * cols), at);
    return;
  }
  // NOTE: eight rows of the copy at a time: each step of j reads eight neighbours of src (one cache line)
  // and writes eight rows in order, where a row at a time reads src with a stride of `rows` (the
  // [2048, 64] input of a weight gradient: a new cache line per element, 3× slower).
  for (let i0 = 0; i0 < rows; i0 += 8) {
    const i1 = Math.min(i0 + 8, rows);
    for (let j = 0; j < cols; j++) {
      for (let i = i0; i < i1; i++) f64[at + i * cols + j] = src[j * rows + i];
    }
  }
}

// Copies b [k, n] into the memory at element offset `at` in the kernel's layout: column pairs, pair j
// (columns j, j+1) as k × 2 values from at + j·k, then an odd last column as k values. `src` holds b
// row-major, or its transpose ([n, k]) when `transposed`.
function packB(f64: Float64Array, at: number, src: Float64Array, k: number, n: number, transposed: boolean): void {
  const pairs = n & ~1;
  if (transposed) {
    // column j of b is row j of src: contiguous reads
    for (let j = 0; j < pairs; j += 2) {
      const to = at + j * k;
      for (let p = 0; p < k; p++) {
        f64[to + 2 * p] = src[j * k + p];
        f64[to + 2 * p + 1] = src[(j + 1) * k + p];
      }
    }
    if (pairs < n) f64.set(src.subarray(pairs * k, n * k), at + pairs * k);
    return;
  }
  for (let p = 0; p < k; p++) {
    const row = p * n;
    for (let j = 0; j < pairs; j += 2) {
      f64[at + j * k + 2 * p] = src[row + j];
      f64[at + j * k + 2 * p + 1] = src[row + j + 1];
    }
    if (pairs < n) f64[at + pairs * k + p] = src[row + pairs];
  }
}

/** out[m, n] = op(a) · op(b) into `out` (m·n elements): matmulJs of engine/kernels/matmul.ts, on the wasm kernel. */
export function matmulInto(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean, out: Float64Array): void {
  const wasm = mainInstance();
  const aAt = 0;
  const bAt = aAt + m * k;
  const outAt = bAt + k * n;
  wasm.reserve((outAt + m * n) * 8);
  const f64 = wasm.f64;
  copyIn(f64, aAt, a, m, k, transA);
  packB(f64, bAt, b, k, n, transB);
  const two = m * k * n >= THREADS_MIN_WORK && helperThreadCount() > 0 ? usableHelper(wasm) : null;
  if (two === null) wasm.exports.matmul(aAt * 8, bAt * 8, outAt * 8, m, k, n, 0, m, 0);
  else matmulTwoThreads(wasm, two, aAt * 8, bAt * 8, outAt * 8, m, k, n, 0);
  // NOTE: f64 is taken again: a helper's job cannot grow the memory, but reading the view after the
  // calls keeps that obvious.
  out.set(wasm.f64.subarray(outAt, outAt + m * n));
}

// The helper thread once it is running; the first large product starts it, and products run on one
// thread until it is ready (it starts in the background, in a few milliseconds).
function usableHelper(wasm: KernelInstance): HelperThread | null {
  if (helper === undefined) helper = wasm.shared ? startHelper(wasm, kernelModule(true)) : null;
  return helper !== null && helperReady(helper) ? helper : null;
}

const BINARY_KINDS = { add: 0, sub: 1, mul: 2, div: 3 } as const;

/** out = a ∘ b for operands of one length: binary of engine/kernels/elementwise.ts without broadcasting. */
export function binarySame(kind: keyof typeof BINARY_KINDS, a: Float64Array, b: Float64Array): Float64Array {
  return twoOperands(a, b, (aAt, bAt, outAt, n) => mainInstance().exports.binary(BINARY_KINDS[kind], aAt, bAt, outAt, n));
}

/** relu: unary('relu') of engine/kernels/elementwise.ts. */
export function relu(a: Float64Array): Float64Array {
  return twoOperands(a, a, (aAt, _, outAt, n) => mainInstance().exports.relu(aAt, outAt, n));
}

/** g · [a > 0]: mulPositive of engine/kernels/elementwise.ts. */
export function mulPositive(g: Float64Array, a: Float64Array): Float64Array {
  return twoOperands(g, a, (gAt, aAt, outAt, n) => mainInstance().exports.mulPositive(gAt, aAt, outAt, n));
}

// Copies two arrays of n elements into the memory, runs `kernel` on their byte offsets and the result's,
// and copies the result out.
function twoOperands(a: Float64Array, b: Float64Array, kernel: (aAt: number, bAt: number, outAt: number, n: number) => void): Float64Array {
  const n = a.length;
  const wasm = mainInstance();
  wasm.reserve(3 * n * 8);
  wasm.f64.set(a, 0);
  wasm.f64.set(b, n);
  kernel(0, n * 8, 2 * n * 8, n);
  return wasm.f64.slice(2 * n, 3 * n);
}
