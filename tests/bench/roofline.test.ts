// bench/roofline.ts: it compiles its loop, runs it and prints one line with the median and every round;
// bad flags are usage errors. (The figure is a timing: only its form is checked here.)
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The child's coverage goes to a throwaway folder (see tests/bench/bench.test.ts for why).
const env = { ...process.env, NODE_V8_COVERAGE: mkdtempSync(join(tmpdir(), 'focalgrad-child-coverage-')) };
const run = (args: string[]): ReturnType<typeof spawnSync> =>
  spawnSync(process.execPath, ['--import', 'tsx', 'bench/roofline.ts', ...args], { cwd: ROOT, encoding: 'utf8', env });

test('two rounds of 4 chains: one line, the median and both rounds in GFLOP/s', () => {
  const child = run(['--chains', '4', '--rounds', '2']);
  assert.is(child.status, 0, String(child.stderr));
  assert.match(String(child.stdout).trim(), /^f64x2 multiply \+ add, 4 chains in registers: \d+\.\d GFLOP\/s median \(\d+\.\d \/ \d+\.\d over 2 rounds\)$/);
});

test('bad flags are usage errors (exit 2, one line naming the flag)', () => {
  const tooMany = run(['--chains', '15']);
  assert.is(tooMany.status, 2);
  assert.is(String(tooMany.stderr).trim(), 'roofline: --chains must be an integer from 1 to 14');
  const noRounds = run(['--rounds', '0']);
  assert.is(noRounds.status, 2);
  assert.is(String(noRounds.stderr).trim(), 'roofline: --rounds must be a positive integer');
});

test.run();
