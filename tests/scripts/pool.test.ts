// Tests for scripts/pool.ts: a comparison's tasks on worker threads give the same compare.json, to the byte, as in one thread; a worker's Error reaches the caller.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareJson, planComparison, summarizeComparison } from '../../train/index.js';
import { runPool } from '../../scripts/pool.js';

const options = { n: 400, hidden: [8], epochs: 3, batch: 32, seeds: 2, seed: 3 };

test('runPool: jobs 1 and jobs 2 give identical compare.json; progress counts every finished run', async () => {
  const plan = planComparison(options);
  const counts: number[] = [];
  const one = await runPool(plan.tasks, { jobs: 1 });
  const two = await runPool(plan.tasks, { jobs: 2, onDone: (done, total) => counts.push(done, total) });
  assert.equal(counts.filter((_, k) => k % 2 === 0), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(counts.filter((_, k) => k % 2 === 1).every((t) => t === 8));
  const a = JSON.stringify(compareJson(summarizeComparison(plan, one)));
  const b = JSON.stringify(compareJson(summarizeComparison(plan, two)));
  assert.is(a, b);
  // Negative control: another seed gives another file, so the equality above is not vacuous.
  const other = planComparison({ ...options, seed: 4 });
  assert.is.not(JSON.stringify(compareJson(summarizeComparison(other, await runPool(other.tasks, { jobs: 2 })))), a);
});

test('runPool: an Error inside a worker rejects with its message', async () => {
  const plan = planComparison(options);
  const broken = [{ ...plan.tasks[0], config: { ...plan.tasks[0].config, lr: -1 } }, plan.tasks[1]];
  try {
    await runPool(broken, { jobs: 2 });
    assert.unreachable('no error');
  } catch (error) {
    assert.match((error as Error).message, /^train: lr -1: Adam: lr must be a positive finite number/);
  }
});

test.run();
