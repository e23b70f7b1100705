// Both cores for one large product: the calling thread and a helper thread take chunks of rows of out
// from a shared counter until none is left, both running the same wasm kernel over one shared memory.
// NOTE: the result is the same bits for any number of threads: chunks are cut at multiples of four rows,
// where the kernel's own 4-row blocks are cut, so every element is summed by the same instructions
// whichever thread takes it.
// NOTE: why chunks from a counter rather than two fixed halves: this machine's two vCPUs run at unequal
// and changing speeds when both are busy (one of two copies of a compute loop ran 25 % slower), and with
// fixed halves the product waits for the slower one; with chunks, the faster thread simply takes more.
// NOTE: the caller waits only for chunks the helper has claimed: a helper that is asleep, or descheduled
// because another process holds the second core, joins late or not at all and the caller takes the
// chunks itself. (Waiting for the helper to report every job, the product waited for the helper's wake-up:
// under load a whole time slice, and two threads measured slower than one.) A claim names its job, so a
// helper that wakes after its job has ended claims nothing of the next one.
// The engine is synchronous, so the caller blocks while the helper finishes its last chunk (it spins on
// the control word for a moment, then Atomics.wait); hosts where that is not allowed (a browser's main
// thread), or without shared memory or worker threads, use one thread.
import type { KernelInstance } from './instance.js';

// The control words, in an Int32Array over a SharedArrayBuffer of its own.
const SEQ = 0; // the job number (1 … 0x7fff, then 1 again); the helper waits for it to change (−1: stop)
const ARGS = 1; // 9 arguments of matmul but the rows (a … nb), then m4, the chunk's rows and the chunk count
const NEXT = 15; // the job number << 16 | the next chunk not yet taken
const FINISHED = 16; // how many chunks of the current job the helper has finished
const READY = 17; // 1 once the helper has its instance: before that, jobs stay on one thread
const FAILED = 18; // 1 if a chunk threw in the helper: the caller computes it itself, and stops using the helper
const FAILED_AT = 19; // that chunk's first row

// The helper's whole program: take the module and the memory once, then run jobs as they come. A chunk
// is claimed by a compare-and-swap on NEXT that holds only while NEXT still names the job the helper read
// its arguments for and has chunks left.
// NOTE: after a job it polls for the next one for a moment (some tens of µs) before it sleeps: the
// products of one training step's backward pass come in quick succession.
const HELPER_SOURCE = `
const start = ({ module, memory, control }) => {
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const c = new Int32Array(control);
  Atomics.store(c, ${READY}, 1);
  let seen = 0;
  for (;;) {
    for (let spin = 0; spin < 20000 && Atomics.load(c, ${SEQ}) === seen; spin++);
    Atomics.wait(c, ${SEQ}, seen);
    seen = Atomics.load(c, ${SEQ});
    if (seen < 0) return;
    const m4 = c[10], rows = c[11], count = c[12];
    for (;;) {
      const next = Atomics.load(c, ${NEXT});
      if (next >>> 16 !== seen || (next & 0xffff) >= count) break;
      if (Atomics.compareExchange(c, ${NEXT}, next, next + 1) !== next) continue;
      const i = (next & 0xffff) * rows;
      let failed = false;
      try {
        kernels.matmul(c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], i, Math.min(i + rows, m4));
      } catch {
        Atomics.store(c, ${FAILED_AT}, i);
        Atomics.store(c, ${FAILED}, 1);
        failed = true;
      }
      Atomics.add(c, ${FINISHED}, 1);
      Atomics.notify(c, ${FINISHED});
      if (failed) break;
    }
  }
};
// Node (an eval'd worker_threads worker) reaches its port through getBuiltinModule, as the caller does.
if (typeof process === 'object') process.getBuiltinModule('node:worker_threads').parentPort.once('message', start);
else self.onmessage = (event) => start(event.data);
`;

/** @internal a helper thread and its control words */
export interface HelperThread {
  control: Int32Array;
  seq: number;
  stop(): void;
}

interface NodeWorker {
  postMessage(value: unknown): void;
  unref(): void;
  terminate(): unknown;
}
interface NodeWorkerThreads {
  Worker: new (source: string, options: { eval: true }) => NodeWorker;
  isMainThread: boolean;
}

