// Tests for scripts/pool.ts: a comparison's tasks on 1, 2 or 3 threads give the same compare.json, to the byte; an Error in any run reaches the caller.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// NOTE: in a child process with its own throwaway V8 coverage folder: each worker thread transpiles the
// library again (tsx), and c8 would merge those differently mapped copies with this process's.
const child = spawnSync(process.execPath, ['--import', 'tsx', 'tests/scripts/pool-child.ts'], {
  cwd: ROOT,
  encoding: 'utf8',
  env: { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-pool-coverage-')) },
});
const out = JSON.parse(child.stdout || '{}') as { one: string; two: string; three: string; otherSeed: string; counts: number[][]; errors: string[]; helperDuring: number[]; helperAfter: number };

test('runPool: jobs 1, 2 and 3 give identical compare.json; progress counts every finished run', () => {
  assert.is(child.status, 0, child.stderr);
  assert.is(out.two, out.one);
  assert.is(out.three, out.one);
  assert.equal(out.counts, [1, 2, 3, 4, 5, 6, 7, 8].map((done) => [done, 8]));
  // Negative control: another seed gives another file, so the equality above is not vacuous.
  assert.is.not(out.otherSeed, out.one);
});

test('runPool: jobs 1 keeps every product on this thread (no helper thread) and gives the helper back afterwards', () => {
  assert.equal(out.helperDuring, [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.is(out.helperAfter, 1);
});

test('runPool: an Error in any run, first or last, rejects with its message', () => {
  assert.is(out.errors.length, 2);
  for (const error of out.errors) assert.match(error, /^train: lr -1: Adam: lr must be a non-negative finite number/);
});

test.run();
