// Run by tests/scripts/pool.test.ts in a child process (so that its worker threads' coverage, of code tsx
// transpiles again in each worker, never reaches c8's merge): a tiny comparison on 1 and 2 threads, and a
// task that fails inside a worker. Prints one JSON object.
import { compareJson, planComparison, summarizeComparison } from '../../train/index.js';
import { runPool } from '../../scripts/pool.js';
import { helperThreadCount } from '../../engine/wasm/backend.js';

const options = { n: 400, hidden: [8], epochs: 3, batch: 32, seeds: 2, seed: 3 };
const plan = planComparison(options);
const counts: number[][] = [];
// The engine's helper thread as each jobs-1 run ends, and after the pool.
const helperDuring: number[] = [];
const one = JSON.stringify(compareJson(summarizeComparison(plan, await runPool(plan.tasks, { jobs: 1, onDone: () => helperDuring.push(helperThreadCount()) }))));
const helperAfter = helperThreadCount();
const two = JSON.stringify(compareJson(summarizeComparison(plan, await runPool(plan.tasks, { jobs: 2, onDone: (done, total) => counts.push([done, total]) }))));
const other = planComparison({ ...options, seed: 4 });
const otherSeed = JSON.stringify(compareJson(summarizeComparison(other, await runPool(other.tasks, { jobs: 2 }))));
let error = '';
try {
  await runPool([{ ...plan.tasks[0], config: { ...plan.tasks[0].config, lr: -1 } }, plan.tasks[1]], { jobs: 2 });
} catch (caught) {
  error = (caught as Error).message;
}
process.stdout.write(JSON.stringify({ one, two, otherSeed, counts, error, helperDuring, helperAfter }));
