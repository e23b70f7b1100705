// bench/batched-matmul.ts: it runs, prints one line per pair, and refuses a bad --rounds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertUsageError, runScript } from './spawn.js';

const run = (args: string[]) => runScript('bench/batched-matmul.ts', args);

test('one round: six lines, each with both GFLOP/s figures and their ratio', () => {
  const child = run(['--rounds', '1']);
  assert.is(child.status, 0, child.stderr);
  const lines = child.stdout.trim().split('\n');
  assert.is(lines.length, 6, child.stdout);
  for (const line of lines) {
    assert.match(line, /^\[[\d,]+\]·\[[\d,]+\] vs .+: batched \d+\.\d\d GFLOP\/s, flat \d+\.\d\d GFLOP\/s, per-flop speed ratio batched\/flat \d+\.\d{3}$/);
  }
});

test('a bad --rounds is a usage error (exit 2)', () => {
  assertUsageError(run(['--rounds', '0']), 'batched-matmul: --rounds must be a positive integer');
});

test.run();
