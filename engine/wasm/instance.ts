// The WebAssembly kernels' instance and its memory: feature detection, loading, and a scratch arena
// that each call copies its operands into and its result out of.
import { SHARED, UNSHARED } from './kernels.bytes.js';

/** @internal the exports of engine/wasm/kernels.wat */
export interface KernelExports {
  matmul(a: number, rowStride: number, colStride: number, b: number, out: number, k: number, n4: number, kc: number, nb: number, i0: number, i1: number): void;
  pack(src: number, sStep: number, sCol: number, dst: number, k: number, n: number): void;
  binary(kind: number, a: number, b: number, out: number, n: number): void;
  relu(a: number, out: number, n: number): void;
  mulPositive(g: number, a: number, out: number, n: number): void;
  addRows(a: number, b: number, out: number, rows: number, cols: number): void;
  sumColumns(a: number, out: number, outer: number, size: number, inner: number): void;
}

// The smallest module that uses a SIMD instruction: (func (result v128) (v128.const i64x2 0 0)).
// WebAssembly.validate says whether this host runs 128-bit SIMD, without compiling anything big.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/** @internal whether this host has WebAssembly with 128-bit SIMD */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
}

/** @internal whether wasm memory can be shared with worker threads here */
export function sharedMemorySupported(): boolean {
  if (typeof SharedArrayBuffer !== 'function') return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const PAGE = 65536;
const MAX_PAGES = 65536;

/** @internal one instance of the kernels over one memory, with views of that memory kept current */
export class KernelInstance {
  readonly exports: KernelExports;
  readonly memory: WebAssembly.Memory;
  /** a view of the whole memory; replaced whenever the memory grows */
  f64: Float64Array;

  constructor(memory: WebAssembly.Memory, module: WebAssembly.Module) {
    this.memory = memory;
    this.exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
    this.f64 = new Float64Array(memory.buffer);
  }

  /** Whether the memory is shared (worker threads can run kernels on it). */
  get shared(): boolean {
    // NOTE: SharedArrayBuffer is not even defined where a page is not cross-origin isolated.
    return typeof SharedArrayBuffer === 'function' && this.memory.buffer instanceof SharedArrayBuffer;
  }

  /** Makes the memory at least `bytes` long. */
  reserve(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new Error(`wasm backend: ${bytes} bytes exceed the 4 GiB of WebAssembly memory`);
      this.memory.grow(pages);
    }
    // NOTE: growing an unshared memory detaches its old buffer; a shared one keeps the old, shorter
    // buffer. Either way the view must be taken anew.
    if (this.f64.buffer !== this.memory.buffer || this.f64.byteLength !== this.memory.buffer.byteLength) {
      this.f64 = new Float64Array(this.memory.buffer);
    }
  }
}

let moduleCache: { shared: WebAssembly.Module | null; unshared: WebAssembly.Module | null } = { shared: null, unshared: null };

/** @internal the compiled kernels module (shared-memory variant or not) */
export function kernelModule(shared: boolean): WebAssembly.Module {
  const cached = shared ? moduleCache.shared : moduleCache.unshared;
  if (cached !== null) return cached;
  // NOTE: synchronous compilation: the module is 2 KB, under the 4 KB a browser's main thread allows.
  const module = new WebAssembly.Module(decodeBase64(shared ? SHARED : UNSHARED));
  moduleCache = shared ? { ...moduleCache, shared: module } : { ...moduleCache, unshared: module };
  return module;
}

/** @internal a new memory for the kernels: shared when the host allows it */
export function newMemory(shared: boolean): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared });
}
