// A pool of Node worker threads that trains a comparison's tasks (train/compare.ts's runTask) and hands the results back in task order.
// NOTE: node:worker_threads is enough here: the tasks are few (tens), long (a second or more each) and
// independent, so a queue and a message per task is all the scheduling there is; piscina would add a
// dependency for features (task cancellation, idle timeouts, histograms) this does not use.
// NOTE: each run keeps its matrix products on its own thread (the engine's helper thread, which splits a
// large product over a second core, is off): with N workers on N cores a helper would only contend with
// the other workers, and `--jobs 1` then means one core, the honest baseline of the speed-up.
// NOTE: a worker runs the very file the pool was loaded from (the bundle of `npm run train` or
// dist/cli.js, or this .ts file under tsx), so that no second build is needed: the entry points start
// their main() only on the main thread, and this module's last line serves tasks in a pool worker.
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { setHelperThreadCount } from '../engine/index.js';
import { helperThreadCount } from '../engine/wasm/backend.js';
import { type CompareTask, type TaskResult, runTask } from '../train/index.js';

const ROLE = 'focalgrad-compare-pool';

/** Options of runPool. */
export interface PoolOptions {
  /** Worker threads (default: the number of cores); 1 runs the tasks in this thread, one after another. Either way each run's products stay on one thread. */
  jobs?: number;
  /** Called after each finished task with the count so far (for a progress line). */
  onDone?: (done: number, total: number, result: TaskResult) => void;
}

/** The number of worker threads --jobs defaults to: the cores Node sees. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Trains every task, on `jobs` worker threads, and returns the results in task order: whatever order
 * they finish in, the comparison built from them is the same to the bit (each task is a pure function
 * of its config, and structured cloning copies float64 values exactly).
 */
export async function runPool(tasks: readonly CompareTask[], options: PoolOptions = {}): Promise<TaskResult[]> {
  const jobs = Math.min(options.jobs ?? defaultJobs(), tasks.length);
  const results = new Array<TaskResult>(tasks.length);
  let done = 0;
  const finish = (index: number, result: TaskResult): void => {
    results[index] = result;
    options.onDone?.(++done, tasks.length, result);
  };
  if (jobs <= 1) {
    const helpers = helperThreadCount();
    setHelperThreadCount(0);
    try {
      for (const task of tasks) {
        finish(task.index, runTask(task));
        // Back to the event loop between runs, so that Ctrl-C is handled.
        await new Promise((resume) => setImmediate(resume));
      }
    } finally {
      setHelperThreadCount(helpers);
    }
    return results;
  }
  let next = 0;
  const workers = Array.from({ length: jobs }, () => spawn());
  try {
    await Promise.all(
      workers.map(async (worker) => {
        while (next < tasks.length) {
          const task = tasks[next++];
          finish(task.index, await ask(worker, task));
        }
      }),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function spawn(): Worker {
  const url = workerFile();
  const workerOptions = { workerData: { role: ROLE } };
  if (!url.pathname.endsWith('.ts')) return new Worker(url, workerOptions);
  // Under tsx (the tests) the worker registers tsx's loader itself, then imports this file: a worker
  // does not inherit the hooks of the thread that made it.
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(boot, { ...workerOptions, eval: true });
}

// The file a worker runs: the bundle this code runs in. dist/cli.js is its own import.meta.url; under
// scripts/run.mjs (npm run train, the bench) import.meta.url is defined as the entry's .ts path and the
// bundle is process.argv[1]; under tsx (the tests) it is this .ts file.
// NOTE: a worker that ran the .ts files under tsx instead of the bundle would train about twice as slowly.
function workerFile(): URL {
  const own = new URL(import.meta.url);
  const script = process.argv[1] ?? '';
  return own.pathname.endsWith('.ts') && script.endsWith('.mjs') ? pathToFileURL(script) : own;
}

// One task to a worker and its result back; a worker's Error fails the whole pool with its message.
function ask(worker: Worker, task: CompareTask): Promise<TaskResult> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    const onMessage = (message: { result?: TaskResult; error?: string }): void => {
      cleanup();
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.result as TaskResult);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(task);
  });
}

/** Whether this thread is one of the pool's workers (the entry points then do not start their main()). */
export function isPoolWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === ROLE;
}

if (isPoolWorker()) {
  setHelperThreadCount(0);
  parentPort?.on('message', (task: CompareTask) => {
    try {
      parentPort?.postMessage({ result: runTask(task) });
    } catch (error) {
      parentPort?.postMessage({ error: (error as Error).message });
    }
  });
}
