// Which kernels the engine runs: the JS ones (the reference) or their WebAssembly SIMD twins, and when a
// product is large enough for the twins, or for a second thread, to pay.
import { describeValue } from '../format.js';
import { simdSupported } from './instance.js';

/** The engine's kernels: 'js' (plain typed-array loops, the reference) or 'wasm' (WebAssembly SIMD twins with the same bits). */
export type BackendName = 'js' | 'wasm';

let current: BackendName | null = null;
let helperThreads: 0 | 1 = 1;

// NOTE: below about 4,000–6,000 multiply-adds the copies in and out of the wasm memory cost more than
// the SIMD saves (measured: JS and wasm in alternating rounds, CPU time). Splitting a product over two
// threads costs the helper's wake-up and a wait for its last chunk; measured with `npx tsx
// bench/matmul-kernels.ts --only threads` (the kernel alone, one thread against two, 9 alternating rounds,
// two runs on a quiet machine, chunks taken from a shared counter), the split lost at 16³ (0.4–0.5×), was
// even at 32³, mixed at 64³ (1.16× and 1.88×) and gained in both runs from 96³ (885k multiply-adds) on:
// 1.5–1.6× there, 1.7–1.9× at 1M ([256,64]·[64,64]), 1.65–2.0× at 2M, 1.75–1.9× at 256³. But the kernel is
// not the whole product: the operands are copied into a shared memory (at half the speed of an unshared
// one) and the result into a fresh array, on the calling thread. On whole Adam steps of a 2-64-64-3 MLP,
// the helper allowed against forbidden in alternating rounds (session 6, a Zen 5 VM), the split did not pay
// at batch 256 (products of 1M multiply-adds) in five of six measurements (0.91–0.98×: three runs of a
// /tmp script, the bench's all-cores rows of sessions 5 and 6; 1.08× in the sixth) nor at 512 (2M:
// 0.94–1.05×), and was even or ahead from 1024 (4M) on; but `npx tsx bench/matmul-kernels.ts --only steps`,
// which times one side twice as a control, puts the noise on a step at ±15 % on that machine, so a step
// tells no more than that the split does not pay there. Hence 2²² (4M), which keeps products of 1–2M
// (50–100 µs each) on one thread, where the split's fixed costs weigh most. Below each threshold a product
// stays on the JS kernel, or on one thread; the bits are the same either way.
/** @internal m·k·n from which a product runs on the wasm kernel */
export const WASM_MIN_WORK = 8192;
/** @internal m·k·n from which a product is split over two threads */
export const THREADS_MIN_WORK = 1 << 22;
let threadsMinWork = THREADS_MIN_WORK;

/**
 * Chooses the engine's kernels: 'wasm' (the default where the host runs WebAssembly SIMD: Node ≥ 16.4 and
 * every current browser) or 'js'. Both give the same bits for every op (the wasm kernels add in the JS
 * kernels' order, tested over random shapes), so the choice changes speed, never results.
 * @example setBackend('js') // the plain loops, e.g. to profile them
 */
export function setBackend(name: BackendName): void {
  if (name !== 'js' && name !== 'wasm') throw new Error(`setBackend: expected 'js' or 'wasm', got ${describeValue(name)}`);
  if (name === 'wasm' && !simdSupported()) {
    throw new Error("setBackend: this host has no WebAssembly SIMD (128-bit); 'js' is the only backend here");
  }
  current = name;
}

/** The engine's current kernels: 'wasm' or 'js' (see setBackend). */
export function getBackend(): BackendName {
  if (current === null) current = simdSupported() ? 'wasm' : 'js';
  return current;
}

/** @internal whether a product of m·k·n multiply-adds runs on the wasm kernel */
export function wasmFor(work: number): boolean {
  return work >= WASM_MIN_WORK && getBackend() === 'wasm';
}

/** @internal elements from which relu, its backward, the bias add and the column sums run on their wasm twins */
export const WASM_MIN_ELEMENTS = 4096;
/** @internal elements up to which they do */
// NOTE: a wasm memory never shrinks, and these kernels hold up to three operands in it: above 2²² elements
// (32 MB an operand) the JS loop runs instead, so one huge tensor does not pin ~100 MB for the process's life.
export const WASM_MAX_ELEMENTS = 1 << 22;

/** @internal whether an elementwise kernel over n elements runs on its wasm twin */
export function wasmElementwise(n: number): boolean {
  return n >= WASM_MIN_ELEMENTS && n <= WASM_MAX_ELEMENTS && getBackend() === 'wasm';
}

/** @internal how many helper threads a large product may use (0 or 1; tests set it to compare) */
export function helperThreadCount(): 0 | 1 {
  return helperThreads;
}

/** @internal sets the number of helper threads (0: one thread only; 1: both cores) */
export function setHelperThreadCount(count: 0 | 1): void {
  helperThreads = count;
}

/** @internal whether a product of m·k·n = `work` multiply-adds is split over the helper thread too */
export function splitOverThreads(work: number): boolean {
  return helperThreads > 0 && work >= threadsMinWork;
}

/** @internal moves the threshold of splitOverThreads (`npx tsx bench/matmul-kernels.ts --only steps` times training steps on either side of it); null restores THREADS_MIN_WORK */
export function setThreadsMinWork(work: number | null): void {
  threadsMinWork = work ?? THREADS_MIN_WORK;
}
