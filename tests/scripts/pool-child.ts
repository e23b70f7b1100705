// Run by tests/scripts/pool.test.ts in a child process (so that its worker threads' coverage, of code tsx
// transpiles again in each worker, never reaches c8's merge): a tiny comparison on 1, 2 and 3 threads, and
// a failing task first (this thread takes it) or last. Prints one JSON object.
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
const three = JSON.stringify(compareJson(summarizeComparison(plan, await runPool(plan.tasks, { jobs: 3 }))));
const other = planComparison({ ...options, seed: 4 });
const otherSeed = JSON.stringify(compareJson(summarizeComparison(other, await runPool(other.tasks, { jobs: 2 }))));
// The message of the Error a pool of 2 rejects with when task `at` of the plan has a bad learning rate.
async function errorWith(at: number): Promise<string> {
  const tasks = plan.tasks.map((task, i) => (i === at ? { ...task, config: { ...task.config, lr: -1 } } : task));
  try {
    await runPool(tasks, { jobs: 2 });
  } catch (caught) {
    return (caught as Error).message;
  }
  return 'no Error';
}
const errors = [await errorWith(0), await errorWith(plan.tasks.length - 1)];
process.stdout.write(JSON.stringify({ one, two, three, otherSeed, counts, errors, helperDuring, helperAfter }));
