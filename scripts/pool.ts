// A pool of threads (this one and Node worker threads) that trains a comparison's tasks (train/compare.ts's
// runTask) and hands the results back in task order.
// NOTE: node:worker_threads is enough here: the tasks are few (tens), long (a second or more each) and
// independent, so a shared counter and a message per result is all the scheduling there is; piscina would add a
// dependency for features (task cancellation, idle timeouts, histograms) this does not use.
// NOTE: each run keeps its matrix products on its own thread (the engine's helper thread, which splits a
// large product over a second core, is off): with N workers on N cores a helper would only contend with
// the other workers, and `--jobs 1` then means one core, the honest baseline of the speed-up.
// NOTE: a worker runs the very file the pool was loaded from (the bundle of `npm run train` or
// dist/cli.js, or this .ts file under tsx), so that no second build is needed: the entry points start
// their main() only on the main thread, and this module's last lines train tasks in a pool worker.
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { setHelperThreadCount } from '../engine/index.js';
import { helperThreadCount } from '../engine/wasm/backend.js';
import { type CompareTask, type TaskResult, runTask } from '../train/index.js';

const ROLE = 'focalgrad-compare-pool';

/** Options of runPool. */
export interface PoolOptions {
  /** Threads that train (default: the number of cores): this one and jobs − 1 workers; 1 runs every task in this thread. Either way each run's products stay on one thread. */
  jobs?: number;
  /** Called after each finished task with the count so far (for a progress line). */
  onDone?: (done: number, total: number, result: TaskResult) => void;
}

/** The number of threads --jobs defaults to: the cores Node sees. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Trains every task on `jobs` threads (this one and jobs − 1 workers) and returns the results in task
 * order: whatever order they finish in, the comparison built from them is the same to the bit (each task
 * is a pure function of its config, and structured cloning copies float64 values exactly).
 */
// NOTE: every thread takes the next task from one shared counter (Atomics.add on a SharedArrayBuffer) as
// soon as it is free, so no thread waits for this one's event loop to hand it work, and this thread trains
// too instead of idling while the workers start: no one waits for a worker to boot before the first run.
export async function runPool(tasks: readonly CompareTask[], options: PoolOptions = {}): Promise<TaskResult[]> {
  const jobs = Math.min(options.jobs ?? defaultJobs(), tasks.length);
  const results = new Array<TaskResult>(tasks.length);
  let done = 0;
  const finish = (index: number, result: TaskResult): void => {
    results[index] = result;
    done += 1;
    options.onDone?.(done, tasks.length, result);
  };
  const next = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  let failure: Error | null = null;
  const fail = (error: Error): void => {
    failure ??= error;
    // No thread starts another task.
    Atomics.store(next, 0, tasks.length);
  };
  const workers = Array.from({ length: jobs - 1 }, () => spawn(tasks, next));
  const workersDone = workers.map((worker) => collect(worker, finish, fail));
  const helpers = helperThreadCount();
  setHelperThreadCount(0);
  try {
    for (let i = Atomics.add(next, 0, 1); i < tasks.length && failure === null; i = Atomics.add(next, 0, 1)) {
      try {
        finish(tasks[i].index, runTask(tasks[i]));
      } catch (error) {
        fail(error as Error);
      }
      // Back to the event loop between runs: the workers' results are counted, and Ctrl-C is handled.
      await new Promise((resume) => setImmediate(resume));
    }
    // After an Error, the workers' runs under way are not waited for: they are terminated.
    if (failure === null) await Promise.all(workersDone);
    if (failure === null && done < tasks.length) failure = new Error(`runPool: ${tasks.length - done} of ${tasks.length} runs never reported back`);
    if (failure !== null) throw failure;
  } finally {
    setHelperThreadCount(helpers);
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

// A worker's results as they come; settles when it has no task left (or an Error stopped the pool).
function collect(worker: Worker, finish: (index: number, result: TaskResult) => void, fail: (error: Error) => void): Promise<void> {
  return new Promise((settle) => {
    worker.on('message', (message: WorkerMessage) => {
      if ('result' in message) finish(message.index, message.result);
      else if ('error' in message) fail(new Error(message.error));
      else settle();
    });
    worker.on('error', (error) => {
      fail(error);
      settle();
    });
    // A worker gone without an Error or its last message (process.exit inside a task) must not leave the pool waiting.
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`a worker of the pool exited with code ${code}`));
      settle();
    });
  });
}

/** What a worker posts: a finished task, the Error that stopped one, or that it has no task left. */
type WorkerMessage = { index: number; result: TaskResult } | { error: string } | { idle: true };

function spawn(tasks: readonly CompareTask[], next: Int32Array): Worker {
  const url = workerFile();
  const workerOptions = { workerData: { role: ROLE, tasks, next } };
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

/** Whether this thread is one of the pool's workers (the entry points then do not start their main()). */
export function isPoolWorker(): boolean {
  return !isMainThread && (workerData as { role?: string } | null)?.role === ROLE;
}

// A worker trains the next unclaimed task until none is left, posting each result as it finishes.
if (isPoolWorker()) {
  setHelperThreadCount(0);
  const { tasks, next } = workerData as { tasks: CompareTask[]; next: Int32Array };
  const post = (message: WorkerMessage): void => parentPort?.postMessage(message);
  for (let i = Atomics.add(next, 0, 1); i < tasks.length; i = Atomics.add(next, 0, 1)) {
    try {
      post({ index: tasks[i].index, result: runTask(tasks[i]) });
    } catch (error) {
      post({ error: (error as Error).message });
      break;
    }
  }
  post({ idle: true });
}
