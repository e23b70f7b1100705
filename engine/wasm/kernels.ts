// The WebAssembly twins of the hot kernels in engine/kernels.ts, with the same signatures and the same
// bits: each copies its operands into the instance's memory, runs, and copies the result out.
import { KernelInstance, kernelModule, newMemory, sharedMemorySupported } from './instance.js';

let instance: KernelInstance | null = null;

/** @internal the main thread's instance of the kernels, made on first use */
export function mainInstance(): KernelInstance {
  if (instance === null) {
    const shared = sharedMemorySupported();
    instance = new KernelInstance(newMemory(shared), kernelModule(shared));
  }
  return instance;
}

// Copies rows × cols of `src` into the memory at element offset `at`, transposed when asked (src is
// then stored [cols, rows]).
function copyIn(f64: Float64Array, at: number, src: Float64Array, rows: number, cols: number, transposed: boolean): void {
  if (!transposed) {
    f64.set(src.subarray(0, rows * cols), at);
    return;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) f64[at + i * cols + j] = src[j * rows + i];
  }
}

/** out[m, n] = op(a) · op(b): matmul of engine/kernels.ts, computed by the wasm kernel. */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number, transA: boolean, transB: boolean): Float64Array {
  const wasm = mainInstance();
  const aAt = 0;
  const bAt = aAt + m * k;
  const outAt = bAt + k * n;
  wasm.reserve((outAt + m * n) * 8);
  const f64 = wasm.f64;
  copyIn(f64, aAt, a, m, k, transA);
  copyIn(f64, bAt, b, k, n, transB);
  wasm.exports.matmul(aAt * 8, bAt * 8, outAt * 8, m, k, n, 0, m, 0);
  return f64.slice(outAt, outAt + m * n);
}
