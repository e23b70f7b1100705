// bench/roofline.ts: it compiles its loop, runs it and prints one line with the median and every round;
// bad flags are usage errors. (The figure is a timing: only its form is checked here.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertUsageError, runScript } from './spawn.js';

const run = (args: string[]) => runScript('bench/roofline.ts', args);

test('two rounds of 4 chains: one line, the median and both rounds in GFLOP/s', () => {
  const child = run(['--chains', '4', '--rounds', '2']);
  assert.is(child.status, 0, child.stderr);
  assert.match(child.stdout.trim(), /^f64x2 multiply \+ add, 4 chains in registers: \d+\.\d GFLOP\/s median \(\d+\.\d \/ \d+\.\d over 2 rounds\)$/);
});

test('bad flags are usage errors (exit 2, one line naming the flag)', () => {
  assertUsageError(run(['--chains', '15']), 'roofline: --chains must be an integer from 1 to 14');
  assertUsageError(run(['--rounds', '0']), 'roofline: --rounds must be a positive integer');
});

test.run();