// A worker running HELPER_SOURCE in Node (worker_threads, reached synchronously through
// process.getBuiltinModule, Node ≥ 20.16) or in a browser's worker (a Blob URL), or null where neither works.
function spawnWorker(): { post(value: unknown): void; stop(): void } | null {
  const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process;
  if (typeof nodeProcess?.getBuiltinModule === 'function') {
    const threads = nodeProcess.getBuiltinModule('node:worker_threads') as NodeWorkerThreads;
    const worker = new threads.Worker(HELPER_SOURCE, { eval: true });
    // NOTE: an idle helper must not keep the process alive.
    worker.unref();
    return { post: (value) => worker.postMessage(value), stop: () => void worker.terminate() };
  }
  const scope = globalThis as { Worker?: new (url: string) => Worker; Blob?: typeof Blob; URL?: typeof URL; importScripts?: unknown };
  // Atomics.wait is allowed in a worker, never on a page's main thread.
  if (typeof scope.Worker !== 'function' || typeof scope.importScripts !== 'function') return null;
  const url = URL.createObjectURL(new Blob([HELPER_SOURCE], { type: 'text/javascript' }));
  const worker = new scope.Worker(url);
  return { post: (value) => worker.postMessage(value), stop: () => worker.terminate() };
}

/** @internal one helper thread over the memory of `instance` (whose memory must be shared), or null */
export function startHelper(instance: KernelInstance, module: WebAssembly.Module): HelperThread | null {
  if (!instance.shared) return null;
  let worker: ReturnType<typeof spawnWorker>;
  try {
    worker = spawnWorker();
  } catch {
    return null;
  }
  if (worker === null) return null;
  const control = new Int32Array(new SharedArrayBuffer(32 * 4));
  worker.post({ module, memory: instance.memory, control: control.buffer });
  const helper: HelperThread = {
    control,
    seq: 0,
    stop() {
      Atomics.store(control, SEQ, -1);
      Atomics.notify(control, SEQ);
      worker.stop();
    },
  };
  return helper;
}

/** @internal whether the helper has started and waits for jobs */
export function helperReady(helper: HelperThread): boolean {
  return Atomics.load(helper.control, READY) === 1 && Atomics.load(helper.control, FAILED) === 0;
}

// How long the caller waits for the helper before it gives up on it (a helper that died without a word,
// e.g. terminated by its host): far beyond any chunk's time.
const PATIENCE_MS = 30_000;

/** @internal how many chunks a product's rows are cut into (fewer when it has fewer 4-row blocks) */
export const CHUNKS = 16;

/**
 * @internal rows [0, m4) of a product laid out by matmulOperands (engine/wasm/kernels.ts), computed by this
 * thread and the helper together, in chunks of rows (multiples of 4) that each takes as it gets free.
 * Returns how many chunks the helper computed.
 */
export function matmulTwoThreads(
  instance: KernelInstance,
  helper: HelperThread,
  args: readonly [number, number, number, number, number, number, number, number, number],
  m4: number,
  chunks = CHUNKS,
): number {
  const rows = 4 * Math.ceil(m4 / 4 / chunks);
  const count = Math.ceil(m4 / rows);
  const c = helper.control;
  c.set([...args, m4, rows, count], ARGS);
  Atomics.store(c, FINISHED, 0);
  const seq = (helper.seq % 0x7fff) + 1;
  helper.seq = seq;
  Atomics.store(c, NEXT, seq << 16);
  Atomics.store(c, SEQ, seq);
  Atomics.notify(c, SEQ);
  let mine = 0;
  for (let next = Atomics.add(c, NEXT, 1) & 0xffff; next < count; next = Atomics.add(c, NEXT, 1) & 0xffff) {
    instance.exports.matmul(...args, next * rows, Math.min(next * rows + rows, m4));
    mine++;
  }
  // the helper's chunks in progress take at most a chunk's time: poll for them, then sleep in steps
  const helpers = count - mine;
  for (let spin = 0; spin < 100000 && Atomics.load(c, FINISHED) < helpers; spin++);
  const deadline = Date.now() + PATIENCE_MS;
  for (let done = Atomics.load(c, FINISHED); done < helpers; done = Atomics.load(c, FINISHED)) {
    if (Date.now() > deadline) {
      Atomics.store(c, FAILED, 1);
      throw new Error(`matmul: the helper thread did not finish its rows of a product (k = ${args[5]}) within ${PATIENCE_MS / 1000} s`);
    }
    Atomics.wait(c, FINISHED, done, 1000);
  }
  // A chunk the helper could not compute (it threw): computed here, and the helper is not used again.
  if (Atomics.load(c, FAILED) === 1) {
    const i = Atomics.load(c, FAILED_AT);
    instance.exports.matmul(...args, i, Math.min(i + rows, m4));
  }
  return helpers;
}
